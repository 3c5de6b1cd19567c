"""Sign-in, sessions, roles, CSRF, rate limits, redirects, open paths and headers.

Through the Flask test client. One app per module holds the accounts; tests that change an
account create their own, and every client gets its own address, so the sign-in rate limits of
one test never reach another.
"""

from __future__ import annotations

import itertools
import re
import shutil
from datetime import datetime, timedelta

import pytest
from limits import parse as parse_limit
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import accounts, ids
from dashboard.accounts import create_user
from dashboard.application import create_app
from dashboard.config import Settings
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.security import (
    FAILED_SIGN_INS_PER_ACCOUNT,
    FAILED_SIGN_INS_PER_ADDRESS,
    safe_next_path,
)
from tests.support.callbacks import cards_request

PASSWORD = "correct horse battery staple"
SECRET = "a test secret key that is long enough"
SHELL_MARKER = "_dash-renderer"
_addresses = (f"10.1.{n // 250}.{n % 250 + 1}" for n in itertools.count())
_names = (f"person {n}" for n in itertools.count())


def _settings(url: str, **overrides) -> Settings:
    return Settings(database_url=url, environment="test", secret_key=SECRET, **overrides)


@pytest.fixture(scope="module")
def users_db_url(seeded_db_url, tmp_path_factory):
    """A copy of the seeded database with one account of each role."""
    target = tmp_path_factory.mktemp("security") / "users.sqlite"
    shutil.copyfile(seeded_db_url.removeprefix("sqlite:///"), target)
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    for username, role in (("uploader1", "uploader"), ("viewer1", "viewer"), ("admin1", "admin")):
        create_user(engine, username, PASSWORD, role)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def engine(users_db_url):
    engine = make_engine(users_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def secure_app(users_db_url):
    return create_app(_settings(users_db_url))


@pytest.fixture(scope="module")
def login_required_app(users_db_url):
    return create_app(_settings(users_db_url, require_login=True))


def new_client(app):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = next(_addresses)
    return client


@pytest.fixture
def client(secure_app):
    return new_client(secure_app)


def new_account(engine, role="uploader") -> str:
    return create_user(engine, next(_names), PASSWORD, role).username


def _token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, username="uploader1", password=PASSWORD, next_path="/upload"):
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": _token(client),
            "next": next_path,
        },
    )


def sign_out(client):
    return client.post("/logout", data={"csrf_token": _token(client, "/upload")})


# A real callback of a public page: what a browser posts when the filters change.
DEFAULT_FILTERS = {"scheme": "cas-2013", "locality": None, "care_group": None, "period": None}
FUNDING_CALLBACK = cards_request(
    (ids.FUNDING_SPLIT_CHARTS, ids.FUNDING_FLOW), "funding", DEFAULT_FILTERS
)


def post_callback(client, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post("/_dash-update-component", json=FUNDING_CALLBACK, headers=headers)


def test_security_headers_are_set(client):
    response = client.get("/health")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_upload_needs_sign_in(client):
    response = client.get("/upload")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/upload")


def test_upload_needs_the_uploader_role(client):
    assert sign_in(client, "viewer1").status_code == 302
    assert client.get("/upload").status_code == 403


def test_wrong_password_is_refused_without_saying_which_part(client):
    response = sign_in(client, password="not the password at all")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.get_data(as_text=True)
    response = sign_in(client, username="nobody")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.get_data(as_text=True)


def test_user_names_are_matched_in_their_normal_form(client):
    assert sign_in(client, "  UPLOADER1 ").headers["Location"] == "/upload"


def test_signing_in_sets_a_protected_session_cookie(client):
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/upload"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/upload").status_code == 200


