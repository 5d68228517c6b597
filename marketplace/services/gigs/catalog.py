"""Read models for browsing: the category tree and gig cards. Plain data, no UI formatting."""

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Numeric, Text, and_, cast, func, literal, or_, true, union_all
from sqlmodel import Session, col, select

from marketplace.models import Category, FreelancerProfile, Gig, GigMedia, GigStatus, User
from search.query import DELIVERY, PER_PAGE, RATINGS, GigQuery


@dataclass(frozen=True)
class CategorySummary:
    id: int
    name: str
    slug: str
    icon: str
    description: str
    subcategories: list[str]
    active_gigs: int


@dataclass(frozen=True)
class GigCard:
    """What a gig card shows; built in one query so lists never load whole tables."""

    id: int
    slug: str
    title: str
    category_name: str
    category_icon: str
    seller_name: str
    seller_username: str
    seller_level: str
    seller_is_pro: bool
    price_from_cents: int
    rating_avg: float
    rating_count: int
    orders_completed: int
    cover_image: str  # the gallery's first image (a stored name), "" when it has none


def top_categories(session: Session) -> list[CategorySummary]:
    """Top-level categories in menu order, with their subcategory names and active gig counts."""
    categories = session.exec(select(Category).order_by(Category.position, Category.name)).all()
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    counts = dict(
        session.exec(
            select(Category.parent_id, func.count(Gig.id))
            .join(Gig, col(Gig.category_id) == Category.id)
            .where(Gig.status == GigStatus.active)
            .group_by(Category.parent_id)
        ).all()
    )
    return [
        CategorySummary(
            id=category.id,
            name=category.name,
            slug=category.slug,
            icon=category.icon,
            description=category.description,
            subcategories=[child.name for child in children.get(category.id, [])],
            active_gigs=int(counts.get(category.id, 0)),
        )
        for category in categories
        if category.parent_id is None
    ]


def _cover_image():
    """The gig's cover, as a column of the card query (no query per card)."""
    return (
        select(GigMedia.path)
        .where(GigMedia.gig_id == Gig.id)
        .order_by(GigMedia.position, GigMedia.id)
        .limit(1)
        .correlate(Gig)
        .scalar_subquery()
    )


def _card(row) -> GigCard:
    *values, cover = row
    return GigCard(*values, cover_image=cover or "")


_PARENT = Category.__table__.alias("parent_category")


def _card_query(*extra_columns):
    parent = _PARENT
    return (
        select(
            Gig.id,
            Gig.slug,
            Gig.title,
            parent.c.name,
            parent.c.icon,
            User.display_name,
            User.username,
            FreelancerProfile.level,
            FreelancerProfile.is_pro,
            Gig.price_from_cents,
            Gig.rating_avg,
            Gig.rating_count,
            Gig.orders_completed,
            _cover_image().label("cover_image"),
            *extra_columns,
        )
        .join(Category, col(Category.id) == Gig.category_id)
        .join(parent, parent.c.id == Category.parent_id)
        .join(User, col(User.id) == Gig.seller_id)
        .join(FreelancerProfile, col(FreelancerProfile.user_id) == Gig.seller_id)
        .where(Gig.status == GigStatus.active)
    )


POPULAR_PER_SELLER = 2


def popular_gigs(
    session: Session, *, limit: int = 8, per_seller: int = POPULAR_PER_SELLER
) -> list[GigCard]:
    """Active gigs with the most completed orders, best rated first among equals, and at most
    `per_seller` from any one seller, so the home page shows a range of sellers."""
    limit = max(1, min(int(limit), 48))
    order = (col(Gig.orders_completed).desc(), col(Gig.rating_avg).desc(), col(Gig.id))
    rank = func.row_number().over(partition_by=Gig.seller_id, order_by=order).label("rank")
    ranked = _card_query(rank).subquery()
    rows = session.exec(
        select(*[c for c in ranked.c if c.name != "rank"])
        .where(ranked.c.rank <= max(1, int(per_seller)))
        .order_by(ranked.c.orders_completed.desc(), ranked.c.rating_avg.desc(), ranked.c.id)
        .limit(limit)
    ).all()
    return [_card(row) for row in rows]


