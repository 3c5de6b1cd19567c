"""Callback wiring: each module exposes ``register(app, repo)``; bodies call pure code."""

from __future__ import annotations

from dash import Dash

from dashboard.callbacks import data_methods, overview, shell
from dashboard.db.repository import Repository


def register_callbacks(app: Dash, repo: Repository) -> None:
    """Register every page's callbacks on ``app``."""
    for module in (shell, overview, data_methods):
        module.register(app, repo)
