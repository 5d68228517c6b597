"""Read models for the public gig page, the seller's "my gigs" table and the gig editor.

Plain frozen dataclasses of ints, strings, lists and dicts, built with a few bounded queries, so
the state layer never holds ORM objects or whole tables. Who may see what is decided by
services/gigs/actions.py (one place for the rules); a gig someone may not see is NotFound, so
its existence is not revealed.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from marketplace.models import (
    Category,
    Favorite,
    FreelancerProfile,
    Gig,
    GigExtra,
    GigFAQ,
    GigMedia,
    GigPackage,
    GigRequirement,
    GigStatus,
    Order,
    User,
)
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.guards import require_active_user
from marketplace.services.gigs import rules as gig_rules
from marketplace.services.gigs.actions import (
    GIG_NOT_FOUND,
    GalleryImage,
    can_view_gig,
    current_draft,
    gallery,
    owned_gig,
)
from marketplace.services.messaging.response_times import measured_response_hours
from marketplace.services.orders import pricing as order_pricing
from marketplace.services.orders import process as order_process

MY_GIGS_MAX_LIMIT = 100
MY_GIGS_MAX_OFFSET = 100_000
UNTITLED = "Untitled draft"
# The tabs of "my gigs", in Fiverr's order; deleted gigs are never listed.
MY_GIGS_STATUSES = ("active", "pending_review", "draft", "paused", "rejected", "suspended")


@dataclass(frozen=True)
class PackageView:
    tier: str
    name: str
    description: str
    price_cents: int
    delivery_days: int
    revisions: int  # -1 = unlimited
    features: list[str]  # the feature rows included in this package
    included: list[bool]  # per row of GigPage.features, for the comparison table


@dataclass(frozen=True)
class ExtraView:
    id: int
    kind: str
    title: str
    description: str
    price_cents: int
    extra_days: int  # negative: delivered that many days faster
    included_in: tuple[str, ...] = ()  # tiers whose package already includes it (not sold)


@dataclass(frozen=True)
class FAQView:
    question: str
    answer: str


@dataclass(frozen=True)
class SellerCard:
    user_id: int
    display_name: str
    username: str
    avatar_path: str
    headline: str
    level: str
    is_pro: bool
    rating_avg: float
    rating_count: int
    orders_completed: int
    country: str
    languages: list[str]
    response_time_hours: int | None  # None until measured from messages
    member_since: datetime


@dataclass(frozen=True)
class GigPage:
    id: int
    slug: str
    status: str
    visibility_notice: str  # "" for an active gig; else who sees this and why
    is_owner: bool
    viewer_is_admin: bool
    title: str
    category_id: int | None
    category_name: str
    category_slug: str
    parent_category_name: str
    parent_category_slug: str
    category_icon: str  # a lucide icon name, from the top-level category
    tags: list[str]
    description: str  # plain text: render as text, never as HTML
    single_package: bool
    features: list[str]
    packages: list[PackageView]  # basic, standard, premium order
    extras: list[ExtraView]
    faqs: list[FAQView]
    gallery: list[str]  # stored image names, cover first
    requirements_count: int
    price_from_cents: int
    rating_avg: float
    rating_count: int
    orders_completed: int
    seller: SellerCard
    published_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class MyGigRow:
    id: int
    slug: str
    title: str
    status: str
    price_from_cents: int
    impressions: int
    orders_completed: int
    orders_in_progress: int
    updated_at: datetime
    cover_image: str  # "" when the gallery is empty
    saves: int = 0  # people who saved the gig to their favourites


@dataclass(frozen=True)
class MyGigsPage:
    rows: list[MyGigRow]
    counts: dict[str, int]  # per status in MY_GIGS_STATUSES
    total: int  # rows matching the status filter, for paging
    status: str | None
    limit: int
    offset: int


@dataclass(frozen=True)
class CategoryOption:
    id: int
    name: str
    subcategories: list[tuple[int, str]]  # (id, name)


@dataclass(frozen=True)
class EditorData:
    id: int
    version: int  # pass back as expected_version when saving
    status: str
    status_reason: str
    slug: str
    draft: dict  # gig_rules' documented shape
    errors: dict[str, str]  # what still stops publishing
    gallery: list[GalleryImage]
    categories: list[CategoryOption]
    max_gallery_images: int


def visibility_notice(status: str, reason: str = "") -> str:
    """What the seller (or an admin) is told about a gig buyers cannot see."""
    reason = reason.strip()
    because = f" Reason: {reason}" if reason else ""
    notices = {
        GigStatus.active: "",
        GigStatus.draft: "This gig is a draft: only you can see this preview until it's published.",
        GigStatus.pending_review: (
            "This gig is waiting for review by our moderators; buyers can't see it yet."
        ),
        GigStatus.paused: "This gig is paused: buyers can't find or order it until you resume it.",
        GigStatus.rejected: (f"This gig was not approved.{because} Edit it and publish it again."),
        GigStatus.suspended: f"This gig was suspended by our moderators.{because}",
        GigStatus.deleted: "This gig was deleted; only admins can see it.",
    }
    return notices.get(status, f"This gig is not public.{because}")


def _languages(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        return []
    return [
        str(item["language"])
        for item in raw
        if isinstance(item, dict) and isinstance(item.get("language"), str)
    ]


def gig_page_exists(session: Session, *, slug: str, viewer: User | None) -> bool:
    """Whether `gig_page` would show this gig to `viewer` (one query): the server answers the
    page of a gig nobody may see with HTTP 404."""
    if not isinstance(slug, str) or not 0 < len(slug) <= 120:
        return False
    row = session.exec(select(Gig.status, Gig.seller_id).where(Gig.slug == slug)).first()
    return row is not None and can_view_gig(status=row[0], seller_id=row[1], viewer=viewer)


# --- the gig page ------------------------------------------------------------------------------
# Two queries for a gig whose content this process has already read: the gig with its seller
# and category path, and the seller's measured response time. Its packages, extras, FAQs,
# gallery and requirements (five more queries) are read again only after the gig changed: every
# write to them moves Gig.updated_at (and the editor's saves Gig.version) in the same
# transaction. Its reviews are the reviews block's (state/reviews.py).

# The gig row's statement is built once per process, with the slug as a bound parameter:
# building it per page (and a new category alias each time) made SQLAlchemy rebuild the
# statement and its cache key, about a tenth of a gig page's time.
_PARENT_CATEGORY = aliased(Category)
_GIG_ROW = (
    select(Gig, User, FreelancerProfile, Category, _PARENT_CATEGORY)
    .join(User, col(User.id) == Gig.seller_id)
    .join(FreelancerProfile, col(FreelancerProfile.user_id) == Gig.seller_id, isouter=True)
    .join(Category, col(Category.id) == Gig.category_id, isouter=True)
    .join(_PARENT_CATEGORY, col(_PARENT_CATEGORY.id) == Category.parent_id, isouter=True)
    .where(Gig.slug == bindparam("slug"))
)


@dataclass(frozen=True)
class _GigRow:
    gig: Gig
    seller: User
    profile: FreelancerProfile | None
    category: Category | None
    parent: Category | None  # the category's top-level category, if it is a subcategory


def _viewable_gig(session: Session, slug: Any, viewer: User | None) -> _GigRow:
    """1 query: the gig, its seller's account and profile, its category and that one's parent."""
    if not isinstance(slug, str) or not 0 < len(slug) <= 120:
        raise NotFound(GIG_NOT_FOUND)
    row = session.exec(_GIG_ROW, params={"slug": slug}).first()
    if row is None:
        raise NotFound(GIG_NOT_FOUND)
    found = _GigRow(*row)
    gig = found.gig
    if not can_view_gig(status=gig.status, seller_id=gig.seller_id, viewer=viewer):
        raise NotFound(GIG_NOT_FOUND)
    return found


def _packages(session: Session, gig_id: int, features: list[str]) -> list[PackageView]:
    """1 query; basic, standard, premium order."""
    tier_order = {tier: index for index, tier in enumerate(gig_rules.TIERS)}
    rows = sorted(
        session.exec(select(GigPackage).where(GigPackage.gig_id == gig_id)).all(),
        key=lambda row: tier_order.get(row.tier, 99),
    )
    return [
        PackageView(
            tier=row.tier,
            name=row.name,
            description=row.description,
            price_cents=row.price_cents,
            delivery_days=row.delivery_days,
            revisions=row.revisions,
            features=[name for name in features if name in (row.features or [])],
            included=[name in (row.features or []) for name in features],
        )
        for row in rows
    ]


def _extras(session: Session, gig_id: int) -> list[ExtraView]:
    """1 query."""
    rows = session.exec(
        select(GigExtra).where(GigExtra.gig_id == gig_id).order_by(GigExtra.position, GigExtra.id)
    ).all()
    return [
        ExtraView(
            id=row.id,
            kind=row.kind,
            title=row.title,
            description=row.description,
            price_cents=row.price_cents,
            extra_days=row.extra_days,
        )
        for row in rows
    ]


def _faqs(session: Session, gig_id: int) -> list[FAQView]:
    """1 query."""
    rows = session.exec(
        select(GigFAQ).where(GigFAQ.gig_id == gig_id).order_by(GigFAQ.position, GigFAQ.id)
    ).all()
    return [FAQView(question=row.question, answer=row.answer) for row in rows]


def _requirements_count(session: Session, gig_id: int) -> int:
    """1 query."""
    return int(
        session.exec(
            select(func.count(GigRequirement.id)).where(GigRequirement.gig_id == gig_id)
        ).one()
    )


@dataclass(frozen=True)
class _GigContent:
    """What the seller wrote besides the gig row. Shared between page views: never mutated."""

    packages: list[PackageView]
    extras: list[ExtraView]
    faqs: list[FAQView]
    gallery: list[str]  # stored image names, cover first
    requirements_count: int


CONTENT_CACHE_SIZE = 1_000  # gigs per database per process; an entry is a few KB
_content_cache: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple, _GigContent]] = (
    weakref.WeakKeyDictionary()
)
_content_lock = threading.Lock()


def _content(session: Session, gig: Gig, features: list[str]) -> _GigContent:
    """5 queries the first time this process shows this version of the gig, else none. Keyed
    by the database (each engine has its own entries) and the gig's id, version and last
    change, which every write to these rows moves in its transaction."""
    key = (gig.id, gig.version, gig.updated_at, tuple(features))
    engine = session.get_bind()
    with _content_lock:
        entries = _content_cache.setdefault(engine, OrderedDict())
        content = entries.get(key)
        if content is not None:
            entries.move_to_end(key)
            return content
    packages = _packages(session, gig.id, features)
    content = _GigContent(
        packages=packages,
        extras=[
            replace(
                e,
                included_in=tuple(
                    p.tier for p in packages if order_pricing.included_in(p.features, e.title)
                ),
            )
            for e in _extras(session, gig.id)
        ],
        faqs=_faqs(session, gig.id),
        gallery=[image.name for image in gallery(session, gig_id=gig.id)],
        requirements_count=_requirements_count(session, gig.id),
    )
    with _content_lock:
        entries = _content_cache.setdefault(engine, OrderedDict())
        entries[key] = content
        while len(entries) > CONTENT_CACHE_SIZE:
            entries.popitem(last=False)
    return content


@dataclass(frozen=True)
class _CategoryPath:
    name: str = ""
    slug: str = ""
    parent_name: str = ""
    parent_slug: str = ""
    icon: str = ""  # the top-level category's, else the category's own


def _category_path(row: _GigRow) -> _CategoryPath:
    category, top = row.category, row.parent
    if category is None:
        return _CategoryPath()
    if top is None:
        return _CategoryPath(category.name, category.slug, icon=category.icon)
    return _CategoryPath(
        category.name, category.slug, top.name, top.slug, top.icon or category.icon
    )


def _seller_card(session: Session, row: _GigRow) -> SellerCard:
    """1 query: the seller's measured response time (the account and profile came with the gig)."""
    user, profile = row.seller, row.profile
    return SellerCard(
        user_id=user.id,
        display_name=user.display_name,
        username=user.username,
        avatar_path=user.avatar_path or "",
        headline=profile.headline if profile else "",
        level=profile.level if profile else "new",
        is_pro=bool(profile and profile.is_pro),
        rating_avg=profile.rating_avg if profile else 0.0,
        rating_count=profile.rating_count if profile else 0,
        orders_completed=profile.orders_completed if profile else 0,
        country=profile.country if profile else "",
        languages=_languages(profile.languages) if profile else [],
        response_time_hours=measured_response_hours(session, seller_id=user.id),
        member_since=user.created_at,
    )


