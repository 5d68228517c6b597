"""Gig search: one page of results, facet counts and price bounds for a `GigQuery`.

Meilisearch answers first (one multi-search: the page with facets, plus one count per rating
choice). When it is down, unreachable or slow, the same view is answered from the database
(`catalog.faceted_cards_sql` and `faceted_counts_sql`) with the same filters, sorts and counts,
and `degraded=True` so the page can say results may be less relevant. After a failure
Meilisearch is skipped for RETRY_AFTER_S so a dead server does not cost every search a timeout.
"""

from __future__ import annotations

import http.client
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import meilisearch
import orjson
from sqlmodel import Session, select

from marketplace.models import Category
from marketplace.services.common.reference import COUNTRIES
from marketplace.services.gigs import catalog
from marketplace.settings import Settings, get_settings
from search.index import index_name
from search.query import (
    DELIVERY,
    EXACT_COUNT_FACET,
    MAX_FACET_VALUES,
    PER_PAGE,
    RATINGS,
    GigQuery,
    highlight_segments,
    one_of,
)

log = logging.getLogger(__name__)

SEARCH_TIMEOUT_S = 2.0
RETRY_AFTER_S = 5.0


@dataclass(frozen=True)
class SearchHit:
    """What a result card shows, with the title split into (text, matched) segments."""

    card: catalog.GigCard
    seller_country: str
    title_segments: list[tuple[str, bool]]


@dataclass(frozen=True)
class Facets:
    """Counts per value for the current view (values with no match are absent)."""

    categories: dict[str, int] = field(default_factory=dict)  # slug -> count
    subcategories: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    pro: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    delivery: dict[str, int] = field(default_factory=dict)  # DELIVERY key -> count within it
    ratings: dict[str, int] = field(default_factory=dict)  # RATINGS key -> count at or above
    price_min: int | None = None  # cents, over the current matches
    price_max: int | None = None


@dataclass(frozen=True)
class CategoryName:
    name: str
    icon: str
    parent_slug: str  # "" for a top-level category


@dataclass(frozen=True)
class SearchResult:
    view: GigQuery
    hits: list[SearchHit]
    total: int
    facets: Facets
    categories: dict[str, CategoryName]  # slug -> name, for facet labels and chips
    degraded: bool = False
    # False for another page of a view whose facets are on screen (search_gigs(counts=False)):
    # `facets` is then empty and the panel keeps what it shows
    counted: bool = True

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


class _Breaker:
    """Remembers a recent Meilisearch failure (shared by every search in this process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until = 0.0

    def open(self) -> bool:
        with self._lock:
            return time.monotonic() < self._until

    def trip(self) -> None:
        with self._lock:
            self._until = time.monotonic() + RETRY_AFTER_S

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0


breaker = _Breaker()


CATEGORY_NAMES_TTL_S = 10.0  # categories change rarely (admins); every search needs them
_names_cache: dict[str, tuple[float, dict[str, CategoryName]]] = {}


def category_names(session: Session) -> dict[str, CategoryName]:
    """slug -> name, icon and parent slug of every category (cached for a few seconds).
    A reload reads through its own short session on the same database, so the caller's
    session does not begin a transaction that would stay open across the Meilisearch call
    that follows."""
    bind = session.get_bind()
    key = str(bind.url)
    cached = _names_cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < CATEGORY_NAMES_TTL_S:
        return cached[1]
    with Session(bind) as own:
        names = _load_category_names(own)
    _names_cache[key] = (time.monotonic(), names)
    return names


def _load_category_names(session: Session) -> dict[str, CategoryName]:
    categories = session.exec(select(Category)).all()
    by_id = {category.id: category for category in categories}
    names = {}
    for category in categories:
        parent = by_id.get(category.parent_id) if category.parent_id else None
        icon = (parent or category).icon
        names[category.slug] = CategoryName(category.name, icon, parent.slug if parent else "")
    return names


class SearchServerError(RuntimeError):
    """Meilisearch answered with an error status (the caller falls back to the database)."""


# One kept-alive connection per worker thread and server for the search path (http.client:
# about a third of httpx's cost per call here, see docs/operations.md). A kept-alive
# connection must not ask for gzip, or each reply stalls ~40 ms on the delayed ACK
# (DESIGN.md), hence `identity`.
_connections = threading.local()
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _connection(url: str) -> tuple[http.client.HTTPConnection, bool]:
    """This thread's connection to `url`, and whether it was used before."""
    open_ones = _connections.__dict__.setdefault("by_url", {})
    connection = open_ones.get(url)
    if connection is not None:
        return connection, True
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "127.0.0.1", parts.port, timeout=SEARCH_TIMEOUT_S)
    open_ones[url] = connection
    return connection, False


