"""How many meeting packs are made at once: the button is open to every visitor and each pack
takes a browser and about a gigabyte, so a replayed request could start any number of them."""

from __future__ import annotations

import diskcache
import pytest

from dashboard.meeting_pack import (
    PACK_SLOT_SECONDS,
    PACKS_AT_ONCE,
    free_pack_slot,
    take_pack_slot,
)


@pytest.fixture
def jobs(tmp_path):
    with diskcache.Cache(str(tmp_path / "jobs")) as cache:
        yield cache


def running(*pids: int):
    return lambda pid: pid in pids


def test_one_pack_at_a_time_and_the_next_once_it_is_done(jobs):
    assert PACKS_AT_ONCE == 1
    assert take_pack_slot(jobs, 101, 0.0, running(101, 102))
    assert not take_pack_slot(jobs, 102, 1.0, running(101, 102))
    free_pack_slot(jobs, 101)
    assert take_pack_slot(jobs, 102, 2.0, running(101, 102))


def test_a_job_that_died_holding_a_slot_frees_it(jobs):
    assert take_pack_slot(jobs, 101, 0.0, running(101))
    assert not take_pack_slot(jobs, 102, 1.0, running(101, 102))
    assert take_pack_slot(jobs, 102, 2.0, running(102))  # 101 has gone


def test_a_slot_held_too_long_is_free_again(jobs):
    assert take_pack_slot(jobs, 101, 0.0, running(101, 102))
    assert not take_pack_slot(jobs, 102, PACK_SLOT_SECONDS - 1, running(101, 102))
    assert take_pack_slot(jobs, 102, PACK_SLOT_SECONDS + 1, running(101, 102))


def test_freeing_a_slot_not_held_changes_nothing(jobs):
    assert take_pack_slot(jobs, 101, 0.0, running(101, 102))
    free_pack_slot(jobs, 999)
    assert not take_pack_slot(jobs, 102, 1.0, running(101, 102))


def test_the_pack_panel_names_the_pages_the_pack_holds():
    # It promised "every chart for the current filters" on pages the pack does not hold (the
    # decisions list, "since the last meeting").
    from dashboard.components.meeting_pack import meeting_pack_panel
    from dashboard.meeting_pack import PAGES

    text = str(meeting_pack_panel())
    assert "every chart" not in text
    assert all(page.name in text for page in PAGES.values())
