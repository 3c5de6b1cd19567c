"""Baseline: the schema of the first release, before migrations existed.

Revision ID: 0001_baseline
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "care_group",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "dataset_info",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "district",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("former_names", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "locality_scheme",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "period",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "provider",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "service_line",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "source",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("published", sa.String(length=80), nullable=False),
        sa.Column("section", sa.Text(), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "geography",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["scheme"],
            ["locality_scheme.slug"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "import_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attempted_at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "measure",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("numerator", sa.Text(), nullable=False),
        sa.Column("denominator", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("caveats", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("polarity", sa.String(length=14), nullable=False),
        sa.Column("finest_geography", sa.String(length=12), nullable=False),
        sa.Column("counts_people", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("target_of", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["source"],
            ["source.slug"],
        ),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "observation_revision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("geography", sa.String(length=60), nullable=False),
        sa.Column("care_group", sa.String(length=60), nullable=True),
        sa.Column("provider", sa.String(length=80), nullable=True),
        sa.Column("category", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("replaced_by_batch_id", sa.Integer(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_batch_id"],
            ["batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_revision_replaced_at", "observation_revision", ["replaced_at"], unique=False
    )
    op.create_table(
        "funder",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("locality", sa.String(length=60), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["locality"],
            ["geography.code"],
        ),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "locality_share",
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("locality", sa.String(length=60), nullable=False),
        sa.Column("district_code", sa.String(length=9), nullable=False),
        sa.Column("population_share", sa.Float(), nullable=False),
        sa.Column("carer_share", sa.Float(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["district.code"],
        ),
        sa.ForeignKeyConstraint(
            ["locality"],
            ["geography.code"],
        ),
        sa.ForeignKeyConstraint(
            ["scheme"],
            ["locality_scheme.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["source"],
            ["source.slug"],
        ),
        sa.PrimaryKeyConstraint("scheme", "locality", "district_code"),
    )
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
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
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["care_group"],
            ["care_group.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["geography"],
            ["geography.code"],
        ),
        sa.ForeignKeyConstraint(
            ["measure"],
            ["measure.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["period"],
            ["period.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["provider"],
            ["provider.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["source"],
            ["source.slug"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_observation_batch", "observation", ["batch_id"], unique=False)
    op.create_index(
        "ix_observation_filter",
        "observation",
        ["measure", "period", "geography", "care_group"],
        unique=False,
    )
    op.create_index(
        "ix_observation_provider_period", "observation", ["provider", "period"], unique=False
    )
    op.create_index("ix_observation_status", "observation", ["status", "measure"], unique=False)
    op.create_table(
        "provider_contract",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("provider", sa.String(length=80), nullable=False),
        sa.Column("locality", sa.String(length=60), nullable=True),
        sa.Column("service_line", sa.String(length=60), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("source_section", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality"],
            ["geography.code"],
        ),
        sa.ForeignKeyConstraint(
            ["provider"],
            ["provider.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["service_line"],
            ["service_line.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["source"],
            ["source.slug"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "quality_note",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("source_section", sa.Text(), nullable=False),
        sa.Column("measure", sa.String(length=80), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["measure"],
            ["measure.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["period"],
            ["period.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["source"],
            ["source.slug"],
        ),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "funding",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("funder", sa.String(length=60), nullable=True),
        sa.Column("service_line", sa.String(length=60), nullable=True),
        sa.Column("geography", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("basis", sa.String(length=12), nullable=False),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("source_section", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["funder"],
            ["funder.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["geography"],
            ["geography.code"],
        ),
        sa.ForeignKeyConstraint(
            ["period"],
            ["period.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["service_line"],
            ["service_line.slug"],
        ),
        sa.ForeignKeyConstraint(
            ["source"],
            ["source.slug"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_funding_filter",
        "funding",
        ["period", "geography", "funder", "service_line"],
        unique=False,
    )
    op.create_index("ix_funding_status", "funding", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_funding_status", table_name="funding")
    op.drop_index("ix_funding_filter", table_name="funding")
    op.drop_table("funding")
    op.drop_table("quality_note")
    op.drop_table("provider_contract")
    op.drop_index("ix_observation_status", table_name="observation")
    op.drop_index("ix_observation_provider_period", table_name="observation")
    op.drop_index("ix_observation_filter", table_name="observation")
    op.drop_index("ix_observation_batch", table_name="observation")
    op.drop_table("observation")
    op.drop_table("locality_share")
    op.drop_table("funder")
    op.drop_index("ix_revision_replaced_at", table_name="observation_revision")
    op.drop_table("observation_revision")
    op.drop_table("measure")
    op.drop_table("import_attempt")
    op.drop_table("geography")
    op.drop_table("user_account")
    op.drop_table("source")
    op.drop_table("service_line")
    op.drop_table("provider")
    op.drop_table("period")
    op.drop_table("locality_scheme")
    op.drop_table("district")
    op.drop_table("dataset_info")
    op.drop_table("care_group")
    op.drop_table("batch")
