"""After the migrations, the database itself refuses to rewrite the audit log (SQLite and
PostgreSQL): raw UPDATE and DELETE on moderation_action fail, INSERT works."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from marketplace.db import make_engine
from marketplace.migrations import upgrade_to_head
from tests.pg import fresh_postgres_database, needs_postgres


def assert_append_only(url: str) -> None:
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    'INSERT INTO "user" (email, username, display_name, is_admin, status,'
                    " email_verified, mail_opt_out, created_at) VALUES ('a@example.com', 'a',"
                    " 'A', true, 'active', true, '[]', '2026-12-02 00:00:00+00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO moderation_action (admin_id, target_type, target_id, action,"
                    " reason, data, created_at) SELECT id, 'user', id, 'warn_user', 'original',"
                    " '{}', '2026-12-02 00:00:00+00:00' FROM \"user\""
                )
            )
        for statement in (
            "UPDATE moderation_action SET reason = 'rewritten'",
            "DELETE FROM moderation_action",
        ):
            with (
                pytest.raises(DBAPIError, match="append-only"),
                engine.begin() as connection,
            ):
                connection.execute(text(statement))
        with engine.connect() as connection:
            reasons = connection.execute(text("SELECT reason FROM moderation_action")).all()
        assert [r[0] for r in reasons] == ["original"]
    finally:
        engine.dispose()


def test_the_migrated_sqlite_audit_log_refuses_update_and_delete(tmp_path):
    assert_append_only(f"sqlite:///{tmp_path / 'audit.db'}")


@needs_postgres
@pytest.mark.postgres
def test_the_migrated_postgresql_audit_log_refuses_update_and_delete():
    with fresh_postgres_database() as url:
        assert_append_only(url)
