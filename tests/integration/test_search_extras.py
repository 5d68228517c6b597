# ruff: noqa: F811  (the module fixtures imported from test_gig_search are test arguments here)
"""Search's second slice against a real Meilisearch (and the database when it is down):
"search in this list", what an empty page offers, header suggestions, category pages,
impressions, outbox rows for a seller's gigs and the clean-up of a killed reindex.

Expected answers are computed from the indexed documents, not taken from either engine."""

from __future__ import annotations

import dataclasses
from collections import Counter

import meilisearch
from sqlalchemy import select
from sqlmodel import Session

from marketplace.models import Gig, GigStatus, OutboxOp, SearchOutbox
from marketplace.services.common.errors import NotFound
from marketplace.services.common.reference import COUNTRIES
from marketplace.services.gigs import categories as category_pages
from marketplace.services.search import gig_search, impressions
from marketplace.services.search import suggestions as search_suggestions
from search import sync
from search.index import configure_index, index_exists, index_name
from search.query import GigQuery
from tests.integration.test_gig_search import (  # noqa: F401  (module fixtures)
    MASTER_KEY,
    down_settings,
    fresh_breaker,
    indexed,
    meili,
)


def _languages(documents, keep, prefix=""):
    counts: Counter[str] = Counter()
    for doc in documents:
        if keep(doc):
            for language in dict.fromkeys(doc["seller_languages"]):
                if language.casefold().startswith(prefix.casefold()):
                    counts[language] += 1
    return counts


def test_language_list_search_counts_with_the_other_filters_on_both_engines(indexed):
    engine, settings, documents = indexed
    category = documents[0]["category_slug"]
    chosen = documents[0]["seller_languages"][0]
    # its own choice is left out of the counts; the category still applies
    view = GigQuery.clean(category=category, languages=[chosen])
    want = _languages(documents, lambda d: d["category_slug"] == category, "en")
    assert want, "the seed has English speakers in every category"
    for current in (settings, down_settings(indexed)):
        gig_search.breaker.reset()
        with Session(engine) as session:
            found = gig_search.facet_values(
                session, view, group="lang", text="En", settings=current
            )
        assert found.degraded is (current is not settings)
        assert found.values == dict(sorted(want.items(), key=lambda i: (-i[1], i[0]))[:12])


def test_country_list_search_matches_country_names(indexed):
    engine, settings, documents = indexed
    counts = Counter(d["seller_country"] for d in documents if d["seller_country"])
    code = counts.most_common(1)[0][0]
    name = COUNTRIES[code]
    typed = name[1:5].lower()  # part of the name, not the code
    want = {
        c: n for c, n in counts.items() if typed in COUNTRIES.get(c, "").casefold() or c == typed
    }
    for current in (settings, down_settings(indexed)):
        gig_search.breaker.reset()
        with Session(engine) as session:
            found = gig_search.facet_values(
                session, GigQuery(), group="country", text=typed, settings=current
            )
        assert code in found.values
        assert found.values == dict(sorted(want.items(), key=lambda i: (-i[1], i[0]))[:12])
    with Session(engine) as session:
        nothing = gig_search.facet_values(
            session, GigQuery(), group="country", text='" OR 1=1', settings=settings
        )
    assert nothing.values == {}


def test_an_empty_page_offers_the_filter_whose_removal_finds_the_most(indexed):
    engine, settings, documents = indexed
    cheapest = min(d["price_from"] for d in documents)
    category = documents[0]["category_slug"]
    # a budget below every price: nothing matches; removing the budget finds the category
    view = GigQuery.clean(category=category, price_max=max(0, cheapest - 100), delivery="7")
    in_category = sum(
        d["category_slug"] == category and d["delivery_days_min"] <= 7 for d in documents
    )
    for current in (settings, down_settings(indexed)):
        gig_search.breaker.reset()
        with Session(engine) as session:
            assert gig_search.search_gigs(session, view, settings=current).total == 0
            found = gig_search.relaxations(session, view, settings=current)
        assert found, "removing the budget finds services"
        # removing the category or the delivery time keeps the budget: still nothing
        assert [(item.group, item.total) for item in found] == [("budget", in_category)]


