"""The view in the URL: the global filters and each page's own controls, parsed and validated.

Unknown values in a link are dropped with a notice, never an error, so an old or mistyped link
still opens. The selects' own values ("all", "latest") are read by ``Filters.from_selects``, never
parsed as if they came from a link.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from random import Random
from urllib.parse import parse_qs, urlencode

PARAMETERS = ("scheme", "locality", "care_group", "period")
DEFAULT_SCHEME = "cas-2013"
ALL, LATEST = "all", "latest"  # select values meaning "no filter"
UNSET = ("", ALL, LATEST)  # every select value meaning "no filter"


@dataclass(frozen=True)
class FilterChoices:
    """What the reference data allows: locality slugs per scheme, care groups and periods."""

    localities: dict[str, dict[str, str]]
    care_groups: dict[str, str]
    periods: dict[str, str]
    scheme_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    """The active filters; ``None`` means all of Kent, all care groups, or the latest period."""

    scheme: str = DEFAULT_SCHEME
    locality: str | None = None
    care_group: str | None = None
    period: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Filters:
        data = data or {}
        return cls(**{key: data.get(key) for key in PARAMETERS if data.get(key)})

    @classmethod
    def from_selects(cls, scheme: str, locality: str, care_group: str, period: str) -> Filters:
        """Filters from the select values, where ``all`` and ``latest`` mean no filter."""

        def chosen(value: str | None) -> str | None:
            return None if value is None or value in UNSET else value

        return cls(scheme or DEFAULT_SCHEME, chosen(locality), chosen(care_group), chosen(period))

    def select_values(self) -> tuple[str, str, str, str]:
        """The select values showing these filters."""
        return self.scheme, self.locality or ALL, self.care_group or ALL, self.period or LATEST


def select_meaning(choices: FilterChoices) -> dict:
    """How the select values are read, for the browser, which turns a select change into filters
    itself (``filtersFromSelects`` in ``assets/view.js``) so that the charts are asked for at
    once, without a round trip to the server first: as ``Filters.from_selects`` reads them, with
    a locality kept only if it belongs to the scheme (as ``parse_query`` keeps it). The locality
    menu of the old scheme can still be open when the scheme has just changed."""
    return {
        "parameters": list(PARAMETERS),
        "unset": list(UNSET),
        "scheme": DEFAULT_SCHEME,
        "all": ALL,
        "localities": {scheme: list(places) for scheme, places in choices.localities.items()},
    }


def meeting_filters(choices: FilterChoices, shuffle: Random | None = None) -> list[Filters]:
    """Every locality of the default scheme with every care group (Kent and all care groups
    included), in the latest period: what a meeting clicks through, and what a worker computes
    ahead (``WarmUp``). The default comes first, then one filter chosen, then both; ``shuffle``
    puts the filters of each kind in an order of its own."""
    localities = [None, *choices.localities.get(DEFAULT_SCHEME, {})]
    care_groups = [None, *choices.care_groups]
    every = [
        Filters(locality=place, care_group=group) for place in localities for group in care_groups
    ]
    if shuffle is not None:
        shuffle.shuffle(every)  # kept within each kind by the stable sort
    return sorted(every, key=lambda f: (f.locality is not None) + (f.care_group is not None))


def parse_query(search: str | None, choices: FilterChoices) -> tuple[Filters, list[str]]:
    """Filters from a query string such as ``?scheme=cas-2013&locality=thanet-dover``.

    Returns the filters and a list of notices, one short phrase per value that was ignored
    (``link_notice`` turns them into the one sentence shown).
    """
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    given = {
        key: [value.strip().lower() for value in query[key]] for key in PARAMETERS if key in query
    }
    values = {key: found[-1] for key, found in given.items()}
    notices = [notice for key, found in given.items() for notice in repeated_notices(key, found)]
    scheme = values.get("scheme", DEFAULT_SCHEME)
    if scheme not in choices.localities:
        notices.append(f"unknown locality scheme “{scheme}”")
        scheme = DEFAULT_SCHEME
    locality = values.get("locality")
    if locality and locality not in choices.localities.get(scheme, {}):
        owner = next((s for s, names in choices.localities.items() if locality in names), None)
        if owner and "scheme" not in values:
            scheme = owner
        else:
            notices.append(f"unknown locality “{locality}” for scheme “{scheme}”")
            locality = None
    care_group = values.get("care_group")
    if care_group and care_group not in choices.care_groups:
        notices.append(f"unknown care group “{care_group}”")
        care_group = None
    period = values.get("period")
    if period and period not in choices.periods:
        notices.append(f"unknown or unavailable period “{period}”")
        period = None
    return Filters(scheme, locality, care_group, period), notices


def repeated_notices(parameter: str, given: list[str]) -> list[str]:
    """A link naming a parameter more than once is answered with its last value: a notice for
    each other value it gave."""
    return [
        f"“{earlier}” for {parameter}, given again later in the link"
        for earlier in dict.fromkeys(given[:-1])
        if earlier != given[-1]
    ]


def link_notice(notices: list[str]) -> str:
    """One sentence for everything ignored in a link (empty when nothing was)."""
    if not notices:
        return ""
    return f"Ignored in the link: {'; '.join(notices)}. The address now shows what is on screen."


def to_query(filters: Filters) -> str:
    """The query string for ``filters``, leaving out defaults, so links stay short."""
    pairs = [
        (key, value)
        for key, value in filters.to_dict().items()
        if value and not (key == "scheme" and value == DEFAULT_SCHEME and not filters.locality)
    ]
    return f"?{urlencode(pairs)}" if pairs else ""


def describe(filters: Filters, choices: FilterChoices, latest_period: str | None = None) -> str:
    """A short phrase naming the active filters, for chart subtitles."""
    place = "Kent"
    if filters.locality:
        place = choices.localities[filters.scheme][filters.locality]
    group = choices.care_groups[filters.care_group] if filters.care_group else "all care groups"
    period_slug = filters.period or latest_period
    period = choices.periods.get(period_slug or "", "latest available")
    return f"{place} · {group} · {period}"


def state_problem(state: object, choices: FilterChoices) -> str | None:
    """Why ``state`` is not a filter store the app itself could have written, or None.

    The filter store is only ever filled from ``parse_query`` or from the selects as
    ``select_meaning`` reads them, keeping only what parsing keeps, so a state that parsing would
    change (an unknown scheme, locality, care group or period, or another key) was crafted.
    """
    if state is None:
        return None
    if not isinstance(state, dict) or not set(state) <= set(PARAMETERS):
        return "must be an object with the keys " + ", ".join(PARAMETERS)
    if not all(value is None or isinstance(value, str) for value in state.values()):
        return "must hold text values"
    filters = Filters.from_dict(state)
    parsed, notices = parse_query(to_query(filters), choices)
    return "holds values the filters do not offer" if notices or parsed != filters else None


def summary(filters: Filters, choices: FilterChoices) -> str:
    """The active filters in words, one line, for presentation mode and print."""
    place = "All of Kent"
    if filters.locality:
        scheme = choices.scheme_names.get(filters.scheme, filters.scheme)
        place = f"{choices.localities[filters.scheme][filters.locality]} ({scheme})"
    group = choices.care_groups[filters.care_group] if filters.care_group else "All care groups"
    period = choices.periods[filters.period] if filters.period else "Latest available"
    return f"Filters: Locality {place} · Care group {group} · Period {period}"


PRESENT_PARAMETER = "present"  # ``present=1``: presentation mode, handled in the browser


@dataclass(frozen=True)
class ViewControl:
    """A page control whose value lives in the URL query string beside the global filters.

    ``choices`` is the collection of allowed values; for a typed value (a budget, a date), a
    test giving what is wrong with a value in words, or None when nothing is; or ``None`` for a
    value the reference data lists (a district code, a service line): those are checked where
    the data is at hand, by passing them to ``view_values``. ``prop`` is the component's
    property holding the value: ``"open"`` for a disclosure, written ``open`` or ``closed``.
    """

    parameter: str
    component_id: str
    label: str
    default: str
    choices: Collection[str] | Callable[[str], str | None] | None = None
    prop: str = "value"

    def problem(self, value: str, known: Collection[str] | None = None) -> str | None:
        """What is wrong with ``value`` for this control, in words, or None."""
        if callable(self.choices):
            wrong = (self.choices(value) or "").rstrip(".")  # a sentence within the notice
            return f"{self.label} “{value}”: {wrong[:1].lower()}{wrong[1:]}" if wrong else None
        allowed = known if self.choices is None else self.choices
        if allowed is None or value in allowed or value == self.default:
            return None
        return f"unknown {self.label} “{value}”"


def date_problem(text: str) -> str | None:
    """What is wrong with a date typed into a link, in words, or None."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return "not a date; write it as 2026-09-30"
    return None


def view_values(
    query: Mapping[str, object],
    controls: Collection[ViewControl],
    known: Mapping[str, Collection[str]] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Each control's value from a query (``layout(**query)`` keywords or parsed query string).

    A missing value takes the control's default; a value the control does not accept takes the
    default too, with a notice. ``known`` gives the allowed values of controls whose choices
    come from the data, keyed by parameter.
    """
    known = known or {}
    values, notices = {}, []
    for control in controls:
        raw = query.get(control.parameter)
        if isinstance(raw, list):  # a parsed query string gives a list per key
            notices += repeated_notices(control.parameter, [str(item).strip() for item in raw])
            raw = raw[-1] if raw else None
        value = str(raw).strip() if raw is not None else ""
        problem = control.problem(value, known.get(control.parameter)) if value else None
        if problem:
            notices.append(problem)
            value = ""
        values[control.parameter] = value or control.default
    return values, notices


def query_values(search: str | None) -> dict[str, list[str]]:
    """The parameters of a query string such as ``?measure=rate&present=1``."""
    return parse_qs((search or "").lstrip("?"), keep_blank_values=False)
