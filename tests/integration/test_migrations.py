"""The Alembic migration creates exactly the tables the models describe (SQLite, PostgreSQL)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import marketplace.models  # noqa: F401
from marketplace.db import make_engine
from marketplace.migrations import downgrade_to_base, upgrade_to_head
from tests.pg import fresh_postgres_database, needs_postgres


def assert_schema_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(SQLModel.metadata.tables) <= tables
        assert "alembic_version" in tables
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert diff == [], f"models and migration differ: {diff}"
    finally:
        engine.dispose()


def round_trip(url: str) -> None:
    upgrade_to_head(url)
    assert_schema_matches_models(url)
    downgrade_to_base(url)
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade_to_head(url)  # and back up again: the downgrade really undid everything
    assert_schema_matches_models(url)


def test_migrations_apply_on_an_empty_sqlite_database(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'empty.db'}")


@needs_postgres
@pytest.mark.postgres
def test_migrations_apply_on_postgresql():
    with fresh_postgres_database() as url:
        round_trip(url)
