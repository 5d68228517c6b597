"""notify(): the one way a service writes a notification."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import Notification
from marketplace.services.common import notifications
from tests.gig_fixtures import make_user


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_notify_adds_one_row_in_the_callers_transaction_cut_to_its_columns(db):
    user = make_user(db, "reader")
    at = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    notifications.notify(
        db,
        user_id=user.id,
        kind="order.deliver",
        title="T" * 300,
        body="B" * 2000,
        link="/orders/GW-1",
        at=at,
    )
    with Session(db.get_bind()) as other:  # nothing is committed before the caller commits
        assert other.exec(select(Notification)).all() == []
    db.commit()
    (row,) = db.exec(select(Notification)).all()
    assert (row.user_id, row.kind, row.link) == (user.id, "order.deliver", "/orders/GW-1")
    assert (len(row.title), len(row.body)) == (200, 1000)
    assert row.created_at.replace(tzinfo=UTC) == at
    assert (row.read_at, row.pushed_at) == (None, None)
    assert notifications.unread_count(db, user_id=user.id) == 1


def test_notify_without_a_time_stamps_it_now_and_refuses_a_link_off_the_site(db):
    user = make_user(db, "reader")
    row = notifications.notify(db, user_id=user.id, kind="level.up", title="Level 1")
    assert row.created_at.tzinfo is not None and row.link == ""
    for link in ("https://evil.example/", "//evil.example/x", "orders/GW-1", "/" + "x" * 300):
        with pytest.raises(ValueError):
            notifications.notify(db, user_id=user.id, kind="k", title="t", link=link)
    with pytest.raises(ValueError):
        notifications.notify(db, user_id=user.id, kind="k" * 41, title="t")


def test_no_service_builds_a_notification_row_by_hand():
    """Every notification is written by notify(); a `Notification(` call elsewhere under
    services/ would be a second way."""
    root = Path(__file__).resolve().parents[2] / "marketplace" / "services"
    home = root / "common" / "notifications.py"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == home:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name == "Notification":
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []
