"""The stored values no chart may use (filled by ``upgrade_schema`` after every upgrade).

Revision ID: 0007_screened_values
Revises: 0006_stored_summary
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_screened_values"
down_revision = "0006_stored_summary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screened_observation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("geography", sa.String(length=60), nullable=False),
        sa.Column("provider", sa.String(length=80), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
    )
    op.create_index("ix_screened_observation_measure", "screened_observation", ["measure"])


def downgrade() -> None:
    op.drop_index("ix_screened_observation_measure", table_name="screened_observation")
    op.drop_table("screened_observation")
