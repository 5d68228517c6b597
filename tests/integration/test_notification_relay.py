"""The notification relay's claim: of several web processes claiming at once, each row is
pushed by exactly one, and an idle claim writes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlmodel import Session, select

from marketplace.db import make_engine
from marketplace.migrations import upgrade_to_head
from marketplace.models import Notification, User
from marketplace.services.common import notifications
from tests.pg import POSTGRES_URL, fresh_postgres_database

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)"
))]  # fmt: skip
RECIPIENTS = 60


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'relay.db'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
    else:
        with fresh_postgres_database() as url:
            upgrade_to_head(url)
            engine = make_engine(url)
            yield engine
            engine.dispose()


def recipients(engine, count: int) -> list[int]:
    """Users written straight as rows (the claim does not care how they joined)."""
    with Session(engine) as session:
        users = [
            User(
                email=f"r{n}-{uuid.uuid4().hex[:6]}@example.com",
                username=f"r{n}{uuid.uuid4().hex[:6]}",
                display_name=f"Recipient {n}",
                password_hash="!",
            )
            for n in range(count)
        ]
        session.add_all(users)
        session.flush()
        ids = [user.id for user in users]
        for user_id in ids:
            session.add(Notification(user_id=user_id, kind="level", title="Level changed"))
        session.commit()
    return ids


def test_concurrent_claims_push_every_row_exactly_once(engine):
    wanted = recipients(engine, RECIPIENTS)
    claimed: list[list[int]] = [[], [], []]
    start = threading.Barrier(len(claimed))
    errors: list[BaseException] = []

    def web_process(mine: list[int]) -> None:
        try:
            start.wait()
            while True:
                with Session(engine) as session:
                    users = notifications.claim_unpushed(session, limit=7)
                    session.commit()
                if not users:
                    return
                mine.extend(users)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=web_process, args=(mine,)) for mine in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    everything = [user for mine in claimed for user in mine]
    assert sorted(everything) == sorted(wanted)  # each once: none twice, none missed
    with Session(engine) as session:
        left = session.exec(select(Notification).where(Notification.pushed_at.is_(None))).all()
    assert left == []


def test_an_idle_claim_finds_nothing_and_a_new_row_is_claimed_once(engine):
    (user_id,) = recipients(engine, 1)
    with Session(engine) as session:
        assert notifications.claim_unpushed(session) == [user_id]
        session.commit()
    with Session(engine) as session:
        assert notifications.claim_unpushed(session) == []
        session.add(Notification(user_id=user_id, kind="order", title="Order delivered"))
        session.commit()
    with Session(engine) as session:
        assert notifications.claim_unpushed(session) == [user_id]
        session.commit()
