"""Fill an empty database with a realistic, deterministic demo marketplace.

Why it looks the way it does:
- Deterministic and current: one `random.Random(seed)` drives every choice and every timestamp
  is an offset from an anchor, by default the start of the day (UTC) the seed runs
  (`default_anchor`), so the history reaches up to today - the admin dashboard's weekly charts
  and the seller-level job see recent activity - and the same seed with the same anchor always
  gives the same rows (pass `anchor=` to reproduce screenshots, bug reports and benchmarks).
- Fast at scale: rows are built as plain dicts and written with Core bulk inserts in chunks of
  gigs, with ids assigned here (the database is known to be empty), so 100,000 gigs take minutes
  rather than hours and memory stays flat. PostgreSQL sequences are moved past the ids at the end.
- Consistent: completed orders carry the amounts, timeline (OrderEvent), escrow ledger and review
  rows the real flows would have written, and the gig and seller aggregates are computed from
  exactly those rows.
- Atomic: everything runs in one transaction; a failure leaves the database empty.

Nothing here imports reflex; `python -m marketplace seed` and the tests call `seed()` directly.
"""

from __future__ import annotations

import bisect
import random
import re
import string
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from marketplace.auth.passwords import hash_password
from marketplace.demo import data
from marketplace.models import (
    ActorRole,
    BuyerReview,
    Category,
    Delivery,
    ExtraKind,
    FreelancerProfile,
    Gig,
    GigExtra,
    GigFAQ,
    GigPackage,
    GigRequirement,
    GigStatus,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderEvent,
    OrderStatus,
    Review,
    SellerLevel,
    User,
    UserStatus,
)
from marketplace.models.gigs import MAX_PRICE_CENTS, MIN_PRICE_CENTS, UNLIMITED_REVISIONS
from marketplace.services.common.errors import DomainError
from marketplace.services.common.slugs import gig_slug, slugify
from marketplace.services.orders import placing, pricing
from marketplace.services.orders import process as order_process