def gig_page(session: Session, *, slug: str, viewer: User | None) -> GigPage:
    """Everything the public gig page shows, if `viewer` may see the gig; else NotFound."""
    row = _viewable_gig(session, slug, viewer)
    gig = row.gig
    category = _category_path(row)
    features = list(gig.package_features or [])
    content = _content(session, gig, features)
    return GigPage(
        id=gig.id,
        slug=gig.slug,
        status=gig.status,
        visibility_notice=visibility_notice(gig.status, gig.status_reason),
        is_owner=viewer is not None and viewer.id == gig.seller_id,
        viewer_is_admin=bool(viewer is not None and viewer.is_admin),
        title=gig.title or UNTITLED,
        category_id=gig.category_id,
        category_name=category.name,
        category_slug=category.slug,
        parent_category_name=category.parent_name,
        parent_category_slug=category.parent_slug,
        category_icon=category.icon,
        tags=list(gig.tags or []),
        description=gig.description,
        single_package=gig.single_package,
        features=features,
        packages=content.packages,
        extras=content.extras,
        faqs=content.faqs,
        gallery=content.gallery,
        requirements_count=content.requirements_count,
        price_from_cents=gig.price_from_cents,
        rating_avg=gig.rating_avg,
        rating_count=gig.rating_count,
        orders_completed=gig.orders_completed,
        seller=_seller_card(session, row),
        published_at=gig.published_at,
        updated_at=gig.updated_at,
    )


