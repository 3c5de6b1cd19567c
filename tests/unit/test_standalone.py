"""The project stands alone: no tracked file points outside the repository for what it runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

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


# Pure modules: rules, statistics and formatting that commands and tests import on their own.
PURE_MODULES = (
    "dashboard.stats",
    "dashboard.formatting",
    "dashboard.periods",
    "dashboard.filters",
    "dashboard.screening",
    "dashboard.rules",
    "dashboard.disclosure",
    "dashboard.callback_requests",
    "dashboard.allocation",
    "dashboard.geo",
)
HEAVY_PACKAGES = ("dash", "flask", "plotly", "geopandas")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_a_pure_module_imports_no_web_or_map_library(module: str) -> None:
    # A fresh interpreter: this test process has long since imported everything.
    probe = (
        f"import sys, {module}; print(' '.join(p for p in {HEAVY_PACKAGES!r} if p in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


def test_the_command_line_imports_no_web_or_map_library_until_a_command_needs_one() -> None:
    probe = (
        "import sys, dashboard.__main__; "
        f"print(' '.join(p for p in {HEAVY_PACKAGES!r} if p in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
