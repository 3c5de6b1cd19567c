"""Callback wiring: every module here exposes ``register(app, repo)``; bodies call pure code."""

from __future__ import annotations

import importlib
import pkgutil

from dash import Dash

from dashboard.db.repository import Repository


def register_callbacks(app: Dash, repo: Repository) -> None:
    """Register the callbacks of every module in this package on ``app``."""
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(app, repo)
