"""The conversation page's read model (services/messaging/threads.py) on a migrated database,
SQLite and PostgreSQL: a page of messages costs the same few statements whether it holds one
custom offer or six (all offers of a page in one query, with their gigs' titles), and each
offer card says what this reader may do with it."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from marketplace.db import make_engine, session_scope, utcnow
from marketplace.migrations import upgrade_to_head
from marketplace.models import CustomOffer
from marketplace.services.messaging import conversations, messages, offers, threads
from tests.gig_fixtures import make_categories, make_user, published_gig
from tests.pg import fresh_postgres_database, needs_postgres

BACKENDS = ["sqlite", pytest.param("postgres", marks=[needs_postgres, pytest.mark.postgres])]
PAGE_QUERIES = 4  # the conversation, the page of messages, the reader's seen receipt, the
# page's offers with their gigs' titles


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('threads') / 'threads.db'}"
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


@contextmanager
def counting_queries(engine):
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def a_conversation_with_offers(engine, count: int):
    """A buyer and a seller with two gigs; `count` offers alternating between the gigs, with
    text messages between them. Returns (buyer, seller, conversation id, gig titles)."""
    with session_scope(engine) as s:
        _, sub = make_categories(s)
        buyer, seller = make_user(s, "buyer"), make_user(s, "seller", seller=True)
        first, second = published_gig(s, seller, sub), published_gig(s, seller, sub)
        thread = conversations.open_with(s, actor=buyer, other_user_id=seller.id, gig_id=first.id)
        messages.send(s, actor=buyer, conversation_id=thread.id, body="Can you do a logo?")
        for n in range(count):
            gig = (first, second)[n % 2]
            offers.send_offer(
                s,
                actor=seller,
                conversation_id=thread.id,
                draft=offers.OfferDraft(
                    gig_id=gig.id,
                    description=f"Offer number {n} with source files",
                    price_cents=5_000 + 100 * n,
                    delivery_days=3,
                    revisions=n % 3 - 1,
                    expiry_days=3,
                ),  # fmt: skip
            )
            messages.send(s, actor=buyer, conversation_id=thread.id, body=f"Thanks for {n}")
        titles = (first.title, second.title)
        return buyer, seller, thread.id, titles


@pytest.mark.parametrize("count", [1, 6])
def test_a_page_costs_the_same_statements_for_one_offer_or_six(engine, count):
    buyer, _, thread_id, titles = a_conversation_with_offers(engine, count)
    with Session(engine) as s, counting_queries(engine) as queries:
        page = threads.page(s, actor=buyer, conversation_id=thread_id)
    assert len(queries) == PAGE_QUERIES, queries
    cards = [item.offer for item in page.items if item.offer is not None]
    assert len(cards) == count
    assert [c.gig_title for c in cards] == [titles[n % 2] for n in range(count)]
    assert [c.price_cents for c in cards] == [5_000 + 100 * n for n in range(count)]
    assert all(c.can_accept and not c.can_withdraw for c in cards)


def test_each_reader_sees_what_they_may_do_with_an_offer(engine):
    buyer, seller, thread_id, _ = a_conversation_with_offers(engine, 2)
    with session_scope(engine) as s:
        first = next(
            i.offer.id
            for i in threads.page(s, actor=buyer, conversation_id=thread_id).items
            if i.offer
        )
        offers.decline(s, actor=buyer, offer_id=first)
    later = utcnow() + timedelta(days=4)  # the other offer is past its expiry by then
    with Session(engine) as s:
        as_buyer = [
            i.offer
            for i in threads.page(s, actor=buyer, conversation_id=thread_id).items
            if i.offer
        ]
        as_seller = [
            i.offer
            for i in threads.page(s, actor=seller, conversation_id=thread_id).items
            if i.offer
        ]
        expired = [
            i.offer
            for i in threads.page(s, actor=buyer, conversation_id=thread_id, now=later).items
            if i.offer
        ]
        assert s.get(CustomOffer, first).status == "declined"
    assert [(o.status, o.can_accept, o.can_withdraw) for o in as_buyer] == [
        ("declined", False, False),
        ("pending", True, False),
    ]
    assert [(o.status, o.can_accept, o.can_withdraw) for o in as_seller] == [
        ("declined", False, False),
        ("pending", False, True),
    ]
    assert [(o.status, o.can_accept) for o in expired] == [("declined", False), ("expired", False)]
