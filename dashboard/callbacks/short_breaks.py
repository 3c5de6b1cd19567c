"""Short breaks page: render its chart cards for the current filters."""

from __future__ import annotations

from functools import partial

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.callbacks.chart_parts import DrawnCard, chart_source
from dashboard.charts import ChartSpec
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.views import short_breaks
from dashboard.views.common import ViewContext

MEASURES = (
    "short-break-hours",
    "unsocial-hours-share",
    "crisis-referrals",
    "dementia-share",
    "admissions-prevented",
    "failed-discharges-prevented",
    "carers-supported",
    "appointments-supported",
    "cared-for-supported",
    "respite-weeks",
    "respite-weekly-cost",
    "respite-cost",
)


# Charts under "More detail", folded on the page: the published figures as printed, the
# pre-contract 2009/10 tables and the control chart.
DETAIL = frozenset(
    {
        "short-breaks-published",
        "short-breaks-providers-2009-10",
        "short-breaks-respite-2009-10",
        "short-breaks-spc",
    }
)


def short_breaks_specs(repo: Repository, filters: Filters) -> tuple[ChartSpec, ...]:
    """The page's charts for one set of filters."""
    context = ViewContext.from_repo(repo, filters.to_dict())
    data = {measure: repo.observations(measure) for measure in MEASURES}
    return tuple(short_breaks.page_specs(data, context))


def register(app: Dash, repo: Repository) -> None:
    source = chart_source(
        app, repo, "short-breaks", partial(short_breaks_specs, repo), warm_with=(Filters(),)
    )

    @app.callback(
        Output(ids.SHORT_BREAKS_CHARTS, "children"),
        Output(ids.SHORT_BREAKS_DETAIL, "children"),
        *source.slot_outputs(),
        Input(ids.FILTER_STATE, "data"),
    )
    def update_short_breaks(filter_state):
        return source.redraw(main_and_detail, Filters.from_dict(filter_state))


def main_and_detail(drawn: list[DrawnCard]) -> tuple[list[DrawnCard], list[DrawnCard]]:
    """The cards shown on the page, then those folded under "More detail"."""
    return (
        [card for card in drawn if card.key not in DETAIL],
        [card for card in drawn if card.key in DETAIL],
    )
