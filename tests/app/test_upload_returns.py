"""The upload page: refused files list their problems, unusual values ask for confirmation of
exactly the file that was checked."""

from __future__ import annotations

import io
import re
import tempfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.imports import file_hash
from tests.app.test_security import (  # noqa: F401 - fixtures
    _token,
    secure_app,
    sign_in,
    users_db_url,
)
from tests.unit.returns_corpus import csv_bytes


def _quarter(value: str, quarter: str, note: str = "") -> bytes:
    return csv_bytes([("Carers First", quarter, "Dartford", "", "carers-supported", value, note)])


def _upload(client, data: bytes, name: str = "return.csv", **form) -> str:
    fields = {"csrf_token": _token(client, "/upload"), **form}
    fields["return_file"] = (io.BytesIO(data), name)
    response = client.post("/upload", data=fields, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unusual_values_are_loaded_only_after_confirming_the_same_file(secure_app):  # noqa: F811
    client = secure_app.server.test_client()
    sign_in(client)
    assert "1 row for 1 provider return" in _upload(client, _quarter("120", "2024-25-q1"))
    unusual = _quarter("400", "2024-25-q2")
    page = _upload(client, unusual)
    assert "Not loaded yet: 1 unusual value to confirm" in page
    assert "400 is unusual: more than 3 times the provider&#39;s last return" in page
    shown_hash = re.search(r'name="confirmed_hash" value="([0-9a-f]{64})"', page).group(1)
    assert shown_hash == file_hash(unusual)
    other = _quarter("400", "2024-25-q2", note="changed")
    page = _upload(client, other, confirm_warnings="1", confirmed_hash=shown_hash)
    assert "Not loaded yet" in page  # a confirmation covers only the file that was checked
    page = _upload(client, unusual, confirm_warnings="1", confirmed_hash=shown_hash)
    assert "1 row for 1 provider return" in page and "Unusual values confirmed" in page


def test_a_notice_is_told_once_on_the_page_and_kept_in_the_audit(secure_app, users_db_url):  # noqa: F811
    # Found by an attack: "no sheet is named 'Return'" (any notice) was printed twice, in the
    # summary and in the list of notices.
    client = secure_app.server.test_client()
    sign_in(client)
    row = ("East Kent Carers Consortium", "2024-25-q1", "Shepway", "", "carers-supported", "9", "")
    data = csv_bytes([row])
    page = _upload(client, data, dry_run="1")
    notice = "Shepway mapped to Folkestone and Hythe (E07000112) on row 2"
    assert page.count(notice) == 1
    with Session(make_engine(users_db_url)) as session:
        message = session.scalars(
            select(models.ImportAttempt.message).order_by(models.ImportAttempt.id.desc())
        ).first()
    assert f"Note: {notice}" in message


def test_a_refused_file_shows_the_total_and_the_first_200_problems(secure_app):  # noqa: F811
    client = secure_app.server.test_client()
    sign_in(client)
    rows = [
        ("Carers First", "2024-25-q1", f"Nowhere {n}", "", "carers-supported", "1", "")
        for n in range(450)
    ]
    page = _upload(client, csv_bytes(rows))
    assert "Not loaded: 450 problems in return.csv" in page
    assert page.count("unknown district") == 200
    assert "and 250 more problems" in page


def _post_file(client, data: bytes, filename: str):
    """An upload encoded here, so that the test client spools no large body to a file it
    leaves open."""
    upload = FileStorage(io.BytesIO(data), filename=filename, content_type="text/csv")
    boundary, body = encode_multipart(
        {"csrf_token": _token(client, "/upload"), "return_file": upload}
    )
    return client.post(
        "/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_a_file_past_the_servers_limit_is_told_on_the_page_and_audited(secure_app, users_db_url):  # noqa: F811
    # It got a bare text 413 and no audit line; a file just over the limit was told "the file
    # is 10.0 MB; the limit is 10.0 MB".
    client = secure_app.server.test_client()
    sign_in(client)
    huge = b"x" * (secure_app.server.config["MAX_CONTENT_LENGTH"] + 1)
    response = _post_file(client, huge, "big.csv")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Upload a monitoring return" in page and "larger than the 10 MB limit" in page
    engine = make_engine(users_db_url)
    with Session(engine) as session:
        last = session.scalars(
            select(models.ImportAttempt).order_by(models.ImportAttempt.id.desc())
        ).first()
    engine.dispose()
    assert (last.filename, last.result) == ("(not read)", "rejected")
    response = _post_file(client, b"a" * (10 * 1024 * 1024 + 1), "return.csv")
    assert response.status_code == 200
    assert "the file is over the 10.0 MB limit (10,485,760 bytes)" in response.get_data(
        as_text=True
    )


def test_the_templates_download_and_leave_no_file_behind(
    secure_app,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    # Found by an attack: each template download left a folder in the server's /tmp.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client = secure_app.server.test_client()
    sign_in(client)
    workbook = client.get("/upload/template.xlsx")
    assert workbook.status_code == 200 and workbook.data.startswith(b"PK")
    assert "monitoring-return-template.xlsx" in workbook.headers["Content-Disposition"]
    text = client.get("/upload/template.csv")
    assert text.status_code == 200 and b"provider,period,district" in text.data
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("sent", "told"),
    [("/", "unnamed file"), ("../../q1.csv", "q1.csv"), ("returns/q1.csv", "q1.csv")],
)
def test_an_uploaded_files_name_is_its_own_without_folders(secure_app, sent, told):  # noqa: F811
    # Found by an attack: a file sent as "/" was loaded and audited with no name ("Loaded : 1").
    client = secure_app.server.test_client()
    sign_in(client)
    page = _upload(client, _quarter("120", "2024-25-q1"), name=sent)
    assert f"Loaded {told}: 1 row" in page
