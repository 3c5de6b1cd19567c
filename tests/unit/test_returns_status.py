"""The data page's returns panel: who owes a quarterly return, and who has sent one.

Run against the seeded contracts (``data/reference/provider_contracts.csv``): the CAS contracts of
East Kent Carers Consortium, Carers First and Involve Carers, and Crossroads' Kent-wide short
breaks, all ended on 31 March 2018; only Voluntary Action Maidstone's contract is still open.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from dashboard.data_dates import DataDates
from dashboard.filters import Filters
from dashboard.views import data_quality
from dashboard.views.common import ViewContext

VAM = "Voluntary Action Maidstone"
EKCC = "East Kent Carers Consortium CIC"
CROSSROADS = "Crossroads Care Kent"
MAIDSTONE, THANET, DOVER = "E07000110", "E07000114", "E07000108"
NOTHING_RECEIVED = pd.DataFrame(columns=["provider", "period", "geography", "loaded_at", "rows"])


def _context(repo, contracts: pd.DataFrame | None = None, **filters) -> ViewContext:
    reference = repo.reference()
    if contracts is not None:
        reference = replace(reference, contracts=contracts)
    return ViewContext(Filters(**filters), reference, DataDates())


def _received(*returns: tuple[str, str, str], districts=(MAIDSTONE,)) -> pd.DataFrame:
    """Loaded returns as ``Repository.returns_received`` gives them, a row per district of
    ``districts``: (provider, period, day)."""
    return pd.DataFrame(
        [
            {
                "provider": provider,
                "period": period,
                "geography": district,
                "loaded_at": pd.Timestamp(day),
                "rows": 4,
            }
            for provider, period, day in returns
            for district in districts
        ]
    )


def _states(table: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Each listed return's state, by (provider name, period)."""
    return table.set_index(["provider_name", "period"])["state"].to_dict()


def test_a_provider_whose_contract_ended_is_not_chased_for_quarters_after_its_end(repo):
    # On 1 September 2018 the last four quarters are Apr-Jun 2018 and the three before it. The
    # East Kent contract ended on 31 March 2018: it owes Jul 2017-Mar 2018, not Apr-Jun 2018.
    table = data_quality.returns_status(NOTHING_RECEIVED, _context(repo), date(2018, 9, 1))
    east_kent = table[table["provider_name"] == EKCC]
    assert list(east_kent["period"]) == ["2017-18-q4", "2017-18-q3", "2017-18-q2"]
    assert set(table.loc[table["period"] == "2018-19-q1", "provider_name"]) == {VAM}


def test_today_only_voluntary_action_maidstone_owes_returns_so_four_are_expected(repo):
    # 3 December 2026: of five providers, one contract covers 2025/26 Q3 to 2026/27 Q2.
    context = _context(repo)
    table = data_quality.returns_status(NOTHING_RECEIVED, context, date(2026, 12, 3))
    assert set(table["provider_name"]) == {VAM}
    assert list(table["period"]) == ["2026-27-q2", "2026-27-q1", "2025-26-q4", "2025-26-q3"]
    card = data_quality.returns_card(NOTHING_RECEIVED, context, date(2026, 12, 3))
    assert card.title == "0 of 4 expected returns received; 4 late"
    # Dated as every other date on the dashboard, with no leading zero.
    assert card.subtitle.startswith("Last four completed quarters as at 3 Dec 2026")


def test_a_contracted_provider_that_sent_nothing_is_late_once_the_45_days_grace_is_over(repo):
    # Jul-Sep 2026 ended on 30 September: 14 November is day 45 (still due), 15 November late.
    context = _context(repo)
    on_day_45 = data_quality.returns_status(NOTHING_RECEIVED, context, date(2026, 11, 14))
    on_day_46 = data_quality.returns_status(NOTHING_RECEIVED, context, date(2026, 11, 15))
    assert _states(on_day_45) == {
        (VAM, "2026-27-q2"): "due",
        (VAM, "2026-27-q1"): "late",
        (VAM, "2025-26-q4"): "late",
        (VAM, "2025-26-q3"): "late",
    }
    assert _states(on_day_46)[(VAM, "2026-27-q2")] == "late"
    card = data_quality.returns_card(NOTHING_RECEIVED, context, date(2026, 11, 14))
    assert card.title == "0 of 4 expected returns received; 3 late"


