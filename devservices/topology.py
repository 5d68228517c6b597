"""The scaled topology's outside servers: PostgreSQL and Redis, as this machine runs them on
loopback (or as DATABASE_URL / REDIS_URL name them).

`make run-scaled`, the scaled e2e pass and `bench/load.py` use these to check that the servers
answer, to create the marketplace's database when it is missing, and to make (and drop) a
throwaway database for a test run."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

DEFAULT_POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/gigworks"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def postgres_answers(url: str) -> bool:
    """True when the server behind `url` accepts a connection (to its `postgres` database)."""
    engine = create_engine(make_url(url).set(database="postgres"), pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def ensure_postgres_database(url: str) -> bool:
    """Create the database `url` names if the server lacks it; True when it was created."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).first()
            if exists:
                return False
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
            return True
    finally:
        admin.dispose()


def create_throwaway_database(server_url: str, prefix: str = "gw_e2e") -> str:
    """A new empty database with a random name on the server of `server_url`; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    ensure_postgres_database(url)
    return url


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        admin.dispose()
