"""Search documents for gigs, built from the database in bounded queries.

Only active gigs have a document. A batch of gigs costs two queries whatever its size: one join
for the gig, its subcategory and category, its seller and the seller's profile, and one for the
gallery covers. What must be filterable is flattened to top-level fields (`seller_level`,
`seller_country`, `seller_languages`, `is_pro`, `category_slug`, `subcategory_slug`); the nested
`seller` object is what a result card shows.

Document shape (prices in integer cents, times as unix seconds):

    {"id": 17, "slug": "...", "title": "I will ...", "description": "<= 300 chars",
     "tags": [...], "category": "Graphics & Design", "category_slug": "graphics-design",
     "subcategory": "Logo Design", "subcategory_slug": "logo-design",
     "seller": {"id", "name", "username", "level", "country", "languages", "is_pro"},
     "seller_id", "seller_level", "seller_country", "seller_languages", "is_pro",
     "price_from", "delivery_days_min", "rating_avg", "rating_count", "orders_completed",
     "created_at", "cover_image": "<stored image name>" or ""}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased

from marketplace.models import Category, FreelancerProfile, Gig, GigMedia, GigStatus, User

EXCERPT_CHARS = 300
IN_CHUNK = 1_000  # ids per IN (...) list: well under every database's parameter limit
REINDEX_BATCH = 5_000


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text on one line, cut at a word boundary to at most `limit` characters."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def _language_names(languages: Any) -> list[str]:
    names: list[str] = []
    for item in languages or []:
        name = item.get("language") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def _unix(value) -> int:
    return int(value.timestamp()) if value is not None else 0


def _gig_rows(session: Session, *conditions, limit: int | None = None):
    subcategory = aliased(Category, name="subcategory")
    parent = aliased(Category, name="parent_category")
    statement = (
        select(
            Gig.id,
            Gig.slug,
            Gig.title,
            Gig.description,
            Gig.tags,
            Gig.price_from_cents,
            Gig.delivery_days_min,
            Gig.rating_avg,
            Gig.rating_count,
            Gig.orders_completed,
            Gig.created_at,
            subcategory.name,
            subcategory.slug,
            parent.name,
            parent.slug,
            User.id,
            User.display_name,
            User.username,
            FreelancerProfile.level,
            FreelancerProfile.country,
            FreelancerProfile.languages,
            FreelancerProfile.is_pro,
        )
        .join(User, User.id == Gig.seller_id)
        .outerjoin(subcategory, subcategory.id == Gig.category_id)
        .outerjoin(parent, parent.id == subcategory.parent_id)
        .outerjoin(FreelancerProfile, FreelancerProfile.user_id == Gig.seller_id)
        .where(Gig.status == GigStatus.active.value, *conditions)
        .order_by(Gig.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return session.execute(statement).all()


def _covers(session: Session, *conditions) -> dict[int, str]:
    """gig id -> the stored name of its first gallery image."""
    covers: dict[int, str] = {}
    rows = session.execute(
        select(GigMedia.gig_id, GigMedia.path)
        .where(*conditions)
        .order_by(GigMedia.gig_id, GigMedia.position, GigMedia.id)
    ).all()
    for gig_id, path in rows:
        covers.setdefault(gig_id, path)
    return covers


def _document(row, cover: str) -> dict[str, Any]:
    (
        gig_id,
        slug,
        title,
        description,
        tags,
        price_from,
        delivery_days_min,
        rating_avg,
        rating_count,
        orders_completed,
        created_at,
        sub_name,
        sub_slug,
        parent_name,
        parent_slug,
        seller_id,
        seller_name,
        seller_username,
        level,
        country,
        languages,
        is_pro,
    ) = row
    if parent_name is None:  # a gig filed under a top-level category (not made by the editor)
        parent_name, parent_slug, sub_name, sub_slug = sub_name, sub_slug, None, None
    language_names = _language_names(languages)
    level = level or "new"
    country = country or ""
    is_pro = bool(is_pro)
    return {
        "id": gig_id,
        "slug": slug,
        "title": title,
        "description": excerpt(description),
        "tags": list(tags or []),
        "category": parent_name or "",
        "category_slug": parent_slug or "",
        "subcategory": sub_name or "",
        "subcategory_slug": sub_slug or "",
        "seller": {
            "id": seller_id,
            "name": seller_name,
            "username": seller_username,
            "level": level,
            "country": country,
            "languages": language_names,
            "is_pro": is_pro,
        },
        "seller_id": seller_id,
        "seller_level": level,
        "seller_country": country,
        "seller_languages": language_names,
        "is_pro": is_pro,
        "price_from": int(price_from),
        "delivery_days_min": int(delivery_days_min),
        "rating_avg": round(float(rating_avg), 2),
        "rating_count": int(rating_count),
        "orders_completed": int(orders_completed),
        "created_at": _unix(created_at),
        "cover_image": cover,
    }


def build_documents(session: Session, gig_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Documents for those of `gig_ids` that are active (others are simply absent).

    Two queries per 1,000 ids, never one per gig.
    """
    ids = sorted({int(i) for i in gig_ids})
    documents: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        rows = _gig_rows(session, Gig.id.in_(chunk))
        if not rows:
            continue
        covers = _covers(session, GigMedia.gig_id.in_([row[0] for row in rows]))
        for row in rows:
            documents[row[0]] = _document(row, covers.get(row[0], ""))
    return documents


def count_active(session: Session) -> int:
    return int(
        session.execute(
            select(func.count(Gig.id)).where(Gig.status == GigStatus.active.value)
        ).scalar_one()
    )


def iter_active_documents(
    engine: Engine, *, batch: int = REINDEX_BATCH
) -> Iterator[list[dict[str, Any]]]:
    """Every active gig's document, `batch` at a time in id order (keyset pagination).

    Each batch is read in its own short transaction, so a reindex of 100,000 gigs never holds
    a long read transaction open on the database.
    """
    after = 0
    while True:
        with Session(engine) as session:
            rows = _gig_rows(session, Gig.id > after, limit=batch)
            if not rows:
                return
            low, high = rows[0][0], rows[-1][0]
            covers = _covers(session, GigMedia.gig_id >= low, GigMedia.gig_id <= high)
        yield [_document(row, covers.get(row[0], "")) for row in rows]
        after = high