def _forget(url: str) -> None:
    connection = _connections.__dict__.get("by_url", {}).pop(url, None)
    if connection is not None:
        connection.close()


def _post_json(settings: Settings, path: str, body: dict) -> dict:
    """POST a read (search, multi-search, facet search) and decode the answer. A kept-alive
    connection the server has closed meanwhile is replaced once; any other failure, or a
    timeout, raises (the caller answers from the database)."""
    url = settings.meili_url.rstrip("/")
    headers = {"Accept-Encoding": "identity", "Content-Type": "application/json"}
    if settings.meili_master_key:
        headers["Authorization"] = f"Bearer {settings.meili_master_key}"
    payload = orjson.dumps(body)
    target = urlsplit(url).path + path
    while True:
        connection, reused = _connection(url)
        try:
            connection.request("POST", target, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except _STALE:
            _forget(url)
            if reused:
                continue  # closed while idle: once more on a new connection
            raise
        except BaseException:
            _forget(url)
            raise
        if response.will_close:
            _forget(url)
        if response.status >= 400:
            raise SearchServerError(f"Meilisearch answered {response.status}: {data[:200]!r}")
        return orjson.loads(data)  # a page of hits and facets: a few times faster than json


class _Reader:
    """The three read calls search makes, over the kept-alive connection (or a given client)."""

    def __init__(self, settings: Settings, client: meilisearch.Client | None) -> None:
        self._settings, self._client = settings, client

    def _post(self, path: str, body: dict) -> dict:
        return _post_json(self._settings, path, body)

    def multi_search(self, queries: list[dict]) -> dict:
        if self._client is not None:
            return self._client.multi_search(queries)
        return self._post("/multi-search", {"queries": queries})

    def facet_search(self, uid: str, attribute: str, text: str | None, params: dict) -> dict:
        if self._client is not None:
            return self._client.index(uid).facet_search(attribute, text, params)
        return self._post(
            f"/indexes/{uid}/facet-search", {"facetName": attribute, "facetQuery": text, **params}
        )

    def search(self, uid: str, text: str, params: dict) -> dict:
        if self._client is not None:
            return self._client.index(uid).search(text, params)
        return self._post(f"/indexes/{uid}/search", {"q": text, **params})


def reader(settings: Settings, client: meilisearch.Client | None = None) -> _Reader:
    return _Reader(settings, client)


def search_gigs(
    session: Session,
    view: GigQuery,
    *,
    settings: Settings | None = None,
    client: meilisearch.Client | None = None,
    counts: bool = True,
) -> SearchResult:
    """The page of results for `view`, from Meilisearch or, failing that, the database.
    `counts=False`: another page of a view whose facet counts the caller already shows, so
    Meilisearch is asked for the page and its total only (no facet distribution, no
    per-group counts: most of a search's work in the index). The database's answer always
    counts."""
    settings = settings or get_settings()
    names = category_names(session)
    view = _resolve_category(view, names)
    if not breaker.open():
        try:
            result = _from_meilisearch(
                reader(settings, client),
                index_name(settings.meili_index_prefix),
                view,
                counts=counts,
            )
        except Exception as exc:  # down, unreachable, timed out, or the index is missing
            log.warning("search: Meilisearch failed (%s); answering from the database", exc)
            breaker.trip()
        else:
            return _result(view, *result, names, degraded=False, counted=counts)
    return _result(view, *_from_database(session, view), names, degraded=True)


def _resolve_category(view: GigQuery, names: dict[str, CategoryName]) -> GigQuery:
    """`cat=<a subcategory's slug>` (links from gig pages) means that subcategory."""
    known = names.get(view.category)
    if known is not None and known.parent_slug and not view.subcategory:
        return replace(view, category=known.parent_slug, subcategory=view.category)
    return view


def _result(view, hits, total, facets, names, *, degraded, counted=True) -> SearchResult:
    hits = [
        SearchHit(
            card=_with_icon(hit.card, names),
            seller_country=hit.seller_country,
            title_segments=hit.title_segments,
        )
        for hit in hits
    ]
    return SearchResult(view, hits, total, facets, names, degraded, counted)


def _with_icon(card: catalog.GigCard, names: dict[str, CategoryName]) -> catalog.GigCard:
    if card.category_icon:
        return card
    match = next((n for n in names.values() if n.name == card.category_name), None)
    if match is None:
        return card
    return catalog.GigCard(**{**card.__dict__, "category_icon": match.icon})


# --- Meilisearch --------------------------------------------------------------------------------


# Groups where several values (or a wider choice) can be picked: their counts are taken without
# their own filter, so ticking "Level 2" still shows how many "Top Rated" would add.
# The rating choices count like this too ("4.5 & up" is shown while "4.0 & up" is ticked).
DISJUNCTIVE = {
    "levels": "seller_level",
    "languages": "seller_languages",
    "countries": "seller_country",
    "delivery": "delivery_days_min",
    "rating": "rating_avg",
}
_EMPTY = {"levels": (), "languages": (), "countries": (), "delivery": "", "rating": ""}


def _active_disjunctive(view: GigQuery) -> list[str]:
    return [name for name in DISJUNCTIVE if getattr(view, name)]


def _with_own_counts(facets: Facets, name: str, counts: dict[str, int]) -> Facets:
    if name == "delivery":
        return replace(facets, delivery=_delivery_counts(counts))
    if name == "rating":
        return replace(facets, ratings=_rating_counts(counts))
    if name == "countries":
        counts = {k: v for k, v in counts.items() if k}
    return replace(facets, **{name: dict(counts)})


def meilisearch_queries(uid: str, view: GigQuery, *, counts: bool = True) -> list[dict]:
    """The multi-search for one view: the page with facets, then one count per active group
    whose own choice is left out of its counts (DISJUNCTIVE). Without counts, the page and
    the one facet its exact total needs."""
    queries = [{"indexUid": uid, "q": view.q, **view.search_params()}]
    if not counts:
        return [{**queries[0], "facets": [EXACT_COUNT_FACET]}]
    return queries + [
        {
            "indexUid": uid,
            "q": view.q,
            "filter": replace(view, **{name: _EMPTY[name]}).filters(),
            "facets": [DISJUNCTIVE[name]],
            "hitsPerPage": 0,
        }
        for name in _active_disjunctive(view)
    ]


def _from_meilisearch(client: _Reader, uid: str, view: GigQuery, *, counts: bool = True):
    results = client.multi_search(meilisearch_queries(uid, view, counts=counts))["results"]
    main, own_counts = results[0], results[1:]
    hits = [_hit_from_document(document) for document in main.get("hits", [])]
    if not counts:
        return hits, exact_total(main), Facets()
    distribution: dict[str, dict[str, int]] = main.get("facetDistribution") or {}
    stats = (main.get("facetStats") or {}).get("price_from") or {}
    facets = Facets(
        categories=dict(distribution.get("category_slug", {})),
        subcategories=dict(distribution.get("subcategory_slug", {})),
        levels=dict(distribution.get("seller_level", {})),
        pro=int(distribution.get("is_pro", {}).get("true", 0)),
        languages=dict(distribution.get("seller_languages", {})),
        countries={k: v for k, v in distribution.get("seller_country", {}).items() if k},
        delivery=_delivery_counts(distribution.get("delivery_days_min", {})),
        ratings=_rating_counts(distribution.get("rating_avg", {})),
        price_min=int(stats["min"]) if "min" in stats else None,
        price_max=int(stats["max"]) if "max" in stats else None,
    )
    for name, found in zip(_active_disjunctive(view), own_counts, strict=True):
        own = (found.get("facetDistribution") or {}).get(DISJUNCTIVE[name], {})
        facets = _with_own_counts(facets, name, own)
    return hits, exact_total(main), facets


def exact_total(found: dict) -> int:
    """The number of matches of one search: totalHits stops at the index's maxTotalHits
    (1,000), the `is_pro` facet's counts do not (every document has the attribute)."""
    reported = int(found.get("totalHits", found.get("estimatedTotalHits", 0)))
    by_pro = (found.get("facetDistribution") or {}).get(EXACT_COUNT_FACET)
    return max(reported, sum(int(n) for n in by_pro.values())) if by_pro else reported


def _rating_counts(by_rating: dict[str, int]) -> dict[str, int]:
    """Matches at or above each RATINGS choice, summed from the rating_avg distribution (it
    holds every value: ratings have 2 decimals, the index returns up to MAX_FACET_VALUES)."""
    if len(by_rating) >= MAX_FACET_VALUES:
        log.warning("search: rating_avg has %d facet values; counts may be short", len(by_rating))
    counts = dict.fromkeys(RATINGS, 0)
    for rating_text, count in by_rating.items():
        rating = float(rating_text)
        for key, minimum in RATINGS.items():
            if rating >= minimum:
                counts[key] += int(count)
    return counts


def _delivery_counts(by_days: dict[str, int]) -> dict[str, int]:
    counts = dict.fromkeys(DELIVERY, 0)
    for days_text, count in by_days.items():
        days = float(days_text)
        for key, most in DELIVERY.items():
            if days <= most:
                counts[key] += int(count)
    return counts


def _hit_from_document(document: dict[str, Any]) -> SearchHit:
    seller = document.get("seller") or {}
    formatted = (document.get("_formatted") or {}).get("title") or document.get("title", "")
    card = catalog.GigCard(
        id=int(document["id"]),
        slug=str(document.get("slug", "")),
        title=str(document.get("title", "")),
        category_name=str(document.get("category", "")),
        category_icon="",
        seller_name=str(seller.get("name", "")),
        seller_username=str(seller.get("username", "")),
        seller_level=str(seller.get("level", "new")),
        seller_is_pro=bool(seller.get("is_pro", False)),
        price_from_cents=int(document.get("price_from", 0)),
        rating_avg=float(document.get("rating_avg", 0.0)),
        rating_count=int(document.get("rating_count", 0)),
        orders_completed=int(document.get("orders_completed", 0)),
        cover_image=str(document.get("cover_image", "")),
    )
    return SearchHit(card, str(seller.get("country", "")), highlight_segments(str(formatted)))


# --- the database -------------------------------------------------------------------------------


def _from_database(session: Session, view: GigQuery):
    """The same page from SQL: one statement for every count (each choice group without its
    own choice, as `catalog.CHOICE_GROUPS`), one for the page of cards."""
    return _database_page(session, view)


MAX_LIST_VALUES = 100  # languages and countries the panel lists (its search box finds the rest)


def _database_page(session: Session, view: GigQuery):
    counts = catalog.faceted_counts_sql(session, view)
    facets = Facets(
        categories=counts.categories,
        subcategories=counts.subcategories,
        levels=counts.levels,
        pro=counts.pro,
        languages=dict(Counter(counts.languages).most_common(MAX_LIST_VALUES)),
        countries=dict(Counter(counts.countries).most_common(MAX_LIST_VALUES)),
        delivery=counts.delivery,
        ratings=counts.ratings,
        price_min=counts.price_min,
        price_max=counts.price_max,
    )
    hits = [
        SearchHit(card, country, [(card.title, False)] if card.title else [])
        for card, country in catalog.faceted_cards_sql(session, view)
    ]
    return hits, counts.total, facets


# --- "search in this list" (languages, countries) ----------------------------------------------

# page group -> (GigQuery field, index attribute)
FACET_LISTS = {
    "lang": ("languages", "seller_languages"),
    "country": ("countries", "seller_country"),
}
FACET_LIST_LIMIT = 12
FACET_TEXT_LIMIT = 40


@dataclass(frozen=True)
class FacetValues:
    values: dict[str, int]  # value -> matches with the view's other filters, best first
    degraded: bool = False


def _country_codes(text: str) -> list[str]:
    """Country codes whose name (or code) contains `text`; facet values are codes."""
    wanted = text.casefold()
    return [
        code
        for code, name in COUNTRIES.items()
        if wanted in name.casefold() or wanted == code.casefold()
    ]


def facet_values(
    session: Session,
    view: GigQuery,
    *,
    group: str,
    text: str,
    settings: Settings | None = None,
    client: meilisearch.Client | None = None,
) -> FacetValues:
    """The values of one long facet list matching `text`, counted with the view's other
    filters (its own choice left out, as in the panel). Meilisearch's facet search answers;
    the database does when it is down. Languages match by prefix (typo-tolerant) through the
    facet query; countries by name, since the index holds their codes."""
    if group not in FACET_LISTS:
        raise ValueError(f"{group!r} has no searchable list")
    text = " ".join(str(text or "").split())[:FACET_TEXT_LIMIT] if isinstance(text, str) else ""
    settings = settings or get_settings()
    name, attribute = FACET_LISTS[group]
    view = _resolve_category(view, category_names(session))
    others = replace(view, **{name: ()})
    codes = _country_codes(text) if group == "country" and text else []
    if group == "country" and text and not codes:
        return FacetValues({})
    if not breaker.open():
        try:
            found = _facet_values_meilisearch(
                reader(settings, client),
                index_name(settings.meili_index_prefix),
                others,
                attribute=attribute,
                text=text if group == "lang" else "",
                codes=codes,
            )
        except Exception as exc:  # down, unreachable, timed out
            log.warning("facet search: Meilisearch failed (%s); answering from the database", exc)
            breaker.trip()
        else:
            return FacetValues(found)
    return FacetValues(
        _facet_values_database(session, others, group=group, text=text, codes=codes),
        degraded=True,
    )


def _best(counts: dict[str, int]) -> dict[str, int]:
    ranked = sorted(
        ((v, int(n)) for v, n in counts.items() if v and n), key=lambda i: (-i[1], i[0])
    )
    return dict(ranked[:FACET_LIST_LIMIT])


def _facet_values_meilisearch(client, uid, view: GigQuery, *, attribute, text, codes):
    filters = view.filters()
    if codes:
        filters.append(one_of(attribute, codes))
    found = client.facet_search(
        uid, attribute, text or None, {"q": view.q, "filter": filters, "exhaustiveFacetCount": True}
    )
    return _best({hit["value"]: hit["count"] for hit in found.get("facetHits", [])})


def _facet_values_database(session, view: GigQuery, *, group, text, codes):
    counts = catalog.faceted_counts_sql(session, view)
    if group == "country":
        found = {c: n for c, n in counts.countries.items() if not codes or c in codes}
    else:
        wanted = text.casefold()
        found = {v: n for v, n in counts.languages.items() if v.casefold().startswith(wanted)}
    return _best(found)


# --- empty results: which filter to drop -------------------------------------------------------


@dataclass(frozen=True)
class Relaxation:
    """Removing one chosen filter (`group`, `value`, as the page toggles it) finds `total`."""

    group: str
    value: str
    total: int


def relaxations(
    session: Session,
    view: GigQuery,
    *,
    settings: Settings | None = None,
    client: meilisearch.Client | None = None,
    limit: int = 2,
) -> list[Relaxation]:
    """For a view with no match: the filters whose removal alone finds the most services,
    best first (one multi-search, or one count per filter on the database)."""
    settings = settings or get_settings()
    view = _resolve_category(view, category_names(session))
    options = []
    for group, value in view.active_filters():
        relaxed = view.toggled(group, value)
        if relaxed is not None:
            options.append((group, value, GigQuery.clean(**relaxed.fields())))
    if not options:
        return []
    totals: list[int] | None = None
    if not breaker.open():
        uid = index_name(settings.meili_index_prefix)
        queries = [
            {
                "indexUid": uid,
                "q": relaxed.q,
                "filter": relaxed.filters(),
                "facets": [EXACT_COUNT_FACET],
                "hitsPerPage": 0,
            }
            for _, _, relaxed in options
        ]
        try:
            results = reader(settings, client).multi_search(queries)["results"]
            totals = [exact_total(found) for found in results]
        except Exception as exc:
            log.warning("relaxations: Meilisearch failed (%s); counting on the database", exc)
            breaker.trip()
    if totals is None:
        totals = [catalog.faceted_counts_sql(session, relaxed).total for _, _, relaxed in options]
    found = [
        Relaxation(group, value, total)
        for (group, value, _), total in zip(options, totals, strict=True)
        if total > 0
    ]
    found.sort(key=lambda item: -item.total)
    return found[:limit]
