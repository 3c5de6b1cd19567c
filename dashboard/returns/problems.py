"""Problems found in a monitoring return, located the way a spreadsheet user would look for them."""

from __future__ import annotations

from dataclasses import dataclass

# A provider fixes a file from the first problems; thousands more would only bury them (and a
# page listing 900,000 problems is itself a failure).
MAX_LISTED_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One reason a return cannot be loaded.

    ``row`` counts as a spreadsheet does (the header is row 1); ``sheet`` is None for CSV files;
    ``row`` and ``column`` are None for problems with the whole file.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet is not None:
            place.append(f"sheet {self.sheet}")
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        return f"{', '.join(place)}: {self.message}"


def more_problems(total: int, listed: int) -> str:
    """The line that stands for the problems left out of a listing, or "" if none were."""
    hidden = total - listed
    return f"and {hidden:,} more problem{'s' if hidden != 1 else ''}" if hidden > 0 else ""


class ReturnRejected(ValueError):
    """The return was refused. ``problems`` lists the first ``MAX_LISTED_PROBLEMS`` problems in
    row order; ``total`` counts every problem found."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("a rejected return needs at least one problem")
        ordered = sorted(problems, key=lambda problem: problem.row or 0)
        self.total = len(ordered)
        self.problems = ordered[:MAX_LISTED_PROBLEMS]
        lines = [str(problem) for problem in self.problems]
        if more := more_problems(self.total, len(self.problems)):
            lines.append(more)
        count = f"{self.total:,} problem{'s' if self.total != 1 else ''}"
        super().__init__(f"{count} in the return:\n  " + "\n  ".join(lines))
