"""Reusable layout builders: no callbacks, no I/O."""
