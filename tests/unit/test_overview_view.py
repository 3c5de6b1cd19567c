"""The overview's headline lines, from their trend."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.callbacks import overview as overview_callbacks
from dashboard.components.cards import sparkline_figure, trend_table
from dashboard.disclosure import SUPPRESSED_TEXT
from dashboard.filters import Filters
from dashboard.rules import Resolved
from dashboard.views.overview import Headline, change_text, reach_headline


def _trend(previous: float, current: float, statuses=("demo", "demo")) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2023-24", "2024-25"],
            "label": ["2023/24", "2024/25"],
            "value": [previous, current],
            "status": list(statuses),
        }
    )


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (15_630, 15_679, "+0.3% on 2023/24"),  # it read "0% on 2023/24", as if unchanged
        (15_679, 15_630, "−0.3% on 2023/24"),
        (1_000, 1_000, "0% on 2023/24"),
        (1_000, 1_120, "+12% on 2023/24"),
        (1_000, 1_006, "+1% on 2023/24"),
    ],
)
def test_the_change_on_last_year_says_a_small_change_is_one(previous, current, expected):
    assert change_text(_trend(previous, current), "2024-25") == expected


# Found by a review: with a locality and a care group the overview showed "Emergency admissions
# prevented: 1" and a trend of 1, 3, 2, 3, where /short-breaks showed "<5", as the README
# promises everywhere.
SMALL_SELECTIONS = [
    {"scheme": "east-west", "locality": "west-kent", "care_group": "learning-disability"},
    {"locality": "thanet-dover", "care_group": "substance-misuse", "period": "2024-25-q1"},
]
PEOPLE_CARDS = ("reach", "admissions-prevented")
SMALL_TEXTS = {"1", "2", "3", "4"}


@pytest.mark.parametrize("selection", SMALL_SELECTIONS, ids=["west-kent", "thanet-dover"])
def test_the_overview_shows_no_count_of_people_under_5(repo, selection):
    headlines = {h.key: h for h in overview_callbacks.build_headlines(repo, Filters(**selection))}
    hidden = 0
    for key in PEOPLE_CARDS:
        headline = headlines[key]
        assert headline.value_text not in SMALL_TEXTS
        if headline.value_text == SUPPRESSED_TEXT:
            hidden += 1
            assert headline.change_text == ""
        sparkline = sparkline_figure(headline)
        assert not [
            a.text
            for a in sparkline.layout.annotations
            if a.text[-2:] in {": 1", ": 2", ": 3", ": 4"}
        ]
        cells = [
            cell.children
            for row in trend_table(headline).children[2].children
            for cell in row.children[1:2]
        ]
        assert not SMALL_TEXTS & set(cells)
        hidden += cells.count(SUPPRESSED_TEXT)
    assert hidden, "the selection was chosen for its small counts: it must hide some"


@pytest.mark.parametrize(
    ("supported", "expected"),
    [
        (11_000.0, "Reach rate 8.1% of Census 2021 carers"),
        # Found by an attack: care groups added up past the Census carers read "145.3%".
        (197_434.0, "Reach rate not shown: more carers supported than Census 2021 carers"),
    ],
)
def test_a_reach_above_all_carers_is_told_as_a_data_problem_not_a_rate(supported, expected):
    card = Headline(
        key="reach",
        title="Carers supported by services",
        value_text=f"{supported:,.0f}",
        status="demo",
        period_label="2024/25",
        citation="Demo",
    )
    headline = reach_headline(
        card, Resolved(135_900.0), Resolved(supported, status="demo"), {}, "year"
    )
    assert headline.detail.startswith(expected)


def test_a_chosen_years_point_is_ringed_and_written_on_the_sparkline_apart_from_the_ends(repo):
    # Found by a review: a slide of 2022/23 showed "2024/25: £1.82m" beside the card's £1.79m,
    # with nothing saying which point the card's figure was.
    headlines = overview_callbacks.build_headlines(repo, Filters(period="2022-23"))
    for headline in headlines:
        if headline.trend is None or len(headline.trend) < 2:
            continue
        assert headline.chosen_year == "2022-23"
        sparkline = sparkline_figure(headline)
        texts = {a.text.split(":")[0]: a for a in sparkline.layout.annotations}
        assert "2022/23" in texts, headline.key
        ring = [t for t in sparkline.data if t.marker.symbol == "circle-open"]
        assert [list(t.x) for t in ring] == [["2022/23"]], headline.key
        assert texts["2022/23"].yanchor != texts["2024/25"].yanchor, headline.key
    plain = overview_callbacks.build_headlines(repo, Filters())
    assert all(not headline.chosen_year for headline in plain)
