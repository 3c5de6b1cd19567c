"""Plausibility rules in the measure catalogue, and imported figures given their own status.

Revision ID: 0003_return_rules
Revises: 0002_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_return_rules"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None

_IMPORTED = "batch_id IN (SELECT id FROM batch WHERE kind = 'import')"


def upgrade() -> None:
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("min_value", sa.Float(), nullable=True))
        batch.add_column(sa.Column("max_value", sa.Float(), nullable=True))
        batch.add_column(sa.Column("at_most", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("unusual_ratio", sa.Float(), nullable=True))
    # Imported returns were stored as "published", the word for a council document.
    for table in ("observation", "observation_revision"):
        op.execute(f"UPDATE {table} SET status = 'return' WHERE {_IMPORTED}")


def downgrade() -> None:
    for table in ("observation", "observation_revision"):
        op.execute(f"UPDATE {table} SET status = 'published' WHERE {_IMPORTED}")
    with op.batch_alter_table("measure") as batch:
        for column in ("unusual_ratio", "at_most", "max_value", "min_value"):
            batch.drop_column(column)
