"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jusoor.core import migrate
from jusoor.core.crypto import all_models_metadata
from jusoor.core.db import Database


def test_migrations_produce_the_models_schema(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, all_models_metadata())
    assert diff == [], f"models and migrations differ: {diff}"


def test_every_model_table_exists_after_upgrade(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert set(all_models_metadata().tables) <= tables


def test_upgrade_is_idempotent_and_current(database: Database) -> None:
    migrate.upgrade(database.engine)  # a second run changes nothing and does not fail
    assert migrate.is_current(database.engine)
    assert migrate.current_revisions(database.engine) <= migrate.head_revisions()


def test_an_empty_database_is_not_current(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert not migrate.is_current(db.engine)
    finally:
        db.dispose()
