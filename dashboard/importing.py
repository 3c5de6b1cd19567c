"""Import a monitoring return file end to end: validate, load or refuse, and audit.

Used by both the command line (``python -m dashboard import FILE``) and the upload page, so a
file is treated the same way whichever door it comes through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from dashboard.db.imports import load_return, record_attempt
from dashboard.db.repository import Reference
from dashboard.returns.parse import ReturnRejected, read_return
from dashboard.returns.vocabulary import ReturnVocabulary


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one attempt, ready to show to the person who made it."""

    filename: str
    loaded: bool
    headline: str
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems


def import_file(
    engine: Engine,
    reference: Reference,
    data: bytes,
    filename: str,
    *,
    username: str,
    dry_run: bool = False,
    max_bytes: int = 10 * 1024 * 1024,
    today: date | None = None,
) -> ImportReport:
    """Validate ``data``; unless it is a dry run, load it in one transaction. Always audit."""
    vocabulary = ReturnVocabulary.from_reference(reference)
    try:
        parsed = read_return(data, filename, vocabulary, max_bytes=max_bytes, today=today)
    except ReturnRejected as rejected:
        problems = [str(problem) for problem in rejected.problems]
        record_attempt(
            engine,
            username=username,
            filename=filename,
            data=data,
            rows=0,
            result="rejected",
            message="\n".join(problems),
        )
        return ImportReport(
            filename, False, f"Not loaded: {len(problems)} problem(s)", problems=problems
        )
    summary = parsed.summary()
    if dry_run:
        record_attempt(
            engine,
            username=username,
            filename=filename,
            data=data,
            rows=len(parsed.rows),
            result="dry-run",
            message=summary,
        )
        return ImportReport(
            filename,
            False,
            "Checked: the file is valid (nothing loaded)",
            summary,
            [],
            parsed.notices,
        )
    outcome = load_return(engine, parsed.rows, filename=filename, data=data, username=username)
    record_attempt(
        engine,
        username=username,
        filename=filename,
        data=data,
        rows=outcome.rows,
        result="loaded",
        message=f"{summary}\n{outcome.message}",
        batch_id=outcome.batch_id,
    )
    return ImportReport(filename, True, outcome.message, summary, [], parsed.notices)
