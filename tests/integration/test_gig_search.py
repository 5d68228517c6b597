"""Gig search against a real Meilisearch and its SQL fallback, on a seeded SQLite database.

The expected answers are computed by the test from the documents it indexed (search/documents.py),
not taken from either engine.
"""

from __future__ import annotations

import dataclasses
import itertools
import os

import meilisearch
import pytest
from sqlmodel import Session

from devservices.meili import MeiliServer
from devservices.process import free_port
from marketplace.db import make_engine
from marketplace.demo.seed import seed
from marketplace.migrations import upgrade_to_head
from marketplace.services.search import gig_search
from marketplace.settings import load_settings
from search import sync
from search.documents import iter_active_documents
from search.index import ensure_live_index, wait
from search.query import GigQuery, equals, one_of
from tests.pg import fresh_postgres_database, needs_postgres

MASTER_KEY = "gig-search-master-key-0123"
_prefixes = itertools.count(1)


@pytest.fixture(scope="module")
def meili(tmp_path_factory):
    data = tmp_path_factory.mktemp("meili")
    server = MeiliServer(
        db_path=data / "data.ms", port=free_port(), master_key=MASTER_KEY, log_path=data / "log"
    )
    with server:
        yield server


def _indexed(meili, data, url):
    upgrade_to_head(url)
    engine = make_engine(url)
    seed(engine, seed=7, gigs=120)
    settings = load_settings(
        {
            "GIGWORKS_DATA_DIR": str(data),
            "SECRET_KEY": "s" * 40,
            "MEILI_URL": meili.url,
            "MEILI_MASTER_KEY": MASTER_KEY,
            "MEILI_INDEX_PREFIX": f"gs{os.getpid()}_{next(_prefixes)}_",
        }
    )
    client = meilisearch.Client(meili.url, MASTER_KEY)
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    documents = [doc for batch in iter_active_documents(engine) for doc in batch]
    return engine, settings, documents


@pytest.fixture(scope="module")
def indexed(meili, tmp_path_factory):
    """A 120-gig demo marketplace on SQLite, indexed; returns (engine, settings, documents)."""
    data = tmp_path_factory.mktemp("db")
    engine, settings, documents = _indexed(meili, data, f"sqlite:///{data / 'search.db'}")
    yield engine, settings, documents
    engine.dispose()


@pytest.fixture(scope="module")
def indexed_postgres(meili, tmp_path_factory):
    """The same marketplace on PostgreSQL (the scaled topology's database)."""
    with fresh_postgres_database() as url:
        engine, settings, documents = _indexed(meili, tmp_path_factory.mktemp("pg"), url)
        yield engine, settings, documents
        engine.dispose()


@pytest.fixture(autouse=True)
def fresh_breaker():
    gig_search.breaker.reset()
    yield
    gig_search.breaker.reset()


def run(indexed, view: GigQuery, *, settings=None) -> gig_search.SearchResult:
    engine, indexed_settings, _ = indexed
    with Session(engine) as session:
        return gig_search.search_gigs(session, view, settings=settings or indexed_settings)


def down_settings(indexed):
    """The same settings with Meilisearch on a port nothing listens on."""
    _, settings, _ = indexed
    return dataclasses.replace(settings, meili_url=f"http://127.0.0.1:{free_port()}")


def expected(documents, keep) -> list[dict]:
    return [doc for doc in documents if keep(doc)]


def test_typo_tolerance_finds_logo_design(indexed):
    result = run(indexed, GigQuery.clean(q="logo desgin"))
    assert not result.degraded
    assert result.total > 0
    assert all("logo" in hit.card.title.lower() for hit in result.hits[:5])
    marked = {
        text.lower() for hit in result.hits for text, is_match in hit.title_segments if is_match
    }
    assert "logo" in marked and "design" in marked  # the typo'd word is highlighted too


