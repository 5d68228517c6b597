"""The review window, double-blind publication, replies, reports and the aggregates they move."""

from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import (
    FreelancerProfile,
    Gig,
    Notification,
    OrderStatus,
    Report,
    SearchOutbox,
)
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.reviews import order_reviews as reviews
from tests.gig_fixtures import make_categories, make_user, published_gig
from tests.review_fixtures import NOW, completed_order


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'reviews.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def cast(db):
    buyer = make_user(db, "buyer", seller=True)  # a buyer with a profile has a country
    seller = make_user(db, "seller", seller=True)
    _, sub = make_categories(db)
    gig = published_gig(db, seller, sub)
    order = completed_order(db, buyer=buyer, seller=seller, gig=gig)
    return buyer, seller, gig, order


def buyer_review(db, buyer, order, *, rating=5, at=NOW + timedelta(days=1), body="Great work"):
    return reviews.submit_buyer_review(
        db,
        actor=buyer,
        order_code=order.code,
        rating=rating,
        communication=4,
        as_described=5,
        recommend=True,
        body=body,
        now=at,
    )


def seller_review(db, seller, order, *, at=NOW + timedelta(days=1)):
    return reviews.submit_seller_review(
        db, actor=seller, order_code=order.code, rating=5, body="Clear brief", now=at
    )


# --- the window -------------------------------------------------------------------------------


def test_the_window_is_open_until_just_before_ten_days_after_completion(db, cast):
    buyer, _, _, order = cast
    last_moment = NOW + timedelta(days=10) - timedelta(microseconds=1)
    assert reviews.window_open(order, last_moment)
    assert not reviews.window_open(order, NOW + timedelta(days=10))
    buyer_review(db, buyer, order, at=last_moment)


def test_a_review_after_the_window_is_refused(db, cast):
    buyer, _, _, order = cast
    with pytest.raises(DomainError, match="review period for this order has ended"):
        buyer_review(db, buyer, order, at=NOW + timedelta(days=10))


def test_an_order_that_is_not_completed_cannot_be_reviewed(db, cast):
    buyer, seller, gig, _ = cast
    delivered = completed_order(
        db, buyer=buyer, seller=seller, gig=gig, status=OrderStatus.delivered.value
    )
    with pytest.raises(DomainError, match="once it is completed"):
        buyer_review(db, buyer, delivered)


def test_one_review_per_order_per_side(db, cast):
    buyer, seller, _, order = cast
    buyer_review(db, buyer, order)
    with pytest.raises(DomainError, match="already reviewed"):
        buyer_review(db, buyer, order)
    seller_review(db, seller, order)
    with pytest.raises(DomainError, match="already reviewed this buyer"):
        seller_review(db, seller, order)


def test_only_the_parties_review_and_each_only_their_side(db, cast):
    buyer, seller, _, order = cast
    stranger = make_user(db, "stranger")
    with pytest.raises(NotFound):
        buyer_review(db, stranger, order)
    with pytest.raises(PermissionDenied):
        buyer_review(db, seller, order)
    with pytest.raises(PermissionDenied):
        seller_review(db, buyer, order)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", 0, "1 to 5 stars for your overall rating"),
        ("rating", 6, "1 to 5 stars"),
        ("rating", True, "1 to 5 stars"),
        ("communication", "x", "1 to 5 stars for communication"),
        ("as_described", None, "service as described"),
        ("recommend", "yes", "would recommend"),
        ("body", "", "Write your review first"),
        ("body", "x" * 1001, "1,000 characters (now 1,001)"),
    ],
)
def test_review_fields_are_checked(db, cast, field, value, message):
    buyer, _, _, order = cast
    values = dict(rating=5, communication=5, as_described=5, recommend=True, body="Good")
    values[field] = value
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        reviews.submit_buyer_review(
            db, actor=buyer, order_code=order.code, now=NOW + timedelta(hours=1), **values
        )


def test_a_thousand_characters_is_allowed(db, cast):
    buyer, _, _, order = cast
    assert len(buyer_review(db, buyer, order, body="x" * 1000).body) == 1000


# --- double-blind -----------------------------------------------------------------------------


