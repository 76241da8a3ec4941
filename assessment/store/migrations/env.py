"""Alembic environment of the history store: run on the connection the store hands over (never from an alembic.ini)."""

from __future__ import annotations

from alembic import context

from assessment.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
