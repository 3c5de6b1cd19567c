"""The meeting pack as a Dash background callback: built in a separate process, with progress.

Dash's ``DiskcacheManager`` runs the job in a forked process and keeps its progress and result in
a disk cache under ``instance/`` that every gunicorn worker can read, so a long build blocks
neither the worker that started it nor anyone else's requests.
"""

from __future__ import annotations

import os
import time

import diskcache
import psutil
from dash import Dash, DiskcacheManager, Input, Output, State, no_update

from dashboard import ids
from dashboard.config import INSTANCE_DIR
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from dashboard.meeting_pack import PACKS_BUSY, free_pack_slot, pack_downloads, take_pack_slot


def _live_process(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def register(app: Dash, repo: Repository) -> None:
    jobs = diskcache.Cache(str(INSTANCE_DIR / "background-jobs"))
    manager = DiskcacheManager(jobs)

    @app.callback(
        Output(ids.MEETING_PACK_PDF, "data"),
        Output(ids.MEETING_PACK_ZIP, "data"),
        Output(ids.MEETING_PACK_RESULT, "children"),
        Input(ids.MEETING_PACK_BUTTON, "n_clicks"),
        State(ids.FILTER_STATE, "data"),
        State(ids.URL, "href"),
        background=True,
        manager=manager,
        progress=[
            Output(ids.MEETING_PACK_PROGRESS, "value"),
            Output(ids.MEETING_PACK_PROGRESS, "max"),
            Output(ids.MEETING_PACK_STATUS, "children"),
        ],
        running=[(Output(ids.MEETING_PACK_BUTTON, "disabled"), True, False)],
        prevent_initial_call=True,
    )
    def make_meeting_pack(set_progress, _clicks, filter_state, href):
        # The job runs in a forked process: it must not share the parent's database sockets.
        repo.engine.dispose(close=False)
        job = os.getpid()
        if not take_pack_slot(jobs, job, time.time(), _live_process):
            set_progress(("0", "1", "Not started."))
            return no_update, no_update, PACKS_BUSY

        def progress(done: int, total: int, title: str) -> None:
            text = "Done." if done == total else f"Chart {done + 1} of {total}: {title}"
            set_progress((str(done), str(max(total, 1)), text))

        try:
            made = pack_downloads(repo, Filters.from_dict(filter_state), href, progress)
        finally:
            free_pack_slot(jobs, job)
        if made.pdf is None:
            set_progress(("0", "1", "Stopped."))
            return no_update, no_update, made.message
        return made.pdf, made.zip, made.message
