"""Decisions and contract events, and the audit log of changes made to them on screen.

Revision ID: 0005_decision_events
Revises: 0004_effective_figures
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_decision_events"
down_revision = "0004_effective_figures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("service_lines", sa.Text(), nullable=True),
        sa.Column("localities", sa.Text(), nullable=True),
        sa.Column("paper_url", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=80), sa.ForeignKey("source.slug"), nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_decision_event_event_date", "decision_event", ["event_date"])
    op.create_table(
        "decision_event_change",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_decision_event_change_occurred_at", "decision_event_change", ["occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_decision_event_change_occurred_at", table_name="decision_event_change")
    op.drop_table("decision_event_change")
    op.drop_index("ix_decision_event_event_date", table_name="decision_event")
    op.drop_table("decision_event")
