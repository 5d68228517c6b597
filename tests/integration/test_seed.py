"""The demo seed: what it promises about the data, on SQLite (and PostgreSQL when available)."""

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

import marketplace.models  # noqa: F401  (registers every table)
from marketplace.auth.passwords import verify_password
from marketplace.db import make_engine
from marketplace.demo.seed import (
    ADMIN_EMAIL,
    DEMO_BUYER_EMAIL,
    DEMO_SELLER_EMAIL,
    SeedError,
    database_is_empty,
    default_anchor,
    seed,
)
from marketplace.models import (
    Category,
    Delivery,
    FreelancerProfile,
    Gig,
    GigExtra,
    GigFAQ,
    GigPackage,
    GigRequirement,
    LedgerEntry,
    Order,
    OrderEvent,
    Review,
    User,
)
from marketplace.services.moderation import dashboard
from tests.pg import fresh_postgres_database, needs_postgres

CHAIN = [
    ("place", None, "pending_payment", "buyer"),
    ("pay", "pending_payment", "awaiting_requirements", "buyer"),
    ("submit_requirements", "awaiting_requirements", "in_progress", "buyer"),
    ("deliver", "in_progress", "delivered", "seller"),
    ("accept", "delivered", "completed", "buyer"),
]
USERNAME = re.compile(r"^[a-z0-9_]+$")
ORDER_CODE = re.compile(r"^GW-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$")
ANCHOR = default_anchor()  # what seed() uses by default: the start of the day it runs