# The demo world's "now" is the day it is seeded: every timestamp lies before it.
def default_anchor(now: datetime | None = None) -> datetime:
    """The start of the current UTC day: same-day seeds with one seed number are identical."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


# Completed orders end at least this long before the anchor: a review written after it is left
# out (the buyer has not written it yet), so nothing lies in the future.
LAST_ORDER_MARGIN = timedelta(days=5)

DEMO_PASSWORD = "gigworks-demo"
ADMIN_PASSWORD = "gigworks-admin"
ADMIN_EMAIL = "admin@gigworks.test"
DEMO_SELLER_EMAIL = "seller@gigworks.test"
DEMO_BUYER_EMAIL = "buyer@gigworks.test"

# Order codes avoid characters that are easy to confuse when read aloud or typed (0/O, 1/I/L).

# Matches the ACTIVE_GIG_LIMITS default in settings: demo sellers never exceed their level's cap.
GIG_LIMITS = {"new": 4, "level_1": 10, "level_2": 20, "top_rated": 30}
LEVEL_SHARES = (("top_rated", 0.15), ("level_2", 0.25), ("level_1", 0.30))  # rest: "new"

GIG_CHUNK = 2_000  # gigs generated and written per round: bounds memory at any scale
INSERT_BATCH = 5_000

_DAY = timedelta(days=1)


class SeedError(DomainError):
    """The seed cannot run here (for example the database already holds data)."""


@dataclass(frozen=True)
class DemoLogin:
    role: str  # admin | seller | buyer
    email: str
    username: str
    password: str


@dataclass
class SeedReport:
    """What the seed wrote: counts per kind and the accounts a person can sign in with."""

    categories: int = 0  # top-level
    subcategories: int = 0
    freelancers: int = 0
    buyers: int = 0
    admins: int = 0
    pro_sellers: int = 0
    gigs: int = 0
    active_gigs: int = 0
    packages: int = 0
    extras: int = 0
    faqs: int = 0
    requirements: int = 0
    orders: int = 0
    order_events: int = 0
    deliveries: int = 0
    ledger_entries: int = 0
    reviews: int = 0
    logins: tuple[DemoLogin, ...] = ()


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def database_is_empty(engine: Engine) -> bool:
    """True when there are no users, categories or gigs: the only state seed() will fill."""
    with engine.connect() as conn:
        _require_schema(conn)
        for table in (User.__table__, Category.__table__, Gig.__table__):
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                return False
    return True


def seed(
    engine: Engine,
    *,
    seed: int = 42,
    gigs: int = 600,
    progress: Callable[[str], None] | None = None,
    anchor: datetime | None = None,
    buyer_fee_bps: int = 550,
    commission_bps: int = 2000,
    currency: str = "usd",
) -> SeedReport:
    """Create the demo marketplace in an empty database and return what was written.

    `gigs` scales the whole world: about one freelancer and one buyer per ten gigs (at least 60
    and 40) and one to two completed orders per published gig on average. Fees default to the
    settings defaults (5.5 % buyer fee, 20 % commission); the CLI passes the configured ones.
    """
    if gigs < 1:
        raise SeedError("gigs must be at least 1")
    anchor = default_anchor() if anchor is None else anchor
    if anchor.tzinfo is None:
        raise SeedError("anchor must be a timezone-aware datetime")
    say = progress or (lambda _msg: None)
    with engine.connect() as conn:
        _require_schema(conn)
        if conn.execute(select(func.count()).select_from(User.__table__)).scalar_one():
            raise SeedError("database already has users; seed only fills an empty database")
    if not database_is_empty(engine):
        raise SeedError(
            "database already has categories or gigs; seed only fills an empty database"
        )

    started = time.perf_counter()
    say("hashing the demo passwords (argon2, once per distinct password)")
    hashes = {
        DEMO_PASSWORD: hash_password(DEMO_PASSWORD),
        ADMIN_PASSWORD: hash_password(ADMIN_PASSWORD),
    }
    with engine.begin() as conn:
        seeder = _Seeder(
            conn,
            rng=random.Random(seed),
            anchor=anchor.astimezone(UTC),
            gig_total=gigs,
            hashes=hashes,
            fee_bps=buyer_fee_bps,
            commission_bps=commission_bps,
            currency=currency,
            say=say,
        )
        report = seeder.run()
    say(f"done in {time.perf_counter() - started:,.1f}s: {_summary(report)}")
    return report


# ---------------------------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------------------------


def _require_schema(conn: Connection) -> None:
    if not inspect(conn).has_table(User.__table__.name):
        raise SeedError("the database has no tables yet; run the migrations first")


def _summary(r: SeedReport) -> str:
    return (
        f"{r.categories} categories, {r.subcategories} subcategories, "
        f"{r.freelancers:,} freelancers ({r.pro_sellers} Pro), {r.buyers:,} buyers, "
        f"{r.gigs:,} gigs, {r.packages:,} packages, {r.orders:,} orders, {r.reviews:,} reviews"
    )


def _fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _nice_price(cents: float) -> int:
    """Round to prices people set: $5 steps under $100, $10 under $1,000, then $50."""
    step = 500 if cents < 10_000 else 1_000 if cents < 100_000 else 5_000
    value = int(round(cents / step)) * step
    return max(MIN_PRICE_CENTS, min(MAX_PRICE_CENTS, value))


@dataclass
class _Person:
    id: int
    username: str
    display_name: str
    first: str
    country: data.Country
    created_at: datetime
    # seller side
    category: data.TopCategory | None = None
    level: str = SellerLevel.new
    is_pro: bool = False
    rating_weights: tuple[int, ...] = ()
    gig_target: int = 0
    rating_sum: int = 0
    rating_count: int = 0
    orders_completed: int = 0


@dataclass
class _Chunk:
    """Rows for one round of gigs, in foreign-key order."""

    gigs: list[dict] = field(default_factory=list)
    packages: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    faqs: list[dict] = field(default_factory=list)
    requirements: list[dict] = field(default_factory=list)
    orders: list[dict] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    ledger: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    buyer_reviews: list[dict] = field(default_factory=list)  # the sellers' reviews of buyers


_RATING_WEIGHTS = {
    "top_rated": (1, 1, 2, 10, 86),
    "level_2": (1, 1, 3, 15, 80),
    "level_1": (2, 2, 5, 20, 71),
    "new": (3, 3, 7, 22, 65),
}
_WEAK_SELLER_WEIGHTS = (8, 8, 15, 30, 39)

REVIEW_WINDOW_DAYS = 10  # the REVIEW_WINDOW_DAYS default
_BUYER_REVIEW_BODIES = (
    "Clear brief and quick answers. A pleasure to work with.",
    "Knew exactly what they wanted; feedback was fast and kind.",
    "Great communication from start to finish.",
    "Friendly buyer, detailed requirements, prompt approval.",
)

# Completed orders per published gig, by seller level (top sellers sell more).
_ORDERS_PER_GIG = {
    "new": (0, 0, 0, 1, 1, 2),
    "level_1": (0, 0, 1, 1, 2, 3),
    "level_2": (0, 1, 1, 2, 2, 3, 4),
    "top_rated": (1, 2, 2, 3, 4, 5, 6),
}
_RESPONSE_HOURS = {
    "top_rated": (1, 1, 2, 3),
    "level_2": (1, 2, 3, 6),
    "level_1": (2, 3, 6, 12),
    "new": (3, 6, 12, 24),
}
_EXPERIENCE_YEARS = {"new": (1, 3), "level_1": (2, 6), "level_2": (3, 10), "top_rated": (5, 15)}
_GIG_WEIGHT = {"new": 1.0, "level_1": 2.5, "level_2": 5.0, "top_rated": 8.0}


class _Seeder:
    def __init__(
        self,
        conn: Connection,
        *,
        rng: random.Random,
        anchor: datetime,
        gig_total: int,
        hashes: dict[str, str],
        fee_bps: int,
        commission_bps: int,
        currency: str,
        say: Callable[[str], None],
    ) -> None:
        self.conn = conn
        self.rng = rng
        self.anchor = anchor
        self.gig_total = gig_total
        self.hashes = hashes
        self.fee_bps = fee_bps
        self.commission_bps = commission_bps
        self.currency = currency
        self.say = say
        self.report = SeedReport()
        self.usernames: set[str] = set()
        self.order_codes: set[str] = set()
        self.next_id = {
            name: 1
            for name in (
                "package",
                "extra",
                "faq",
                "requirement",
                "order",
                "delivery",
                "event",
                "ledger",
                "review",
            )
        }
        self.subcategory_ids: dict[str, int] = {}
        self.field_cache: dict[str, tuple[str, ...]] = {}

    # -- helpers ----------------------------------------------------------------------------

    def _take_id(self, kind: str) -> int:
        value = self.next_id[kind]
        self.next_id[kind] = value + 1
        return value

    def _insert(self, table: Table, rows: Sequence[dict]) -> None:
        for start in range(0, len(rows), INSERT_BATCH):
            self.conn.execute(insert(table), rows[start : start + INSERT_BATCH])

    def _between(self, start: datetime, end: datetime) -> datetime:
        """A random instant in [start, end], to the second."""
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, span))

    def _fill(self, template: str, fill: dict[str, tuple[str, ...]], chosen: list[str]) -> str:
        names = self.field_cache.get(template)
        if names is None:
            names = self.field_cache[template] = _fields(template)
        values = {}
        for name in names:
            values[name] = self.rng.choice(fill[name])
            chosen.append(values[name])
        return _articles_agree(template.format(**values))

    # -- phases -----------------------------------------------------------------------------

    def run(self) -> SeedReport:
        self._categories()
        self._people()
        self._gigs_and_orders()
        self._profiles()
        self._bump_sequences()
        return self.report

    def _categories(self) -> None:
        rows = []
        next_id = len(data.CATEGORIES) + 1
        for position, top in enumerate(data.CATEGORIES):
            top_id = position + 1
            rows.append(
                {
                    "id": top_id,
                    "parent_id": None,
                    "name": top.name,
                    "slug": top.slug,
                    "description": top.description,
                    "icon": top.icon,
                    "position": position,
                }
            )
        for position, top in enumerate(data.CATEGORIES):
            for sub_position, sub in enumerate(top.subcategories):
                rows.append(
                    {
                        "id": next_id,
                        "parent_id": position + 1,
                        "name": sub.name,
                        "slug": sub.slug,
                        "description": sub.description,
                        "icon": top.icon,
                        "position": sub_position,
                    }
                )
                self.subcategory_ids[sub.slug] = next_id
                next_id += 1
        self._insert(Category.__table__, rows)
        self.report.categories = len(data.CATEGORIES)
        self.report.subcategories = len(self.subcategory_ids)
        self.say(
            f"categories: {self.report.categories} top-level, "
            f"{self.report.subcategories} subcategories"
        )

    def _username(self, first: str, last: str, seller: bool) -> str:
        rng = self.rng
        f, lname = slugify(first).replace("-", ""), slugify(last).replace("-", "")
        patterns = [f + lname, f"{f}_{lname}", f + lname[:1], f"{lname}{f[:1]}"]
        if seller:
            patterns.append(f"{f}_{rng.choice(data.USERNAME_SUFFIXES)}")
        base = rng.choice(patterns)[:30] or "user"
        name = base
        while name in self.usernames:
            name = f"{base}{rng.randint(1, 9999)}"
        self.usernames.add(name)
        return name

    def _person(
        self, person_id: int, country: data.Country, created_at: datetime, seller: bool
    ) -> _Person:
        rng = self.rng
        first, last = rng.choice(country.first_names), rng.choice(country.last_names)
        display = f"{first} {last}" if rng.random() < 0.85 else f"{first} {last[:1]}."
        username = self._username(first, last, seller)
        return _Person(person_id, username, display, first, country, created_at)

    def _user_row(self, person: _Person, email: str, password: str, is_admin=False) -> dict:
        last_login = self._between(max(person.created_at, self.anchor - 60 * _DAY), self.anchor)
        return {
            "id": person.id,
            "email": email,
            "username": person.username,
            "display_name": person.display_name,
            "password_hash": self.hashes[password],
            "avatar_path": None,
            "is_admin": is_admin,
            "status": UserStatus.active.value,
            "email_verified": True,
            "created_at": person.created_at,
            "last_login_at": last_login,
        }

    def _people(self) -> None:
        rng, anchor = self.rng, self.anchor
        t0 = time.perf_counter()
        n_sellers = max(60, -(-self.gig_total // 10))
        n_buyers = max(40, -(-self.gig_total // 10))
        countries = data.COUNTRIES
        seller_cum = _cumulative([c.seller_weight for c in countries])
        buyer_cum = _cumulative([c.buyer_weight for c in countries])
        category_cum = _cumulative([c.weight for c in data.CATEGORIES])
        by_code = {c.code: c for c in countries}

        admin = _Person(
            1, "admin", "Gigworks Admin", "Gigworks", by_code["US"], anchor - 1500 * _DAY
        )
        self.usernames.add("admin")
        users = [self._user_row(admin, ADMIN_EMAIL, ADMIN_PASSWORD, is_admin=True)]

        # Seller levels in exact proportions, shuffled; the demo seller is a top-rated Pro.
        levels: list[str] = []
        for level, share in LEVEL_SHARES:
            levels += [level] * round(n_sellers * share)
        levels += ["new"] * (n_sellers - len(levels))
        rng.shuffle(levels)
        demo_level_at = levels.index("top_rated")
        levels[0], levels[demo_level_at] = levels[demo_level_at], levels[0]

        sellers: list[_Person] = []
        for index in range(n_sellers):
            person_id = 2 + index
            if index == 0:
                person = _Person(
                    person_id,
                    "demo_seller",
                    "Maya Lindqvist",
                    "Maya",
                    by_code["SE"],
                    anchor - 1100 * _DAY,
                )
                self.usernames.add(person.username)
                person.category = data.CATEGORIES[0]
                email = DEMO_SELLER_EMAIL
            else:
                country = countries[_pick(rng, seller_cum)]
                created = self._between(anchor - 1460 * _DAY, anchor - 90 * _DAY)
                person = self._person(person_id, country, created, seller=True)
                person.category = data.CATEGORIES[_pick(rng, category_cum)]
                email = f"{person.username}@example.com"
            person.level = levels[index]
            weak = index != 0 and rng.random() < 0.08
            person.rating_weights = _WEAK_SELLER_WEIGHTS if weak else _RATING_WEIGHTS[person.level]
            sellers.append(person)
            users.append(self._user_row(person, email, DEMO_PASSWORD))

        # A few vetted Pro sellers, drawn from the two top levels.
        sellers[0].is_pro = True
        senior = [p for p in sellers[1:] if p.level in ("top_rated", "level_2")]
        for person in rng.sample(senior, min(len(senior), max(2, round(n_sellers * 0.05)))):
            person.is_pro = True

        buyers: list[_Person] = []
        for index in range(n_buyers):
            person_id = 2 + n_sellers + index
            if index == 0:
                person = _Person(
                    person_id,
                    "demo_buyer",
                    "Jordan Reed",
                    "Jordan",
                    by_code["US"],
                    anchor - 1000 * _DAY,
                )
                self.usernames.add(person.username)
                email = DEMO_BUYER_EMAIL
            else:
                country = countries[_pick(rng, buyer_cum)]
                created = self._between(anchor - 1460 * _DAY, anchor - 2 * _DAY)
                person = self._person(person_id, country, created, seller=False)
                email = f"{person.username}@example.com"
            buyers.append(person)
            users.append(self._user_row(person, email, DEMO_PASSWORD))

        self._insert(User.__table__, users)
        self.sellers = sellers
        self.buyers_by_joined = sorted(buyers, key=lambda p: (p.created_at, p.id))
        self.buyer_joined = [p.created_at for p in self.buyers_by_joined]
        self.demo_buyer = buyers[0]
        self.report.admins = 1
        self.report.freelancers = n_sellers
        self.report.buyers = n_buyers
        self.report.pro_sellers = sum(p.is_pro for p in sellers)
        self.report.logins = (
            DemoLogin("admin", ADMIN_EMAIL, "admin", ADMIN_PASSWORD),
            DemoLogin("seller", DEMO_SELLER_EMAIL, sellers[0].username, DEMO_PASSWORD),
            DemoLogin("buyer", DEMO_BUYER_EMAIL, buyers[0].username, DEMO_PASSWORD),
        )
        self.say(
            f"users: 1 admin, {n_sellers:,} freelancers ({self.report.pro_sellers} Pro), "
            f"{n_buyers:,} buyers ({time.perf_counter() - t0:.1f}s)"
        )

    def _plan_gigs(self) -> list[tuple[datetime, _Person, str]]:
        """Decide who owns each gig, when it was created and its status, oldest first."""
        rng, total, sellers = self.rng, self.gig_total, self.sellers
        counts = [0] * len(sellers)
        caps = [GIG_LIMITS[p.level] for p in sellers]
        demo_target = min(8, caps[0], total)
        counts[0] = demo_target
        remaining = total - demo_target
        for index in range(1, len(sellers)):  # everyone sells at least one thing
            if remaining == 0:
                break
            counts[index] = 1
            remaining -= 1
        weights = [_GIG_WEIGHT[p.level] * rng.uniform(0.5, 1.5) for p in sellers]
        weights[0] = 0.0
        while remaining:
            open_weights = [
                w if c < cap else 0.0 for w, c, cap in zip(weights, counts, caps, strict=True)
            ]
            if not any(open_weights):  # every seller is at their cap: spread the rest evenly
                for step in range(remaining):
                    counts[1 + step % (len(sellers) - 1)] += 1
                break
            cum = _cumulative(open_weights)
            for index in rng.choices(range(len(sellers)), cum_weights=cum, k=remaining):
                if counts[index] < caps[index] and remaining:
                    counts[index] += 1
                    remaining -= 1

        plan: list[tuple[datetime, _Person, str]] = []
        latest = self.anchor - 3 * _DAY
        for person, count in zip(sellers, counts, strict=True):
            for _ in range(count):
                if person is sellers[0]:
                    created = self._between(
                        person.created_at + 10 * _DAY, person.created_at + 300 * _DAY
                    )
                    status = GigStatus.active
                else:
                    created = self._between(person.created_at + _DAY, latest)
                    roll = rng.random()
                    status = (
                        GigStatus.draft
                        if roll < 0.03
                        else GigStatus.pending_review
                        if roll < 0.05
                        else GigStatus.paused
                        if roll < 0.08
                        else GigStatus.active
                    )
                plan.append((created, person, status.value))
        plan.sort(key=lambda item: (item[0], item[1].id))
        return plan

    def _gigs_and_orders(self) -> None:
        plan = self._plan_gigs()
        total = len(plan)
        t0 = time.perf_counter()
        for start in range(0, total, GIG_CHUNK):
            chunk = _Chunk()
            for offset, (created, person, status) in enumerate(plan[start : start + GIG_CHUNK]):
                self._gig(chunk, start + offset + 1, person, created, status)
            self._write(chunk)
            done = min(total, start + GIG_CHUNK)
            rate = done / max(time.perf_counter() - t0, 1e-9)
            self.say(
                f"gigs: {done:,}/{total:,} ({rate:,.0f}/s); orders: {self.report.orders:,}, "
                f"reviews: {self.report.reviews:,}"
            )

    def _write(self, chunk: _Chunk) -> None:
        r = self.report
        self._insert(Gig.__table__, chunk.gigs)
        self._insert(GigPackage.__table__, chunk.packages)
        self._insert(GigExtra.__table__, chunk.extras)
        self._insert(GigFAQ.__table__, chunk.faqs)
        self._insert(GigRequirement.__table__, chunk.requirements)
        self._insert(Order.__table__, chunk.orders)
        self._insert(Delivery.__table__, chunk.deliveries)
        self._insert(OrderEvent.__table__, chunk.events)
        self._insert(LedgerEntry.__table__, chunk.ledger)
        self._insert(Review.__table__, chunk.reviews)
        self._insert(BuyerReview.__table__, chunk.buyer_reviews)
        r.gigs += len(chunk.gigs)
        r.active_gigs += sum(g["status"] == GigStatus.active for g in chunk.gigs)
        r.packages += len(chunk.packages)
        r.extras += len(chunk.extras)
        r.faqs += len(chunk.faqs)
        r.requirements += len(chunk.requirements)
        r.orders += len(chunk.orders)
        r.deliveries += len(chunk.deliveries)
        r.order_events += len(chunk.events)
        r.ledger_entries += len(chunk.ledger)
        r.reviews += len(chunk.reviews)

    # -- one gig ----------------------------------------------------------------------------

    def _gig(self, chunk: _Chunk, gig_id: int, seller: _Person, created: datetime, status: str):
        rng = self.rng
        assert seller.category is not None
        category = seller.category if rng.random() < 0.85 else rng.choice(data.CATEGORIES)
        sub = rng.choice(category.subcategories)

        chosen: list[str] = []
        title = ""
        for _ in range(10):
            chosen.clear()
            title = self._fill(rng.choice(sub.titles), category.fill, chosen)
            if 15 <= len(title) <= 80:
                break
        else:
            title = f"I will help you with {sub.name.lower()}"[:80]

        tags = list(rng.sample(sub.tags, rng.randint(1, min(4, len(sub.tags)))))
        for word in chosen:
            tag = word.lower()
            if len(tags) < 5 and tag not in tags and len(tag) <= 30 and not tag.isdigit():
                tags.append(tag)

        n_features = rng.randint(3, min(6, len(category.features)))
        features = rng.sample(category.features, n_features)
        packages = self._packages(chunk, gig_id, category, features)
        extras = self._extras(chunk, gig_id, category, packages[0])
        self._faqs(chunk, gig_id, category)
        requirements = self._requirements(chunk, gig_id, category)

        published = None
        updated = created
        if status in (GigStatus.active, GigStatus.paused):
            published = created + timedelta(minutes=rng.randint(30, 3 * 24 * 60))
            updated = self._between(published, min(self.anchor, published + 120 * _DAY))

        orders_completed = rating_sum = rating_count = 0
        if published is not None:
            orders_completed, rating_sum, rating_count = self._orders(
                chunk, gig_id, title, seller, published, packages, extras, requirements
            )
        impressions = 0
        if published is not None:
            impressions = orders_completed * rng.randint(30, 150) + rng.randint(20, 2500)

        chunk.gigs.append(
            {
                "id": gig_id,
                "seller_id": seller.id,
                "category_id": self.subcategory_ids[sub.slug],
                "slug": gig_slug(title, gig_id),
                "title": title,
                "description": self._description(category, sub),
                "tags": tags,
                "package_features": features,
                "single_package": False,
                "status": status,
                "status_reason": "",
                "version": rng.randint(1, 3) if published else 1,
                "price_from_cents": min(p["price_cents"] for p in packages),
                "delivery_days_min": min(p["delivery_days"] for p in packages),
                "rating_avg": round(rating_sum / rating_count, 2) if rating_count else 0.0,
                "rating_count": rating_count,
                "orders_completed": orders_completed,
                "impressions": impressions,
                "created_at": created,
                "updated_at": updated,
                "published_at": published,
                "deleted_at": None,
            }
        )

    def _description(self, category: data.TopCategory, sub: data.Subcategory) -> str:
        rng = self.rng
        intro = rng.choice(category.intros).format(sub_lower=sub.name.lower())
        gets = rng.sample(category.deliverables, rng.randint(3, min(4, len(category.deliverables))))
        why = rng.sample(data.SELLING_POINTS, rng.randint(2, 3))
        parts = [
            intro,
            "What you get:\n" + "\n".join(f"- {line}" for line in gets),
            "Why work with me:\n" + "\n".join(f"- {line}" for line in why),
            rng.choice(data.CLOSINGS),
        ]
        text_ = "\n\n".join(parts)
        if len(text_) > 1200:
            text_ = "\n\n".join([parts[0], parts[1], parts[3]])[:1200]
        return text_

    def _packages(
        self, chunk: _Chunk, gig_id: int, category: data.TopCategory, features: list[str]
    ) -> list[dict]:
        rng = self.rng
        low, high = category.price_band
        basic = _nice_price(low * (high / low) ** rng.random())
        standard = max(basic, _nice_price(basic * rng.uniform(1.6, 3.0)))
        premium = max(standard, _nice_price(standard * rng.uniform(1.5, 2.5)))
        days_basic = rng.choice((1, 2, 3, 3, 4, 5, 7, 10))
        days_standard = min(90, days_basic + rng.choice((0, 1, 2, 3)))
        days_premium = min(90, days_standard + rng.choice((0, 1, 2, 4, 7)))
        rev_basic = rng.choice((0, 1, 1, 2))
        rev_standard = min(10, rev_basic + rng.choice((1, 2)))
        rev_premium = (
            UNLIMITED_REVISIONS if rng.random() < 0.3 else min(10, rev_standard + rng.randint(1, 3))
        )
        n = len(features)
        included = (features[: max(1, n // 3)], features[: max(2, (2 * n) // 3)], list(features))
        classic = rng.random() < 0.6
        rows = []
        specs = zip(
            ("basic", "standard", "premium"),
            (basic, standard, premium),
            (days_basic, days_standard, days_premium),
            (rev_basic, rev_standard, rev_premium),
            strict=True,
        )
        for tier_index, (tier, price, days, revisions) in enumerate(specs):
            names = data.TIER_NAMES[tier_index]
            rows.append(
                {
                    "id": self._take_id("package"),
                    "gig_id": gig_id,
                    "tier": tier,
                    "name": names[0] if classic else rng.choice(names),
                    "description": rng.choice(category.tier_descriptions[tier_index]),
                    "price_cents": price,
                    "delivery_days": days,
                    "revisions": revisions,
                    "features": list(included[tier_index]),
                }
            )
        chunk.packages.extend(rows)
        return rows

    def _extras(
        self, chunk: _Chunk, gig_id: int, category: data.TopCategory, basic: dict
    ) -> list[dict]:
        rng = self.rng
        price = basic["price_cents"]
        options: list[tuple[str, str, str, int, int]] = []  # kind, title, description, cents, days
        if basic["delivery_days"] >= 2:
            faster = max(1, basic["delivery_days"] // 2)
            options.append(
                (
                    ExtraKind.fast_delivery.value,
                    rng.choice(data.FAST_DELIVERY_TITLES),
                    f"Delivered {faster} day{'s' if faster > 1 else ''} sooner.",
                    _nice_price(price * rng.uniform(0.3, 0.6)),
                    -faster,
                )
            )
        options.append(
            (
                ExtraKind.additional_revision.value,
                rng.choice(data.EXTRA_REVISION_TITLES),
                "One more round of changes after delivery.",
                _nice_price(price * rng.uniform(0.15, 0.3)),
                1,
            )
        )
        for title, description in rng.sample(category.extras, min(2, len(category.extras))):
            options.append(
                (
                    ExtraKind.custom.value,
                    title,
                    description,
                    _nice_price(price * rng.uniform(0.2, 0.8)),
                    rng.choice((0, 0, 1, 2)),
                )
            )
        picked = rng.sample(options, rng.randint(1, min(3, len(options))))
        rows = [
            {
                "id": self._take_id("extra"),
                "gig_id": gig_id,
                "kind": kind,
                "title": title,
                "description": description,
                "price_cents": cents,
                "extra_days": days,
                "position": position,
            }
            for position, (kind, title, description, cents, days) in enumerate(picked)
        ]
        chunk.extras.extend(rows)
        return rows

    def _faqs(self, chunk: _Chunk, gig_id: int, category: data.TopCategory) -> None:
        rng = self.rng
        pool = list(category.faqs) + list(data.GENERIC_FAQS)
        for position, (question, answer) in enumerate(rng.sample(pool, rng.randint(1, 4))):
            chunk.faqs.append(
                {
                    "id": self._take_id("faq"),
                    "gig_id": gig_id,
                    "question": question,
                    "answer": answer,
                    "position": position,
                }
            )

    def _requirements(self, chunk: _Chunk, gig_id: int, category: data.TopCategory) -> list[dict]:
        rng = self.rng
        count = rng.randint(1, min(3, len(category.requirements)))
        indexes = sorted(rng.sample(range(len(category.requirements)), count))
        rows = []
        for position, index in enumerate(indexes):
            requirement = category.requirements[index]
            rows.append(
                {
                    "id": self._take_id("requirement"),
                    "gig_id": gig_id,
                    "question": requirement.question,
                    "kind": requirement.kind,
                    "choices": list(requirement.choices),
                    "required": requirement.kind != "file",
                    "position": position,
                }
            )
        chunk.requirements.extend(rows)
        return rows

    # -- orders -----------------------------------------------------------------------------

    def _order_code(self) -> str:
        while True:
            code = placing.order_code(self.rng)
            if code not in self.order_codes:
                self.order_codes.add(code)
                return code

    def _orders(
        self,
        chunk: _Chunk,
        gig_id: int,
        title: str,
        seller: _Person,
        published: datetime,
        packages: list[dict],
        extras: list[dict],
        requirements: list[dict],
    ) -> tuple[int, int, int]:
        """Completed orders (with timeline, ledger and reviews) for one published gig."""
        rng = self.rng
        if seller is self.sellers[0]:
            wanted = rng.randint(4, 10)
        else:
            wanted = rng.choice(_ORDERS_PER_GIG[seller.level])
        longest = max(p["delivery_days"] for p in packages) + max(
            [0, *(e["extra_days"] for e in extras)]
        )
        earliest = published + _DAY
        # The slowest order (late, 1.4x its days, then up to 3 days to accept) ends before
        # the anchor less the margin.
        latest = self.anchor - LAST_ORDER_MARGIN - timedelta(days=1.4 * longest)
        if wanted == 0 or latest <= earliest:
            return 0, 0, 0
        placed_times = sorted(self._between(earliest, latest) for _ in range(wanted))
        completed = rating_sum = rating_count = 0
        for number, placed in enumerate(placed_times):
            at = bisect.bisect_right(self.buyer_joined, placed)
            if at == 0:
                continue
            if seller is self.sellers[0] and number == 0 and self.demo_buyer.created_at < placed:
                buyer = self.demo_buyer
            else:
                buyer = self.buyers_by_joined[rng.randrange(at)]
            rating = self._order(
                chunk, gig_id, title, seller, buyer, placed, packages, extras, requirements
            )
            completed += 1
            if rating:
                rating_sum += rating
                rating_count += 1
        seller.orders_completed += completed
        seller.rating_sum += rating_sum
        seller.rating_count += rating_count
        return completed, rating_sum, rating_count

    def _order(
        self,
        chunk: _Chunk,
        gig_id: int,
        title: str,
        seller: _Person,
        buyer: _Person,
        placed: datetime,
        packages: list[dict],
        extras: list[dict],
        requirements: list[dict],
    ) -> int:
        """One completed order; returns the review's rating, or 0 when the buyer left none."""
        rng = self.rng
        package = packages[rng.choices((0, 1, 2), weights=(45, 35, 20))[0]]
        # Never an extra the package already includes (pricing refuses it).
        sold = [e for e in extras if not pricing.included_in(package["features"], e["title"])]
        chosen_extras = [rng.choice(sold)] if rng.random() < 0.15 and sold else []
        terms = placing.package_terms(
            package, chosen_extras, quantity=1, buyer_fee_bps=self.fee_bps,
            seller_commission_bps=self.commission_bps,
        )  # fmt: skip
        subtotal, fee = terms["subtotal_cents"], terms["service_fee_cents"]
        commission = terms["commission_cents"]
        delivery_days = terms["delivery_days"]

        paid = placed + timedelta(minutes=rng.randint(1, 15))
        started = paid + timedelta(minutes=rng.randint(5, 36 * 60))
        due = started + delivery_days * _DAY
        late = rng.random() < 0.06
        delivered = started + delivery_days * _DAY * (
            rng.uniform(1.0, 1.4) if late else rng.uniform(0.25, 0.98)
        )
        delivered = delivered.replace(microsecond=0)
        finished = delivered + timedelta(minutes=rng.randint(30, 3 * 24 * 60))

        order_id = self._take_id("order")
        answers = []
        for requirement in requirements:
            if requirement["kind"] == "choice":
                answer = rng.choice(requirement["choices"])
            elif requirement["kind"] == "text":
                answer = rng.choice(data.REQUIREMENT_ANSWERS)
            else:
                answer = ""
            answers.append(
                {
                    "requirement_id": requirement["id"],
                    "question": requirement["question"],
                    "kind": requirement["kind"],
                    "answer": answer,
                }
            )
        # The same row checkout writes (services/orders/placing.py), then its completed history.
        row = placing.order_row(
            terms=terms, code=self._order_code(), gig_id=gig_id, title=title,
            buyer_id=buyer.id, seller_id=seller.id, currency=self.currency, now=placed,
        )  # fmt: skip
        chunk.orders.append(
            {
                **row,
                "id": order_id,
                "status": OrderStatus.completed.value,
                "requirement_answers": answers,
                "revisions_used": 0,
                "payment_intent_id": None,
                "charge_id": None,
                "version": 5,  # created + four transitions
                "updated_at": finished,
                "started_at": started,
                "due_at": due,
                "delivered_at": delivered,
                "completed_at": finished,
                "cancelled_at": None,
                "paid_at": paid,
                "state_entered_at": finished,
                "cancellation_requested_by": "",
                "payout_cents": subtotal - commission,
                "pending_action": None,
                "pending_data": {},
            }
        )

        delivery_id = self._take_id("delivery")
        message = rng.choice(data.DELIVERY_MESSAGES)
        chunk.deliveries.append(
            {
                "id": delivery_id,
                "order_id": order_id,
                "seller_id": seller.id,
                "message": message,
                "files": [],
                "created_at": delivered,
            }
        )
        # The history walks the process table: each step must be a legal transition for its
        # actor from the status the previous one left (bulk rows, so not the executor itself).
        steps = (
            (paid, buyer, ActorRole.buyer, "pay", "", {"amount_cents": subtotal + fee}),
            (started, buyer, ActorRole.buyer, "submit_requirements", "", {}),
            (delivered, seller, ActorRole.seller, "deliver", message, {"delivery_id": delivery_id}),
            (finished, buyer, ActorRole.buyer, "accept", "", {}),
        )
        timeline = [
            (placed, buyer, ActorRole.buyer, "place", None, OrderStatus.pending_payment, "", {})
        ]
        status = OrderStatus.pending_payment.value
        for at, actor, role, name, note, extra in steps:
            step = order_process.transition(name)
            if status not in step.from_states or role.value not in step.actors:
                raise AssertionError(f"demo order history breaks the process at {name!r}")
            new_status = order_process.target(step, status)
            timeline.append(
                (at, actor, role, name, OrderStatus(status), OrderStatus(new_status), note, extra)
            )
            status = new_status
        for at, actor, role, transition, from_status, to_status, note, extra in timeline:
            chunk.events.append(
                {
                    "id": self._take_id("event"),
                    "order_id": order_id,
                    "at": at,
                    "actor_id": actor.id,
                    "actor_role": role.value,
                    "transition": transition,
                    "from_status": from_status.value if from_status else None,
                    "to_status": to_status.value,
                    "message": note,
                    "data": extra,
                }
            )
        # The same rows the executor writes (services/orders/executor.py), keys included.
        money = (
            ("hold", LedgerKind.hold, subtotal + fee, paid, None),
            ("capture", LedgerKind.capture, subtotal + fee, started, None),
            ("commission", LedgerKind.commission, commission, finished, seller.id),
            (order_process.SERVICE_FEE_STEP, LedgerKind.commission, fee, finished, None),
            ("release", LedgerKind.release, subtotal - commission, finished, seller.id),
        )
        for step_key, kind, amount, at, seller_id in money:
            chunk.ledger.append(
                {
                    "id": self._take_id("ledger"),
                    "order_id": order_id,
                    "kind": kind.value,
                    "amount_cents": amount,
                    "currency": self.currency,
                    "idempotency_key": f"order:{order_id}:{step_key}",
                    "stripe_object_id": None,
                    "seller_id": seller_id,
                    "note": "demo data: no money moved",
                    "created_at": at,
                }
            )

        if rng.random() >= 0.85:
            return 0
        return self._review(chunk, order_id, gig_id, seller, buyer, finished)

    def _review(
        self,
        chunk: _Chunk,
        order_id: int,
        gig_id: int,
        seller: _Person,
        buyer: _Person,
        finished: datetime,
    ) -> int:
        rng = self.rng
        rating = rng.choices((1, 2, 3, 4, 5), weights=seller.rating_weights)[0]

        def near(value: int) -> int:
            return max(1, min(5, value + rng.choice((-1, 0, 0, 0, 1))))

        if rating >= 4:
            pool, replies, reply_chance = data.REVIEW_POSITIVE, data.SELLER_REPLIES_POSITIVE, 0.2
        elif rating == 3:
            pool, replies, reply_chance = data.REVIEW_MIXED, data.SELLER_REPLIES_NEGATIVE, 0.5
        else:
            pool, replies, reply_chance = data.REVIEW_NEGATIVE, data.SELLER_REPLIES_NEGATIVE, 0.6
        body = " ".join(rng.sample(pool, rng.randint(1, 2)))
        created = finished + timedelta(minutes=rng.randint(10, 4 * 24 * 60))
        if created > self.anchor:
            return 0  # not written yet at the demo's "now"
        reply, replied_at = "", None
        if rng.random() < reply_chance:
            reply = rng.choice(replies)
            replied_at = created + timedelta(minutes=rng.randint(30, 3 * 24 * 60))
            if replied_at > self.anchor:  # not replied yet at the demo's "now"
                reply, replied_at = "", None
        chunk.reviews.append(
            {
                "id": self._take_id("review"),
                "order_id": order_id,
                "gig_id": gig_id,
                "seller_id": seller.id,
                "buyer_id": buyer.id,
                "rating": rating,
                "communication": near(rating),
                "as_described": near(rating),
                "recommend": rating >= 4 or (rating == 3 and rng.random() < 0.4),
                "body": body,
                "seller_reply": reply,
                "replied_at": replied_at,
                "hidden": False,
                "created_at": created,
                # Double-blind: the seller reviewed the buyer first, so the buyer's review
                # was published the moment it was written (services/reviews/order_reviews.py).
                "published_at": created,
                "reveal_at": finished + timedelta(days=REVIEW_WINDOW_DAYS),
            }
        )
        seller_reviewed = finished + (created - finished) * rng.uniform(0.1, 0.9)
        chunk.buyer_reviews.append(
            {
                "order_id": order_id,
                "seller_id": seller.id,
                "buyer_id": buyer.id,
                "rating": 5 if rng.random() < 0.9 else 4,
                "body": rng.choice(_BUYER_REVIEW_BODIES),
                "created_at": seller_reviewed,
                "published_at": created,
                "reveal_at": finished + timedelta(days=REVIEW_WINDOW_DAYS),
            }
        )
        return rating

    # -- profiles, written last so their aggregates are final --------------------------------

    def _profiles(self) -> None:
        rows = [self._profile(index + 1, person) for index, person in enumerate(self.sellers)]
        self._insert(FreelancerProfile.__table__, rows)
        self.say(f"profiles: {len(rows):,} freelancer profiles")

    def _profile(self, profile_id: int, p: _Person) -> dict:
        rng, year = self.rng, self.anchor.year
        category = p.category
        assert category is not None
        low, high = _EXPERIENCE_YEARS[p.level]
        years = rng.randint(low, high)
        job = rng.choice(category.job_titles)
        skills = rng.sample(category.skills, rng.randint(4, min(7, len(category.skills))))
        if rng.random() < 0.3:
            other = rng.choice(data.CATEGORIES).skills
            extra_skill = rng.choice(other)
            if extra_skill not in skills:
                skills.append(extra_skill)

        native = rng.choice(p.country.native_languages)
        languages = [{"language": native, "level": "native"}]
        if native != "English":
            english = rng.choices(("fluent", "conversational", "basic"), weights=(55, 35, 10))[0]
            languages.append({"language": "English", "level": english})
        if rng.random() < 0.25:
            other_language = rng.choice(data.OTHER_LANGUAGES)
            if all(entry["language"] != other_language for entry in languages):
                level = rng.choice(("fluent", "conversational", "basic"))
                languages.append({"language": other_language, "level": level})

        graduated = year - years - rng.randint(0, 3)
        qualifications = [
            {
                "kind": "education",
                "title": rng.choice(category.degrees),
                "institution": rng.choice(p.country.institutions),
                "year": graduated,
            }
        ]
        for title, issuer in rng.sample(category.certifications, rng.randint(0, 2)):
            qualifications.append(
                {
                    "kind": "certification",
                    "title": title,
                    "institution": issuer,
                    "year": rng.randint(graduated + 1, year),
                }
            )

        experience = []
        freelance_since = max(graduated + 1, year - rng.randint(1, max(1, years)))
        if freelance_since > graduated + 1:
            experience.append(
                {
                    "title": job,
                    "company": rng.choice(data.COMPANIES),
                    "from_year": graduated + 1,
                    "to_year": freelance_since,
                    "description": rng.choice(data.EXPERIENCE_DESCRIPTIONS),
                }
            )
        experience.append(
            {
                "title": f"Freelance {job}",
                "company": "Self-employed",
                "from_year": freelance_since,
                "to_year": None,
                "description": rng.choice(data.EXPERIENCE_DESCRIPTIONS),
            }
        )

        portfolio = [
            {"title": item, "url": f"https://example.com/{p.username}/{slugify(item)}"}
            for item in rng.sample(category.portfolio_items, rng.randint(1, 3))
        ]

        values = {
            "first": p.first,
            "years": years,
            "job_a": _with_article(job),
            "country_name": data.COUNTRY_NAMES.get(p.country.code, p.country.code),
            "company": experience[0]["company"],
            "skill_a": skills[0],
            "skill_b": skills[1],
        }
        middles = [m for m in data.BIO_MIDDLES if len(experience) > 1 or "{company}" not in m]
        bio_parts = [rng.choice(data.BIO_OPENINGS)]
        bio_parts += rng.sample(middles, rng.randint(1, 2))
        bio_parts.append(rng.choice(data.BIO_CLOSINGS))
        bio = " ".join(part.format(**values) for part in bio_parts)

        return {
            "id": profile_id,
            "user_id": p.id,
            "headline": rng.choice(category.headlines),
            "bio": bio[:2000],
            "skills": skills,
            "languages": languages,
            "country": p.country.code,
            "qualifications": qualifications,
            "experience": experience,
            "portfolio": portfolio,
            "level": p.level,
            "is_pro": p.is_pro,
            "response_time_hours": rng.choice(_RESPONSE_HOURS[p.level]),
            "rating_avg": round(p.rating_sum / p.rating_count, 2) if p.rating_count else 0.0,
            "rating_count": p.rating_count,
            "orders_completed": p.orders_completed,
            "stripe_account_id": None,  # real connected accounts come from the payouts flow
            "payouts_enabled": False,
            "created_at": p.created_at + timedelta(minutes=rng.randint(5, 2 * 24 * 60)),
        }

    def _bump_sequences(self) -> None:
        """Explicit ids do not advance PostgreSQL sequences; move each one past its max id."""
        if self.conn.dialect.name != "postgresql":
            return
        preparer = self.conn.dialect.identifier_preparer
        tables = (
            Category,
            User,
            FreelancerProfile,
            Gig,
            GigPackage,
            GigExtra,
            GigFAQ,
            GigRequirement,
            Order,
            Delivery,
            OrderEvent,
            LedgerEntry,
            Review,
        )
        for model in tables:
            table: Table = model.__table__  # type: ignore[attr-defined]
            top = self.conn.execute(select(func.max(table.c.id))).scalar_one() or 0
            self.conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value, :called)"),
                {"table": preparer.format_table(table), "value": max(top, 1), "called": top > 0},
            )


def _with_article(job: str) -> str:
    """ "an SEO specialist", "a UI designer", "an editor": acronyms go by their spoken letter."""
    words = job.split()
    first = words[0]
    spoken_vowel = "AEFHILMNORSX" if first.isupper() else "AEIOUaeiou"
    an = first[0] in spoken_vowel
    text_ = " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in words)
    return f"{'an' if an else 'a'} {text_}"


_A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=(?:[aeio]|u(?!ni|s[ea]|ser))[a-z])")


def _articles_agree(text_: str) -> str:
    """ "a {style} website" filled with "elegant" reads "an elegant website" ("a unique" stays)."""
    return _A_BEFORE_VOWEL.sub(lambda m: m.group(1) + "n ", text_)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _pick(rng: random.Random, cum_weights: list[float]) -> int:
    return bisect.bisect_right(cum_weights, rng.random() * cum_weights[-1])


__all__ = [
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "DEMO_BUYER_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_SELLER_EMAIL",
    "LAST_ORDER_MARGIN",
    "DemoLogin",
    "SeedError",
    "SeedReport",
    "database_is_empty",
    "default_anchor",
    "seed",
]