def test_neither_side_sees_the_other_until_both_are_in(db, cast):
    buyer, seller, gig, order = cast
    buyer_review(db, buyer, order)
    for_buyer = reviews.order_reviews(db, actor=buyer, order=order, now=NOW + timedelta(days=1))
    for_seller = reviews.order_reviews(db, actor=seller, order=order, now=NOW + timedelta(days=1))
    assert for_buyer.mine is not None and not for_buyer.mine.published
    assert for_seller.theirs is None and for_seller.other_side_waiting
    assert for_seller.can_review and not for_seller.can_reply
    assert reviews.review_page(db, gig_id=gig.id).total == 0
    assert db.get(Gig, gig.id).rating_count == 0
    (note,) = db.exec(select(Notification).where(Notification.user_id == seller.id)).all()
    assert note.title == f"Your buyer left a review · {order.code}"

    seller_review(db, seller, order, at=NOW + timedelta(days=2))
    for_buyer = reviews.order_reviews(db, actor=buyer, order=order, now=NOW + timedelta(days=2))
    for_seller = reviews.order_reviews(db, actor=seller, order=order, now=NOW + timedelta(days=2))
    assert for_buyer.theirs is not None and for_buyer.theirs.body == "Clear brief"
    assert for_seller.theirs is not None and for_seller.theirs.rating == 5
    assert for_seller.can_reply
    assert reviews.review_page(db, gig_id=gig.id).total == 1


def test_a_lone_review_is_published_when_the_window_closes(db, cast):
    buyer, seller, gig, order = cast
    buyer_review(db, buyer, order, rating=4)
    assert reviews.publish_due(db, now=NOW + timedelta(days=10) - timedelta(seconds=1)) == 0
    assert reviews.review_page(db, gig_id=gig.id).total == 0
    assert reviews.publish_due(db, now=NOW + timedelta(days=10)) == 1
    page = reviews.review_page(db, gig_id=gig.id)
    assert page.total == 1 and page.rows[0].rating == 4
    assert page.rows[0].package == "Standard: Brand kit" and page.rows[0].buyer_country == "PT"
    assert reviews.order_reviews(db, actor=seller, order=order).theirs is not None


def test_the_seller_review_alone_is_published_when_the_window_closes(db, cast):
    buyer, seller, _, order = cast
    seller_review(db, seller, order)
    assert reviews.order_reviews(db, actor=buyer, order=order).theirs is None
    assert reviews.publish_due(db, now=NOW + timedelta(days=11)) == 1
    assert reviews.order_reviews(db, actor=buyer, order=order).theirs is not None


# --- aggregates -------------------------------------------------------------------------------


def test_publishing_moves_the_aggregates_and_queues_the_gig(db, cast):
    buyer, seller, gig, order = cast
    db.exec(select(SearchOutbox)).all()
    before = len(db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig.id)).all())
    buyer_review(db, buyer, order, rating=4)
    seller_review(db, seller, order)
    second = completed_order(db, buyer=buyer, seller=seller, gig=gig)
    buyer_review(db, buyer, second, rating=5)
    seller_review(db, seller, second)
    db.refresh(gig)
    profile = db.exec(select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)).one()
    assert (gig.rating_avg, gig.rating_count) == (4.5, 2)
    assert (profile.rating_avg, profile.rating_count) == (4.5, 2)
    assert gig.orders_completed == 2 and profile.orders_completed == 2
    after = len(db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig.id)).all())
    assert after == before + 2
    summary = reviews.summary(db, gig_id=gig.id)
    assert (summary.average, summary.count) == (4.5, 2)
    assert summary.histogram == [(5, 1), (4, 1), (3, 0), (2, 0), (1, 0)]
    assert (summary.communication, summary.as_described, summary.recommend_percent) == (
        4.0,
        5.0,
        100,
    )


def test_a_hidden_review_leaves_the_averages(db, cast):
    from marketplace.services.reviews import aggregates

    buyer, seller, gig, order = cast
    review = buyer_review(db, buyer, order, rating=1)
    seller_review(db, seller, order)
    assert db.get(Gig, gig.id).rating_count == 1
    review.hidden = True
    db.add(review)
    aggregates.refresh_for_review(db, review_id=review.id)
    db.refresh(gig)
    assert (gig.rating_avg, gig.rating_count) == (0.0, 0)
    assert reviews.review_page(db, gig_id=gig.id).total == 0


