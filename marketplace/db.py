"""Database engine and session helpers.

One engine per process, built from settings. SQLite gets WAL and foreign keys switched on so the
embedded default behaves like PostgreSQL where it matters (constraints, concurrent readers).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Session, create_engine

from marketplace.settings import SettingsError, get_settings


def utcnow() -> datetime:
    """Timezone-aware now, the only kind of time the marketplace stores."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store timezone-aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url` with the marketplace's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # Every backend worker and worker process has its own pool: (workers + 2) x (size +
    # overflow) must stay under the server's max_connections (100 by default).
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,  # a restarted server's dead connections are replaced, not used
        pool_size=_pool_setting("DB_POOL_SIZE", 5),
        max_overflow=_pool_setting("DB_MAX_OVERFLOW", 5),
    )


def _pool_setting(name: str, default: int) -> int:
    raw = os.environ.get(name, "") or str(default)
    if not raw.isdigit() or not 0 <= int(raw) <= 200:
        raise SettingsError(f"{name} must be a whole number from 0 to 200, got {raw!r}")
    return int(raw)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
