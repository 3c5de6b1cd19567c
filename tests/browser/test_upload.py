"""Uploading a return in the browser: sign in, check, load, and see the result."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import format_violations, run_axe, served_with_account
from tests.unit.returns_corpus import GOOD_ROWS, csv_bytes, with_cell

PASSWORD = "a long enough password"


@pytest.fixture
def upload_server(fresh_db_url, boundaries_path):
    with served_with_account(
        fresh_db_url, boundaries_path, "uploader1", PASSWORD, "uploader"
    ) as url:
        yield url


@pytest.mark.browser
def test_sign_in_and_upload_a_return(browser, upload_server, tmp_path):
    context = browser.new_context(base_url=upload_server)
    page = context.new_page()
    page.goto("/upload")
    expect(page).to_have_url(f"{upload_server}/login?next=/upload")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    page.get_by_label("User name").fill("uploader1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{upload_server}/upload")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    good = tmp_path / "return.csv"
    good.write_bytes(csv_bytes(GOOD_ROWS))
    page.get_by_label("Return file").set_input_files(str(good))
    page.get_by_label("Check only").check()
    page.get_by_role("button", name="Check and load").click()
    expect(page.get_by_role("status")).to_contain_text("nothing loaded")
    page.get_by_label("Return file").set_input_files(str(good))
    page.get_by_role("button", name="Check and load").click()
    expect(page.get_by_role("status")).to_contain_text("4 rows for 1 provider return")

    bad = tmp_path / "bad.csv"
    rows = [list(row) for row in GOOD_ROWS]
    rows[2][2] = "Atlantis"
    bad.write_bytes(csv_bytes(rows))
    page.get_by_label("Return file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and load").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Not loaded")
    expect(alert).to_contain_text("row 4, column district")

    unusual = tmp_path / "q2.csv"
    unusual.write_bytes(
        csv_bytes([with_cell(with_cell(GOOD_ROWS[0], "period", "2024-25-q2"), "value", "400")])
    )
    page.get_by_label("Return file").set_input_files(str(unusual))
    page.get_by_role("button", name="Check and load").click()
    query = page.get_by_role("alert")
    expect(query).to_contain_text("Not loaded yet: 1 unusual value to confirm")
    expect(query).to_contain_text("400 is unusual: more than 3 times")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    page.get_by_label("The same file").set_input_files(str(unusual))
    page.get_by_label("I have checked the unusual values").check()
    page.get_by_role("button", name="Load with these values").click()
    expect(page.get_by_role("status")).to_contain_text("1 row for 1 provider return")

    page.goto("/data")
    expect(page.locator("#data-quality")).to_contain_text("Provider monitoring returns (imported)")
    expect(page.locator("#data-quality")).to_contain_text("expected returns received")
    context.close()
