"""Two scripts Dash's page template gains around its own: the browser's number parsing and
trimming kept from Dash's polyfill, and the page's components told of store changes in batches.

**Kept functions.** Dash loads @babel/polyfill 7.12 (core-js 2.6) before every other script.
core-js 2 counts U+180E as white space, which ECMAScript has not since 2016, so in every current
browser its feature tests fail and it replaces ``parseFloat``, ``parseInt`` and
``String.prototype.trim`` (and their kin) with its own versions, each a regular expression
replace: 12 to 28 times slower per call in Chromium (a known core-js 2 cost, reported for instance
in OctoPrint issue 5438). Plotly calls them for every font and colour it sets while drawing, so
every repaint paid for them. The page notes the browser's own functions before the scripts load
and puts them back once the scripts have loaded, before Dash's renderer starts and before Plotly
is fetched. Only these functions are put back; the polyfill's other additions are left as they
are.

**Batched notices.** Dash's renderer applies a callback's answer one output at a time, each a
change to its Redux store, and every change runs a selector for every mounted component: on
``/reach`` a filter change made 205 store changes, times 375 components. Dash creates its store,
subscribes its own callback machinery to it, and only then adds it to ``window.dash_stores``; the
page has that list ready with its own ``push``, which makes every later subscriber (React's) hear
of changes once per task instead of once per change. The callback machinery still hears of each
change at once, as Dash wrote it to. While the browser is handling an event (a key press, a
choice), React's subscribers hear at once as before: React puts a controlled input's value back
as the event ends unless the component has seen its new value by then. Were a later Dash to
stop using that list, nothing breaks: its components are told of every change, as now.
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
# A MessageChannel message is a task of its own, run after the one in hand without a timer's
# clamping or a background tab's throttling of timers.
BATCH_NOTICES = """<script>
(function () {
  var stores = window.dash_stores = window.dash_stores || [];
  var due = [], channel = new MessageChannel();
  channel.port1.onmessage = function () {
    var running = due;
    due = [];
    running.forEach(function (tell) { tell(); });
  };
  function batched(listener) {
    var waiting = false, listening = true;
    function tell() { waiting = false; if (listening) listener(); }
    return {
      heard: function () {
        if (window.event) return tell();
        if (waiting) return;
        waiting = true;
        if (due.push(tell) === 1) channel.port2.postMessage(null);
      },
      stop: function () { listening = false; }
    };
  }
  stores.push = function (store) {
    var subscribe = store.subscribe;
    store.subscribe = function (listener) {
      var notices = batched(listener), unsubscribe = subscribe(notices.heard);
      return function () { notices.stop(); unsubscribe(); };
    };
    return Array.prototype.push.apply(this, arguments);
  };
})();
</script>"""


def index_with_page_scripts(index_string: str) -> str:
    """Dash's page template with the notices batched and the browser's own functions noted
    before its scripts, and those functions put back after them."""
    if index_string.count(SCRIPTS_PLACEHOLDER) != 1:
        raise ValueError(f"The page template must hold {SCRIPTS_PLACEHOLDER} exactly once.")
    return index_string.replace(
        SCRIPTS_PLACEHOLDER, BATCH_NOTICES + NOTE + SCRIPTS_PLACEHOLDER + RESTORE
    )
