"""Faults told plainly: 503 "data temporarily unavailable", 4xx for malformed callback requests,
and a message on the page, never a bare 500, when a callback fails unexpectedly.

``install`` runs after every other part of the app is registered. Its availability check goes
first among the request hooks, before Dash's own first-request setup (which builds the layout
from the database), so a worker that starts while the database is down answers 503 until it
is back instead of breaking. Messages never carry a traceback or the database URL.
"""

from __future__ import annotations

import logging
import secrets

import dash
import dash_bootstrap_components as dbc
from dash import Dash
from flask import jsonify, render_template, request
from sqlalchemy.exc import DisconnectionError, InterfaceError, InternalError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dashboard import callback_requests, ids
from dashboard.callback_requests import CallbackRequestError
from dashboard.components.chart_card import CARD_SLOTS
from dashboard.components.tree import components_in
from dashboard.db.engine import DatabaseUnavailable
from dashboard.db.repository import Repository
from dashboard.figures.maps import TOPOJSON_PATH
from dashboard.filters import FilterChoices, state_problem

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
# Requests that need no data: static files, and /health, which reports the outage itself.
DATA_FREE_PREFIXES = (
    "/assets/",
    "/vendor/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/_reload-hash",
    "/health",
    TOPOJSON_PATH,
)
UNAVAILABLE = (
    "Data temporarily unavailable: the dashboard cannot reach its database. "
    "Nothing has been lost; try again in a minute."
)
# Reads still work, so the pages do; a sign-in, an upload or a recorded decision cannot be kept.
WRITE_REFUSED = (
    "The database is not accepting changes just now (it is read-only, or busy with another "
    "change), so this could not be done and nothing was saved. The dashboard's pages still "
    "show their figures. Try again later; if this goes on, tell the dashboard's administrators."
)
READ_ONLY_SQLSTATE = "25006"  # PostgreSQL: read_only_sql_transaction (a standby, or set so)
SQLITE_REFUSALS = ("readonly database", "database is locked")
RETRY_AFTER_SECONDS = "30"
DATABASE_FAULTS = (DatabaseUnavailable, OperationalError, InterfaceError, DisconnectionError)
# Answered by the handlers ``install`` registers (503, 4xx), not by ``callback_fault``.
ANSWERED_ELSEWHERE = (*DATABASE_FAULTS, PoolTimeout, CallbackRequestError, HTTPException)
CALLBACK_FAULT = (
    "Part of this page could not be brought up to date: the dashboard met a problem it did "
    "not expect, and has logged it (reference {reference}). Charts still shown may be for the "
    "filters chosen before. Reload the page to try again; if this happens again, give the "
    "reference to the dashboard's administrators."
)


def install(app: Dash, repo: Repository) -> None:
    """Register the availability check, the callback request check and the error handlers."""
    server = app.server
    outage = {"logged": False}

    def require_database():
        if request.path.startswith(DATA_FREE_PREFIXES):
            return
        repo.check_available()
        if outage["logged"]:
            logger.info("The database is available again.")
            outage["logged"] = False

    def database_unavailable(error: Exception):
        if write_refused(error):
            return _refused_write(error, repo.engine.url.password)
        if not outage["logged"]:
            logger.warning("Serving 503: %s", _describe(error, repo.engine.url.password))
            outage["logged"] = True
        if _wants_json():
            body = {"status": "unavailable", "database": "unreachable", "message": UNAVAILABLE}
            response = jsonify(body)
        else:
            response = render_template(
                "unavailable.html",
                heading="Data temporarily unavailable",
                message=UNAVAILABLE,
                refresh=True,
            )
        return response, 503, {"Retry-After": RETRY_AFTER_SECONDS}

    def database_internal_error(error: InternalError):
        if write_refused(error):
            return _refused_write(error, repo.engine.url.password)
        raise error  # any other internal error is the server's fault, logged as such

    server.before_request_funcs.setdefault(None, []).insert(0, require_database)
    for fault in (*DATABASE_FAULTS, PoolTimeout):
        server.register_error_handler(fault, database_unavailable)
    server.register_error_handler(InternalError, database_internal_error)
    server.before_request(_callback_checker(app, repo))
    server.register_error_handler(CallbackRequestError, _refuse_callback)
    server.register_error_handler(dash.exceptions.DependencyException, _no_such_script)


