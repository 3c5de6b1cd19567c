"""The loaded data: published figures exact, totals reconcile, demo calibrated, loads idempotent."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from dashboard import demo
from dashboard.config import DATA_DIR
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db, table_counts
from dashboard.db.seed_files import read_seed_data
from dashboard.periods import parse_period

KENT = "E10000016"


def _county(frame: pd.DataFrame, **conditions) -> pd.DataFrame:
    rows = frame[(frame["geography"] == KENT) & frame["care_group"].isna()]
    for column, value in conditions.items():
        rows = rows[rows[column] == value]
    return rows


@pytest.mark.parametrize(
    ("measure", "period", "category", "value", "section"),
    [
        ("referrals", "2015-16", "", 7174, "§5.4"),
        ("new-carers-identified", "2015-16-q1", "", 1292, "§5.2"),
        ("new-carers-identified", "2016-17-q2", "", 1431, "§5.2"),
        ("health-checks", "2015-16", "", 1775, "§5.4"),
        ("information-advice", "2015-16", "", 27871, "§5.4"),
        ("emotional-support", "2015-16", "", 17097, "§5.4"),
        ("crisis-referrals", "2015-16", "", 895, "§5.6"),
        ("crisis-referrals", "2016-17-h1", "", 139, "§5.7"),
        ("dementia-share", "2015-16", "crisis referrals", 68, "§5.6"),
        ("dementia-share", "2016-17-h1", "crisis referrals", 60, "§5.7"),
        ("short-break-hours", "2015-16", "", 25000, "§5.6"),
        ("short-break-hours", "2016-17-h1", "crisis response", 3300, "§5.7"),
        ("admissions-prevented", "2015-16", "", 613, "§5.6"),
        ("unsocial-hours-share", "2015-16", "", 50, "§5.6"),
        ("unsocial-hours-share", "2016-17-h1", "crisis response", 65, "§5.7"),
        ("failed-discharges-prevented", "2016-17-h1", "", 10, "§5.7"),
        ("admissions-prevented", "2016-17-h1", "", 68, "§5.7"),
    ],
)
def test_published_figures_are_present_exactly(
    backend_repo, measure, period, category, value, section
):
    rows = _county(
        backend_repo.observations(measure), period=period, category=category, status="published"
    )
    assert not rows.empty, f"{measure} {period} missing"
    assert value in set(rows["value"])
    row = rows[rows["value"] == value].iloc[0]
    assert section in row["source_section"]
    assert row["source"] == "kcc-cabinet-committee-2016"


def test_both_published_new_carer_totals_are_kept_and_flagged(backend_repo):
    rows = _county(
        backend_repo.observations("new-carers-identified"), period="2015-16", status="published"
    )
    assert {5313, 5360} <= set(rows["value"])
    notes = backend_repo.reference().quality_notes
    text = " ".join(notes["description"]) + " ".join(notes["title"])
    assert "5,313" in text and "5,360" in text


def test_respite_rows_that_do_not_multiply_out_are_kept_as_published_and_flagged(backend_repo):
    totals = backend_repo.observations("respite-cost")
    assert {189896, 384054} <= set(totals["value"])
    text = " ".join(backend_repo.reference().quality_notes["description"])
    assert "506.39" in text and "1,058.79" in text


def test_every_money_figure_in_the_funding_table_is_loaded(backend_repo):
    funding = backend_repo.funding()
    table = funding[(funding["period"] == "2016-17") & (funding["status"] == "published")]
    table = table[table["geography"] == KENT]
    table = table.fillna({"funder": "all", "service_line": "all"})
    amounts = {(row.funder, row.service_line): row.amount for row in table.itertuples()}
    assert amounts[("kcc", "all")] == 5_660_000
    assert amounts[("kent-ccgs", "all")] == 1_840_000
    assert amounts[("all", "all")] == 7_500_000
    assert amounts[("kcc", "cas")] == 3_100_000
    assert amounts[("kent-ccgs", "cas")] == 1_260_000


def test_funding_table_reconciles(backend_repo):
    funding = backend_repo.funding()
    table = funding[(funding["period"] == "2016-17") & (funding["status"] == "published")]
    table = table[(table["geography"] == KENT) & (table["basis"] == "allocated")]
    lines = table[
        table["service_line"].isin(["cas", "short-breaks-contracted", "short-breaks-grant"])
    ]
    total_rows = table[table["service_line"].isna()]
    totals = total_rows.set_index(total_rows["funder"].fillna("all"))["amount"]
    by_funder = lines.groupby(lines["funder"].fillna("all"))["amount"].sum()
    for funder in ("kcc", "kent-ccgs", "all"):
        assert by_funder[funder] == pytest.approx(totals[funder]), funder
    assert totals["kcc"] + totals["kent-ccgs"] == pytest.approx(totals["all"])
    combined = lines[lines["funder"].isna()].set_index("service_line")["amount"]
    parts = lines[lines["funder"].notna()].groupby("service_line")["amount"].sum()
    pd.testing.assert_series_equal(parts.sort_index(), combined.sort_index(), check_names=False)


def test_locality_targets_reconcile_with_kent_or_are_noted(backend_repo):
    reference = backend_repo.reference()
    localities = set(reference.geographies.query("scheme == 'cas-2013'")["code"])
    targets = reference.measures[reference.measures["target_of"].notna()]["slug"]
    noted = " ".join(reference.quality_notes["description"])
    checked = 0
    for measure in targets:
        rows = backend_repo.observations(measure)
        for period, group in rows.groupby("period"):
            kent = group[group["geography"] == KENT]["value"]
            parts = group[group["geography"].isin(localities)]["value"]
            if kent.empty or len(parts) != 6:
                continue
            checked += 1
            if parts.sum() != kent.iloc[0]:
                assert measure in noted, (
                    f"{measure} {period}: localities do not sum to Kent, unflagged"
                )
    assert checked >= 10


def test_locality_shares_sum_to_one_per_district_and_scheme(backend_repo):
    shares = backend_repo.reference().shares
    for column in ("carer_share", "population_share"):
        sums = shares.groupby(["scheme", "district_code"])[column].sum()
        assert len(sums) == 3 * 12
        assert sums.round(12).eq(1).all(), sums[sums.round(12) != 1]


def test_split_districts_are_split_as_documented(backend_repo):
    shares = backend_repo.reference().shares
    split = shares.groupby(["scheme", "district_code"]).size()
    split = split[split > 1]
    assert set(split.index) == {
        ("cas-2013", "E07000115"),
        ("cas-2013", "E07000111"),
        ("ccg-2013", "E07000111"),
        ("ccg-2013", "E07000113"),
    }
    assert (shares["method"].str.len() > 10).all()


def test_census_districts_sum_to_the_kent_row(backend_repo):
    census = backend_repo.observations("census-carers")
    for period in ("census-2021", "census-2011"):
        rows = census[(census["period"] == period) & (census["category"] == "")]
        districts = rows[rows["geography"].str.startswith("E07")]
        assert len(districts) == 12
        assert districts["value"].sum() == rows[rows["geography"] == KENT]["value"].iloc[0]
    assert (
        census[
            (census["period"] == "census-2021")
            & (census["geography"] == KENT)
            & (census["category"] == "")
        ]["value"].iloc[0]
        == 135_907
    )


def _demo_total(repo, measure, period, category=None):
    rows = repo.observations(measure)
    rows = rows[rows["status"] == "demo"]
    covered = parse_period(period)
    rows = rows[
        (rows["period_start"] >= pd.Timestamp(covered.start))
        & (rows["period_end"] <= pd.Timestamp(covered.end))
    ]
    if category is not None:
        rows = rows[rows["category"] == category]
    if rows["care_group"].isna().any():
        rows = rows[rows["care_group"].isna()]
    return rows["value"].sum()


@pytest.mark.parametrize(
    ("measure", "period", "total"),
    [
        ("referrals", "2015-16", 7174),
        ("new-carers-identified", "2015-16-q1", 1292),
        ("new-carers-identified", "2015-16-q2", 1376),
        ("new-carers-identified", "2015-16-q3", 1295),
        ("new-carers-identified", "2015-16-q4", 1397),
        ("new-carers-identified", "2016-17-h1", 2768),
        ("health-checks", "2015-16", 1775),
        ("information-advice", "2015-16", 27871),
        ("emotional-support", "2015-16", 17097),
        ("one-off-payments", "2015-16", 1391),
        ("crisis-referrals", "2015-16", 895),
        ("admissions-prevented", "2015-16", 613),
        ("crisis-referrals", "2016-17-h1", 139),
        ("admissions-prevented", "2016-17-h1", 68),
        ("failed-discharges-prevented", "2016-17-h1", 10),
    ],
)
def test_demo_rows_add_up_to_the_published_totals(backend_repo, measure, period, total):
    assert _demo_total(backend_repo, measure, period) == total


def test_demo_short_break_hours_add_up_to_published_hours(backend_repo):
    assert _demo_total(backend_repo, "short-break-hours", "2015-16") == 25_000
    assert _demo_total(backend_repo, "short-break-hours", "2015-16", "health appointments") == 1_974


def test_demo_shares_average_to_the_published_shares(backend_repo):
    crisis = backend_repo.observations("crisis-referrals")
    demo = crisis[crisis["status"] == "demo"]
    for period, published in (("2015-16", 68), ("2016-17-h1", 60)):
        covered = parse_period(period)
        rows = demo[
            (demo["period_start"] >= pd.Timestamp(covered.start))
            & (demo["period_end"] <= pd.Timestamp(covered.end))
        ]
        dementia = rows[rows["care_group"] == "dementia"]["value"].sum()
        everyone = rows[rows["care_group"].isna()]["value"].sum()
        assert round(100 * dementia / everyone) == published
    hours = backend_repo.observations("short-break-hours")
    unsocial = backend_repo.observations("unsocial-hours-share")
    for period, category, published in (
        ("2015-16", None, 50),
        ("2016-17-h1", "crisis response", 65),
    ):
        weights = (
            _all_groups(_demo_window(hours, period, category))
            .groupby(["period", "geography", "category"])["value"]
            .sum()
        )
        shares = _all_groups(_demo_window(unsocial, period, category)).set_index(
            ["period", "geography", "category"]
        )["value"]
        assert (shares * weights).sum() / weights.sum() == pytest.approx(published)


def _all_groups(frame):
    return frame[frame["care_group"].isna()]


def _demo_window(frame, period, category):
    covered = parse_period(period)
    rows = frame[
        (frame["status"] == "demo")
        & (frame["period_start"] >= pd.Timestamp(covered.start))
        & (frame["period_end"] <= pd.Timestamp(covered.end))
    ]
    return rows if category is None else rows[rows["category"] == category]


def test_demo_funding_adds_up_to_the_published_allocations(backend_repo):
    funding = backend_repo.funding()
    demo = funding[(funding["status"] == "demo") & (funding["period"] == "2016-17")]
    assert demo[demo["funder_kind"] == "council"]["amount"].sum() - demo[
        (demo["funder_kind"] == "council") & (demo["service_line"] == "direct-payments")
    ]["amount"].sum() == pytest.approx(5_660_000)
    assert demo[demo["funder_kind"] == "nhs"]["amount"].sum() == pytest.approx(1_840_000)
    by_line = demo.groupby(["funder_kind", "service_line"])["amount"].sum()
    assert by_line[("council", "cas")] == 3_100_000
    assert by_line[("nhs", "short-breaks-contracted")] == 580_000


def test_demo_spend_per_carer_varies_between_districts(backend_repo):
    funding = backend_repo.funding()
    demo = funding[(funding["status"] == "demo") & (funding["period"] == "2016-17")]
    spend = demo.groupby("geography")["amount"].sum()
    census = backend_repo.observations("census-carers")
    carers = census[(census["period"] == "census-2021") & (census["category"] == "")].set_index(
        "geography"
    )["value"]
    per_carer = (spend / carers.reindex(spend.index)).dropna()
    assert len(per_carer) == 12
    assert per_carer.max() / per_carer.min() > 1.3


def test_every_demo_row_is_labelled_demo(backend_repo):
    for measure in ("carers-supported", "short-break-hours", "crisis-referrals"):
        rows = backend_repo.observations(measure)
        assert set(rows[rows["source"] == "demo-generator"]["status"]) == {"demo"}
        assert set(rows[rows["status"] == "demo"]["source"]) == {"demo-generator"}


def test_demo_covers_every_quarter_district_and_care_group(backend_repo):
    rows = backend_repo.observations("carers-supported")
    demo = rows[rows["status"] == "demo"]
    assert demo["period"].nunique() == 48
    assert demo["geography"].nunique() == 12
    assert demo["care_group"].nunique() == 13
    assert all(re.fullmatch(r"\d{4}-\d{2}-q[1-4]", p) for p in demo["period"].unique())


def test_init_db_twice_gives_identical_counts(backend_url):
    engine = make_engine(backend_url)
    first = init_db(engine, DATA_DIR, force=True)
    second = init_db(engine, DATA_DIR, force=True)
    third = init_db(engine, DATA_DIR)
    assert first.counts == second.counts == third.counts
    assert not third.changed
    with Session(engine) as session:
        assert table_counts(session) == first.counts
    engine.dispose()


SPLIT_MEASURES = (
    "short-break-hours",
    "crisis-referrals",
    "admissions-prevented",
    "failed-discharges-prevented",
)


@pytest.mark.parametrize("measure", SPLIT_MEASURES)
def test_demo_care_groups_add_up_to_every_all_groups_return(backend_repo, measure):
    rows = backend_repo.observations(measure)
    demo = rows[rows["status"] == "demo"].fillna({"category": ""})
    cell = ["period", "geography", "category"]
    totals = demo[demo["care_group"].isna()].set_index(cell)["value"]
    groups = demo[demo["care_group"].notna()]
    assert groups["care_group"].nunique() == 13
    summed = groups.groupby(cell)["value"].sum()
    assert len(totals) == 48 * 12 * (3 if measure == "short-break-hours" else 1)
    assert summed.reindex(totals.index).tolist() == totals.tolist()
    assert (groups["value"] >= 0).all() and (groups["value"] % 1 == 0).all()


@pytest.mark.parametrize(
    ("measure", "period", "category", "total"),
    [
        ("crisis-referrals", "2015-16", None, 895),
        ("crisis-referrals", "2016-17-h1", None, 139),
        ("admissions-prevented", "2015-16", None, 613),
        ("admissions-prevented", "2016-17-h1", None, 68),
        ("failed-discharges-prevented", "2016-17-h1", None, 10),
        ("short-break-hours", "2015-16", None, 25_000),
        ("short-break-hours", "2015-16", "health appointments", 1_974),
    ],
)
def test_demo_care_groups_add_up_to_the_published_totals(
    backend_repo, measure, period, category, total
):
    rows = _demo_window(backend_repo.observations(measure), period, category)
    assert rows[rows["care_group"].notna()]["value"].sum() == total


def test_demo_dementia_crisis_referrals_are_the_published_share(backend_repo):
    rows = _demo_window(backend_repo.observations("crisis-referrals"), "2015-16", None)
    groups = rows[rows["care_group"].notna()]
    dementia = groups[groups["care_group"] == "dementia"]["value"].sum()
    assert groups["value"].sum() == 895 and round(100 * dementia / 895) == 68


def test_demo_care_group_unsocial_shares_weight_to_the_all_groups_share(backend_repo):
    cell = ["period", "geography", "category"]
    hours = backend_repo.observations("short-break-hours")
    hours = hours[hours["status"] == "demo"].fillna({"care_group": ""})
    shares = backend_repo.observations("unsocial-hours-share")
    shares = shares[shares["status"] == "demo"].fillna({"care_group": ""})
    joined = shares.merge(hours[[*cell, "care_group", "value"]], on=[*cell, "care_group"])
    joined = joined.assign(unsocial=joined["value_x"] * joined["value_y"])
    groups = joined[joined["care_group"] != ""].groupby(cell)[["unsocial", "value_y"]].sum()
    totals = joined[joined["care_group"] == ""].set_index(cell)["value_x"]
    weighted = (groups["unsocial"] / groups["value_y"]).reindex(totals.index)
    assert weighted.to_numpy() == pytest.approx(totals.to_numpy(), abs=1e-6)
    assert shares["value"].between(0, 100).all()


def test_demo_care_group_split_is_deterministic():
    seed_data = read_seed_data(DATA_DIR)
    first, second = demo.generate(seed_data), demo.generate(seed_data)
    pd.testing.assert_frame_equal(first.observations, second.observations)
    split = first.observations[
        (first.observations["provider"] == demo.SHORT_BREAK_PROVIDER)
        & (first.observations["care_group"] != "")
    ]
    assert set(split["measure"]) == {"crisis-referrals", "unsocial-hours-share", *SPLIT_MEASURES}