def test_filters_counts_and_price_bounds_match_the_documents(indexed):
    _, _, documents = indexed
    category = documents[0]["category_slug"]
    view = GigQuery.clean(category=category, delivery="7", rating="4")
    result = run(indexed, view)
    matching = expected(
        documents,
        lambda d: (
            d["category_slug"] == category
            and d["delivery_days_min"] <= 7
            and d["rating_avg"] >= 4.0
        ),
    )
    assert result.total == len(matching) > 0
    assert {hit.card.id for hit in result.hits} <= {d["id"] for d in matching}
    assert len(result.hits) == min(24, len(matching))
    levels: dict[str, int] = {}
    for doc in matching:
        levels[doc["seller_level"]] = levels.get(doc["seller_level"], 0) + 1
    assert result.facets.levels == levels
    assert result.facets.price_min == min(d["price_from"] for d in matching)
    assert result.facets.price_max == max(d["price_from"] for d in matching)
    without_rating = expected(
        documents, lambda d: d["category_slug"] == category and d["delivery_days_min"] <= 7
    )
    assert result.facets.ratings["4"] == len(matching)
    assert result.facets.ratings["4.5"] == sum(d["rating_avg"] >= 4.5 for d in without_rating)


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("price_asc", "price_from", False),
        ("price_desc", "price_from", True),
        ("rating", "rating_avg", True),
        ("best_selling", "orders_completed", True),
    ],
)
@pytest.mark.parametrize("words", ["", "design"])
def test_sorts_order_the_page(indexed, sort, key, reverse, words):
    """An explicit sort is strict among the matches, with words too (not relevance first)."""
    _, _, documents = indexed
    by_id = {d["id"]: d for d in documents}
    result = run(indexed, GigQuery.clean(q=words, sort=sort))
    values = [by_id[hit.card.id][key] for hit in result.hits]
    assert values == sorted(values, reverse=reverse)
    assert len(values) == 24 if not words else len(values) > 5


def test_pages_hold_24_and_do_not_overlap(indexed):
    first = run(indexed, GigQuery.clean(sort="price_asc"))
    second = run(indexed, GigQuery.clean(sort="price_asc", page=2))
    assert len(first.hits) == len(second.hits) == 24
    assert not {h.card.id for h in first.hits} & {h.card.id for h in second.hits}


def test_another_page_without_counts_is_the_same_page_and_total(indexed):
    """The next page of a view whose counts are on screen asks Meilisearch for the page only."""
    view = GigQuery.clean(sort="price_asc", levels=("level_1", "level_2"), page=2)
    counted = run(indexed, view)
    engine, settings, _ = indexed
    with Session(engine) as session:
        page_only = gig_search.search_gigs(session, view, settings=settings, counts=False)
    assert not page_only.degraded and counted.counted and not page_only.counted
    assert [h.card.id for h in page_only.hits] == [h.card.id for h in counted.hits]
    assert page_only.hits and page_only.total == counted.total
    assert page_only.facets == gig_search.Facets() != counted.facets
    (query,) = gig_search.meilisearch_queries("gigs", view, counts=False)
    assert query["facets"] == [gig_search.EXACT_COUNT_FACET] and query["page"] == 2
    assert len(gig_search.meilisearch_queries("gigs", view)) == 2  # the page and the levels


def test_a_search_answered_by_meilisearch_leaves_the_callers_session_without_a_transaction(
    indexed,
):
    """Reloading the expired category names must not begin a read transaction in the caller's
    session that stays open across the Meilisearch call and after it."""
    engine, settings, _ = indexed
    gig_search._names_cache.clear()
    with Session(engine) as session:
        result = gig_search.search_gigs(session, GigQuery.clean(q="logo"), settings=settings)
        assert not result.degraded and result.categories
        assert not session.in_transaction()
    with Session(engine) as session:  # the database's answer does read through it
        result = gig_search.search_gigs(session, GigQuery.clean(), settings=down_settings(indexed))
        assert result.degraded and session.in_transaction()


def test_without_meilisearch_another_page_still_counts(indexed):
    engine, _, _ = indexed
    view = GigQuery.clean(sort="price_asc", page=2)
    with Session(engine) as session:
        result = gig_search.search_gigs(
            session, view, settings=down_settings(indexed), counts=False
        )
    assert result.degraded and result.counted and result.facets.categories


