"""Accounts on Flask-Login: a session version per account, the account audit log, and user names
stored in their normalised form.

Revision ID: 0002_accounts
Revises: 0001_baseline
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def _normalised(name: str) -> str:
    # The rule of this release (dashboard.accounts.normalise_username), frozen here on purpose:
    # a migration must do the same thing whatever later code says.
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "account_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_event_occurred_at", "account_event", ["occurred_at"])

    connection = op.get_bind()
    accounts = connection.execute(sa.text("SELECT id, username FROM user_account")).all()
    seen: dict[str, str] = {}
    for _id, name in accounts:
        other = seen.setdefault(_normalised(name), name)
        if other != name:
            raise RuntimeError(
                f"User names {other!r} and {name!r} are the same once case and spaces are "
                "ignored; rename or remove one (with sqlite3 or psql), then run init-db again."
            )
    for account_id, name in accounts:
        if _normalised(name) != name:
            connection.execute(
                sa.text("UPDATE user_account SET username = :name WHERE id = :id"),
                {"name": _normalised(name), "id": account_id},
            )


def downgrade() -> None:
    op.drop_index("ix_account_event_occurred_at", table_name="account_event")
    op.drop_table("account_event")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_version")