def callback_fault(error: Exception) -> None:
    """Dash's ``on_error``: a callback that raised unexpectedly leaves its outputs as they are
    and says so on the page, where Dash would answer 500 and the page would change nothing
    without a word. The log has the traceback and a reference the message gives."""
    if isinstance(error, ANSWERED_ELSEWHERE):
        raise error
    reference = secrets.token_hex(4)
    outputs = str((request.get_json(silent=True) or {}).get("output", ""))
    logger.error("Callback %s failed (reference %s)", outputs[:200], reference, exc_info=error)
    dash.set_props(
        ids.PAGE_FAULT,
        {
            "children": dbc.Alert(
                CALLBACK_FAULT.format(reference=reference), color="danger", dismissable=True
            )
        },
    )


def _callback_checker(app: Dash, repo: Repository):
    """A request hook refusing callback requests that ``callback_requests`` finds malformed."""
    rules: dict = {}

    def check_callback_request():
        if request.path != CALLBACK_PATH or request.method != "POST":
            return
        if "options" not in rules:  # the first callback request: everything is registered
            # Both rules in one update: a request on another thread must never find only one.
            rules.update(
                callbacks=callback_requests.callbacks_from_map(app.callback_map),
                options=static_options(app),
            )
        request.max_content_length = callback_requests.MAX_BODY_BYTES
        if not request.is_json:  # Dash would answer Flask's HTML 415, unlogged
            raise CallbackRequestError("A callback request is JSON (application/json).", 415)
        try:
            raw = request.get_data(cache=True)
        except RequestEntityTooLarge:
            raise CallbackRequestError(
                "The request is larger than a callback needs.", 413
            ) from None
        body = callback_requests.parse_body(raw)
        choices = repo.reference().filter_choices()
        special = {
            (ids.FILTER_STATE, "data"): lambda state: state_problem(state, choices),
            (ids.CHART_ORIGIN_TYPE, "data"): _chart_origin_problem,
            (ids.VIEW_ADDRESS, "data"): _address_problem,
            (ids.CARD_SLOT_TYPE, "clickData"): _click_problem,
            (ids.CARD_SLOT_TYPE, "data"): _figure_digest_problem,
            (ids.PAGES_LOCATION, "pathname"): _pathname_problem,
            (ids.SHORT_BREAKS_DETAIL_REQUEST, "data"): lambda asked: _fold_request_problem(
                asked, choices
            ),
        }
        check_value = callback_requests.value_check(rules["options"], special)
        callback_requests.check_request(body, rules["callbacks"], check_value)

    return check_callback_request


def static_options(app: Dash) -> dict[str, frozenset]:
    """The choices each page's selects and radio buttons offer, unless a callback sets them."""
    dynamic = {
        dependency[0]
        for callback in callback_requests.callbacks_from_map(app.callback_map).values()
        for dependency in callback.outputs
        if dependency[1] == "options"
    }
    found: dict[str, frozenset] = {}
    for page in dash.page_registry.values():
        layout = page["layout"]() if callable(page["layout"]) else page["layout"]
        for component in components_in(layout):
            component_id, options = (
                getattr(component, "id", None),
                getattr(component, "options", None),
            )
            if (
                isinstance(component_id, str)
                and isinstance(options, list)
                and component_id not in dynamic
            ):
                found[component_id] = frozenset(
                    option["value"] if isinstance(option, dict) else option for option in options
                )
    return found


def _address_problem(address: object) -> str | None:
    """The address the browser shows, as assets/view.js writes it: ``{"href": text}``."""
    if address is None:
        return None
    if isinstance(address, dict) and set(address) == {"href"}:
        return callback_requests.text_problem(address["href"], callback_requests.MAX_ADDRESS)
    return 'must be the address shown ({"href": text})'


