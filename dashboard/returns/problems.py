"""Problems found in a monitoring return, located the way a spreadsheet user would look for them."""

from __future__ import annotations

from dataclasses import dataclass


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


class ReturnRejected(ValueError):
    """The return was refused; ``problems`` lists every problem found, in row order."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("a rejected return needs at least one problem")
        self.problems = sorted(problems, key=lambda problem: problem.row or 0)
        count = len(self.problems)
        lines = "\n  ".join(str(problem) for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the return:\n  {lines}")
