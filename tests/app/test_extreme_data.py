"""Pages survive any stored data: out-of-range and extreme values written into the database.

Every value here could reach the tables through a past import, a hand edit or a bug; each page
and every callback must still answer (flagging the values, leaving them out of statistics).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from dashboard import ids
from dashboard.application import create_app
from dashboard.config import Settings
from dashboard.db import effective, models
from dashboard.db.engine import make_engine
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from tests.support.callbacks import (
    CALLBACK_PATH,
    PAGE_PATHS,
    csv_request,
    realistic_posts,
)

DARTFORD, ASHFORD, SWALE = "E07000107", "E07000105", "E07000113"
EXTREME = 1e23


def _observations(measure: str, geography: str | None = None):
    query = update(models.Observation).where(models.Observation.measure == measure)
    if geography:
        query = query.where(models.Observation.geography == geography)
    return query


def write_extreme_values(url: str) -> None:
    """Carers supported above the Census carers, 1e23, negatives, shares over 100%, infinity."""
    engine = make_engine(url)
    with engine.begin() as connection:
        o = models.Observation
        for measure, geography, value in (
            ("carers-supported", DARTFORD, 50_000.0),
            ("carers-supported", ASHFORD, EXTREME),
            ("referrals", None, -5.0),
            ("crisis-referrals", SWALE, -3.0),
            ("unsocial-hours-share", None, 250.0),
            ("dementia-share", None, 180.0),
            ("short-break-hours", SWALE, float("inf")),
            ("census-carers", SWALE, 0.0),
            ("population", ASHFORD, EXTREME),
        ):
            connection.execute(_observations(measure, geography).values(value=value))
        funding_ids = connection.scalars(select(models.Funding.id).limit(2)).all()
        connection.execute(
            update(models.Funding).where(models.Funding.id == funding_ids[0]).values(amount=EXTREME)
        )
        connection.execute(
            update(models.Funding).where(models.Funding.id == funding_ids[1]).values(amount=-1e6)
        )
        row = connection.execute(
            select(o.measure, o.period, o.geography, o.provider, o.source)
            .where(o.measure == "carers-supported", o.provider.is_not(None))
            .limit(1)
        ).one()
        now = datetime(2026, 1, 1)
        batch = connection.execute(
            insert(models.Batch).values(
                kind="import", label="r.csv", content_hash="x" * 64, loaded_at=now, rows=1
            )
        ).inserted_primary_key[0]
        for days, (previous, current) in enumerate(((3.0, 4.0), (2.0, EXTREME), (1.0, 1.0))):
            connection.execute(
                insert(models.ObservationRevision).values(
                    measure=row.measure,
                    period=row.period,
                    geography=row.geography,
                    care_group=None,
                    provider=row.provider,
                    value=previous,
                    status="published",
                    batch_id=batch,
                    replaced_by_batch_id=batch,
                    replaced_at=now + timedelta(days=days),
                )
            )
            connection.execute(
                insert(o).values(
                    measure=row.measure,
                    period=row.period,
                    geography=row.geography,
                    provider=row.provider,
                    value=current,
                    status="published",
                    source=row.source,
                    batch_id=batch,
                )
            )
        # What every write path does after writing observations (init-db, an import).
        effective.refresh(connection)
    engine.dispose()


@pytest.fixture
def extreme_app(fresh_db_url, boundaries_path):
    write_extreme_values(fresh_db_url)
    settings = Settings(
        database_url=fresh_db_url,
        boundaries_path=boundaries_path,
        environment="test",
        secret_key="test-secret-key",
    )
    repo = Repository(make_engine(fresh_db_url))
    yield create_app(settings), repo
    repo.engine.dispose()


def test_every_page_and_callback_answers_with_extreme_values_stored(extreme_app):
    app, repo = extreme_app
    client = app.server.test_client()
    for path in PAGE_PATHS:
        assert client.get(path).status_code == 200, path
    failures = []
    for output, body in realistic_posts(app, repo):
        response = client.post(CALLBACK_PATH, json=body)
        if response.status_code >= 400:
            failures.append((output, response.status_code, body["inputs"]))
    assert not failures


def _post(client, output: str, inputs: list, state: list | None = None) -> str:
    ids_and_props = [part.rsplit(".", 1) for part in output.strip(".").split("...")]
    outputs = [{"id": i, "property": p} for i, p in ids_and_props]
    body = {
        "output": output,
        "outputs": outputs[0] if len(outputs) == 1 else outputs,
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    response = client.post(CALLBACK_PATH, json=body)
    assert response.status_code == 200
    return response.get_data(as_text=True)


FILTERS = {"id": "filter-state", "property": "data", "value": Filters().to_dict()}


def test_out_of_range_values_are_listed_in_the_data_quality_panel(extreme_app):
    app, _repo = extreme_app
    client = app.server.test_client()
    client.get("/data")
    panel = _post(client, "data-quality.children", [FILTERS])
    # The screened values are a list, shown in its card with the panel.
    for reason in (
        "left out of every chart and total",
        "negative",
        "a share above 100%",
        "not a finite number",
        "larger than any real Kent figure",
        "more carers supported than the district",
    ):
        assert reason in panel


def test_revisions_hide_counts_of_one_to_four(extreme_app):
    app, _repo = extreme_app
    client = app.server.test_client()
    client.get("/changes")
    since = {"id": "changes-since", "property": "value", "value": "2000-01-01"}
    revisions = json.loads(_post(client, "changes-results.children", [since, FILTERS]))
    origin = next(
        value["props"]  # the card's signed origin, which its Download CSV sends back
        for value in _walk(revisions)
        if isinstance(value, dict)
        and value.get("props", {}).get("id", {})
        == ids.chart_part(ids.CHART_ORIGIN_TYPE, "changes-revisions")
    )
    listed = next(
        value["props"]["children"]  # the card's list, shown in place of a chart
        for value in _walk(revisions)
        if isinstance(value, dict)
        and value.get("props", {}).get("id", {})
        == ids.card_slot("changes", "changes-revisions", "list")
    )
    # The list is written as HTML, so its "<5" is escaped (the browser shows "<5").
    assert "&lt;5" in json.dumps(listed) and "[c]" in json.dumps(listed)
    download = client.post(CALLBACK_PATH, json=csv_request(app, origin, "http://x/changes"))
    content = next(iter(download.get_json()["response"].values()))["data"]["content"]
    rows = [row for row in content.splitlines() if not row.startswith('"#')][1:]
    assert rows and all(",3," not in row and ",2," not in row for row in rows)
    assert any("<5" in row for row in rows)


def _walk(value):
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
