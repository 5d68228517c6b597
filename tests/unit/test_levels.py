"""Seller levels: every threshold at its boundary, the metrics read from the rows, and what a
change does (notification, search documents, active-gig limit, the schedule)."""

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import (
    FreelancerProfile,
    ModerationAction,
    Notification,
    SearchOutbox,
)
from marketplace.services.reviews import levels
from marketplace.services.reviews import order_reviews as reviews
from marketplace.settings import load_settings
from tests.gig_fixtures import make_categories, make_user, published_gig
from tests.review_fixtures import NOW, completed_order

THRESHOLDS = load_settings({}).level_thresholds


def metrics_meeting(level: str) -> levels.SellerMetrics:
    """Exactly the thresholds of `level` (ranked levels nest, so the lower ones are met too)."""
    wanted = THRESHOLDS[level]
    return levels.SellerMetrics(
        age_days=int(wanted["age_days"]),
        orders=int(wanted["orders"]),
        clients=int(wanted["clients"]),
        earnings_cents=int(wanted["earnings"] * 100),
        rating=wanted["rating"],
        on_time=wanted["on_time"],
        response=wanted["response"],
        warnings=0,
    )


BELOW = {
    "age_days": lambda m: {"age_days": m.age_days - 1},
    "orders": lambda m: {"orders": m.orders - 1},
    "clients": lambda m: {"clients": m.clients - 1},
    "earnings": lambda m: {"earnings_cents": m.earnings_cents - 1},
    "rating": lambda m: {"rating": round(m.rating - 0.01, 2)},
    "on_time": lambda m: {"on_time": m.on_time - 0.1},
    "response": lambda m: {"response": m.response - 0.1},
}
PREVIOUS = {"level_1": "new", "level_2": "level_1", "top_rated": "level_2"}


@pytest.mark.parametrize("level", ["level_1", "level_2", "top_rated"])
def test_exactly_at_every_threshold_reaches_the_level(level):
    assert levels.qualifying_level(metrics_meeting(level), THRESHOLDS) == level


@pytest.mark.parametrize("metric", sorted(BELOW))
@pytest.mark.parametrize("level", ["level_1", "level_2", "top_rated"])
def test_just_below_any_threshold_falls_to_the_highest_level_it_still_meets(level, metric):
    at = metrics_meeting(level)
    below = dataclasses.replace(at, **BELOW[metric](at))
    expected = PREVIOUS[level]  # where a lower level asks as much (on-time: 90 % for both)
    while expected != "new" and THRESHOLDS[expected][metric] > below.value(metric):
        expected = PREVIOUS[expected]
    assert levels.qualifying_level(below, THRESHOLDS) == expected
    lower = THRESHOLDS.get(PREVIOUS[level], {})
    if lower.get(metric, 0) < THRESHOLDS[level][metric]:
        assert expected == PREVIOUS[level]


def test_a_seller_with_no_history_is_new():
    nothing = levels.SellerMetrics(0, 0, 0, 0, None, None, None, 0)
    assert levels.qualifying_level(nothing, THRESHOLDS) == "new"


def test_unmeasured_response_rate_is_skipped_but_missing_reviews_are_not():
    at = metrics_meeting("level_2")
    assert levels.qualifying_level(dataclasses.replace(at, response=None), THRESHOLDS) == "level_2"
    assert levels.qualifying_level(dataclasses.replace(at, rating=None), THRESHOLDS) == "new"
    assert levels.qualifying_level(dataclasses.replace(at, on_time=None), THRESHOLDS) == "new"


def test_a_recent_warning_keeps_a_seller_at_new():
    top = dataclasses.replace(metrics_meeting("top_rated"), warnings=1)
    assert levels.qualifying_level(top, THRESHOLDS) == "new"


def test_thresholds_come_from_the_settings():
    settings = load_settings({"LEVEL_1_REQUIRES": "orders=1,clients=1,earnings=1,rating=1"})
    assert settings.level_thresholds["level_1"]["orders"] == 1
    assert settings.level_thresholds["level_1"]["age_days"] == 60  # the default stays
    with pytest.raises(ValueError, match="unknown metric"):
        load_settings({"LEVEL_2_REQUIRES": "karma=3"})