def test_forms_without_the_csrf_token_are_refused(client):
    response = client.post("/login", data={"username": "uploader1", "password": PASSWORD})
    assert response.status_code == 400
    sign_in(client)
    assert client.post("/upload", data={"dry_run": "1"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/upload").status_code == 200


def test_a_form_sent_signed_out_gets_the_sign_in_page_saying_why(client):
    # An upload sent after the session had ended was answered "The form has expired; reload
    # the page", and reloading led to the sign-in page with no word of what had happened.
    response = client.post(
        "/upload",
        data={"dry_run": "1"},
        headers={"Referer": "http://localhost/upload?x=1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "You are not signed in (or your session has ended)" in page
    assert 'name="next" value="/upload"' in page
    # Back to a page of this site only, whatever the Referer says.
    elsewhere = client.post("/logout", headers={"Referer": "https://evil.example/upload"})
    assert elsewhere.status_code == 401
    assert 'name="next" value="/"' in elsewhere.get_data(as_text=True)
    # The sign-in form itself, sent with a stale token, has expired, as before.
    stale = client.post("/login", data={"username": "uploader1", "password": PASSWORD})
    assert stale.status_code == 400 and "expired" in stale.get_data(as_text=True)


def test_passwords_are_stored_only_as_hashes(engine):
    with Session(engine) as session:
        hashes = session.scalars(select(models.UserAccount.password_hash)).all()
    assert hashes and all(PASSWORD not in h and h.startswith("scrypt:") for h in hashes)


def test_signed_in_dash_callbacks_need_the_csrf_header(client):
    sign_in(client)
    assert post_callback(client, None).status_code == 400
    assert post_callback(client, "not-the-token").status_code == 400
    response = post_callback(client, client.get_cookie("_csrf_token").value)
    assert response.status_code == 200
    assert ids.FUNDING_SPLIT_CHARTS in response.get_json()["response"]


def test_anonymous_dash_callbacks_need_no_session(client):
    response = post_callback(client, None)
    assert response.status_code == 200
    assert client.get_cookie("session") is None


def test_sign_out_kills_the_old_session_cookie(secure_app, client):
    sign_in(client)
    old_session = client.get_cookie("session").value
    assert client.get("/upload").status_code == 200
    response = sign_out(client)
    assert response.status_code == 302
    assert client.get_cookie("_csrf_token") is None
    replay = new_client(secure_app)
    replay.set_cookie("session", old_session)
    assert replay.get("/upload").status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        accounts.deactivate_user,
        lambda engine, name: accounts.set_role(engine, name, "viewer"),
        lambda engine, name: accounts.reset_password(engine, name, "a brand new passphrase"),
    ],
    ids=["deactivate", "set-role", "reset-password"],
)
def test_account_changes_end_sessions_on_the_next_request(client, engine, change):
    name = new_account(engine)
    sign_in(client, name)
    assert client.get("/upload").status_code == 200
    change(engine, name)
    response = client.get("/upload")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_new_role_applies_after_signing_in_again(client, engine):
    name = new_account(engine)
    accounts.set_role(engine, name, "viewer")
    sign_in(client, name)
    assert client.get("/upload").status_code == 403


def test_a_deactivated_account_cannot_sign_in(client, engine):
    name = new_account(engine)
    accounts.deactivate_user(engine, name)
    assert sign_in(client, name).status_code == 401


def test_signing_out_and_in_again_keeps_dash_callbacks_working(client):
    sign_in(client)
    client.get("/")
    first_token = client.get_cookie("_csrf_token").value
    assert post_callback(client, first_token).status_code == 200
    sign_out(client)
    sign_in(client)
    assert client.get("/").status_code == 200
    second_token = client.get_cookie("_csrf_token").value
    assert second_token != first_token
    assert post_callback(client, second_token).status_code == 200
    assert post_callback(client, first_token).status_code == 400


def test_a_stale_csrf_cookie_is_replaced_on_the_next_page(client):
    """A browser can keep the old cookie (another tab, an expired session): it is renewed."""
    sign_in(client)
    stale = client.get_cookie("_csrf_token").value
    sign_out(client)
    sign_in(client)
    client.set_cookie("_csrf_token", stale)
    client.get("/")
    renewed = client.get_cookie("_csrf_token").value
    assert renewed != stale
    assert post_callback(client, renewed).status_code == 200


def _limit(text: str) -> int:
    return parse_limit(text).amount


def test_failed_sign_ins_are_limited_per_account(secure_app, client, engine):
    name = new_account(engine)
    for _ in range(_limit(FAILED_SIGN_INS_PER_ACCOUNT)):
        assert sign_in(client, name, "not the password at all").status_code == 401
    blocked = sign_in(client, name)
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.get_data(as_text=True)
    assert "Retry-After" in blocked.headers
    elsewhere = new_client(secure_app)
    assert sign_in(elsewhere, name).status_code == 429
    assert sign_in(client, "viewer1").status_code == 302


def test_failed_sign_ins_are_limited_per_address(secure_app, client, engine):
    for _ in range(_limit(FAILED_SIGN_INS_PER_ADDRESS)):
        assert sign_in(client, next(_names), "not the password at all").status_code == 401
    blocked = sign_in(client, "uploader1")
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.get_data(as_text=True)
    assert sign_in(new_client(secure_app), "uploader1").status_code == 302


def test_a_head_request_never_signs_in(client):
    """HEAD is answered as GET: no CSRF check or sign-in limit applies to it, so it must not
    act on a form (found by sending the right password with HEAD after POST was limited)."""
    form = {"username": "uploader1", "password": PASSWORD, "next": "/upload"}
    response = client.open("/login", method="HEAD", data=form)
    assert response.status_code == 200
    assert client.get("/upload").status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limit(client):
    for _ in range(_limit(FAILED_SIGN_INS_PER_ACCOUNT) + 1):
        assert sign_in(client, "viewer1").status_code == 302


def test_unknown_names_cost_one_hash_check_like_known_ones(engine, monkeypatch):
    dummy = accounts.dummy_password_hash()
    checked: list[str] = []

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return False

    def no_new_hashes(_password: str) -> str:
        raise AssertionError("signing in must not hash a new password")

    monkeypatch.setattr(accounts, "check_password_hash", spy)
    monkeypatch.setattr(accounts, "generate_password_hash", no_new_hashes)
    assert accounts.authenticate(engine, "nobody at all", PASSWORD) is None
    assert checked == [dummy]
    assert accounts.authenticate(engine, "uploader1", "wrong password here") is None
    assert len(checked) == 2 and checked[1].startswith("scrypt:") and checked[1] != dummy


BAD_NEXT = [
    "/\t/evil.example",
    "/\n/x",
    "/\r\n/evil.example",
    "//evil",
    "/\\evil",
    "\\\\evil",
    "\\/evil",
    "https://evil",
    "HTTPS://evil",
    " //evil",
    "\x00//evil",
    "/\x00/evil",
    "javascript:alert(1)",
    "evil.example",
    "",
]


@pytest.mark.parametrize("next_path", BAD_NEXT, ids=repr)
def test_sign_in_never_redirects_off_site(client, next_path):
    assert safe_next_path(next_path) == "/"
    response = sign_in(client, next_path=next_path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("next_path", ["/reach?locality=west-kent", "/upload", "/"])
def test_sign_in_returns_to_a_path_on_this_site(client, next_path):
    assert sign_in(client, next_path=next_path).headers["Location"] == next_path


NOT_OPEN = [
    "/",
    "/reach",
    "/loginx",
    "/login.json",
    "/login/",
    "/healthz",
    "/health/x",
    "/vendor/../_dash-layout",
    "/assets/../_dash-layout",
    "/vendor/x",
    "/assets/",
    "/_dash-layout",
    "/_dash-dependencies",
    "/_favicon.ico",
]


@pytest.mark.parametrize("path", NOT_OPEN)
def test_only_the_exact_open_paths_are_served_without_sign_in(login_required_app, path):
    response = new_client(login_required_app).get(path)
    response.close()
    assert response.status_code in (302, 401, 404)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")
    assert SHELL_MARKER not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/login", "/health", "/vendor/bootstrap.min.css", "/assets/style.css"]
)
def test_the_sign_in_page_and_what_it_loads_stay_open(login_required_app, path):
    response = new_client(login_required_app).get(path)
    response.close()
    assert response.status_code == 200


def test_the_dashboard_can_require_sign_in(login_required_app):
    client = new_client(login_required_app)
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json={}).status_code == 401
    sign_in(client, "viewer1", next_path="/")
    assert SHELL_MARKER in client.get("/reach").get_data(as_text=True)
    assert post_callback(client, client.get_cookie("_csrf_token").value).status_code == 200


def _add_attempts(engine, count: int) -> datetime:
    start = datetime(2030, 1, 1)
    with Session(engine) as session, session.begin():
        for n in range(count):
            session.add(
                models.ImportAttempt(
                    attempted_at=start + timedelta(minutes=n),
                    username="uploader1",
                    filename=f"audit-test-{n:03d}.csv",
                    file_hash=f"{n:064x}",
                    size_bytes=1000 + n,
                    rows=5,
                    result="rejected",
                    message="1 problem",
                )
            )
    return start


def test_the_audit_log_is_for_admins_only(client):
    assert client.get("/admin/audit").headers["Location"].startswith("/login?next=/admin/audit")
    sign_in(client, "uploader1")
    assert client.get("/admin/audit").status_code == 403


def test_admins_see_the_audit_log_newest_first_in_pages(client, engine):
    _add_attempts(engine, 60)
    sign_in(client, "admin1")
    first = client.get("/admin/audit")
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "Audit log" in text and 'href="/admin/audit"' in text
    shown = re.findall(r"audit-test-(\d{3})\.csv", text)
    assert shown[0] == "059"
    assert shown == sorted(shown, reverse=True)
    assert len(shown) == 50
    assert 'href="?log=imports&amp;page=2"' in text
    second = client.get("/admin/audit?log=imports&page=2").get_data(as_text=True)
    assert re.findall(r"audit-test-(\d{3})\.csv", second) == [f"{n:03d}" for n in range(9, -1, -1)]
    assert "scrypt:" not in text and PASSWORD not in text
    for odd_page in ("0", "-1", "x", "٣", "99999"):
        assert client.get(f"/admin/audit?page={odd_page}").status_code == 200
    assert client.get("/admin/audit?log=nonsense").status_code == 200


def _account_log(client) -> list[list[str]]:
    page = client.get("/admin/audit?log=accounts").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>[^<]*</td>(.*?)</tr>", page, flags=re.S)
    return [re.findall(r"<td>([^<]*)</td>", row) for row in rows]


def test_sign_ins_and_account_changes_are_in_the_audit_log(secure_app, client, engine):
    name = new_account(engine)
    typed_secret = "my password typed as a name"
    watcher = new_client(secure_app)
    sign_in(watcher, name)
    sign_out(watcher)
    sign_in(watcher, name, "not the password at all")
    sign_in(watcher, typed_secret, PASSWORD)
    accounts.set_role(engine, name, "viewer")
    accounts.deactivate_user(engine, name)
    sign_in(watcher, name)
    sign_in(client, "admin1")
    address = watcher.environ_base["REMOTE_ADDR"]
    mine = [row for row in _account_log(client) if row[0] == name or row[-1] == address]
    assert mine == [
        [name, "sign-in refused", "account deactivated", address],
        [name, "account deactivated", accounts.BY_COMMAND_LINE, ""],
        [name, "role changed", f"to viewer, {accounts.BY_COMMAND_LINE}", ""],
        [accounts.UNKNOWN_NAME, "sign-in refused", "", address],
        [name, "sign-in refused", "wrong password", address],
        [name, "signed out", "", address],
        [name, "signed in", "", address],
        [name, "account added", f"role uploader, {accounts.BY_COMMAND_LINE}", ""],
    ]
    page = client.get("/admin/audit?log=accounts").get_data(as_text=True)
    assert typed_secret not in page and PASSWORD not in page and "scrypt:" not in page
