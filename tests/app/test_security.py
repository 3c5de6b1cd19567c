"""Sign-in, roles, CSRF, secure cookies and headers, through the Flask test client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import create_app
from dashboard.config import Settings
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.security import create_user

PASSWORD = "correct horse battery staple"


@pytest.fixture
def secure_app(fresh_db_url, boundaries_path):
    engine = make_engine(fresh_db_url)
    create_user(engine, "uploader1", PASSWORD, "uploader")
    create_user(engine, "viewer1", PASSWORD, "viewer")
    engine.dispose()
    settings = Settings(
        database_url=fresh_db_url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key="test-secret",
    )
    return create_app(settings)


def _token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, username="uploader1", password=PASSWORD):
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": _token(client),
            "next": "/upload",
        },
    )


def test_security_headers_are_set(client):
    response = client.get("/health")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_upload_needs_sign_in(secure_app):
    client = secure_app.server.test_client()
    response = client.get("/upload")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/upload")


def test_upload_needs_the_uploader_role(secure_app):
    client = secure_app.server.test_client()
    assert sign_in(client, "viewer1").status_code == 302
    assert client.get("/upload").status_code == 403


def test_wrong_password_is_refused_without_saying_which_part(secure_app):
    client = secure_app.server.test_client()
    response = sign_in(client, password="not the password at all")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.get_data(as_text=True)
    response = sign_in(client, username="nobody")
    assert response.status_code == 401


def test_signing_in_sets_a_protected_session_cookie(secure_app):
    client = secure_app.server.test_client()
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/upload"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/upload").status_code == 200


def test_forms_without_the_csrf_token_are_refused(secure_app):
    client = secure_app.server.test_client()
    response = client.post("/login", data={"username": "uploader1", "password": PASSWORD})
    assert response.status_code == 400
    sign_in(client)
    response = client.post("/upload", data={"dry_run": "1"})
    assert response.status_code == 400


def test_passwords_are_stored_only_as_hashes(secure_app, fresh_db_url):
    engine = make_engine(fresh_db_url)
    with Session(engine) as session:
        hashes = session.scalars(select(models.UserAccount.password_hash)).all()
    engine.dispose()
    assert all(PASSWORD not in h and h.startswith("scrypt:") for h in hashes)


def test_signed_in_dash_callbacks_need_the_csrf_header(secure_app):
    client = secure_app.server.test_client()
    sign_in(client)
    filters = {"scheme": "cas-2013", "locality": None, "care_group": None, "period": None}
    body = {
        "output": "funding-charts.children",
        "outputs": {"id": "funding-charts", "property": "children"},
        "inputs": [{"id": "filter-state", "property": "data", "value": filters}],
        "changedPropIds": ["filter-state.data"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    token = client.get_cookie("_csrf_token").value
    response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_the_dashboard_can_require_sign_in(fresh_db_url, boundaries_path):
    settings = Settings(
        database_url=fresh_db_url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key="k",
        require_login=True,
    )
    client = create_app(settings).server.test_client()
    assert client.get("/").status_code == 302
    assert client.get("/health").status_code == 200
    assert client.post("/_dash-update-component", json={}).status_code == 401
