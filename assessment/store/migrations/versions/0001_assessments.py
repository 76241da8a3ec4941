"""The assessments table: one recorded assessment per neighbourhood and reporting year.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nzn_assessments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("neighbourhood_id", sa.String(200), nullable=False),
        sa.Column("reporting_year", sa.Integer, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("city", sa.String(500), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("input_file_name", sa.String(500), nullable=False),
        sa.Column("method_id", sa.String(200), nullable=False),
        sa.Column("method_version", sa.String(50), nullable=False),
        sa.Column("method_digest", sa.String(128), nullable=False),
        sa.Column("factors_version", sa.String(50), nullable=False),
        sa.Column("toolkit_version", sa.String(50), nullable=False),
        sa.Column("results_json", sa.Text, nullable=False),
        sa.UniqueConstraint("neighbourhood_id", "reporting_year", name="uq_nzn_assessments_place_year"),
    )
    op.create_index("ix_nzn_assessments_neighbourhood_id", "nzn_assessments", ["neighbourhood_id"])


def downgrade() -> None:
    op.drop_index("ix_nzn_assessments_neighbourhood_id", table_name="nzn_assessments")
    op.drop_table("nzn_assessments")
