"""Alembic environment: runs migrations on the connection that :mod:`dashboard.db.schema` passes.

The dashboard never reads ``alembic.ini`` or the environment here: the caller hands over an open
connection in ``config.attributes["connection"]``, so the same code upgrades SQLite and PostgreSQL.
"""

from __future__ import annotations

from alembic import context

from dashboard.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
