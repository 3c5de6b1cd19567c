"""Database layer: models, engine, loading and the read-only repository."""
