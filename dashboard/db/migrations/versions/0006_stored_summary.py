"""The stored-rows summary (filled by ``upgrade_schema`` after every upgrade).

Revision ID: 0006_stored_summary
Revises: 0005_decision_events
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_stored_summary"
down_revision = "0005_decision_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_summary",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("geography", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("batch_kind", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("last_loaded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_stored_summary_measure", "stored_summary", ["measure"])


def downgrade() -> None:
    op.drop_index("ix_stored_summary_measure", table_name="stored_summary")
    op.drop_table("stored_summary")