# --- from the rows ----------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'levels.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def level_one_history(db, *, late: int = 0):
    """A seller 90 days old with 10 completed orders from 3 clients, $800 owed, all rated 5."""
    seller = make_user(db, "seller", seller=True)
    profile = db.exec(select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)).one()
    profile.created_at = NOW - timedelta(days=90)
    db.add(profile)
    clients = [make_user(db, "client") for _ in range(3)]
    _, sub = make_categories(db)
    gig = published_gig(db, seller, sub)
    for index in range(10):
        at = NOW - timedelta(days=10 - index)
        order = completed_order(
            db,
            buyer=clients[index % 3],
            seller=seller,
            gig=gig,
            completed_at=at,
            late=index < late,
        )
        reviews.submit_buyer_review(
            db, actor=clients[index % 3], order_code=order.code, rating=5, communication=5,
            as_described=5, recommend=True, body="Great", now=at + timedelta(hours=1),
        )  # fmt: skip
        reviews.submit_seller_review(
            db, actor=seller, order_code=order.code, rating=5, body="Kind",
            now=at + timedelta(hours=2),
        )  # fmt: skip
    db.flush()
    return seller, profile, gig


def test_metrics_are_measured_from_orders_and_reviews(db):
    seller, _, _ = level_one_history(db, late=1)
    metrics = levels.measure(db, seller_id=seller.id, now=NOW)
    assert (metrics.orders, metrics.clients, metrics.earnings_cents) == (10, 3, 80_000)
    assert (metrics.rating, metrics.on_time, metrics.response) == (5.0, 90.0, None)
    assert metrics.age_days == 90 and metrics.warnings == 0


def test_a_promotion_notifies_queues_every_gig_and_raises_the_gig_limit(db):
    seller, profile, gig = level_one_history(db)
    outbox_before = len(db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig.id)).all())
    change = levels.evaluate_seller(db, seller_id=seller.id, now=NOW)
    assert change == levels.LevelChange(seller.id, "new", "level_1")
    db.refresh(profile)
    assert profile.level == "level_1" and profile.level_evaluated_at == NOW
    note = db.exec(
        select(Notification).where(
            Notification.user_id == seller.id, Notification.kind.startswith("level.")
        )
    ).one()
    assert note.title == "You are now Level 1" and "up to 10 gigs" in note.body
    outbox_after = len(db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig.id)).all())
    assert outbox_after == outbox_before + 1
    assert levels.evaluate_seller(db, seller_id=seller.id, now=NOW) is None  # no change, no note


def test_a_warning_demotes_at_the_next_evaluation(db):
    seller, profile, _ = level_one_history(db)
    levels.evaluate_seller(db, seller_id=seller.id, now=NOW)
    admin = make_user(db, "admin", admin=True)
    db.add(
        ModerationAction(
            admin_id=admin.id, target_type="user", target_id=seller.id, action="warn",
            created_at=NOW,
        )
    )  # fmt: skip
    db.flush()
    change = levels.evaluate_seller(db, seller_id=seller.id, now=NOW + timedelta(hours=1))
    assert change.new == "new"
    assert "Your seller level is now New seller" in [
        n.title for n in db.exec(select(Notification).where(Notification.user_id == seller.id))
    ]


def test_orders_outside_the_window_do_not_count(db):
    seller, _, _ = level_one_history(db)
    later = NOW + timedelta(days=60)
    assert levels.measure(db, seller_id=seller.id, now=later).orders == 0
    assert levels.evaluate_seller(db, seller_id=seller.id, now=later) is None  # still new


def test_the_schedule_takes_stale_and_recently_active_sellers_only(db):
    seller, profile, _ = level_one_history(db)  # orders completed within the last week
    idle = make_user(db, "idle", seller=True)  # never evaluated, no activity: keeps its level
    db.flush()
    assert levels.due_seller_ids(db, now=NOW) == [seller.id]
    levels.evaluate_seller(db, seller_id=seller.id, now=NOW)
    db.flush()
    assert levels.due_seller_ids(db, now=NOW + timedelta(hours=1)) == []
    assert seller.id in levels.due_seller_ids(db, now=NOW + timedelta(days=1))
    assert idle.id not in levels.due_seller_ids(db, now=NOW + timedelta(days=1))


def test_the_dashboard_shows_each_metric_against_the_next_level(db):
    seller, _, _ = level_one_history(db, late=2)
    shown = levels.progress(db, actor=seller, now=NOW)
    assert shown.level == "new" and shown.next_level == "level_1"
    by_metric = {row.metric: row for row in shown.metrics}
    assert "response" not in by_metric  # not measurable yet: not shown
    assert by_metric["orders"].met and by_metric["orders"].percent == 100
    assert not by_metric["on_time"].met and by_metric["on_time"].percent == 89
    assert by_metric["earnings"].value == 800.0 and by_metric["earnings"].target == 400