def _bounded(value: Any, *, default: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return max(low, min(value, high))


def my_gigs(
    session: Session, *, actor: User | None, status: str | None, limit: int = 50, offset: int = 0
) -> MyGigsPage:
    """The seller's gigs, newest change first, one status tab at a time, with tab counts."""
    require_active_user(actor)
    status = status or None  # "" is the "all" tab
    if status is not None and status not in MY_GIGS_STATUSES:
        raise DomainError("Choose one of the gig lists: active, pending, draft, paused ...")
    limit = _bounded(limit, default=50, low=1, high=MY_GIGS_MAX_LIMIT)
    offset = _bounded(offset, default=0, low=0, high=MY_GIGS_MAX_OFFSET)

    counted = dict(
        session.exec(
            select(Gig.status, func.count(Gig.id))
            .where(Gig.seller_id == actor.id, col(Gig.status).in_(MY_GIGS_STATUSES))
            .group_by(Gig.status)
        ).all()
    )
    counts = {name: int(counted.get(name, 0)) for name in MY_GIGS_STATUSES}

    cover = (
        select(GigMedia.path)
        .where(GigMedia.gig_id == Gig.id)
        .order_by(GigMedia.position, GigMedia.id)
        .limit(1)
        .correlate(Gig)
        .scalar_subquery()
    )
    open_orders = (
        select(func.count(Order.id))
        .where(Order.gig_id == Gig.id, col(Order.status).in_(order_process.ACTIVE))
        .correlate(Gig)
        .scalar_subquery()
    )
    saves = (
        select(func.count(Favorite.user_id))
        .where(Favorite.gig_id == Gig.id)
        .correlate(Gig)
        .scalar_subquery()
    )
    wanted = [status] if status else list(MY_GIGS_STATUSES)
    rows = session.exec(
        select(
            Gig.id,
            Gig.slug,
            Gig.title,
            Gig.status,
            Gig.price_from_cents,
            Gig.impressions,
            Gig.orders_completed,
            open_orders,
            Gig.updated_at,
            cover,
            saves,
        )
        .where(Gig.seller_id == actor.id, col(Gig.status).in_(wanted))
        .order_by(col(Gig.updated_at).desc(), col(Gig.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()

    # Drafts have no live title yet: show what the seller typed, from the page's drafts only.
    untitled = [row[0] for row in rows if not row[2]]
    typed: dict[int, str] = {}
    if untitled:
        for gig_id, draft in session.exec(
            select(Gig.id, Gig.draft).where(col(Gig.id).in_(untitled))
        ).all():
            title = gig_rules.clean_title(draft.get("title") if isinstance(draft, dict) else "")
            if title and not gig_rules.has_unsafe_chars(title):
                typed[gig_id] = title[: gig_rules.TITLE_MAX]

    return MyGigsPage(
        rows=[
            MyGigRow(
                id=gig_id,
                slug=slug,
                title=title or typed.get(gig_id) or UNTITLED,
                status=gig_status,
                price_from_cents=price_from,
                impressions=impressions,
                orders_completed=completed,
                orders_in_progress=int(in_progress or 0),
                updated_at=updated_at,
                cover_image=cover_name or "",
                saves=int(saved or 0),
            )
            for (
                gig_id,
                slug,
                title,
                gig_status,
                price_from,
                impressions,
                completed,
                in_progress,
                updated_at,
                cover_name,
                saved,
            ) in rows
        ],
        counts=counts,
        total=counts[status] if status else sum(counts.values()),
        status=status,
        limit=limit,
        offset=offset,
    )


def category_options(session: Session) -> list[CategoryOption]:
    """The category tree for the editor's two selects, in menu order."""
    categories = session.exec(select(Category).order_by(Category.position, Category.name)).all()
    children: dict[int, list[tuple[int, str]]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append((category.id, category.name))
    return [
        CategoryOption(id=c.id, name=c.name, subcategories=children.get(c.id, []))
        for c in categories
        if c.parent_id is None
    ]


def editor_data(session: Session, *, actor: User | None, gig_id: int) -> EditorData:
    """What the editor opens with. Only the gig's seller may edit it."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id)
    draft = current_draft(session, gig)
    images = gallery(session, gig_id=gig.id)
    categories = category_options(session)
    subcategory_ids = {sub_id for option in categories for sub_id, _ in option.subcategories}
    errors = gig_rules.validate_draft(
        draft, category_ids=subcategory_ids, gallery_count=len(images)
    )
    return EditorData(
        id=gig.id,
        version=gig.version,
        status=gig.status,
        status_reason=gig.status_reason,
        slug=gig.slug,
        draft=draft,
        errors=errors,
        gallery=images,
        categories=categories,
        max_gallery_images=gig_rules.GALLERY_MAX,
    )


@dataclass(frozen=True)
class UnpublishedGig:
    id: int
    title: str  # as the editor shows it ("" when none typed yet)


def gig_to_publish(session: Session, *, seller_id: int) -> UnpublishedGig | None:
    """The seller's most recently changed gig that still waits to be published (a draft or a
    rejected gig): where the page that confirms an email leads back to, since an unconfirmed
    address is what stopped publishing it."""
    gig = session.exec(
        select(Gig)
        .where(
            Gig.seller_id == seller_id,
            col(Gig.status).in_((GigStatus.draft.value, GigStatus.rejected.value)),
        )
        .order_by(col(Gig.updated_at).desc(), col(Gig.id).desc())
        .limit(1)
    ).first()
    if gig is None:
        return None
    title = gig_rules.clean_title(gig_rules.coerce_draft(gig.draft)["title"]) or gig.title
    return UnpublishedGig(id=gig.id, title=title)