def seller_gig_cards(session: Session, *, seller_id: int, limit: int = 12) -> list[GigCard]:
    """One seller's active gigs, best sellers first (their public profile lists them)."""
    limit = max(1, min(int(limit), 48))
    rows = session.exec(
        _card_query()
        .where(Gig.seller_id == seller_id)
        .order_by(col(Gig.orders_completed).desc(), col(Gig.id))
        .limit(limit)
    ).all()
    return [_card(row) for row in rows]


SORTS = {
    "recommended": (col(Gig.orders_completed).desc(), col(Gig.rating_avg).desc()),
    "rating": (col(Gig.rating_avg).desc(), col(Gig.rating_count).desc()),
    "price_asc": (col(Gig.price_from_cents).asc(),),
    "price_desc": (col(Gig.price_from_cents).desc(),),
    "newest": (col(Gig.published_at).desc(),),
}
MAX_QUERY_LENGTH = 200
MAX_PAGE = 500


@dataclass(frozen=True)
class SearchPage:
    cards: list[GigCard]
    total: int
    page: int
    per_page: int
    category_name: str


def search_gigs_sql(
    session: Session,
    *,
    query: str = "",
    category_slug: str = "",
    sort: str = "recommended",
    page: int = 1,
    per_page: int = 24,
) -> SearchPage:
    """Search active gigs in the database: every word must appear in the title or the tags.

    This is the fallback the search design keeps for when Meilisearch is unavailable; every
    argument is client-supplied, so each is bounded here and used only as a bound parameter.
    """
    words = [w for w in query[:MAX_QUERY_LENGTH].lower().split() if w][:8]
    page = max(1, min(int(page), MAX_PAGE))
    per_page = max(1, min(int(per_page), 60))
    order = SORTS.get(sort, SORTS["recommended"])

    statement = _card_query()
    category_name = ""
    if category_slug:
        category = session.exec(select(Category).where(Category.slug == category_slug[:80])).first()
        if category is None:
            return SearchPage([], 0, page, per_page, "")
        category_name = category.name
        if category.parent_id is None:
            statement = statement.where(Category.parent_id == category.id)
        else:
            statement = statement.where(Gig.category_id == category.id)
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(
            col(Gig.title).ilike(pattern, escape="\\")
            | func.lower(func.cast(Gig.tags, Text())).like(pattern, escape="\\")
        )

    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(
        statement.order_by(*order, col(Gig.id)).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return SearchPage([_card(row) for row in rows], int(total), page, per_page, category_name)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- faceted search on the database (the fallback when Meilisearch is down) ---------------------


@dataclass(frozen=True)
class FacetCountsSql:
    """Matches per facet value for one view, counted by the database. The choice groups
    (levels, languages, countries, delivery, ratings) are counted without their own choice."""

    total: int
    categories: dict[str, int]
    subcategories: dict[str, int]
    levels: dict[str, int]
    pro: int
    languages: dict[str, int]
    countries: dict[str, int]
    delivery: dict[str, int]  # DELIVERY key -> matches within it
    ratings: dict[str, int]  # RATINGS key -> matches at or above it
    price_min: int | None
    price_max: int | None


FACETED_SORTS = {
    "relevance": SORTS["recommended"],
    "best_selling": (col(Gig.orders_completed).desc(),),
    "newest": (col(Gig.created_at).desc(),),
    "price_asc": SORTS["price_asc"],
    "price_desc": SORTS["price_desc"],
    "rating": (col(Gig.rating_avg).desc(),),
}


# Meilisearch's last ranking rules (search/index.py), so both engines order ties alike.
_TIE_BREAKERS = (col(Gig.orders_completed).desc(), col(Gig.rating_avg).desc(), col(Gig.id))


def _language_pattern(language: str) -> list[str]:
    """LIKE patterns for `"language": "<name>"` in a profile's JSON, as SQLite (ASCII-escaped)
    and PostgreSQL (jsonb text) each spell it."""
    escaped = json.dumps(language)
    raw = json.dumps(language, ensure_ascii=False)
    return [f'%"language": {_escape_like(text)}%' for text in dict.fromkeys([escaped, raw])]


def _rating_2dp():
    """The rating as the index stores it (2 decimals); NUMERIC so PostgreSQL can round it."""
    return func.round(cast(Gig.rating_avg, Numeric(4, 2)), 2)


# The groups where several values (or a wider choice) can be picked: their own counts leave
# their own choice out, as the Meilisearch side does (gig_search.DISJUNCTIVE).
CHOICE_GROUPS = ("levels", "languages", "countries", "delivery", "rating")


def _faceted_conditions(view: GigQuery) -> tuple[list, dict]:
    """`view`'s filters as SQL on the card joins: the fixed ones, and one condition per choice
    group (CHOICE_GROUPS; `true()` when nothing is chosen). Same filters as the Meilisearch
    query (search/query.py); words must each appear in the title or the tags (no typo
    tolerance). Every value is a bound parameter."""
    parent = _PARENT
    fixed = []
    for word in view.q.lower().split()[:8]:
        pattern = f"%{_escape_like(word)}%"
        fixed.append(
            col(Gig.title).ilike(pattern, escape="\\")
            | func.lower(func.cast(Gig.tags, Text())).like(pattern, escape="\\")
        )
    if view.category:
        fixed.append(parent.c.slug == view.category)
    if view.subcategory:
        fixed.append(Category.slug == view.subcategory)
    if view.pro_only:
        fixed.append(col(FreelancerProfile.is_pro).is_(True))
    if view.price_min is not None:
        fixed.append(Gig.price_from_cents >= view.price_min)
    if view.price_max is not None:
        fixed.append(Gig.price_from_cents <= view.price_max)
    chosen = dict.fromkeys(CHOICE_GROUPS, true())
    if view.levels:
        chosen["levels"] = col(FreelancerProfile.level).in_(view.levels)
    if view.countries:
        chosen["countries"] = col(FreelancerProfile.country).in_(view.countries)
    if view.languages:
        languages_text = func.cast(FreelancerProfile.languages, Text())
        chosen["languages"] = or_(
            *[
                languages_text.like(pattern, escape="\\")
                for language in view.languages
                for pattern in _language_pattern(language)
            ]
        )
    if view.delivery:
        chosen["delivery"] = Gig.delivery_days_min <= DELIVERY[view.delivery]
    if view.rating:
        chosen["rating"] = _rating_2dp() >= RATINGS[view.rating]
    return fixed, chosen


def faceted_cards_sql(session: Session, view: GigQuery) -> list[tuple[GigCard, str]]:
    """The page of cards `view` asks for, each with its seller's country, from SQL."""
    fixed, chosen = _faceted_conditions(view)
    rows = session.exec(
        _card_query(FreelancerProfile.country)
        .where(*fixed, *chosen.values())
        .order_by(*FACETED_SORTS[view.sort], *_TIE_BREAKERS)
        .offset((view.page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return [(_card(row[:-1]), row[-1] or "") for row in rows]


def faceted_counts_sql(session: Session, view: GigQuery) -> FacetCountsSql:
    """The facet counts of `view`'s matches in one statement: the gigs passing the fixed
    filters are read once (a CTE, with one flag per choice group), then a UNION of GROUP BYs
    counts each group over them, a choice group without its own flag. No row per match
    reaches Python. Languages are grouped by the seller's whole list (few distinct lists) and
    split here; delivery days and ratings are grouped by value and summed into their choices."""
    parent = _PARENT
    fixed, chosen = _faceted_conditions(view)
    matches = (
        select(
            parent.c.slug.label("category"),
            Category.slug.label("subcategory"),
            FreelancerProfile.level.label("level"),
            FreelancerProfile.is_pro.label("is_pro"),
            FreelancerProfile.country.label("country"),
            func.cast(FreelancerProfile.languages, Text()).label("languages"),
            Gig.delivery_days_min.label("delivery"),
            Gig.price_from_cents.label("price"),
            _rating_2dp().label("rating"),
            *[condition.label(f"chose_{name}") for name, condition in chosen.items()],
        )
        .join(Category, col(Category.id) == Gig.category_id)
        .join(parent, parent.c.id == Category.parent_id)
        .join(FreelancerProfile, col(FreelancerProfile.user_id) == Gig.seller_id)
        .where(Gig.status == GigStatus.active, *fixed)
        .cte("matches")
    )
    m = matches.c

    def passing(*, but: str = ""):
        return and_(true(), *[m[f"chose_{name}"] == true() for name in chosen if name != but])

    def grouped(facet: str, column, *, but: str = "", aggregate=None):
        value = cast(column, Text()) if column is not None else literal("", Text())
        statement = select(
            literal(facet, Text()).label("facet"),
            value.label("value"),
            (aggregate if aggregate is not None else func.count()).label("n"),
        ).where(passing(but=but))
        return statement.group_by(column) if column is not None else statement

    rows = session.exec(
        union_all(
            grouped("total", None),
            grouped("pro", None).where(m.is_pro == true()),
            grouped("price_min", None, aggregate=func.min(m.price)),
            grouped("price_max", None, aggregate=func.max(m.price)),
            grouped("category", m.category),
            grouped("subcategory", m.subcategory),
            grouped("level", m.level, but="levels"),
            grouped("country", m.country, but="countries"),
            grouped("languages", m.languages, but="languages"),
            grouped("delivery", m.delivery, but="delivery"),
            grouped("rating", m.rating, but="rating"),
        )
    ).all()
    found: dict[str, dict[str, int | None]] = {}
    for facet, value, count in rows:
        found.setdefault(facet, {})[value or ""] = None if count is None else int(count)

    def group(name: str) -> dict[str, int]:
        return {k: int(v) for k, v in found.get(name, {}).items() if k and v}

    def single(name: str) -> int | None:
        return found.get(name, {}).get("")

    languages: Counter[str] = Counter()
    for text, count in group("languages").items():
        for language in dict.fromkeys(_language_names(text)):
            languages[language] += count
    levels: Counter[str] = Counter(group("level"))
    if found.get("level", {}).get(""):
        levels["new"] += int(found["level"][""])
    delivery = dict.fromkeys(DELIVERY, 0)
    for days, count in group("delivery").items():
        for key, most in DELIVERY.items():
            delivery[key] += count if int(days) <= most else 0
    ratings = dict.fromkeys(RATINGS, 0)
    for rating, count in group("rating").items():
        for key, minimum in RATINGS.items():
            ratings[key] += count if float(rating) >= minimum else 0
    return FacetCountsSql(
        total=single("total") or 0,
        categories=group("category"),
        subcategories=group("subcategory"),
        levels=dict(levels),
        pro=single("pro") or 0,
        languages=dict(languages),
        countries=group("country"),
        delivery=delivery,
        ratings=ratings,
        price_min=single("price_min"),
        price_max=single("price_max"),
    )


def _language_names(text: str) -> list[str]:
    """The language names in a profile's languages JSON (a list of {"language", "level"})."""
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    return [
        str(item["language"]) for item in items if isinstance(item, dict) and item.get("language")
    ]


# --- favourites (issue 12) -------------------------------------------------------------------


def cards_for_gigs(session: Session, *, gig_ids: list[int]) -> list[GigCard]:
    """Cards of these active gigs, in the order given (the favourites page)."""
    if not gig_ids:
        return []
    rows = session.exec(_card_query().where(col(Gig.id).in_(gig_ids))).all()
    by_id = {row[0]: _card(row) for row in rows}
    return [by_id[gig_id] for gig_id in gig_ids if gig_id in by_id]
