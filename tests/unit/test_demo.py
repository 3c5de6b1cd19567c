"""The demo data keeps the rules a provider's return is held to."""

from __future__ import annotations

import pytest

from dashboard import demo
from dashboard.config import DATA_DIR
from dashboard.db.seed_files import read_seed_data
from dashboard.returns.parse import SUBSET_RULES
from tests.support.parts import parts_exceeding_totals


@pytest.fixture(scope="module")
def seed_data():
    return read_seed_data(DATA_DIR)


@pytest.fixture(scope="module")
def observations(seed_data):
    return demo.generate(seed_data).observations


def test_no_part_exceeds_its_total_in_any_figure(observations, seed_data):
    units = seed_data["reference/measures.csv"].set_index("slug")["unit"]
    exceeding = parts_exceeding_totals(observations, units)
    assert exceeding.empty, exceeding.head(10).to_string()


def test_every_part_rule_is_checked_on_data_the_demo_has(observations):
    # A rule whose measures the demo did not generate would pass the check above vacuously.
    generated = set(observations["measure"])
    covered = [(part, whole) for part, whole in SUBSET_RULES if {part, whole} <= generated]
    assert ("new-carers-identified", "carers-supported") in covered
