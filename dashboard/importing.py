"""Import a monitoring return file end to end: validate, load or refuse, and audit.

Used by both the command line (``python -m dashboard import FILE``) and the upload page, so a
file is treated the same way whichever door it comes through. The attempt is written to the
audit log before the file is read, then updated with its outcome.

A valid file with unusual values (``ParsedReturn.warnings``) is loaded only when the caller says
the values were confirmed (``accept_warnings``): the upload page asks for that, the command line
needs ``--accept-warnings``. Until then nothing is loaded and the outcome is "unconfirmed".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Engine

from dashboard.db.imports import (
    LoadedMeanwhile,
    file_hash,
    finish_attempt,
    latest_import,
    load_return,
    read_benchmarks,
    start_attempt,
)
from dashboard.db.repository import Reference
from dashboard.returns.parse import ReturnRejected, read_return
from dashboard.returns.problems import more_problems
from dashboard.returns.vocabulary import ReturnVocabulary


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one attempt, ready to show to the person who made it.

    ``problems`` lists at most the first 200 problems (then a line counting the rest);
    ``problem_count`` counts them all. ``warnings`` are the unusual values that need
    confirmation; ``file_hash`` lets a confirmation name exactly the file that was checked.
    """

    filename: str
    loaded: bool
    headline: str
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    file_hash: str = ""

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def needs_confirmation(self) -> bool:
        return self.accepted and not self.loaded and bool(self.warnings)


def import_file(
    engine: Engine,
    reference: Reference,
    data: bytes,
    filename: str,
    *,
    username: str,
    dry_run: bool = False,
    accept_warnings: bool = False,
    max_bytes: int = 10 * 1024 * 1024,
    today: date | None = None,
) -> ImportReport:
    """Validate ``data``; unless it is a dry run, load it in one transaction. Always audit."""
    attempt = start_attempt(engine, username=username, filename=filename, data=data)
    try:
        return _check_and_load(
            engine,
            reference,
            data,
            filename,
            attempt,
            username=username,
            dry_run=dry_run,
            accept_warnings=accept_warnings,
            max_bytes=max_bytes,
            today=today,
        )
    except Exception as error:
        # Whatever failed (the database, a bug), the audit line must not claim "started".
        finish_attempt(engine, attempt, rows=0, result="failed", message=type(error).__name__)
        raise


def _check_and_load(
    engine: Engine,
    reference: Reference,
    data: bytes,
    filename: str,
    attempt: int,
    *,
    username: str,
    dry_run: bool,
    accept_warnings: bool,
    max_bytes: int,
    today: date | None,
) -> ImportReport:
    vocabulary = ReturnVocabulary.from_reference(reference)
    capping = {spec.at_most for spec in vocabulary.measure_specs.values() if spec.at_most}
    checked_after = latest_import(engine)  # before the earlier returns are read
    try:
        parsed = read_return(
            data,
            filename,
            vocabulary,
            max_bytes=max_bytes,
            today=today,
            benchmarks=read_benchmarks(engine, reference.measures, reference.periods, capping),
        )
    except ReturnRejected as rejected:
        problems = [str(problem) for problem in rejected.problems]
        if more := more_problems(rejected.total, len(problems)):
            problems.append(more)
        finish_attempt(engine, attempt, rows=0, result="rejected", message="\n".join(problems))
        return ImportReport(
            filename,
            False,
            f"Not loaded: {rejected.total:,} problem(s)",
            problems=problems,
            problem_count=rejected.total,
        )
    summary = parsed.summary()
    # The audit line keeps what the person was told: the summary and the notices.
    audited = "\n".join([summary, *(f"Note: {notice}" for notice in parsed.notices)])
    warnings = [str(warning) for warning in parsed.warnings]
    checked = ImportReport(
        filename,
        False,
        "Checked: the file is valid (nothing loaded)",
        summary,
        notices=parsed.notices,
        warnings=warnings,
        file_hash=file_hash(data),
    )
    if dry_run:
        finish_attempt(engine, attempt, rows=len(parsed.rows), result="dry-run", message=audited)
        return checked
    if warnings and not accept_warnings:
        finish_attempt(
            engine,
            attempt,
            rows=len(parsed.rows),
            result="unconfirmed",
            message="\n".join([audited, *warnings]),
        )
        count = len(warnings)
        headline = f"Not loaded yet: {count} unusual value{'s' if count != 1 else ''} to confirm"
        return replace(checked, headline=headline)
    try:
        outcome = load_return(
            engine,
            parsed.rows,
            filename=filename,
            data=data,
            username=username,
            checked_after=checked_after,
        )
    except LoadedMeanwhile as meanwhile:
        finish_attempt(engine, attempt, rows=0, result="rejected", message=str(meanwhile))
        headline = "Not loaded: another return was loaded meanwhile"
        return replace(checked, headline=headline, problems=[str(meanwhile)])
    confirmed = [f"confirmed: {warning}" for warning in warnings]
    finish_attempt(
        engine,
        attempt,
        rows=outcome.rows,
        result="loaded",
        message="\n".join([audited, outcome.message, *confirmed]),
        batch_id=outcome.batch_id,
    )
    return ImportReport(
        filename,
        True,
        outcome.message,
        parsed.summary(verb="Loaded"),
        notices=parsed.notices,
        warnings=warnings,
        file_hash=checked.file_hash,
    )