def test_suggestions_list_categories_then_gig_titles(indexed):
    engine, settings, documents = indexed
    with Session(engine) as session:
        found = search_suggestions.suggest(session, text="logo", settings=settings)
    kinds = [item.kind for item in found]
    assert kinds[0] == "category" and "gig" in kinds
    assert kinds == sorted(kinds)  # categories first
    logo = next(item for item in found if item.kind == "category")
    assert logo.label == "Logo Design" and logo.href.endswith("/logo-design")
    gigs = [item for item in found if item.kind == "gig"]
    assert 0 < len(gigs) <= search_suggestions.MAX_GIGS
    slugs = {d["slug"] for d in documents}
    assert all(item.href.removeprefix("/gig/") in slugs for item in gigs)
    assert all(any(marked for _, marked in item.segments) for item in gigs)
    gig_search.breaker.reset()
    with Session(engine) as session:
        fallback = search_suggestions.suggest(session, text="logo", settings=down_settings(indexed))
        assert search_suggestions.suggest(session, text="l", settings=settings) == []
    assert [item.kind for item in fallback].count("gig") > 0
    assert all("logo" in item.label.lower() for item in fallback)


def test_category_pages_know_their_categories(indexed):
    engine, _, documents = indexed
    doc = documents[0]
    with Session(engine) as session:
        top = category_pages.category_page(session, slug=doc["category_slug"])
        sub = category_pages.category_page(
            session, slug=doc["category_slug"], subcategory=doc["subcategory_slug"]
        )
        assert [c.label for c in sub.crumbs] == ["Home", doc["category"], doc["subcategory"]]
        assert top.name == doc["category"] and top.subcategory == ""
        for slug, subcategory in [
            ("no-such-category", ""),
            (doc["subcategory_slug"], ""),  # a subcategory is not a top-level page
            (doc["category_slug"], "no-such-sub"),
        ]:
            try:
                category_pages.category_page(session, slug=slug, subcategory=subcategory)
            except NotFound:
                continue
            raise AssertionError(f"{slug}/{subcategory} should not exist")
    assert category_pages.slugs_from_path("/categories/a/b/c") is None


def test_impressions_are_written_in_one_batch_per_flush(indexed):
    engine, _, documents = indexed
    shown = [d["id"] for d in documents[:24]]
    counter = impressions.ImpressionCounter(flush_every_s=3600)
    with Session(engine) as session:
        before = dict(session.execute(select(Gig.id, Gig.impressions)).all())
    for _ in range(3):  # three views of the same page
        counter.record(shown)
    counter.record(shown[:2])
    assert not counter.due()  # not yet written: one batch, not one write per view
    with Session(engine) as session:
        assert counter.flush(session) == 24
        session.commit()
    with Session(engine) as session:
        after = dict(session.execute(select(Gig.id, Gig.impressions)).all())
    assert {gig: after[gig] - before[gig] for gig in shown} == {
        gig: 4 if gig in shown[:2] else 3 for gig in shown
    }
    assert all(after[gig] == before[gig] for gig in before if gig not in shown)
    assert counter.pending() == {}


def test_enqueue_seller_gigs_queues_every_active_gig_of_the_seller(indexed):
    engine, _, documents = indexed
    seller = documents[0]["seller_id"]
    with Session(engine) as session:
        active = set(
            session.execute(
                select(Gig.id).where(Gig.seller_id == seller, Gig.status == GigStatus.active.value)
            ).scalars()
        )
        newest = session.execute(select(SearchOutbox.id).order_by(SearchOutbox.id.desc())).first()
        start = newest[0] if newest else 0
        assert sync.enqueue_seller_gigs(session, seller) == len(active) > 0
        session.commit()
    with Session(engine) as session:
        rows = session.execute(
            select(SearchOutbox.gig_id, SearchOutbox.op).where(SearchOutbox.id > start)
        ).all()
    assert sorted(gig for gig, _ in rows) == sorted(active)
    assert {op for _, op in rows} == {OutboxOp.upsert.value}


def test_reindex_deletes_indexes_left_by_a_killed_reindex(indexed, meili):
    engine, settings, _ = indexed
    settings = dataclasses.replace(settings, meili_index_prefix=settings.meili_index_prefix + "o_")
    client = meilisearch.Client(meili.url, MASTER_KEY)
    live = index_name(settings.meili_index_prefix)
    orphan = f"{live}_20260101000000_ab12"
    unrelated = f"{live}_notes"
    configure_index(client, orphan)
    configure_index(client, unrelated)
    lines: list[str] = []
    sync.reindex(engine, settings, client=client, progress=lines.append, batch=50)
    assert not index_exists(client, orphan)
    assert index_exists(client, unrelated) and index_exists(client, live)
    assert any(orphan in line and "Deleted" in line for line in lines)
    assert any("documents/s" in line and "ETA" in line for line in lines)
