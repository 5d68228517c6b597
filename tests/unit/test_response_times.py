"""A seller's response time: measured from first answers, and not shown until MIN_ANSWERED
buyers' first messages have been answered."""

from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel

from marketplace.db import make_engine, utcnow
from marketplace.models import Conversation, Message
from marketplace.services.messaging import response_times
from tests.gig_fixtures import make_user


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'response.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def exchange(db, seller, hours: float | None):
    """A buyer writes twice; the seller answers `hours` after the first message (or never)."""
    buyer = make_user(db, "asker")
    thread = Conversation(buyer_id=buyer.id, seller_id=seller.id)
    db.add(thread)
    db.flush()
    start = utcnow() - timedelta(days=3)
    db.add(Message(conversation_id=thread.id, sender_id=buyer.id, body="Hi", created_at=start))
    db.add(
        Message(
            conversation_id=thread.id, sender_id=buyer.id, body="Still there?",
            created_at=start + timedelta(minutes=30),
        )
    )  # fmt: skip
    if hours is not None:
        db.add(
            Message(
                conversation_id=thread.id, sender_id=seller.id, body="Yes",
                created_at=start + timedelta(hours=hours),
            )
        )  # fmt: skip
    db.flush()


def test_no_figure_until_enough_first_messages_are_answered(db):
    seller = make_user(db, "seller", seller=True)
    exchange(db, seller, 2)
    exchange(db, seller, 4)
    exchange(db, seller, None)  # unanswered: does not count as answered
    assert response_times.measured_response_hours(db, seller_id=seller.id) is None
    exchange(db, seller, 6)
    # measured from each buyer's FIRST message: (2 + 4 + 6) / 3
    assert response_times.measured_response_hours(db, seller_id=seller.id) == 4
    assert response_times.response_rate(db, seller_id=seller.id) == 75.0
