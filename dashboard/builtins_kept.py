"""The browser's own number parsing and string trimming, kept from Dash's bundled polyfill.

Dash loads @babel/polyfill 7.12 (core-js 2.6) before every other script. core-js 2 counts U+180E
as white space, which ECMAScript has not since 2016, so in every current browser its feature
tests fail and it replaces ``parseFloat``, ``parseInt`` and ``String.prototype.trim`` (and their
kin) with its own versions, each a regular expression replace: 12 to 28 times slower per call
in Chromium (a known core-js 2 cost, reported for instance in OctoPrint issue 5438). Plotly calls
them for every font and colour it sets while drawing, so every repaint paid for them.

The page therefore notes the browser's own functions before the scripts load and puts them back
once the scripts have loaded, before Dash's renderer starts and before Plotly is fetched. Only
these functions are put back: the browsers the dashboard supports have them to the standard,
and the polyfill's other additions are left as they are.
"""

from __future__ import annotations

SCRIPTS_PLACEHOLDER = "{%scripts%}"
# (holder, name): the functions core-js 2 replaces in a current browser for the U+180E test.
KEPT = (
    ("window", "parseFloat"),
    ("window", "parseInt"),
    ("Number", "parseFloat"),
    ("Number", "parseInt"),
    *(
        ("String.prototype", name)
        for name in ("trim", "trimStart", "trimEnd", "trimLeft", "trimRight")
    ),
)
STORE = "kentCarersBuiltins"  # window property holding the noted functions between the scripts

HOLDERS = ", ".join(f'[{holder}, "{name}"]' for holder, name in KEPT)  # JS expressions
NOTE = f"""<script>
window.{STORE} = [{HOLDERS}].map(function (pair) {{
  return [pair[0], pair[1], Object.getOwnPropertyDescriptor(pair[0], pair[1])];
}});
</script>"""
RESTORE = f"""<script>
window.{STORE}.forEach(function (kept) {{
  if (kept[2]) Object.defineProperty(kept[0], kept[1], kept[2]);
}});
delete window.{STORE};
</script>"""


def index_keeping_builtins(index_string: str) -> str:
    """Dash's page template with the browser's own functions noted before its scripts and put
    back after them."""
    if index_string.count(SCRIPTS_PLACEHOLDER) != 1:
        raise ValueError(f"The page template must hold {SCRIPTS_PLACEHOLDER} exactly once.")
    return index_string.replace(SCRIPTS_PLACEHOLDER, NOTE + SCRIPTS_PLACEHOLDER + RESTORE)
