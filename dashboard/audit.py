"""Reading the audit log of import attempts, newest first, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.db import models

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log; ``page`` counts from 1 and is within ``1..pages``."""

    entries: list[models.ImportAttempt]
    page: int
    pages: int
    total: int


def import_attempts_page(engine: Engine, page: int, per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """The import attempts on ``page`` (clamped to the pages there are), newest first."""
    attempt = models.ImportAttempt
    with Session(engine, expire_on_commit=False) as db:
        total = db.scalar(select(func.count()).select_from(attempt)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        entries = db.scalars(
            select(attempt)
            .order_by(attempt.attempted_at.desc(), attempt.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        db.expunge_all()
    return AuditPage(entries=list(entries), page=page, pages=pages, total=total)
