"""Schema migrations with Alembic: create a new database or upgrade an existing one in place.

``upgrade_schema`` is what ``init-db`` calls. A database made before migrations existed (the
tables of the first release and no ``alembic_version`` table) is stamped as that first revision and
then upgraded, so user accounts, the audit log and imported returns are kept.
"""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from dashboard.db import effective

BASELINE_REVISION = "0001_baseline"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the project's migrations, run on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(files("dashboard.db") / "migrations"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in the migrations folder."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade_schema(engine: Engine) -> str:
    """Bring the database to the newest revision, in one transaction, and return it."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by copying it, dropping the old one and renaming the copy;
            # foreign keys must be off for that, and can only be switched outside a transaction.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config = alembic_config(connection)
                tables = set(inspect(connection).get_table_names())
                if "alembic_version" not in tables and "dataset_info" in tables:
                    command.stamp(config, BASELINE_REVISION)
                before = _current_revision(connection)
                command.upgrade(config, "head")
                if _current_revision(connection) != before:
                    # Derived data, rebuilt by today's rules after any change of schema.
                    effective.refresh(connection)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("The schema upgrade would break a foreign key; undone.")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
    return head_revision()


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
