"""A measure's cached frame: the effective rows exactly, each distinct text held once."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard.db.repository import OBSERVATION_COLUMNS

MEASURES = ("carers-supported", "short-break-hours", "census-carers")


@pytest.mark.parametrize("measure", MEASURES)
def test_observations_hold_the_effective_rows_with_each_text_once(backend_repo, measure):
    frame = backend_repo.observations(measure)
    with backend_repo.engine.connect() as connection:
        direct = pd.read_sql(
            text(
                f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM effective_observation "
                "WHERE measure = :measure"
            ),
            connection,
            params={"measure": measure},
        )
    assert len(frame) == len(direct) > 0
    for column in ("geography", "care_group", "provider", "category", "status", "source", "note"):
        # Same cells, missing where the database has NULL (row order is the database's).
        assert sorted(frame[column].fillna("<none>")) == sorted(direct[column].fillna("<none>"))
        cells = frame[column].dropna().array
        distinct = {id(cell) for cell in cells}
        assert len(distinct) == frame[column].nunique(), column
    assert frame["value"].sum() == pytest.approx(direct["value"].sum())
