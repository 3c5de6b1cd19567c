"""Every chart's CSV download reads back as the table it shows: one header row, no name twice.

The specs come from the same view functions the pages call (``tests.support.specs``), on the
seeded database with a provider return loaded twice, so "Since last meeting" lists a new
return and its revised values instead of saying there are none.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pandas as pd
import pytest

from dashboard.charts import to_csv
from dashboard.db.engine import make_engine
from dashboard.db.imports import load_return
from dashboard.db.repository import Repository
from tests.support.specs import FILTER_STATES, page_specs, view_context

THANET = "E07000114"
# Tables with a "Source" or "Period" column of their own that only list rows when there are
# some: the test must see them listed, not the sentence saying there are none.
LISTS = {"changes-new-returns", "changes-revisions", "decisions-list"}


def _return(carers: float) -> pd.DataFrame:
    provider = "east-kent-carers-consortium"
    return pd.DataFrame(
        {
            "provider": [provider, provider],
            "period": ["2024-25-q1", "2024-25-q1"],
            "geography": [THANET, THANET],
            "care_group": ["dementia", None],
            "measure": ["carers-supported", "referrals"],
            "value": [carers, 40.0],
            "note": ["", ""],
        }
    )


@pytest.fixture
def repo_with_returns(fresh_db_url):
    """The seeded database with a return loaded and then replaced (so one value is revised)."""
    engine = make_engine(fresh_db_url)
    load_return(engine, _return(123), filename="r1.csv", data=b"1", username="alice")
    load_return(engine, _return(150), filename="r2.csv", data=b"2", username="alice")
    yield Repository(engine)
    engine.dispose()


def test_no_csv_download_repeats_a_column_name(repo_with_returns):
    checked = set()
    for state in FILTER_STATES:
        for spec in page_specs(repo_with_returns, view_context(repo_with_returns, **state)):
            if spec.unavailable:
                continue
            header = next(csv.reader(io.StringIO(to_csv(spec))))
            repeated = [name for name, count in Counter(header).items() if count > 1]
            assert not repeated, f"{spec.key} {state}: {repeated} twice in {header}"
            checked.add(spec.key)
    assert checked >= LISTS
