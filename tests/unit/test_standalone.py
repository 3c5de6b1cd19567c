"""The project stands alone: no tracked file points outside the repository for what it runs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from dashboard.config import PROJECT_ROOT

# The folder beside the repository that developers read while building; users never have it.
_OUTSIDE = re.compile(r"\.\./shared\b|parent\s*/\s*[\"']shared[\"']")


def test_no_tracked_file_refers_to_the_folder_beside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    offenders = []
    for name in filter(None, tracked):
        path = PROJECT_ROOT / name.decode()
        if path.resolve() == Path(__file__).resolve() or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        offenders += [
            f"{name.decode()}:{n}"
            for n, line in enumerate(text.splitlines(), 1)
            if _OUTSIDE.search(line)
        ]
    assert offenders == []