def _fold_request_problem(asked: object, choices: FilterChoices) -> str | None:
    """What a folded section is to show, as assets/view.js writes it (``foldRequest``):
    ``{"filters": the filter store, "open": true or false}``."""
    if asked is None:
        return None
    if not isinstance(asked, dict) or set(asked) != {"filters", "open"}:
        return 'must be what the section is to show ({"filters": filters, "open": flag})'
    if not isinstance(asked["open"], bool):
        return "must say whether the section is open (true or false)"
    return state_problem(asked["filters"], choices)


def _pathname_problem(pathname: object) -> str | None:
    """The path Dash Pages' router is asked for: a path on this site (the router raises on any
    other)."""
    if problem := callback_requests.text_problem(pathname, callback_requests.MAX_ADDRESS):
        return problem
    return None if pathname is None or pathname.startswith("/") else "must be a path (/...)"


def _figure_digest_problem(digest: object) -> str | None:
    """A card's digests, as ``chart_card`` writes them: ``{"chart": text, "figure": text,
    "slots": {part: text}}`` (the only card slot held as ``data``); without ``slots`` as a page
    drawn before slots had digests posts them."""
    if digest is None:
        return None
    form = 'must be a card’s digests ({"chart": text, "figure": text, "slots": {part: text}})'
    if not isinstance(digest, dict) or set(digest) - {"slots"} != {"chart", "figure"}:
        return form
    slots = digest.get("slots", {})
    if not isinstance(slots, dict) or not set(slots) <= set(CARD_SLOTS):
        return form
    for text in (digest["chart"], digest["figure"], *slots.values()):
        if problem := callback_requests.text_problem(text):
            return problem
    return None


def _chart_origin_problem(payload: object) -> str | None:
    if payload is None:
        return None
    # The chart card's signed origin (``exports.signed``); the signature itself is checked by
    # the table and download callbacks, which ignore an origin that was altered.
    if (
        isinstance(payload, dict)
        and set(payload) == {"body", "signature"}
        and isinstance(payload["body"], str)
        and isinstance(payload["signature"], str)
    ):
        return None
    return "must be a chart's signed origin (body and signature)"


def _click_problem(click: object) -> str | None:
    if click is None:
        return None
    points = click.get("points") if isinstance(click, dict) else None
    if isinstance(points, list) and all(isinstance(point, dict) for point in points):
        return None
    return "must be a map click with a list of points"


def _refuse_callback(error: CallbackRequestError):
    logger.warning("Refused a callback request from %s: %s", request.remote_addr, str(error)[:300])
    return jsonify({"status": "refused", "message": str(error)}), error.status


def _no_such_script(_error: Exception):
    """A script path Dash does not serve (a page cached from an earlier release asks for one
    that has gone): 404, where Dash would raise and answer 500."""
    return "Not found.", 404, {"Content-Type": "text/plain; charset=utf-8"}


def write_refused(error: Exception) -> bool:
    """Whether a database error is a refusal to write (a read-only or locked database), which
    the pages, reading, do not meet: not an outage."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == READ_ONLY_SQLSTATE:
        return True
    text = str(original if original is not None else error).lower()
    return isinstance(error, OperationalError) and any(part in text for part in SQLITE_REFUSALS)


def _refused_write(error: Exception, password: str | None):
    logger.warning("Refused a change: %s", _describe(error, password))
    if _wants_json():
        body = {"status": "unavailable", "database": "refusing changes", "message": WRITE_REFUSED}
        return jsonify(body), 503, {"Retry-After": RETRY_AFTER_SECONDS}
    # No refresh: it would ask for the form's address again, dropping what was typed.
    page = render_template("unavailable.html", heading="Nothing was saved", message=WRITE_REFUSED)
    return page, 503, {"Retry-After": RETRY_AFTER_SECONDS}


def _wants_json() -> bool:
    if request.path.startswith(("/_dash", "/health")) or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _describe(error: Exception, password: str | None) -> str:
    """A one-line cause: the driver's first line, never the statement or the password."""
    if isinstance(error, DatabaseUnavailable):
        return str(error)
    original = getattr(error, "orig", None)
    lines = str(original if original is not None else error).strip().splitlines()
    text = f"{error.__class__.__name__}: {lines[0] if lines else ''}"[:300]
    return text.replace(password, "***") if password else text