def empty_engine(url: str):
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    return engine


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One 600-gig demo marketplace (seed 7) shared by the read-only checks below."""
    path = tmp_path_factory.mktemp("seed") / "demo.db"
    engine = empty_engine(f"sqlite:///{path}")
    messages: list[str] = []
    report = seed(engine, seed=7, progress=messages.append, anchor=ANCHOR)
    yield engine, report, messages
    engine.dispose()


def all_rows(engine, model):
    with Session(engine) as session:
        return session.exec(select(model)).scalars().all()


def by_key(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


# --- catalogue -------------------------------------------------------------------------------


def test_categories_form_a_fiverr_like_tree(seeded):
    engine, report, _ = seeded
    categories = all_rows(engine, Category)
    top = [c for c in categories if c.parent_id is None]
    subs = [c for c in categories if c.parent_id is not None]
    assert len(top) >= 8 and len(subs) >= 30
    assert (report.categories, report.subcategories) == (len(top), len(subs))
    assert {"Graphics & Design", "Programming & Tech", "Digital Marketing"} <= {c.name for c in top}
    assert all(c.icon and c.description for c in top)
    assert len({c.slug for c in categories}) == len(categories)
    top_ids = {c.id for c in top}
    assert all(s.parent_id in top_ids for s in subs)
    assert all(any(s.parent_id == t.id for s in subs) for t in top), "a category has no children"


def test_gigs_are_complete_and_consistent(seeded):
    engine, report, _ = seeded
    gigs = all_rows(engine, Gig)
    packages = by_key(all_rows(engine, GigPackage), "gig_id")
    extras = by_key(all_rows(engine, GigExtra), "gig_id")
    faqs = by_key(all_rows(engine, GigFAQ), "gig_id")
    requirements = by_key(all_rows(engine, GigRequirement), "gig_id")
    subcategory_ids = {c.id for c in all_rows(engine, Category) if c.parent_id is not None}

    assert len(gigs) == report.gigs >= 600
    assert len({g.slug for g in gigs}) == len(gigs)
    for gig in gigs:
        assert gig.title.startswith("I will ") and 15 <= len(gig.title) <= 80, gig.title
        assert gig.category_id in subcategory_ids
        assert 1 <= len(gig.tags) <= 5 and all(t == t.lower() for t in gig.tags)
        assert 0 < len(gig.description) <= 1200 and "\n\n" in gig.description
        assert 3 <= len(gig.package_features) <= 6

        tiers = {p.tier: p for p in packages[gig.id]}
        assert sorted(tiers) == ["basic", "premium", "standard"]
        basic, standard, premium = tiers["basic"], tiers["standard"], tiers["premium"]
        assert 500 <= basic.price_cents <= standard.price_cents <= premium.price_cents <= 1_000_000
        for package in tiers.values():
            assert 1 <= package.delivery_days <= 90 and -1 <= package.revisions <= 10
            assert package.features and set(package.features) <= set(gig.package_features)
        assert set(basic.features) <= set(standard.features) <= set(premium.features)
        assert gig.price_from_cents == basic.price_cents
        assert gig.delivery_days_min == min(p.delivery_days for p in tiers.values())

        assert 1 <= len(extras[gig.id]) <= 3
        assert all(e.price_cents > 0 for e in extras[gig.id])
        assert 1 <= len(faqs[gig.id]) <= 4
        assert 1 <= len(requirements[gig.id]) <= 3
        for requirement in requirements[gig.id]:
            assert requirement.kind in {"text", "choice", "file"}
            assert bool(requirement.choices) == (requirement.kind == "choice")
        if gig.status == "active":
            assert gig.published_at is not None and gig.published_at <= ANCHOR
        if gig.status in {"draft", "pending_review"}:
            assert gig.published_at is None and gig.orders_completed == 0

    statuses = Counter(g.status for g in gigs)
    assert statuses["active"] > 0.85 * len(gigs)
    assert set(statuses) == {"active", "paused", "draft", "pending_review"}
    assert report.active_gigs == statuses["active"]


# --- people ----------------------------------------------------------------------------------


def test_demo_text_says_an_before_a_vowel(seeded):
    """ "design a elegant website UI" was in the demo (issue 23): templates fill a/an with words."""
    engine, _, _ = seeded
    texts = [g.title for g in all_rows(engine, Gig)] + [
        g.description for g in all_rows(engine, Gig)
    ]
    wrong = [
        t for t in texts if re.search(r"\b[Aa] (?:elegant|organic|eye|ecommerce|e-commerce)", t)
    ]
    assert texts and wrong == []


def test_users_admin_and_freelancer_profiles(seeded):
    engine, report, _ = seeded
    users = all_rows(engine, User)
    profiles = all_rows(engine, FreelancerProfile)
    users_by_id = {u.id: u for u in users}

    admins = [u for u in users if u.is_admin]
    assert [(a.email, a.username) for a in admins] == [(ADMIN_EMAIL, "admin")]
    assert len({u.username for u in users}) == len(users)
    assert len({u.email for u in users}) == len(users)
    for user in users:
        assert USERNAME.match(user.username), user.username
        assert user.email == user.email.lower()
        assert user.email.endswith("@example.com") or user.email.endswith("@gigworks.test")
        assert user.display_name.strip() and user.status == "active"

    assert len(profiles) == report.freelancers >= 60
    assert report.buyers >= 40 and len(users) == 1 + report.freelancers + report.buyers
    assert Counter(p.level for p in profiles).keys() == {"new", "level_1", "level_2", "top_rated"}
    pros = [p for p in profiles if p.is_pro]
    assert 2 <= len(pros) == report.pro_sellers < len(profiles) / 5
    assert len({p.country for p in profiles}) >= 8
    assert all(re.fullmatch(r"[A-Z]{2}", p.country) for p in profiles)
    for profile in profiles:
        assert profile.headline and profile.bio and len(profile.skills) >= 4
        assert {lang["level"] for lang in profile.languages} <= {
            "native",
            "fluent",
            "conversational",
            "basic",
        }
        assert any(lang["level"] == "native" for lang in profile.languages)
        assert any(q["kind"] == "education" and q["year"] for q in profile.qualifications)
        assert profile.experience and profile.portfolio
        assert all(item["url"].startswith("https://example.com/") for item in profile.portfolio)
        assert profile.stripe_account_id is None and profile.payouts_enabled is False
        assert profile.response_time_hours >= 1

    demo_seller = next(u for u in users if u.email == DEMO_SELLER_EMAIL)
    demo_profile = next(p for p in profiles if p.user_id == demo_seller.id)
    assert demo_profile.level == "top_rated" and demo_profile.is_pro
    assert not users_by_id[demo_profile.user_id].is_admin


def test_demo_logins_verify(seeded):
    engine, report, _ = seeded
    users = {u.email: u for u in all_rows(engine, User)}
    assert {login.email for login in report.logins} == {
        ADMIN_EMAIL,
        DEMO_SELLER_EMAIL,
        DEMO_BUYER_EMAIL,
    }
    for login in report.logins:
        user = users[login.email]
        assert user.username == login.username
        assert verify_password(user.password_hash, login.password)
        assert not verify_password(user.password_hash, login.password + "x")
    assert verify_password(users[ADMIN_EMAIL].password_hash, "gigworks-admin")
    assert verify_password(users[DEMO_SELLER_EMAIL].password_hash, "gigworks-demo")
    assert verify_password(users[DEMO_BUYER_EMAIL].password_hash, "gigworks-demo")
    other = next(u for u in users.values() if u.email.endswith("@example.com"))
    assert verify_password(other.password_hash, "gigworks-demo")
    demo_buyer_orders = [
        o for o in all_rows(engine, Order) if o.buyer_id == users[DEMO_BUYER_EMAIL].id
    ]
    assert demo_buyer_orders, "the demo buyer should have order history to look at"


# --- orders, money, reviews ------------------------------------------------------------------


def test_completed_orders_have_amounts_timeline_and_ledger(seeded):
    engine, report, _ = seeded
    orders = all_rows(engine, Order)
    events = by_key(all_rows(engine, OrderEvent), "order_id")
    ledger = by_key(all_rows(engine, LedgerEntry), "order_id")
    deliveries = by_key(all_rows(engine, Delivery), "order_id")
    packages = {p.id: p for p in all_rows(engine, GigPackage)}
    gigs = {g.id: g for g in all_rows(engine, Gig)}
    sellers = {p.user_id for p in all_rows(engine, FreelancerProfile)}

    assert len(orders) == report.orders >= report.gigs  # about 1-2 per published gig
    assert len({o.code for o in orders}) == len(orders)
    keys = [entry.idempotency_key for entries in ledger.values() for entry in entries]
    assert len(keys) == len(set(keys)) == 5 * len(orders) == report.ledger_entries
    for order in orders:
        assert order.status == "completed" and ORDER_CODE.match(order.code)
        assert order.buyer_id != order.seller_id and order.buyer_id not in sellers
        assert gigs[order.gig_id].seller_id == order.seller_id
        assert order.total_cents == order.subtotal_cents + order.service_fee_cents
        assert order.service_fee_cents == (order.subtotal_cents * 55 + 500) // 1000  # 5.5 %
        assert order.commission_cents == (order.subtotal_cents * 20 + 50) // 100  # 20 %
        assert order.seller_earnings_cents == order.subtotal_cents - order.commission_cents

        snapshot = order.package_snapshot
        package = packages[snapshot["package_id"]]
        assert package.gig_id == order.gig_id and package.tier == order.package_tier
        for key in ("tier", "name", "description", "price_cents", "delivery_days", "revisions"):
            assert snapshot[key] == getattr(package, key)
        assert snapshot["features"] == package.features
        extras_total = sum(extra["price_cents"] for extra in order.extras_snapshot)
        assert order.subtotal_cents == package.price_cents + extras_total

        timeline = sorted(events[order.id], key=lambda e: e.id)
        assert [(e.transition, e.from_status, e.to_status, e.actor_role) for e in timeline] == CHAIN
        times = [e.at for e in timeline]
        assert times == sorted(times) and times[-1] <= ANCHOR
        assert timeline[0].at == order.created_at and timeline[-1].at == order.completed_at
        assert order.created_at < order.started_at < order.delivered_at < order.completed_at
        assert order.due_at is not None and order.revisions_used == 0

        money = {entry.idempotency_key.rsplit(":", 1)[1]: entry for entry in ledger[order.id]}
        assert money["hold"].amount_cents == money["capture"].amount_cents == order.total_cents
        assert money["release"].amount_cents == order.seller_earnings_cents
        assert money["commission"].amount_cents == order.commission_cents
        assert money["service_fee"].amount_cents == order.service_fee_cents
        assert money["service_fee"].kind == "commission"
        assert money["release"].idempotency_key == f"order:{order.id}:release"
        assert all(entry.stripe_object_id is None for entry in money.values())
        assert len(deliveries[order.id]) == 1


def test_reviews_and_aggregates_match_the_rows(seeded):
    engine, report, _ = seeded
    orders = all_rows(engine, Order)
    reviews = all_rows(engine, Review)
    gigs = all_rows(engine, Gig)
    profiles = all_rows(engine, FreelancerProfile)
    orders_by_id = {o.id: o for o in orders}

    assert len(reviews) == report.reviews and 0.6 * len(orders) < len(reviews) < len(orders)
    ratings = Counter(r.rating for r in reviews)
    assert ratings[5] > ratings[4] > ratings[3] and ratings[5] > 0.5 * len(reviews)
    assert 4.3 <= sum(r.rating for r in reviews) / len(reviews) <= 4.9
    assert any(r.seller_reply for r in reviews) and any(not r.seller_reply for r in reviews)
    for review in reviews:
        order = orders_by_id[review.order_id]
        assert (review.gig_id, review.seller_id, review.buyer_id) == (
            order.gig_id,
            order.seller_id,
            order.buyer_id,
        )
        assert order.completed_at < review.created_at <= ANCHOR
        assert review.body and 1 <= review.communication <= 5 and 1 <= review.as_described <= 5
        assert (review.replied_at is not None) == bool(review.seller_reply)

    def expected(group_orders, group_reviews):
        count = len(group_reviews)
        avg = round(sum(r.rating for r in group_reviews) / count, 2) if count else 0.0
        return len(group_orders), count, avg

    orders_by_gig, reviews_by_gig = by_key(orders, "gig_id"), by_key(reviews, "gig_id")
    for gig in gigs:
        assert (gig.orders_completed, gig.rating_count, gig.rating_avg) == expected(
            orders_by_gig[gig.id], reviews_by_gig[gig.id]
        ), gig.id
    orders_by_seller, reviews_by_seller = by_key(orders, "seller_id"), by_key(reviews, "seller_id")
    for profile in profiles:
        assert (profile.orders_completed, profile.rating_count, profile.rating_avg) == expected(
            orders_by_seller[profile.user_id], reviews_by_seller[profile.user_id]
        ), profile.user_id
    assert sum(g.orders_completed for g in gigs) == len(orders)


def test_progress_reports_each_phase(seeded):
    _, report, messages = seeded
    assert any(m.startswith("categories:") for m in messages)
    assert any(m.startswith("users:") for m in messages)
    assert any(f"gigs: {report.gigs:,}/{report.gigs:,}" in m for m in messages)
    assert messages[-1].startswith("done in")


# --- determinism and refusal -----------------------------------------------------------------


def snapshot(engine):
    with engine.connect() as conn:
        gigs = conn.execute(
            select(Gig.id, Gig.title, Gig.slug, Gig.price_from_cents, Gig.rating_avg).order_by(
                Gig.id
            )
        ).all()
        prices = conn.execute(
            select(GigPackage.gig_id, GigPackage.tier, GigPackage.price_cents).order_by(
                GigPackage.id
            )
        ).all()
        orders = conn.execute(
            select(Order.code, Order.total_cents, Order.created_at).order_by(Order.id)
        ).all()
        users = conn.execute(select(User.email, User.created_at).order_by(User.id)).all()
    return gigs, prices, orders, users


def test_same_seed_gives_identical_data(seeded, tmp_path):
    engine, _, _ = seeded
    again = empty_engine(f"sqlite:///{tmp_path / 'again.db'}")
    other = empty_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        seed(again, seed=7, anchor=ANCHOR)
        seed(other, seed=8, gigs=600, anchor=ANCHOR)
        assert snapshot(again) == snapshot(engine)
        assert snapshot(other)[0] != snapshot(engine)[0]  # a different seed really differs
    finally:
        again.dispose()
        other.dispose()


def test_refuses_a_database_that_has_data(seeded, tmp_path):
    engine, _, _ = seeded
    assert not database_is_empty(engine)
    with engine.connect() as conn:
        users_before = conn.execute(select(func.count()).select_from(User)).scalar_one()
    with pytest.raises(SeedError, match="already has users; seed only fills an empty database"):
        seed(engine, seed=7)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == users_before

    fresh = empty_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert database_is_empty(fresh)
    fresh.dispose()

    no_tables = make_engine(f"sqlite:///{tmp_path / 'no-tables.db'}")
    with pytest.raises(SeedError, match="run the migrations"):
        seed(no_tables)
    no_tables.dispose()


# --- PostgreSQL ------------------------------------------------------------------------------


@needs_postgres
@pytest.mark.postgres
def test_seed_on_postgresql():
    with fresh_postgres_database() as url:
        engine = empty_engine(url)
        try:
            report = seed(engine, seed=3, gigs=150)
            assert report.gigs == 150 and report.freelancers == 60 and report.orders > 0
            with engine.connect() as conn:
                count = conn.execute(select(func.count()).select_from(Order)).scalar_one()
                assert count == report.orders
                reviewed = conn.execute(select(func.count()).select_from(Review)).scalar_one()
                assert reviewed == report.reviews
            with Session(engine) as session:
                admin = session.exec(select(User).where(User.email == ADMIN_EMAIL)).scalar_one()
                assert verify_password(admin.password_hash, "gigworks-admin")
                assert admin.created_at.tzinfo is not None
                # Explicit ids must not leave the sequences behind: new rows get fresh ids.
                category = Category(name="New", slug="new-category")
                session.add(category)
                session.add(
                    User(email="late@example.com", username="late", display_name="Late Comer")
                )
                session.commit()
                assert category.id == report.categories + report.subcategories + 1
            with pytest.raises(SeedError):
                seed(engine, seed=3, gigs=150)
        finally:
            engine.dispose()


# --- dated relative to the day of the seed (issue 23) -----------------------------------------


def test_by_default_the_history_reaches_up_to_the_day_of_the_seed(tmp_path):
    engine = empty_engine(f"sqlite:///{tmp_path / 'today.db'}")
    try:
        before = datetime.now(UTC)
        seed(engine, seed=3, gigs=100)
        with Session(engine) as session:
            last_order = session.exec(select(func.max(Order.completed_at))).one()[0]
            last_review = session.exec(select(func.max(Review.created_at))).one()[0]
            last_event = session.exec(select(func.max(OrderEvent.at))).one()[0]
        assert last_order.tzinfo is not None
        latest = max(last_order, last_review, last_event)
        assert before - timedelta(days=21) < latest <= datetime.now(UTC)  # recent, not future
        assert default_anchor(datetime(2026, 12, 8, 15, 30, tzinfo=UTC)) == datetime(
            2026, 12, 8, tzinfo=UTC
        )
    finally:
        engine.dispose()


def test_the_admin_dashboard_shows_activity_in_the_last_eight_weeks(seeded):
    """The symptom of issue 23: a demo dated before a fixed day showed empty recent weeks."""
    engine, _, _ = seeded
    now = ANCHOR + timedelta(hours=12)
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == ADMIN_EMAIL)).scalar_one()
        shown = dashboard.dashboard(session, admin=admin, now=now)
        placed = session.exec(select(Order.created_at)).scalars().all()
    # Completed orders only (in-flight ones are not seeded), so the newest were placed at
    # least a few days before today; each of the eight weeks before that has orders.
    for weeks_back in range(3, 11):
        start, end = now - timedelta(weeks=weeks_back), now - timedelta(weeks=weeks_back - 1)
        assert any(start <= at < end for at in placed), f"no orders {weeks_back} weeks back"
    assert sum(1 for count in shown.series["orders"][-8:] if count) >= 6
    assert sum(shown.series["gmv"][-8:]) > 0


def test_seeded_orders_have_the_fields_checkout_writes(seeded):
    """Issue 23: order creation was written twice in checkout and a third time in the seeder.
    Every demo order's snapshot and prices are what services/orders/placing.py makes of its
    package and extras, as checkout's are (tests/integration/test_orders.py), and no demo order
    sells an extra its package already includes."""
    from marketplace.services.orders import placing
    from marketplace.settings import load_settings

    engine, _, _ = seeded
    settings = load_settings({})
    packages = {p.id: p for p in all_rows(engine, GigPackage)}
    extras = {e.id: e for e in all_rows(engine, GigExtra)}
    orders = all_rows(engine, Order)
    assert any(o.extras_snapshot for o in orders)
    for order in orders:
        terms = placing.package_terms(
            packages[order.package_snapshot["package_id"]],
            [extras[e["extra_id"]] for e in order.extras_snapshot],
            quantity=order.quantity,
            buyer_fee_bps=settings.buyer_fee_bps,
            seller_commission_bps=settings.seller_commission_bps,
        )
        assert {name: getattr(order, name) for name in terms} == terms, order.code
        assert ORDER_CODE.match(order.code)