@pytest.mark.parametrize(
    "hostile",
    [
        'PT" OR seller_country != "',
        "\\",
        '\\" OR is_pro = true OR seller_country = \\"',
        "AND OR = TO [ ] ( ) NOT IN",
        "🎨 ✨",
        "x" * 10_000,
    ],
)
def test_hostile_values_are_matched_literally(indexed, hostile):
    engine, settings, _ = indexed
    index = meilisearch.Client(settings.meili_url, MASTER_KEY).index(
        f"{settings.meili_index_prefix}gigs"
    )
    for expression in (equals("seller_country", hostile), one_of("seller_languages", [hostile])):
        found = index.search("", {"filter": [expression], "hitsPerPage": 1})
        assert found["totalHits"] == 0  # no document holds that value: nothing else matched
    result = run(indexed, GigQuery.clean(countries=[hostile], languages=[hostile]))
    assert result.total == 0 and not result.degraded


def test_a_stored_value_with_quotes_is_found_by_exactly_that_value(indexed, meili):
    engine, settings, _ = indexed
    client = meilisearch.Client(meili.url, MASTER_KEY)
    index = client.index(f"{settings.meili_index_prefix}quotes")
    wait(client, client.create_index(index.uid, {"primaryKey": "id"}).task_uid)
    wait(client, index.update_filterable_attributes(["seller_country"]).task_uid)
    odd = 'a "quoted" \\ value'
    documents = [{"id": 1, "seller_country": odd}, {"id": 2, "seller_country": "a"}]
    wait(client, index.add_documents(documents).task_uid)
    found = index.search("", {"filter": [equals("seller_country", odd)]})
    assert [hit["id"] for hit in found["hits"]] == [1]


def test_meilisearch_down_answers_the_same_filters_from_sql(indexed):
    _, _, documents = indexed
    category = documents[0]["category_slug"]
    view = GigQuery.clean(category=category, delivery="7", sort="price_asc")
    live = run(indexed, view)
    fallback = run(indexed, view, settings=down_settings(indexed))
    assert fallback.degraded and not live.degraded
    assert fallback.total == live.total > 0
    assert [h.card.id for h in fallback.hits] == [h.card.id for h in live.hits]
    assert fallback.facets.levels == live.facets.levels
    assert fallback.facets.subcategories == live.facets.subcategories
    assert fallback.facets.countries == live.facets.countries
    assert fallback.facets.languages == live.facets.languages
    assert fallback.facets.delivery == live.facets.delivery
    assert fallback.facets.ratings == live.facets.ratings
    assert (fallback.facets.price_min, fallback.facets.price_max) == (
        live.facets.price_min,
        live.facets.price_max,
    )


def _views_with_every_group(documents) -> list[GigQuery]:
    first = documents[0]
    languages = [item for d in documents for item in d["seller_languages"]][:2]
    countries = sorted({d["seller_country"] for d in documents if d["seller_country"]})[:2]
    return [
        GigQuery.clean(),
        GigQuery.clean(sort="rating"),
        GigQuery.clean(levels=[first["seller_level"]], rating="4", sort="price_desc"),
        GigQuery.clean(languages=languages, countries=countries, delivery="3"),
        GigQuery.clean(  # two levels and a rating that the first document itself matches
            category=first["category_slug"],
            rating="4.5" if first["rating_avg"] >= 4.5 else "4" if first["rating_avg"] >= 4 else "",
            levels=sorted(
                {first["seller_level"], "new" if first["seller_level"] != "new" else "level_1"}
            ),
            page=1,
        ),
        GigQuery.clean(pro_only=True, price_min=1000, price_max=20000, delivery="7"),
        GigQuery.clean(languages=languages[:1], rating="4", delivery="1", sort="newest"),
    ]  # no words: Meilisearch also matches descriptions and typos, the fallback does not


