"""Pages survive any stored data: out-of-range and extreme values written into the database.

Every value here could reach the tables through a past import, a hand edit or a bug; each page
and every callback must still answer (flagging the values, leaving them out of statistics).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from dashboard import create_app
from dashboard.config import Settings
from dashboard.db import models
from dashboard.db.engine import make_engine
from dashboard.db.repository import Repository
from tests.support.callbacks import CALLBACK_PATH, PAGE_PATHS, realistic_posts

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
