"""The history store's one table, as SQLAlchemy 2 Core metadata.

One row per recorded assessment of a neighbourhood in a reporting year: the results JSON exactly as written
(``nzn assess --json``), the SHA-256 of the input file, the method and factor versions and when it was recorded.
(neighbourhood_id, reporting_year) is unique: a year is recorded once and replaced only on purpose (``--replace``).
The columns beside ``results_json`` repeat what it holds, so listings need not parse every document.
Changes to this table are made only by a new Alembic migration (assessment/store/migrations/versions/).
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

assessments = Table(
    "nzn_assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("neighbourhood_id", String(200), nullable=False),
    Column("reporting_year", Integer, nullable=False),
    Column("name", String(500), nullable=False),
    Column("city", String(500), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("input_sha256", String(64), nullable=False),
    Column("input_file_name", String(500), nullable=False),
    Column("method_id", String(200), nullable=False),
    Column("method_version", String(50), nullable=False),
    Column("method_digest", String(128), nullable=False),
    Column("factors_version", String(50), nullable=False),
    Column("toolkit_version", String(50), nullable=False),
    Column("results_json", Text, nullable=False),
    UniqueConstraint("neighbourhood_id", "reporting_year", name="uq_nzn_assessments_place_year"),
    Index("ix_nzn_assessments_neighbourhood_id", "neighbourhood_id"),
)

#: The newest migration (assessment/store/migrations/versions/): a store at another revision is upgraded when opened.
HEAD_REVISION = "0001"