def test_a_return_from_a_provider_with_no_current_contract_is_still_shown_as_received(repo):
    # East Kent's contract ended in 2018, yet it sent Apr-Jun 2026: listed as received, and
    # not chased for the other three quarters.
    received = _received(
        ("east-kent-carers-consortium", "2026-27-q1", "2026-08-01"),
        ("voluntary-action-maidstone", "2026-27-q2", "2026-10-20"),
    )
    context = _context(repo)
    table = data_quality.returns_status(received, context, date(2026, 12, 3))
    east_kent = table[table["provider_name"] == EKCC]
    assert east_kent[["period", "state", "loaded_at"]].values.tolist() == [
        ["2026-27-q1", "received", "2026-08-01"]
    ]
    assert _states(table)[(VAM, "2026-27-q2")] == "received"
    assert list(table.columns) == [
        "provider_name",
        "period",
        "period_label",
        "state",
        "loaded_at",
        "expected",
    ]
    assert east_kent["expected"].tolist() == [False]  # its contract ended in 2018
    card = data_quality.returns_card(received, context, date(2026, 12, 3))
    assert card.title == (
        "1 of 4 expected returns received; 3 late; "
        "1 received from providers without a contract for the quarter"
    )
    # The table says which return that is.
    owed = card.table.set_index(["provider_name", "period"])["owed"].to_dict()
    assert owed[(EKCC, "2026-27-q1")] == "No: no contract covers the quarter"
    assert owed[(VAM, "2026-27-q2")] == "Yes"
    assert ("owed", "Owed under a contract") in [(c.key, c.label) for c in card.columns]


def test_when_no_contract_covers_the_quarters_the_panel_says_no_provider_is_contracted(repo):
    # Were Voluntary Action Maidstone's contract to have ended too, nobody owes anything.
    contracts = repo.reference().contracts.assign(end=date(2018, 3, 31))
    context = _context(repo, contracts)
    card = data_quality.returns_card(NOTHING_RECEIVED, context, date(2026, 12, 3))
    assert card.table.empty
    assert card.unavailable.startswith(
        "No provider is contracted to return 2025/26 Q3 (Oct–Dec 2025) to 2026/27 Q2"
    )


def test_for_a_locality_only_its_contracts_are_chased_and_kent_wide_ones_count_everywhere(repo):
    # On 1 September 2018 East Kent owes Thanet & Dover's returns to March 2018, and Crossroads'
    # Kent-wide short-breaks contract concerns every locality; Maidstone's provider and Carers
    # First (West Kent) do not concern Thanet & Dover.
    context = _context(repo, locality="thanet-dover")
    table = data_quality.returns_status(NOTHING_RECEIVED, context, date(2018, 9, 1))
    assert set(table["provider_name"]) == {EKCC, CROSSROADS}
    maidstone = _context(repo, locality="maidstone-malling")
    table = data_quality.returns_status(NOTHING_RECEIVED, maidstone, date(2018, 9, 1))
    assert "Involve Carers" in set(table["provider_name"])
    assert VAM in set(table["provider_name"]) and EKCC not in set(table["provider_name"])


def test_a_locality_no_contract_covers_today_says_so_and_does_not_list_maidstone(repo):
    # 3 December 2026: only Voluntary Action Maidstone is contracted, for Maidstone & Malling.
    card = data_quality.returns_card(
        NOTHING_RECEIVED, _context(repo, locality="thanet-dover"), date(2026, 12, 3)
    )
    assert card.table.empty
    assert card.unavailable.startswith("No provider is contracted to return 2025/26 Q3")
    assert "for Thanet & Dover: no contract on record for Thanet & Dover covers" in (
        card.unavailable
    )
    assert card.subtitle.startswith("Thanet & Dover · Last four completed quarters")
    maidstone = data_quality.returns_card(
        NOTHING_RECEIVED, _context(repo, locality="maidstone-malling"), date(2026, 12, 3)
    )
    assert maidstone.title == "0 of 4 expected returns received; 4 late"


def test_a_return_is_listed_for_the_localities_of_its_districts(repo):
    # East Kent sent Apr-Jun 2026 with figures for Thanet and Dover only: listed for Thanet &
    # Dover (as received, owed under no contract), not for Maidstone & Malling.
    received = _received(
        ("east-kent-carers-consortium", "2026-27-q1", "2026-08-01"), districts=(THANET, DOVER)
    )
    thanet = data_quality.returns_status(
        received, _context(repo, locality="thanet-dover"), date(2026, 12, 3)
    )
    assert thanet[["provider_name", "period", "state", "expected"]].values.tolist() == [
        [EKCC, "2026-27-q1", "received", False]
    ]
    maidstone = data_quality.returns_status(
        received, _context(repo, locality="maidstone-malling"), date(2026, 12, 3)
    )
    assert EKCC not in set(maidstone["provider_name"])
    # For Kent as a whole the return is one row, however many districts it covers.
    kent = data_quality.returns_status(received, _context(repo), date(2026, 12, 3))
    assert (kent["provider_name"] == EKCC).sum() == 1
