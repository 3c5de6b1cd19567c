"""Report images rendered by kaleido with Debian's Chromium, the meeting pack and its command."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard import rendering, theme
from dashboard.config import PROJECT_ROOT
from dashboard.exports import (
    DEMO_MARK,
    PRESETS,
    ExportInfo,
    describe_chart,
    export_figure,
    export_filename,
)
from dashboard.filters import Filters
from dashboard.meeting_pack import build_pack, pack_charts, pack_downloads

INFO = ExportInfo(
    link="http://127.0.0.1:8050/funding?locality=thanet-dover",
    data_version="v1",
    made=date(2026, 12, 3),
)


@pytest.fixture(scope="module")
def funding_specs(repo):
    theme.register_template()
    filters = Filters(locality="thanet-dover")
    specs = {spec.key: spec for _page, spec in pack_charts(repo, filters, ["funding"])}
    with rendering.warm_renderer():
        yield specs


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _svg_text(svg: bytes) -> str:
    text = " ".join(re.findall(r">([^<>]+)</", svg.decode()))
    return text.replace("&amp;", "&").replace("&#39;", "'").replace("\u00a0", " ")


@pytest.mark.parametrize("preset", ["slide", "report"])
def test_png_has_the_preset_width_and_slides_their_height(funding_specs, preset):
    spec = funding_specs["funding-nhs-share"]
    image = rendering.render(export_figure(spec, INFO, PRESETS[preset]), "png", PRESETS[preset])
    width, height = _png_size(image)
    if preset == "slide":
        assert (width, height) == (1920, 1080)
    else:
        assert width == 2008
        assert height >= PRESETS["report"].height * 2


def test_svg_carries_title_filters_footer_and_demo_mark(funding_specs):
    for spec in funding_specs.values():
        svg = rendering.render(
            export_figure(spec, INFO, PRESETS["report"]), "svg", PRESETS["report"]
        )
        text = _svg_text(svg)
        assert spec.title.split()[0] in text
        assert "Thanet & Dover" in text
        assert "all care groups" in text
        assert "Data version v1" in text
        assert INFO.link in text
        assert (DEMO_MARK in text) == spec.has_demo, spec.key


def test_demo_mark_absent_from_a_published_only_chart(repo):
    theme.register_template()
    # 2016/17 is the published allocation year (without a period, the latest, demo, year shows).
    published_year = Filters(period="2016-17")
    specs = {spec.key: spec for _page, spec in pack_charts(repo, published_year, ["funding"])}
    published = specs["funding-nhs-share"]
    assert published.statuses == ("published",)
    with rendering.warm_renderer():
        svg = rendering.render(
            export_figure(published, INFO, PRESETS["slide"]), "svg", PRESETS["slide"]
        )
    assert DEMO_MARK not in _svg_text(svg)
    assert "Status: Published" in _svg_text(svg)


def test_meeting_pack_pdf_has_a_cover_and_a_page_per_chart(repo, tmp_path):
    theme.register_template()
    filters = Filters(locality="thanet-dover")
    result = build_pack(
        repo, filters, tmp_path, base_url="http://127.0.0.1:8050", pages=["funding"]
    )
    charts = [spec for _p, spec in pack_charts(repo, filters, ["funding"]) if spec.figure]
    assert result.charts == len(charts) == 4
    pages = [page.extract_text() for page in PdfReader(result.pdf).pages]
    assert "meeting pack" in pages[0]
    assert "Filters: Thanet & Dover · all care groups" in pages[0]
    assert f"Data version {repo.data_version()}" in pages[0]
    for spec in charts:
        starts = [
            i for i, text in enumerate(pages[1:], 1) if f"\nFunding: {spec.title[:30]}" in text
        ]
        assert len(starts) == 1, spec.title
        page_text = pages[starts[0]].replace("\n", " ")
        assert "Source:" in page_text
        assert spec.sources[0][:30] in page_text
        assert "Description:" in page_text
        # The decisions and contract events the chart marks are printed under it.
        for line in spec.events:
            assert line[:60] in page_text, spec.title
    assert any(spec.events for spec in charts)
    assert all(f"Page {n}" in text for n, text in enumerate(pages, start=1))
    with zipfile.ZipFile(result.zip) as archive:
        names = archive.namelist()
    assert sorted(names) == sorted(export_filename(spec, filters, "png") for spec in charts)
    assert all("_thanet-dover_all-care-groups_" in name for name in names)


def test_the_pack_carries_the_data_quality_lists_as_tables(repo, tmp_path):
    # Most data-quality cards are a table alone: the late returns, the sources and the flagged
    # inconsistencies of the published figures are in the pack, each on a page of its own.
    theme.register_template()
    result = build_pack(repo, Filters(), tmp_path, base_url="http://127.0.0.1:8050", pages=["data"])
    specs = [spec for _p, spec in pack_charts(repo, Filters(), ["data"]) if not spec.unavailable]
    tables = [spec for spec in specs if spec.figure is None]
    assert len(tables) >= 3 and result.charts == len(specs)
    pages = [page.extract_text().replace("\n", " ") for page in PdfReader(result.pdf).pages]
    assert "Pages: Data quality." in pages[0]
    for spec in tables:
        starts = [text for text in pages[1:] if f"Data quality: {spec.title[:30]}" in text]
        assert len(starts) == 1, spec.title
        first_row = spec.table.iloc[0]
        first_cell = spec.columns[0].show(first_row[spec.columns[0].key])
        assert first_cell[:25] in starts[0], spec.title
        assert "Description:" not in starts[0]  # no chart to describe
        assert (DEMO_MARK in starts[0]) == spec.has_demo, spec.title
        assert "Reopen this view: http://127.0.0.1:8050/data" in starts[0]
    assert any(spec.has_demo for spec in tables)
    with zipfile.ZipFile(result.zip) as archive:
        names = archive.namelist()
    assert sorted(names) == sorted(
        export_filename(spec, Filters(), "png") for spec in specs if spec.figure is not None
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["--pages", "funding"],
        ["--locality", "thanet-dover", "--period", "2016-17", "--pages", "targets"],
    ],
)
def test_export_pack_command_writes_the_pack(seeded_db_url, tmp_path, arguments):
    environment = {"DATABASE_URL": seeded_db_url, "PATH": "/usr/bin:/bin"}
    completed = subprocess.run(
        [sys.executable, "-m", "dashboard", "export-pack", "--out", str(tmp_path), *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    pdfs, zips = list(tmp_path.glob("*.pdf")), list(tmp_path.glob("*.zip"))
    assert len(pdfs) == len(zips) == 1
    reader = PdfReader(pdfs[0])
    with zipfile.ZipFile(zips[0]) as archive:
        images = archive.namelist()
    assert len(images) >= 1
    assert len(reader.pages) >= 1 + len(images)
    cover = reader.pages[0].extract_text()
    if "--locality" in arguments:
        assert pdfs[0].name == "meeting-pack_thanet-dover_all-care-groups_2016-17.pdf"
        assert "Thanet & Dover" in cover
    else:
        assert pdfs[0].name == "meeting-pack_kent_all-care-groups_latest.pdf"
        assert "Filters: Kent" in cover


def test_export_pack_command_rejects_an_unknown_page(seeded_db_url, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "dashboard", "export-pack", "--out", str(tmp_path), "--pages", "x"],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": seeded_db_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "unknown page 'x'" in completed.stderr
    assert not list(Path(tmp_path).iterdir())


@pytest.mark.parametrize(
    ("page", "key", "label_column", "value_column"),
    [
        ("reach", "reach-ranking", "name", "reach"),
        ("reach", "reach-funnel", "name", "reach"),
        ("investment", "investment-per-head", "name", "per_head"),
        ("funding", "funding-split", "name", "combined"),
    ],
)
def test_alt_text_names_the_highest_and_lowest_of_the_charted_measure(
    repo, page, key, label_column, value_column
):
    theme.register_template()
    spec = next(s for _p, s in pack_charts(repo, Filters(), [page]) if s.key == key)
    table = spec.table
    names = table[label_column].astype(str)
    shown = table[~names.str.match(r"(Kent|Total)")]
    values = shown[value_column].astype(float)
    text = describe_chart(spec)
    assert f"highest {shown.loc[values.idxmax(), label_column]} (" in text
    assert f"lowest {shown.loc[values.idxmin(), label_column]} (" in text
    assert spec.alt_text in text
    assert "Shown for Kent · all care groups" in text
    kent_rows = table[names == "Kent"]
    if len(kent_rows):
        assert "; Kent " in text


def test_export_pack_command_names_a_browser_that_cannot_start_and_leaves_no_pack(
    seeded_db_url, tmp_path
):
    # /bin/false as the browser: it exits as soon as it starts. The command used to wait for ever.
    completed = subprocess.run(
        [sys.executable, "-m", "dashboard", "export-pack", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": seeded_db_url, "PATH": "/usr/bin:/bin", "BROWSER_PATH": "/bin/false"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stderr.strip().endswith(
        "error: the meeting pack could not be made: "
        "the browser that draws images could not start (BrowserFailedError)"
    )
    assert not list(Path(tmp_path).iterdir())


def test_the_pages_pack_says_why_it_could_not_be_made(repo, monkeypatch):
    def unavailable(*_args):
        raise rendering.RenderingUnavailable("the browser that draws images did not answer")

    monkeypatch.setattr(rendering, "render", unavailable)
    made = pack_downloads(repo, Filters(), "http://127.0.0.1:8050/funding?care_group=dementia")
    assert (made.pdf, made.zip) == (None, None)
    assert made.message == (
        "The meeting pack could not be made: the browser that draws images did not answer. "
        "Nothing is wrong with the data; try again in a minute."
    )
