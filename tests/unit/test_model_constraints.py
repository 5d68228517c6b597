"""The database itself refuses impossible values, whatever code path tries to write them."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

import marketplace.models as m
from marketplace.db import make_engine


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'constraints.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def gig(session):
    seller = m.User(email="s@example.com", username="seller", display_name="Sam Seller")
    buyer = m.User(email="b@example.com", username="buyer", display_name="Bea Buyer")
    parent = m.Category(name="Design", slug="design")
    session.add_all([seller, buyer, parent])
    session.flush()
    sub = m.Category(name="Logo", slug="logo", parent_id=parent.id)
    session.add(sub)
    session.flush()
    gig = m.Gig(seller_id=seller.id, category_id=sub.id, slug="logo", title="I will design a logo")
    session.add(gig)
    session.commit()
    return gig


def _refused(session, row):
    session.add(row)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def package(gig, **overrides):
    values = dict(gig_id=gig.id, tier="basic", name="Basic", price_cents=1000, delivery_days=3)
    return m.GigPackage(**{**values, **overrides})


def test_valid_package_is_stored(session, gig):
    session.add(package(gig))
    session.commit()


@pytest.mark.parametrize(
    "overrides",
    [
        {"price_cents": -500},
        {"price_cents": 499},
        {"price_cents": 1_000_001},
        {"delivery_days": 0},
        {"delivery_days": 91},
        {"revisions": 11},
        {"revisions": -2},
        {"tier": "platinum"},
    ],
)
def test_impossible_packages_are_refused(session, gig, overrides):
    _refused(session, package(gig, **overrides))


def test_one_package_per_tier(session, gig):
    session.add(package(gig))
    session.commit()
    _refused(session, package(gig))


def order(gig, **overrides):
    values = dict(
        code="GW-TEST0001",
        gig_id=gig.id,
        buyer_id=gig.seller_id + 1,
        seller_id=gig.seller_id,
        title=gig.title,
        subtotal_cents=10_000,
        service_fee_cents=550,
        total_cents=10_550,
        commission_cents=2_000,
        seller_earnings_cents=8_000,
        delivery_days=3,
    )
    return m.Order(**{**values, **overrides})


def test_order_amounts_must_add_up(session, gig):
    session.add(order(gig))
    session.commit()
    _refused(session, order(gig, code="GW-2", total_cents=10_000))
    _refused(session, order(gig, code="GW-3", seller_earnings_cents=9_000))
    _refused(session, order(gig, code="GW-4", subtotal_cents=0, total_cents=550))
    _refused(session, order(gig, code="GW-5", status="teleported"))


def review(gig, **overrides):
    values = dict(
        order_id=1,
        seller_id=gig.seller_id,
        buyer_id=gig.seller_id + 1,
        rating=5,
        communication=5,
        as_described=5,
    )
    return m.Review(**{**values, **overrides})


@pytest.mark.parametrize(
    "overrides", [{"rating": 6}, {"rating": 0}, {"communication": 6}, {"as_described": 0}]
)
def test_ratings_outside_one_to_five_are_refused(session, gig, overrides):
    session.add(order(gig))
    session.commit()
    _refused(session, review(gig, **overrides))


def test_one_review_per_order(session, gig):
    session.add(order(gig))
    session.commit()
    session.add(review(gig))
    session.commit()
    _refused(session, review(gig))


def test_ledger_amounts_are_never_negative_and_keys_unique(session, gig):
    session.add(order(gig))
    session.commit()
    session.add(
        m.LedgerEntry(order_id=1, kind="capture", amount_cents=10_550, idempotency_key="k1")
    )
    session.commit()
    _refused(
        session, m.LedgerEntry(order_id=1, kind="refund", amount_cents=-1, idempotency_key="k2")
    )
    _refused(
        session, m.LedgerEntry(order_id=1, kind="refund", amount_cents=5, idempotency_key="k1")
    )


def test_emails_and_usernames_are_unique(session, gig):
    _refused(session, m.User(email="s@example.com", username="other", display_name="X"))
    _refused(session, m.User(email="x@example.com", username="seller", display_name="X"))


def test_foreign_keys_are_enforced(session):
    _refused(session, m.Gig(seller_id=999, category_id=999, slug="x", title="I will fail here"))


def test_naive_datetimes_are_refused(session, gig):
    from datetime import datetime

    gig.published_at = datetime(2026, 1, 1)  # no tzinfo
    session.add(gig)
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()
