"""Dash Pages: each module registers a page and returns a cheap layout; no I/O, no callbacks."""
