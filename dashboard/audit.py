"""Reading the audit logs (import attempts; sign-ins and account changes; decisions and contract
events changed on screen), newest first, by page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.db import models

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of an audit log; ``page`` counts from 1 and is within ``1..pages``."""

    entries: list
    page: int
    pages: int
    total: int


def _page(engine: Engine, model, when, page: int, per_page: int) -> AuditPage:
    with Session(engine, expire_on_commit=False) as db:
        total = db.scalar(select(func.count()).select_from(model)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        entries = db.scalars(
            select(model)
            .order_by(when.desc(), model.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        db.expunge_all()
    return AuditPage(entries=list(entries), page=page, pages=pages, total=total)


def import_attempts_page(engine: Engine, page: int, per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """The import attempts on ``page`` (clamped to the pages there are), newest first."""
    attempt = models.ImportAttempt
    return _page(engine, attempt, attempt.attempted_at, page, per_page)


def account_events_page(engine: Engine, page: int, per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """Sign-ins, sign-outs and account changes on ``page`` (clamped), newest first."""
    event = models.AccountEvent
    return _page(engine, event, event.occurred_at, page, per_page)


def event_changes_page(engine: Engine, page: int, per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """Decisions and contract events added, edited or deleted on ``page`` (clamped), newest
    first."""
    change = models.DecisionEventChange
    return _page(engine, change, change.occurred_at, page, per_page)
