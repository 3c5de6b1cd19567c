"""Decisions and contract events: checking input, which charts mark which events, the markers
themselves, and the Decisions list with its CSV. Pure functions on the seeded reference data."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import events
from dashboard.charts import to_csv
from dashboard.data_dates import DataDates
from dashboard.exports import PRESETS, ExportInfo, csv_header, export_figure, footer_lines
from dashboard.figures.common import EVENT_LINE_GAP, mark_events
from dashboard.filters import Filters
from dashboard.theme import EVENT_MARKER
from dashboard.views import decisions, funding, short_breaks, targets
from dashboard.views.common import ViewContext

CHOICES = events.EventChoices(
    service_lines={"cas": "CAS", "short-breaks-contracted": "Short breaks"},
    localities={"east-kent": "East Kent", "west-kent": "West Kent"},
    sources=frozenset({"kcc-cabinet-committee-2016"}),
)


def event_rows(*rows: dict) -> pd.DataFrame:
    """An events frame as the repository returns it, from a few fields per event."""
    defaults = {
        "kind": "jcg-decision",
        "description": "",
        "service_lines": None,
        "localities": None,
        "paper_url": "",
        "source": None,
        "citation": "JCG minutes",
        "status": "recorded",
        "created_by": "editor1",
        "created_at": datetime(2026, 1, 1),
        "updated_by": None,
        "updated_at": None,
    }
    records = [
        {**defaults, "id": index + 1, **row, "event_date": pd.Timestamp(row["event_date"])}
        for index, row in enumerate(rows)
    ]
    return pd.DataFrame(records, columns=events.EVENT_COLUMNS)


def context(repo, frame: pd.DataFrame, **filters) -> ViewContext:
    return ViewContext(Filters(**filters), repo.reference(), DataDates(), frame)


def test_a_valid_form_gives_the_values_to_store():
    values, errors = events.check_event(
        {
            "event_date": "2024-04-01",
            "kind": "contract-start",
            "title": "  New   CAS contract ",
            "service_lines": ["cas", "cas"],
            "localities": [],
            "paper_url": "https://example.org/paper.pdf",
            "citation": "JCG 12 March 2024, item 5",
            "source": "",
        },
        CHOICES,
    )
    assert errors == {}
    assert values["event_date"] == date(2024, 4, 1)
    assert values["title"] == "New CAS contract"
    assert values["service_lines"] == "cas" and values["localities"] is None
    assert values["source"] is None


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("event_date", "1999-12-31", "Date: give a date between 2000 and 2100"),
        ("event_date", "", "Date: give the date as YYYY-MM-DD"),
        ("paper_url", "https://example.org/a paper", "Link to the decision paper"),
        ("paper_url", "ftp://example.org/paper", "Link to the decision paper"),
        ("title", "x" * 201, "Title: at most 200 characters"),
        ("localities", ["east-kent", "nowhere"], "Localities: unknown 'nowhere'"),
        # Found by a review: a NUL went to every visitor as \u0000, and contact details typed
        # into an event were shown on /decisions.
        ("title", "New\x00 contract", "Title: it holds control characters"),
        ("description", "Ask jo.bloggs@kent.gov.uk", "Description: take out the e-mail address"),
        ("citation", "Minutes; call 03000 41 41 41", "Source or citation: take out the e-mail"),
        ("description", "Call +44 1622 123456 first", "Description: take out the e-mail"),
        # Found by an attack: an address Python cannot take apart answered 500, and marks
        # that reorder text or C1 controls were stored.
        ("paper_url", "http://[::1", "Link to the decision paper"),
        ("title", "Contract \u202eseussi", "Title: it holds control characters"),
        ("description", "Paper\x9b2J", "Description: it holds control characters"),
    ],
)
def test_each_problem_is_reported_against_its_field(field, value, words):
    form = {
        "event_date": "2024-04-01",
        "kind": "contract-start",
        "title": "A title",
        "citation": "Minutes",
        field: value,
    }
    _, errors = events.check_event(form, CHOICES)
    assert list(errors) == [field]
    assert errors[field].startswith(words)


def test_events_concern_their_service_lines_and_places_and_all_when_none_are_named(repo):
    shares = repo.reference().shares
    frame = event_rows(
        {"event_date": "2015-05-01", "title": "everything"},
        {"event_date": "2015-05-01", "title": "cas", "service_lines": "cas"},
        {"event_date": "2015-05-01", "title": "east", "localities": "east-kent"},
    )
    thanet_dover = frozenset(
        shares.loc[shares["locality"] == "thanet-dover", "district_code"].unique()
    )
    west = frozenset(shares.loc[shares["locality"] == "west-kent", "district_code"].unique())

    def titles(lines, districts) -> list[str]:
        return list(events.concerning(frame, lines, districts, shares)["title"])

    assert titles(["short-breaks-contracted"], None) == ["everything", "east"]
    assert titles(["cas"], None) == ["everything", "cas", "east"]
    # East Kent (east-west scheme) covers Thanet and Dover (cas-2013 scheme), not West Kent.
    assert titles(None, thanet_dover) == ["everything", "cas", "east"]
    assert titles(None, west) == ["everything", "cas"]


def test_markers_sit_on_the_period_holding_the_date_and_share_it():
    frame = event_rows(
        {"event_date": "2015-04-01", "title": "A", "kind": "policy-change"},
        {"event_date": "2016-03-31", "title": "B", "kind": "contract-end"},
        {"event_date": "2030-01-01", "title": "Later"},
    )
    categories = [
        ("2014/15", date(2014, 4, 1), date(2015, 3, 31)),
        ("2015/16", date(2015, 4, 1), date(2016, 3, 31)),
    ]
    (marker,) = events.markers_on_categories(frame, categories)
    assert marker.x == "2015/16"
    assert marker.label == "Policy change · Contract end"
    assert "1 Apr 2015 · Policy change: A" in marker.hover and "Later" not in marker.hover


def test_a_title_is_written_as_text_in_a_charts_hover():
    # Plotly reads tags in hover text: a title holding a link and a style was drawn as them.
    frame = event_rows(
        {"event_date": "2015-04-01", "title": "<a href='https://x.example'>paper</a> & <b>"},
    )
    (marker,) = events.markers_on_categories(
        frame, [("2015/16", date(2015, 4, 1), date(2016, 3, 31))]
    )
    assert marker.hover.endswith(
        ": &lt;a href='https://x.example'&gt;paper&lt;/a&gt; &amp; &lt;b&gt;"
    )


def test_the_events_marked_are_listed_once_each_in_the_order_of_the_axis():
    frame = event_rows(
        {"event_date": "2016-01-10", "title": "Second"},
        {"event_date": "2015-06-01", "title": "First"},
        {"event_date": "2016-01-10", "title": "Same day"},
        {"event_date": "2030-01-01", "title": "Later"},
    )
    categories = [
        ("2015/16", date(2015, 4, 1), date(2016, 3, 31)),
        ("Q4", date(2016, 1, 1), date(2016, 3, 31)),  # overlaps the year: listed once
    ]
    shown = events.marked_on_categories(frame, categories)
    assert list(shown["title"]) == ["First", "Second", "Same day"]
    assert events.marked_on_categories(frame, [("Old", date(2001, 1, 1), date(2001, 12, 31))]).empty


def test_mark_events_draws_a_labelled_line_with_hover_and_keeps_the_traces():
    figure = go.Figure(go.Scatter(x=["2014/15", "2015/16"], y=[1, 2]))
    marker = events.EventMarker(x="2015/16", label="Contract end", hover="31 Mar 2016 · ...")
    marked = mark_events(figure, [marker])
    assert list(marked.data[0].y) == [1, 2]
    (line,) = marked.layout.shapes
    assert line.x0 == line.x1 == "2015/16" and line.line.color == EVENT_MARKER
    (label,) = marked.layout.annotations
    assert label.text == "▼ Contract end" and label.hovertext == "31 Mar 2016 · ..."


@pytest.mark.parametrize(
    "yaxis",
    [{}, {"range": [0, 30], "autorange": True}],
    ids=["no range", "a range Plotly ignores"],
)
def test_an_event_line_spans_the_plot_when_the_y_range_is_left_to_plotly(yaxis):
    figure = go.Figure(
        go.Bar(x=["Q1", "Q2"], y=[10, 20], text=["10", "20"], textposition="outside")
    )
    figure.layout.yaxis = yaxis
    marker = events.EventMarker(x="Q1", label="Policy", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    # Where a value lies in pixels is unknown without a fixed range: the line runs top to bottom.
    assert (line.yref, line.y0, line.y1) == ("paper", 0, 1)


def test_an_event_line_ignores_horizontal_bars_whose_x_values_are_amounts():
    figure = go.Figure(go.Bar(x=[10, 20], y=[0, 1], orientation="h"))  # rows 0 and 1
    figure.layout.yaxis.range = [-0.5, 1.5]
    marker = events.EventMarker(x=10, label="Policy", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    assert (line.yref, line.y0, line.y1) == ("paper", 0, 1)


def test_an_event_line_stops_above_the_value_written_on_the_bar_it_marks():
    figure = go.Figure(
        go.Bar(x=["Q1", "Q2"], y=[1292, 1376], text=["1,292", "1,376"], textposition="outside")
    )
    figure.layout.yaxis.range = [0, 1700]
    marker = events.EventMarker(x="Q1", label="Policy change", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    # Anchored at the bar's top, it starts above a line of text (12 px type) and runs up to the
    # top of the plot, where Plotly cuts it off.
    assert (line.yref, line.ysizemode, line.yanchor) == ("y", "pixel", 1292)
    assert 12 * 1.25 < line.y0 < 40 and line.y1 > 1000


def test_an_event_line_stops_above_the_whole_stack_and_the_total_written_over_it():
    figure = go.Figure(
        [
            go.Bar(x=["2016/17", "2017/18"], y=[18_000, 18_500]),
            go.Bar(x=["2016/17", "2017/18"], y=[7_000, 9_120]),
            go.Scatter(
                x=["2016/17", "2017/18"],
                y=[25_000, 27_620],
                mode="text",
                text=["25,000", "27,620"],
                textposition="top center",
            ),
        ]
    )
    figure.layout.update(barmode="stack", yaxis={"range": [0, 40_000]})
    bare = go.Figure([go.Bar(x=["2017/18"], y=[18_500]), go.Bar(x=["2017/18"], y=[9_120])])
    bare.layout.update(barmode="stack", yaxis={"range": [0, 40_000]})
    marker = events.EventMarker(x="2017/18", label="Contract end", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    (unwritten,) = mark_events(bare, [marker]).layout.shapes
    assert line.yanchor == unwritten.yanchor == 27_620
    assert line.y0 > unwritten.y0 + 12  # the total's line of text lies between


def test_an_event_line_stops_above_a_label_joined_to_the_point_it_marks():
    figure = go.Figure(go.Scatter(x=["2012/13", "2013/14"], y=[5.0, 6.5]))
    figure.layout.yaxis.range = [0, 8]
    marker = events.EventMarker(x="2013/14", label="Contract start", hover="")
    (plain,) = mark_events(go.Figure(figure), [marker]).layout.shapes
    figure.add_annotation(x="2013/14", y=6.5, text="£6.51m", showarrow=True, ax=0, ay=-30)
    (labelled,) = mark_events(figure, [marker]).layout.shapes
    assert plain.yanchor == labelled.yanchor == 6.5
    assert labelled.y0 >= plain.y0 + 30  # the label's leader reaches 30 px up, its text above


def test_an_event_line_crosses_a_control_limit_drawn_as_a_line_alone():
    # The control chart's upper limit runs above every quarter: were it counted, each event's
    # line would be a stub high above its point, or cut off at the top of the plot.
    quarters = ["Q1", "Q2", "Q3"]
    figure = go.Figure(
        [
            go.Scatter(x=quarters, y=[100, 140, 120], mode="lines+markers", marker={"size": 7}),
            go.Scatter(x=quarters, y=[300, 300, 300], mode="lines", name="Upper control limit"),
        ]
    )
    figure.layout.yaxis.range = [0, 346]
    (line,) = mark_events(
        figure, [events.EventMarker(x="Q2", label="Policy", hover="")]
    ).layout.shapes
    assert line.yanchor == 140 and line.y0 == pytest.approx(7 / 2 + EVENT_LINE_GAP)


def test_a_label_of_a_lower_point_lifts_an_event_line_only_as_high_as_it_reaches():
    # 2013/14 on the funding trend: a label 30 px above the lower series' point ends far below
    # the upper series' point, so the line still comes down to just above that point. (Taking
    # the highest value and the largest lift together had left a stub high above it.)
    years = ["2012/13", "2013/14"]
    figure = go.Figure(
        [
            go.Scatter(x=years, y=[5.6, 6.5], mode="lines+markers"),
            go.Scatter(x=years, y=[1.9, 2.1], mode="lines+markers"),
        ]
    )
    figure.layout.update(height=400, margin={"t": 50, "b": 100}, yaxis={"range": [0, 8]})
    figure.add_annotation(x="2013/14", y=2.1, text="£2.11m", showarrow=True, ax=0, ay=-30)
    marker = events.EventMarker(x="2013/14", label="Contract start", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    assert line.yanchor == 6.5 and line.y0 == pytest.approx(6 / 2 + EVENT_LINE_GAP)


def test_a_label_beside_its_point_leaves_the_event_line_down_to_the_point():
    # "£1.39m" written up and to the right of 2013/14: the line at 2013/14 passes it by, so it
    # comes down to the point (it had stopped above the label, a tick at the top of the plot).
    figure = go.Figure(go.Scatter(x=["2012/13", "2013/14"], y=[5.0, 6.5], mode="lines+markers"))
    figure.layout.yaxis.range = [0, 8]
    figure.add_annotation(x="2013/14", y=6.5, text="£1.39m", showarrow=True, ax=60, ay=-18)
    marker = events.EventMarker(x="2013/14", label="Contract start", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    assert line.yanchor == 6.5 and line.y0 == pytest.approx(6 / 2 + EVENT_LINE_GAP)


def test_an_event_line_over_a_negative_bar_starts_above_its_base_at_zero():
    figure = go.Figure(go.Bar(x=["2019/20", "2020/21"], y=[-5, 10]))
    figure.layout.yaxis.range = [-8, 12]
    marker = events.EventMarker(x="2019/20", label="Cut", hover="")
    (line,) = mark_events(figure, [marker]).layout.shapes
    assert line.yanchor == 0


def _labels(spec) -> list[str]:
    return [a.text for a in spec.figure.layout.annotations if a.name == "event"]


def test_funding_over_time_marks_events_of_its_service_lines_within_its_years(repo):
    frame = event_rows(
        {"event_date": "2016-06-01", "title": "CAS decision", "service_lines": "cas"},
        {"event_date": "2016-07-01", "title": "Payments", "service_lines": "direct-payments"},
        {"event_date": "2040-01-01", "title": "Far future"},
    )
    spec = funding.funding_over_time(repo.funding(), context(repo, frame))
    assert _labels(spec) == ["▼ JCG decision"]
    assert len(spec.events) == 1 and "CAS decision" in spec.events[0]
    assert "Recorded on screen (not published); JCG minutes" in spec.events[0]


def test_short_break_trends_mark_short_break_events_and_not_cas_ones(repo):
    frame = event_rows(
        {"event_date": "2016-06-01", "title": "Breaks", "service_lines": "short-breaks-contracted"},
        {"event_date": "2016-06-01", "title": "CAS only", "service_lines": "cas"},
    )
    observations = repo.observations
    ctx = context(repo, frame)
    unsocial = short_breaks.unsocial_share(
        observations("unsocial-hours-share"), observations("short-break-hours"), ctx
    )
    spc = short_breaks.crisis_spc(observations("crisis-referrals"), ctx)
    for spec in (unsocial, spc):
        assert _labels(spec) == ["▼ JCG decision"]
        assert any("Breaks" in line for line in spec.events)
        assert not any("CAS only" in line for line in spec.events)
    new_carers = targets.new_carers_quarterly(
        targets.TargetsData({"new-carers-identified": observations("new-carers-identified")}), ctx
    )
    assert _labels(new_carers) == ["▼ JCG decision"]
    assert [("CAS only" in line) for line in new_carers.events] == [True]


def test_an_event_for_one_locality_is_marked_only_where_it_applies(repo):
    frame = event_rows({"event_date": "2016-06-01", "title": "East", "localities": "east-kent"})
    east = context(repo, frame, locality="thanet-dover")
    west = context(repo, frame, locality="south-west-kent")
    kent = context(repo, frame)
    assert _labels(funding.funding_over_time(repo.funding(), east)) == ["▼ JCG decision"]
    assert _labels(funding.funding_over_time(repo.funding(), kent)) == ["▼ JCG decision"]
    assert _labels(funding.funding_over_time(repo.funding(), west)) == []
    assert funding.funding_over_time(repo.funding(), west).events == ()


def test_the_seeded_events_appear_on_the_charts_they_concern(repo):
    ctx = ViewContext.from_repo(repo, {})
    spec = funding.funding_over_time(repo.funding(), ctx)
    assert "▼ Contract start" in _labels(spec)
    assert any("Carers' Assessment and Support contracts start" in line for line in spec.events)


def test_the_decisions_list_filters_and_exports_csv_with_provenance(repo):
    frame = event_rows(
        {"event_date": "2016-06-01", "title": "=HYPERLINK(bad)", "service_lines": "cas"},
        {"event_date": "2019-02-01", "title": "West", "localities": "west-kent"},
        {
            "event_date": "2013-04-01",
            "title": "Published start",
            "kind": "contract-start",
            "status": "published",
            "source": "kcc-cas-contract-2013",
            "citation": "§3.1",
        },
    )
    ctx = context(repo, frame)
    everything = decisions.decisions_card(frame, decisions.event_filter(*["all"] * 3, "", ""), ctx)
    assert list(everything.table["title"]) == ["West", "=HYPERLINK(bad)", "Published start"]
    chosen = decisions.event_filter("all", "all", "thanet-dover", "2014-01-01", None)
    spec = decisions.decisions_card(frame, chosen, ctx)
    assert list(spec.table["title"]) == ["=HYPERLINK(bad)"]
    assert spec.title == "1 decision or contract event, 2016"
    text = csv_header(
        everything, ExportInfo("http://x/decisions", "v1", date(2026, 12, 3))
    ) + to_csv(everything)
    lines = text.splitlines()
    assert lines[0] == '"# 3 decisions and contract events, 2013 to 2019"'
    assert any(line.startswith('"# Source: KCC, Carers Assessment') for line in lines)
    assert (
        '"# Status: Published · Period: 1 Apr 2013 to 1 Feb 2019 · Data version v1 · '
        'Exported 3 Dec 2026"'
    ) in lines
    assert lines[5].startswith("Date,Kind,Title,Description,Service lines,Localities")
    assert "'=HYPERLINK(bad)" in text
    assert "2013-04-01,Contract start,Published start" in text
    assert "All service lines" in text and "West Kent (East Kent and West Kent)" in text
    assert "Recorded on screen (not published)" in text and ",Published," in text


def test_no_matching_events_says_so(repo):
    chosen = decisions.event_filter("policy-change", "all", "all", None, None)
    spec = decisions.decisions_card(event_rows(), chosen, context(repo, event_rows()))
    assert spec.unavailable == "No events match these filters."


def test_the_list_says_its_dates_in_words_and_why_reversed_ones_match_nothing(repo):
    # "the first to 2016-12-31" for a To date alone; and From after To answered only "No events
    # match these filters".
    ctx = context(repo, event_rows())
    up_to = decisions.event_filter("all", "all", "all", None, "2016-12-31")
    assert decisions.describe_filter(up_to, ctx).endswith(" · up to 2016-12-31")
    since = decisions.event_filter("all", "all", "all", "2014-01-01", None)
    assert decisions.describe_filter(since, ctx).endswith(" · from 2014-01-01")
    reversed_dates = decisions.event_filter("all", "all", "all", "2017-01-01", "2014-12-31")
    spec = decisions.decisions_card(event_rows(), reversed_dates, ctx)
    assert spec.unavailable == "No events: the From date is after the To date."


def test_the_list_says_the_care_group_and_period_chosen_do_not_narrow_it(repo):
    # The list ignored them without a word.
    chosen = decisions.event_filter("all", "all", "all", None, None)
    plain = decisions.describe_filter(chosen, context(repo, event_rows()))
    assert "care group" not in plain and "period" not in plain
    both = context(repo, event_rows(), care_group="dementia", period="2016-17")
    described = decisions.describe_filter(chosen, both)
    assert "every care group (events are not recorded by care group)" in described
    assert "the dates chosen here, not the period filter" in described


def test_exported_images_and_csv_carry_the_marked_events(repo):
    frame = event_rows({"event_date": "2016-06-01", "title": "Exported", "service_lines": "cas"})
    spec = funding.funding_over_time(repo.funding(), context(repo, frame))
    info = ExportInfo("http://x/funding", "v1", date(2026, 12, 3))
    exported = export_figure(spec, info, PRESETS["slide"])
    assert "▼ JCG decision" in [a.text for a in exported.layout.annotations]
    assert any("Exported" in line for line in footer_lines(spec, info))
    assert "Exported" in csv_header(spec, info)


@pytest.mark.parametrize(
    "words",
    [
        "Decision of 12 May 2016, item 4",
        "Contract 2013/14 to 2015/16, £2,421,291",
        "Line 1\nLine 2",
    ],
)
def test_ordinary_words_and_figures_are_not_taken_for_contact_details(words):
    form = {
        "event_date": "2024-04-01",
        "kind": "contract-start",
        "title": "A title",
        "citation": "Minutes",
        "description": words,
    }
    assert events.check_event(form, CHOICES)[1] == {}