def _assert_same_answer(live, fallback):
    assert fallback.degraded and not live.degraded
    assert fallback.total == live.total
    assert [h.card.id for h in fallback.hits] == [h.card.id for h in live.hits]
    assert dataclasses.asdict(fallback.facets) == dataclasses.asdict(live.facets)


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=needs_postgres)])
def test_the_fallback_counts_every_group_as_meilisearch_does(database, request):
    """Every facet group, with several choice groups ticked at once, on both databases."""
    indexed_db = request.getfixturevalue("indexed" if database == "sqlite" else "indexed_postgres")
    _, _, documents = indexed_db
    for view in _views_with_every_group(documents):
        gig_search.breaker.reset()  # the previous fallback opened it
        live = run(indexed_db, view)
        assert live.total > 0 or view.delivery == "1", view
        _assert_same_answer(live, run(indexed_db, view, settings=down_settings(indexed_db)))


def test_after_a_failure_the_next_search_skips_meilisearch_then_recovers(indexed):
    run(indexed, GigQuery.clean(), settings=down_settings(indexed))
    assert run(indexed, GigQuery.clean()).degraded  # the breaker is open for a few seconds
    gig_search.breaker.reset()
    assert not run(indexed, GigQuery.clean()).degraded


def test_a_ticked_level_still_counts_the_other_levels_in_both_engines(indexed):
    """Several levels can be picked: a group's counts ignore its own choice."""
    _, _, documents = indexed
    chosen = documents[0]["seller_level"]
    view = GigQuery.clean(levels=[chosen], delivery="3")
    within = expected(documents, lambda d: d["delivery_days_min"] <= 3)
    per_level: dict[str, int] = {}
    for doc in within:
        per_level[doc["seller_level"]] = per_level.get(doc["seller_level"], 0) + 1
    with_level = expected(documents, lambda d: d["seller_level"] == chosen)
    per_delivery = {
        key: sum(d["delivery_days_min"] <= days for d in with_level)
        for key, days in {"1": 1, "3": 3, "7": 7}.items()
    }
    live = run(indexed, view)
    fallback = run(indexed, view, settings=down_settings(indexed))
    for result in (live, fallback):
        assert result.total == per_level[chosen]
        assert result.facets.levels == per_level
        assert len(result.facets.levels) > 1
        assert result.facets.delivery == per_delivery
    assert fallback.degraded and not live.degraded


def test_counts_past_the_index_total_hits_cap_are_exact(indexed, meili):
    """Meilisearch stops totalHits at maxTotalHits (1,000); the count a buyer reads must not."""
    _, settings, documents = indexed
    copies = [
        {**doc, "id": 1_000_000 + n * 1_000 + doc["id"]} for n in range(16) for doc in documents
    ]
    assert len(copies) > 1_000
    wide = dataclasses.replace(settings, meili_index_prefix=f"wide{os.getpid()}_")
    client = meilisearch.Client(meili.url, MASTER_KEY)
    index = ensure_live_index(client, wide)
    wait(client, index.add_documents(copies).task_uid)
    result = run(indexed, GigQuery.clean(), settings=wide)
    assert not result.degraded
    assert result.total == len(copies)
    rated = sum(doc["rating_avg"] >= 4.0 for doc in copies)
    assert rated > 1_000 and result.facets.ratings["4"] == rated


def test_a_search_after_meilisearch_restarted_reconnects_and_is_not_degraded(indexed, meili):
    """The search path keeps one connection per thread open between searches; when the
    server goes away and comes back, the next search opens a new one instead of failing."""
    assert not run(indexed, GigQuery.clean()).degraded  # this thread's connection is open
    meili.stop()
    meili.start().wait_ready()
    again = run(indexed, GigQuery.clean(sort="newest"))
    assert not again.degraded and again.total > 0


def test_an_error_status_from_meilisearch_answers_from_the_database(indexed):
    _, settings, _ = indexed
    wrong_key = dataclasses.replace(settings, meili_master_key="not-the-master-key-0123456")
    with pytest.raises(gig_search.SearchServerError, match="403"):
        gig_search.reader(wrong_key).multi_search([])
    found = run(indexed, GigQuery.clean(sort="newest"), settings=wrong_key)
    assert found.degraded and found.total > 0