# --- replies, reports, pages ----------------------------------------------------------------


def test_the_seller_replies_once_to_a_public_review(db, cast):
    buyer, seller, _, order = cast
    review = buyer_review(db, buyer, order)
    with pytest.raises(DomainError, match="once the review is public"):
        reviews.reply(db, actor=seller, review_id=review.id, text="Thanks")
    seller_review(db, seller, order)
    with pytest.raises(PermissionDenied):
        reviews.reply(db, actor=buyer, review_id=review.id, text="Me too")
    reviews.reply(db, actor=seller, review_id=review.id, text="Thanks!")
    with pytest.raises(DomainError, match="already replied"):
        reviews.reply(db, actor=seller, review_id=review.id, text="Again")
    with pytest.raises(NotFound):
        reviews.reply(db, actor=seller, review_id="1", text="x")


def test_a_report_makes_one_open_report_row(db, cast):
    buyer, seller, _, order = cast
    review = buyer_review(db, buyer, order)
    seller_review(db, seller, order)
    reader = make_user(db, "reader")
    with pytest.raises(DomainError, match="Choose why"):
        reviews.report(db, actor=reader, review_id=review.id, reason="because")
    reviews.report(db, actor=reader, review_id=review.id, reason="spam", details="An advert")
    with pytest.raises(DomainError, match="already reported"):
        reviews.report(db, actor=reader, review_id=review.id, reason="spam")
    row = db.exec(select(Report)).one()
    assert (row.target_type, row.target_id, row.reason) == ("review", review.id, "spam")


def test_the_list_filters_by_stars_sorts_and_pages(db, cast):
    buyer, seller, gig, _ = cast
    bodies = ["ok", "A long and detailed review of the whole logo process.", "fine", "meh"]
    for index, body in enumerate(bodies):
        order = completed_order(db, buyer=buyer, seller=seller, gig=gig)
        at = NOW + timedelta(days=1, hours=index)
        buyer_review(db, buyer, order, rating=5 if index % 2 else 3, body=body, at=at)
        seller_review(db, seller, order, at=at)
    newest = reviews.review_page(db, gig_id=gig.id, sort="newest", shown=2)
    assert [row.body for row in newest.rows] == ["meh", "fine"] and newest.has_more
    relevant = reviews.review_page(db, gig_id=gig.id, sort="relevant")
    assert relevant.rows[0].body.startswith("A long") and not relevant.has_more
    three = reviews.review_page(db, gig_id=gig.id, stars=3)
    assert three.total == 2 and {row.rating for row in three.rows} == {3}
    odd = reviews.review_page(db, gig_id=gig.id, sort="<script>", stars="5", shown=10**9)
    assert odd.total == 4


def test_reviews_to_write_lists_orders_waiting_for_the_viewer(db, cast):
    buyer, seller, _, order = cast
    now = NOW + timedelta(days=1)
    from marketplace.services.reviews import order_reviews as service

    waiting = service.ReviewToWrite(order.code, order.title)
    assert service.reviews_to_write(db, actor=buyer, now=now) == [waiting]
    buyer_review(db, buyer, order)
    assert service.reviews_to_write(db, actor=buyer, now=now) == []
    assert service.reviews_to_write(db, actor=seller, now=now) == [waiting]


def test_a_buyer_without_a_seller_profile_country_shows_their_account_country(db, cast):
    from marketplace.models import FreelancerProfile

    buyer, seller, gig, order = cast
    buyer_review(db, buyer, order, rating=5)
    reviews.publish_due(db, now=NOW + timedelta(days=10))
    profile = db.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == buyer.id)
    ).first()
    if profile is not None:
        profile.country = ""
        db.add(profile)
    buyer.country = "FR"
    db.add(buyer)
    db.flush()
    assert reviews.review_page(db, gig_id=gig.id).rows[0].buyer_country == "FR"
    if profile is not None:  # a seller's profile country wins on their own pages
        profile.country = "PT"
        db.add(profile)
        db.flush()
        assert reviews.review_page(db, gig_id=gig.id).rows[0].buyer_country == "PT"
