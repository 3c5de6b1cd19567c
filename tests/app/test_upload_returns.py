"""The upload page: refused files list their problems, unusual values ask for confirmation of
exactly the file that was checked."""

from __future__ import annotations

import io
import re

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


def _upload(client, data: bytes, **form) -> str:
    fields = {"csrf_token": _token(client, "/upload"), **form}
    fields["return_file"] = (io.BytesIO(data), "return.csv")
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
