"""The effective figures table (filled by ``upgrade_schema`` after every upgrade).

Revision ID: 0004_effective_figures
Revises: 0003_return_rules
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_effective_figures"
down_revision = "0003_return_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "effective_observation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("geography", sa.String(length=60), nullable=False),
        sa.Column("care_group", sa.String(length=60), nullable=True),
        sa.Column("provider", sa.String(length=80), nullable=True),
        sa.Column("category", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("source_section", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
    )
    op.create_index(
        "ix_effective_measure_group",
        "effective_observation",
        ["measure", "care_group", "period_start"],
    )


def downgrade() -> None:
    op.drop_index("ix_effective_measure_group", table_name="effective_observation")
    op.drop_table("effective_observation")
