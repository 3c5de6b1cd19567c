"""Recording decisions and contract events on screen: who may, CSRF, audit, and the charts.

Through the Flask test client on a copy of the seeded database with one account of each role.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.accounts import create_user
from dashboard.application import REPOSITORY_EXTENSION, create_app
from dashboard.config import Settings
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.views import funding, targets
from dashboard.views.common import ViewContext

PASSWORD = "correct horse battery staple"
SECRET = "a test secret key that is long enough"
_addresses = (f"10.2.{n // 250}.{n % 250 + 1}" for n in itertools.count())
_titles = (f"Test decision {n}" for n in itertools.count())
ROLES = ("viewer", "uploader", "editor", "admin")


@pytest.fixture(scope="module")
def db_url(seeded_db_url, tmp_path_factory):
    target = tmp_path_factory.mktemp("decisions") / "decisions.sqlite"
    shutil.copyfile(seeded_db_url.removeprefix("sqlite:///"), target)
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    for role in ROLES:
        create_user(engine, f"{role}1", PASSWORD, role)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(db_url):
    return create_app(Settings(database_url=db_url, environment="test", secret_key=SECRET))


def _client(app):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = next(_addresses)
    return client


def _token(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def signed_in(app, role: str):
    client = _client(app)
    client.post(
        "/login",
        data={"username": f"{role}1", "password": PASSWORD, "csrf_token": _token(client, "/login")},
    )
    return client


def event_form(title: str, **changes) -> dict:
    form = {
        "event_date": "2016-04-01",
        "kind": "jcg-decision",
        "title": title,
        "description": "The group agreed to extend the short breaks contract.",
        "service_lines": ["short-breaks-contracted"],
        "localities": [],
        "paper_url": "https://democracy.kent.gov.uk/example-paper",
        "source": "",
        "citation": "JCG minutes, item 4",
    }
    return {**form, **changes}


def add(client, form: dict, token: str | None = "from-page"):
    if token == "from-page":
        token = _token(client, "/decisions/manage")
    data = {**form, "csrf_token": token} if token else form
    return client.post("/decisions/manage", data=data)


def stored(engine, title: str) -> models.DecisionEvent | None:
    with Session(engine) as db:
        return db.scalars(
            select(models.DecisionEvent).where(models.DecisionEvent.title == title)
        ).first()


def event_count(engine) -> int:
    with Session(engine) as db:
        return len(db.scalars(select(models.DecisionEvent.id)).all())


def changes(engine, event_id: int) -> list[tuple[str, str, dict]]:
    with Session(engine) as db:
        rows = db.scalars(
            select(models.DecisionEventChange)
            .where(models.DecisionEventChange.event_id == event_id)
            .order_by(models.DecisionEventChange.id)
        ).all()
        return [(row.action, row.username, json.loads(row.detail)) for row in rows]


@pytest.mark.parametrize("role", ["viewer", "uploader"])
def test_viewers_and_uploaders_cannot_open_or_post_the_form(app, engine, role):
    client = signed_in(app, role)
    assert client.get("/decisions/manage").status_code == 403
    token = client.get_cookie("_csrf_token").value
    title = next(_titles)
    response = client.post("/decisions/manage", data={**event_form(title), "csrf_token": token})
    assert response.status_code == 403
    assert stored(engine, title) is None


def test_signed_out_visitors_are_sent_to_sign_in(app, engine):
    client = _client(app)
    response = client.get("/decisions/manage")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_uploading_still_needs_the_uploader_role(app):
    assert signed_in(app, "editor").get("/upload").status_code == 403
    assert signed_in(app, "uploader").get("/upload").status_code == 200


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_add_edit_and_delete_and_every_change_is_audited(app, engine, role):
    client = signed_in(app, role)
    title = next(_titles)
    assert add(client, event_form(title)).status_code == 302
    event = stored(engine, title)
    assert event.status == "recorded" and event.created_by == f"{role}1"
    assert event.service_lines == "short-breaks-contracted" and event.localities is None

    token = _token(client, f"/decisions/{event.id}/edit")
    edited = event_form(title, kind="contract-variation", localities=["east-kent"])
    assert client.post(f"/decisions/{event.id}/edit", data={**edited, "csrf_token": token})
    event = stored(engine, title)
    assert event.kind == "contract-variation" and event.localities == "east-kent"
    assert event.updated_by == f"{role}1" and event.updated_at is not None

    token = _token(client, "/decisions/manage")
    response = client.post(f"/decisions/{event.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert stored(engine, title) is None
    log = changes(engine, event.id)
    assert [(action, who) for action, who, _ in log] == [
        ("added", f"{role}1"),
        ("edited", f"{role}1"),
        ("deleted", f"{role}1"),
    ]
    assert log[0][2]["kind"] == "jcg-decision" and log[2][2]["kind"] == "contract-variation"


def test_the_audit_log_page_lists_event_changes_for_admins(app, engine):
    editor = signed_in(app, "editor")
    title = next(_titles)
    add(editor, event_form(title))
    page = signed_in(app, "admin").get("/admin/audit?log=decisions").get_data(as_text=True)
    assert title in page and "editor1" in page


def test_forms_without_a_valid_csrf_token_are_refused(app, engine):
    client = signed_in(app, "editor")
    title = next(_titles)
    assert add(client, event_form(title), token=None).status_code == 400
    assert add(client, event_form(title), token="forged").status_code == 400
    assert stored(engine, title) is None
    add(client, event_form(title))
    event = stored(engine, title)
    assert client.post(f"/decisions/{event.id}/delete").status_code == 400
    assert stored(engine, title) is not None


def test_a_head_request_changes_no_event(app, engine):
    """HEAD is answered as GET, without a CSRF check: a form sent with it must change nothing."""
    client = signed_in(app, "editor")
    before = event_count(engine)
    response = client.open("/decisions/manage", method="HEAD", data=event_form("Sent with HEAD"))
    assert response.status_code == 200
    assert event_count(engine) == before and stored(engine, "Sent with HEAD") is None
    assert add(client, event_form("Kept for the HEAD edit")).status_code == 302
    event = stored(engine, "Kept for the HEAD edit")
    edited = event_form("Edited with HEAD")
    response = client.open(f"/decisions/{event.id}/edit", method="HEAD", data=edited)
    assert response.status_code == 200
    assert stored(engine, "Edited with HEAD") is None
    assert [change[0] for change in changes(engine, event.id)] == ["added"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"event_date": "01/04/2016"}, "event_date", "Date: give the date as YYYY-MM-DD"),
        ({"kind": "rumour"}, "kind", "Kind: choose one of"),
        ({"title": "   "}, "title", "Title: a title is required"),
        ({"service_lines": ["carpets"]}, "service_lines", "Service lines: unknown"),
        ({"localities": ["atlantis"]}, "localities", "Localities: unknown"),
        ({"paper_url": "javascript:alert(1)"}, "paper_url", "Link to the decision paper"),
        ({"citation": ""}, "citation", "Source or citation"),
        ({"source": "made-up"}, "source", "Source document"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(app, engine, changes, field, words):
    client = signed_in(app, "editor")
    before = event_count(engine)
    response = add(client, {**event_form(next(_titles)), **changes})
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert f'id="event-{field.replace("_", "-")}"' in response.get_data(as_text=True)
    assert event_count(engine) == before


def test_published_events_cannot_be_edited_or_deleted_on_screen(app, engine):
    with Session(engine) as db:
        published = db.scalars(
            select(models.DecisionEvent).where(models.DecisionEvent.status == "published")
        ).first()
    client = signed_in(app, "editor")
    assert client.get(f"/decisions/{published.id}/edit").status_code == 404
    token = _token(client, "/decisions/manage")
    response = client.post(f"/decisions/{published.id}/delete", data={"csrf_token": token})
    assert response.status_code == 404
    assert changes(engine, published.id) == []


@pytest.mark.parametrize("event_id", [2**31, 99999999999999999999])
def test_an_id_too_large_for_any_event_is_not_found(app, event_id):
    # Found by an attack: the database refused to compare it, and the page answered 500.
    client = signed_in(app, "editor")
    assert client.get(f"/decisions/{event_id}/edit").status_code == 404
    token = _token(client, "/decisions/manage")
    response = client.post(f"/decisions/{event_id}/delete", data={"csrf_token": token})
    assert response.status_code == 404


def test_a_recorded_event_changes_the_data_version_and_is_marked_on_its_charts(app):
    repo = app.server.extensions[REPOSITORY_EXTENSION]
    client = _client(app)
    before = client.get("/health").get_json()["data_version"]
    title = next(_titles)
    add(signed_in(app, "editor"), event_form(title, event_date="2020-06-01"))
    assert client.get("/health").get_json()["data_version"] != before
    repo.refreshed_version()
    context = ViewContext.from_repo(repo, {})
    funding_spec = funding.funding_over_time(repo.funding(), context)
    assert any(title in line for line in funding_spec.events)
    assert any("JCG decision" in (a.text or "") for a in funding_spec.figure.layout.annotations)
    new_carers = targets.new_carers_quarterly(
        targets.TargetsData({"new-carers-identified": repo.observations("new-carers-identified")}),
        context,
    )
    assert not any(title in line for line in new_carers.events)
