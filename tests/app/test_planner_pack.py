"""The planner in the meeting pack: the scenario of the address the pack was made from, stated in
words on every chart image and page, and in each chart's reopen link."""

from __future__ import annotations

from pypdf import PdfReader

from dashboard import theme
from dashboard.filters import Filters
from dashboard.meeting_pack import build_pack


def test_the_pack_carries_the_planner_scenario_from_the_address(repo, tmp_path):
    theme.register_template()
    query = "formula=mix&uplift=50&budget=8m&phase=50"
    result = build_pack(
        repo,
        Filters(),
        tmp_path,
        base_url="http://127.0.0.1:8050",
        pages=["planner"],
        view_query=query,
    )
    assert result.charts == 5  # district, locality, sensitivity, path, hours of caring
    text = " ".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    text = " ".join(text.split())
    assert "raised by up to 50% for deprivation" in text
    assert "£8m (a budget set in the planner)" in text
    assert "50% of the remaining gap a year" in text
    link = "http://127.0.0.1:8050/planner?budget=8m&formula=mix&uplift=50&phase=50"
    assert text.count(f"Reopen this view: {link}") == result.charts


def test_without_a_scenario_the_pack_uses_the_default_formula(repo, tmp_path):
    theme.register_template()
    result = build_pack(
        repo, Filters(), tmp_path, base_url="http://x", pages=["planner"], view_query="per=x"
    )
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(result.pdf).pages).split())
    assert "in proportion to each district's unpaid carers" in text
    assert "(the year's district allocations, carers' direct payments included)" in text
