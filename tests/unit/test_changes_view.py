"""The "since last meeting" lists answer the filters shown above them, or say they do not."""

from __future__ import annotations

import pandas as pd

from dashboard.data_dates import DataDates
from dashboard.filters import Filters
from dashboard.views import changes
from dashboard.views.common import ViewContext

THANET, ASHFORD = "E07000114", "E07000105"


def _context(repo, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates())


def _revised() -> pd.DataFrame:
    """Three revised values: Thanet dementia in two quarters, Ashford autism."""
    return pd.DataFrame(
        {
            "provider": ["east-kent-carers-consortium"] * 3,
            "geography": [THANET, THANET, ASHFORD],
            "care_group": ["dementia", "dementia", "autism"],
            "measure": ["carers-supported"] * 3,
            "period": ["2024-25-q4", "2024-25-q3", "2024-25-q4"],
            "previous": [40.0, 30.0, 20.0],
            "current": [42.0, 31.0, 25.0],
            "replaced_at": ["2026-11-20"] * 3,
        }
    )


def test_revisions_follow_the_locality_care_group_and_period_chosen(repo):
    # The page listed every revision under a filter bar reading Maidstone & Malling · Dementia.
    everything = changes.revisions_card(_revised(), _context(repo), "1 Nov 2026")
    assert len(everything.table) == 3
    chosen = _context(repo, locality="thanet-dover", care_group="dementia", period="2024-25-q4")
    spec = changes.revisions_card(_revised(), chosen, "1 Nov 2026")
    assert list(spec.table["geography"]) == [THANET]
    assert list(spec.table["period"]) == ["2024-25-q4"]
    assert spec.subtitle.startswith("Thanet & Dover · Dementia · ")
    elsewhere = changes.revisions_card(
        _revised(), _context(repo, locality="maidstone-malling"), "1 Nov 2026"
    )
    assert elsewhere.unavailable.startswith("No values revised for Maidstone & Malling")


def test_new_returns_say_they_are_whole_whatever_the_filters(repo):
    new = pd.DataFrame(
        {
            "provider": ["east-kent-carers-consortium"],
            "period": ["2024-25-q4"],
            "first_loaded": pd.to_datetime(["2026-11-20"]),
            "rows": [84],
        }
    )
    assert "whole returns" not in changes.new_returns_card(new, _context(repo), "x").subtitle
    spec = changes.new_returns_card(new, _context(repo, locality="thanet-dover"), "x")
    assert "whole returns, for every locality and care group" in spec.subtitle
