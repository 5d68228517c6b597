"""After a review is published, the gig's and seller's aggregates change in the same
transaction, and the gig's search document follows through the outbox (real Meilisearch)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import meilisearch
import pytest
from sqlmodel import Session, select

from devservices.meili import MeiliServer
from devservices.process import free_port
from marketplace.db import make_engine, session_scope
from marketplace.migrations import upgrade_to_head
from marketplace.models import FreelancerProfile, Gig, SearchOutbox
from marketplace.services.reviews import order_reviews as reviews
from marketplace.settings import load_settings
from search import sync
from search.index import ensure_live_index
from tests.gig_fixtures import make_categories, make_user, published_gig
from tests.review_fixtures import completed_order

MASTER_KEY = "review-aggregates-master-key-01"


@pytest.fixture(scope="module")
def meili(tmp_path_factory):
    data = tmp_path_factory.mktemp("meili-reviews")
    server = MeiliServer(
        db_path=data / "data.ms", port=free_port(), master_key=MASTER_KEY, log_path=data / "log"
    )
    with server:
        yield server


def test_a_published_review_moves_the_aggregates_and_the_search_document(meili, tmp_path):
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    settings = load_settings(
        {
            "GIGWORKS_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "s" * 40,
            "MEILI_URL": meili.url,
            "MEILI_MASTER_KEY": MASTER_KEY,
            "MEILI_INDEX_PREFIX": f"rv{os.getpid()}_",
        }
    )
    index = ensure_live_index(meilisearch.Client(meili.url, MASTER_KEY), settings)
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        buyer = make_user(session, "buyer")
        seller = make_user(session, "seller", seller=True)
        _, sub = make_categories(session)
        gig = published_gig(session, seller, sub)
        order = completed_order(
            session, buyer=buyer, seller=seller, gig=gig, completed_at=now - timedelta(hours=1)
        )
        session.commit()
    sync.drain_outbox(engine, index)
    assert index.get_document(gig.id).rating_count == 0

    with session_scope(engine) as session:
        reviews.submit_buyer_review(
            session, actor=buyer, order_code=order.code, rating=4, communication=5,
            as_described=4, recommend=True, body="Good work, a little late.",
        )  # fmt: skip
    with Session(engine) as session:  # blind: nothing moved, nothing queued for the review
        assert session.get(Gig, gig.id).rating_count == 0
        assert not session.exec(
            select(SearchOutbox).where(SearchOutbox.processed_at.is_(None))
        ).all()

    with session_scope(engine) as session:
        reviews.submit_seller_review(
            session, actor=seller, order_code=order.code, rating=5, body="Clear brief."
        )
    with Session(engine) as session:
        fresh = session.get(Gig, gig.id)
        profile = session.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)
        ).one()
        assert (fresh.rating_avg, fresh.rating_count, fresh.orders_completed) == (4.0, 1, 1)
        assert (profile.rating_avg, profile.rating_count) == (4.0, 1)
        queued = session.exec(
            select(SearchOutbox.gig_id).where(SearchOutbox.processed_at.is_(None))
        ).all()
        assert queued == [gig.id]

    report = sync.drain_outbox(engine, index)
    assert report.upserted == 1
    document = index.get_document(gig.id)
    assert (document.rating_avg, document.rating_count, document.orders_completed) == (4.0, 1, 1)
    engine.dispose()
