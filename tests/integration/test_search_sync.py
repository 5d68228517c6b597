"""The Meilisearch side of search against a real server: index settings, documents, reindex and
the outbox worker, on a seeded SQLite database (and PostgreSQL when TEST_POSTGRES_URL is set).

Each step runs in its own session_scope, the way the pages call the services; each test gets its
own freshly seeded database and its own index prefix, so tests never see each other's data.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import meilisearch
import pytest
from sqlmodel import Session, col, select

from devservices.meili import MeiliServer
from devservices.process import free_port
from marketplace.db import make_engine, session_scope, utcnow
from marketplace.demo.seed import seed
from marketplace.migrations import upgrade_to_head
from marketplace.models import (
    Category,
    FreelancerProfile,
    Gig,
    GigPackage,
    GigStatus,
    SearchOutbox,
    User,
)
from marketplace.services.accounts import profiles
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs.rules import dollars_text
from marketplace.settings import load_settings
from search import sync
from search.documents import EXCERPT_CHARS, build_documents, excerpt
from search.index import (
    FILTERABLE,
    INDEX_SETTINGS,
    RANKING_RULES,
    SEARCHABLE,
    SORTABLE,
    configure_index,
    index_name,
)
from tests.gig_fixtures import LIMITS
from tests.pg import fresh_postgres_database, needs_postgres

ROOT = Path(__file__).resolve().parents[2]
MASTER_KEY = "search-sync-master-key-0123"
BACKENDS = ["sqlite", pytest.param("postgres", marks=[needs_postgres, pytest.mark.postgres])]
_prefixes = itertools.count(1)


@pytest.fixture(scope="module")
def meili(tmp_path_factory):
    data = tmp_path_factory.mktemp("meili")
    server = MeiliServer(
        db_path=data / "data.ms", port=free_port(), master_key=MASTER_KEY, log_path=data / "log"
    )
    with server:
        yield server


@pytest.fixture
def settings(meili, tmp_path):
    """Settings pointing at the test server, with an index prefix of this test's own."""
    return load_settings(
        {
            "GIGWORKS_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "s" * 40,
            "MEILI_URL": meili.url,
            "MEILI_MASTER_KEY": MASTER_KEY,
            "MEILI_INDEX_PREFIX": f"t{os.getpid()}_{next(_prefixes)}_",
        }
    )


@pytest.fixture
def client(meili):
    return meilisearch.Client(meili.url, MASTER_KEY)


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """A migrated database holding a 60-gig demo marketplace."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'search.db'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        seed(engine, seed=11, gigs=60)
        yield engine
        engine.dispose()
    else:
        with fresh_postgres_database() as url:
            upgrade_to_head(url)
            engine = make_engine(url)
            seed(engine, seed=11, gigs=60)
            yield engine
            engine.dispose()


def live(client, settings):
    return client.index(index_name(settings.meili_index_prefix))


def indexed_ids(index) -> set[int]:
    result = index.get_documents({"limit": 1000, "fields": ["id"]})
    return {doc.id for doc in result.results}


def active_ids(engine) -> set[int]:
    with Session(engine) as s:
        return set(s.exec(select(Gig.id).where(Gig.status == GigStatus.active.value)).all())


def pending_rows(engine) -> list[SearchOutbox]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(SearchOutbox)
                .where(col(SearchOutbox.processed_at).is_(None))
                .order_by(SearchOutbox.id)
            ).all()
        )


def some_active_gig(engine, *, skip: int = 0) -> tuple[int, User]:
    """An active gig's id and its (active) seller."""
    with Session(engine) as s:
        gig = s.exec(
            select(Gig)
            .where(Gig.status == GigStatus.active.value)
            .order_by(Gig.id)
            .offset(skip)
            .limit(1)
        ).one()
        return gig.id, s.get(User, gig.seller_id)


def set_basic_price(engine, seller: User, gig_id: int, price: str) -> None:
    """The editor's autosave with the basic package at `price` dollars (a valid draft: the
    higher tiers are raised to it when they cost less)."""
    cents = int(price) * 100
    with session_scope(engine) as s:
        gig = s.get(Gig, gig_id)
        draft = gigs.current_draft(s, gig)
        current = {
            p.tier: p.price_cents
            for p in s.exec(select(GigPackage).where(GigPackage.gig_id == gig_id)).all()
        }
        for tier in draft["packages"]:
            if tier == "basic" or current.get(tier, 0) < cents:
                draft["packages"][tier]["price"] = dollars_text(cents)
        result = gigs.save_draft(
            s, actor=seller, gig_id=gig_id, expected_version=gig.version, draft=draft
        )
        assert result.applied_live, result.errors


def drain_all(engine, index, **kwargs) -> list[sync.DrainReport]:
    reports = []
    while True:
        report = sync.drain_outbox(engine, index, **kwargs)
        if not report.claimed:
            return reports
        reports.append(report)


# --- the index -------------------------------------------------------------------------------


def test_index_settings_are_applied(client, settings):
    uid = index_name(settings.meili_index_prefix)
    configure_index(client, uid)
    configure_index(client, uid)  # idempotent: a second start changes nothing
    applied = client.index(uid).get_settings()
    assert applied["searchableAttributes"] == SEARCHABLE
    assert sorted(applied["filterableAttributes"]) == sorted(FILTERABLE)
    assert sorted(applied["sortableAttributes"]) == sorted(SORTABLE)
    assert applied["rankingRules"] == RANKING_RULES
    assert (
        applied["faceting"]["maxValuesPerFacet"] == INDEX_SETTINGS["faceting"]["maxValuesPerFacet"]
    )
    assert client.get_raw_index(uid)["primaryKey"] == "id"


def test_excerpt_cuts_at_a_word_boundary():
    text = "word " * 200
    cut = excerpt(text)
    assert len(cut) <= EXCERPT_CHARS and cut.endswith("word…")
    assert excerpt("  short\n text ") == "short text"


# --- reindex ---------------------------------------------------------------------------------


def test_reindex_holds_exactly_the_active_gigs_with_their_fields(engine, client, settings):
    messages: list[str] = []
    report = sync.reindex(engine, settings, client=client, progress=messages.append, batch=20)
    index = live(client, settings)
    expected = active_ids(engine)
    assert 0 < len(expected) < 60  # the seed makes some drafts, paused and pending gigs
    assert report.documents == len(expected)
    assert indexed_ids(index) == expected
    assert any("sent 20/" in m for m in messages) and any("Swapped" in m for m in messages)
    # Only the live index is left: the build name was swapped in and the old one deleted.
    names = {i.uid for i in client.get_indexes({"limit": 1000})["results"]}
    assert {n for n in names if n.startswith(settings.meili_index_prefix)} == {index.uid}

    gig_id = min(expected)
    doc = index.get_document(gig_id)
    with Session(engine) as s:
        gig = s.get(Gig, gig_id)
        sub = s.get(Category, gig.category_id)
        top = s.get(Category, sub.parent_id)
        seller = s.get(User, gig.seller_id)
        profile = s.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)
        ).one()
    assert (doc.slug, doc.title, doc.tags) == (gig.slug, gig.title, gig.tags)
    assert doc.description == excerpt(gig.description)
    assert (doc.category, doc.category_slug) == (top.name, top.slug)
    assert (doc.subcategory, doc.subcategory_slug) == (sub.name, sub.slug)
    assert doc.seller == {
        "id": seller.id,
        "name": seller.display_name,
        "username": seller.username,
        "level": profile.level,
        "country": profile.country,
        "languages": [item["language"] for item in profile.languages],
        "is_pro": profile.is_pro,
    }
    assert (doc.seller_level, doc.seller_country, doc.is_pro) == (
        profile.level,
        profile.country,
        profile.is_pro,
    )
    assert doc.seller_languages == doc.seller["languages"]
    assert (doc.price_from, doc.delivery_days_min) == (
        gig.price_from_cents,
        gig.delivery_days_min,
    )
    assert doc.rating_avg == pytest.approx(gig.rating_avg, abs=0.01)
    assert (doc.rating_count, doc.orders_completed) == (gig.rating_count, gig.orders_completed)
    assert doc.created_at == int(gig.created_at.timestamp())
    assert doc.cover_image == ""  # the demo seed has no gallery images

    # The flattened fields filter and the sortable ones sort.
    hits = index.search(
        "", {"filter": f'seller_level = "{profile.level}"', "limit": 1000, "facets": ["is_pro"]}
    )
    with Session(engine) as s:
        same_level = s.exec(
            select(Gig.id)
            .join(FreelancerProfile, col(FreelancerProfile.user_id) == Gig.seller_id)
            .where(Gig.status == GigStatus.active.value, FreelancerProfile.level == profile.level)
        ).all()
    assert {hit["id"] for hit in hits["hits"]} == set(same_level)
    cheapest = index.search("", {"sort": ["price_from:asc"], "limit": 1})["hits"][0]
    with Session(engine) as s:
        lowest = min(
            s.exec(select(Gig.price_from_cents).where(Gig.status == GigStatus.active.value)).all()
        )
    assert cheapest["price_from"] == lowest

    # A second reindex replaces the first one's index the same way.
    again = sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    assert again.index != report.index
    assert indexed_ids(index) == expected


def test_build_documents_skips_gigs_that_are_not_active(engine):
    with Session(engine) as s:
        by_status = dict(s.exec(select(Gig.status, Gig.id)).all())
    assert len(by_status) >= 3  # active and at least two other statuses
    with Session(engine) as s:
        documents = build_documents(s, [*by_status.values(), 10**9])
    assert list(documents) == [by_status["active"]]


# --- the outbox worker -----------------------------------------------------------------------


def test_edit_pause_and_resume_reach_the_index_through_the_outbox(engine, client, settings):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    index = live(client, settings)
    gig_id, seller = some_active_gig(engine)
    before = index.get_document(gig_id).price_from

    set_basic_price(engine, seller, gig_id, "7")
    assert [(row.gig_id, row.op) for row in pending_rows(engine)] == [(gig_id, "upsert")]
    report = sync.drain_outbox(engine, index)
    assert (report.claimed, report.upserted, report.deleted, report.processed) == (1, 1, 0, 1)
    assert index.get_document(gig_id).price_from == 700 != before
    assert pending_rows(engine) == []

    with session_scope(engine) as s:
        gigs.pause_gig(s, actor=seller, gig_id=gig_id)
    report = sync.drain_outbox(engine, index)
    assert (report.upserted, report.deleted) == (0, 1)
    assert gig_id not in indexed_ids(index)

    # Edits of a paused gig change no document; resuming brings the latest one back.
    set_basic_price(engine, seller, gig_id, "9")
    assert pending_rows(engine) == []
    with session_scope(engine) as s:
        gigs.resume_gig(s, actor=seller, gig_id=gig_id, active_gig_limits=LIMITS)
    sync.drain_outbox(engine, index)
    assert index.get_document(gig_id).price_from == 900
    assert indexed_ids(index) == active_ids(engine)


def test_rows_of_one_gig_are_coalesced_and_a_gig_no_longer_active_is_deleted(
    engine, client, settings
):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    index = live(client, settings)
    (first, seller), (second, other) = some_active_gig(engine), some_active_gig(engine, skip=1)
    set_basic_price(engine, seller, first, "11")
    set_basic_price(engine, seller, first, "12")
    set_basic_price(engine, other, second, "13")
    with session_scope(engine) as s:  # an upsert row left behind by a gig that went away
        gigs.pause_gig(s, actor=other, gig_id=second)
        s.add(SearchOutbox(gig_id=second, op="upsert"))
    assert len(pending_rows(engine)) == 5

    report = sync.drain_outbox(engine, index)
    assert (report.claimed, report.gigs, report.upserted, report.deleted) == (5, 2, 1, 1)
    assert index.get_document(first).price_from == 1200
    assert second not in indexed_ids(index)
    assert pending_rows(engine) == []


def test_a_seller_profile_change_updates_all_their_gig_documents(engine, client, settings):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    index = live(client, settings)
    _, seller = some_active_gig(engine)
    with session_scope(engine) as s:
        form = profiles.profile_form(s, actor=seller)
        profiles.save_profile(s, actor=seller, form={**form, "headline": "Only the headline"})
    assert pending_rows(engine) == []  # nothing the index shows changed
    with session_scope(engine) as s:
        form = profiles.profile_form(s, actor=seller)
        profiles.save_profile(s, actor=seller, form={**form, "display_name": "Renamed Seller"})
    with Session(engine) as s:
        theirs = set(
            s.exec(
                select(Gig.id).where(
                    Gig.seller_id == seller.id, Gig.status == GigStatus.active.value
                )
            ).all()
        )
    assert theirs
    assert {row.gig_id for row in pending_rows(engine)} == theirs
    sync.drain_outbox(engine, index)
    for gig_id in theirs:
        assert index.get_document(gig_id).seller["name"] == "Renamed Seller"
    hits = index.search("Renamed Seller", {"limit": 100})["hits"]
    assert {hit["id"] for hit in hits} >= theirs


def test_a_failed_drain_keeps_the_rows_backs_off_and_a_later_drain_succeeds(
    engine, client, settings
):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    index = live(client, settings)
    gig_id, seller = some_active_gig(engine)
    set_basic_price(engine, seller, gig_id, "21")
    closed = meilisearch.Client(f"http://127.0.0.1:{free_port()}", MASTER_KEY, timeout=2)
    closed_index = closed.index(index.uid)

    now = utcnow()
    report = sync.drain_outbox(engine, closed_index, now=now)
    assert (report.claimed, report.failed, report.processed) == (1, 1, 0)
    assert "MeilisearchCommunicationError" in report.error
    [row] = pending_rows(engine)
    assert row.attempts == 1 and "MeilisearchCommunicationError" in row.last_error
    assert len(row.last_error) <= 500
    assert row.available_at == now + sync.backoff(1) == now + timedelta(seconds=2)

    # While it backs off nobody takes it, not even a worker that can reach Meilisearch.
    assert sync.drain_outbox(engine, index, now=now + timedelta(seconds=1)).claimed == 0
    report = sync.drain_outbox(engine, closed_index, now=now + timedelta(seconds=3))
    [row] = pending_rows(engine)
    assert (report.failed, row.attempts) == (1, 2)
    assert row.available_at == now + timedelta(seconds=3) + timedelta(seconds=4)
    assert index.get_document(gig_id).price_from != 2100

    later = now + timedelta(seconds=8)
    report = sync.drain_outbox(engine, index, now=later)
    assert (report.processed, report.failed, report.upserted) == (1, 0, 1)
    assert index.get_document(gig_id).price_from == 2100
    assert pending_rows(engine) == []
    with Session(engine) as s:
        done = s.get(SearchOutbox, row.id)
    assert (done.processed_at, done.attempts, done.last_error) == (later, 2, "")


def test_backoff_grows_exponentially_up_to_five_minutes():
    delays = [sync.backoff(n).total_seconds() for n in range(1, 12)]
    assert delays[:5] == [2, 4, 8, 16, 32]
    assert delays[-1] == 300 and all(a <= b for a, b in itertools.pairwise(delays))


def test_a_claimed_gig_is_not_claimed_again_until_its_lease_runs_out(engine):
    (first, seller), (second, other) = some_active_gig(engine), some_active_gig(engine, skip=1)
    set_basic_price(engine, seller, first, "31")
    now = utcnow()
    claimed = sync.claim(engine, batch=10, now=now)
    assert [row.gig_id for row in claimed] == [first]

    # A new change of the same gig waits for the batch in flight; other gigs do not.
    set_basic_price(engine, seller, first, "32")
    set_basic_price(engine, other, second, "33")
    now = utcnow()
    assert [row.gig_id for row in sync.claim(engine, batch=10, now=now)] == [second]
    assert sync.claim(engine, batch=10, now=now) == []
    # A worker that died never loses its rows: after the lease they are claimed again.
    retaken = sync.claim(engine, batch=10, now=now + sync.LEASE + timedelta(seconds=1))
    assert sorted(row.id for row in retaken if row.gig_id == first) == sorted(
        row.id for row in pending_rows(engine) if row.gig_id == first
    )
    assert len([row for row in retaken if row.gig_id == first]) == 2


def test_two_workers_draining_at_once_process_each_row_once(engine, client, settings):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    index = live(client, settings)
    targets = [some_active_gig(engine, skip=n) for n in range(12)]
    for n, (gig_id, seller) in enumerate(targets):
        set_basic_price(engine, seller, gig_id, str(40 + n))
    total = len(pending_rows(engine))
    reports: list[sync.DrainReport] = []

    def work():
        reports.extend(drain_all(engine, index, batch=2))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(r.processed for r in reports) == total
    assert not any(r.failed for r in reports)
    assert pending_rows(engine) == []
    for n, (gig_id, _) in enumerate(targets):
        assert index.get_document(gig_id).price_from == (40 + n) * 100


def test_changes_made_while_reindexing_are_replayed_after_the_swap(engine, client, settings):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    index = live(client, settings)
    gig_id, seller = some_active_gig(engine)
    set_basic_price(engine, seller, gig_id, "51")
    sync.drain_outbox(engine, index)  # the worker wrote it to the index about to be replaced
    report = sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    assert report.replayed == 1
    assert [row.gig_id for row in pending_rows(engine)] == [gig_id]
    sync.drain_outbox(engine, index)
    assert index.get_document(gig_id).price_from == 5100


def test_run_worker_drains_until_stopped(engine, client, settings):
    sync.reindex(engine, settings, client=client, progress=lambda _m: None)
    gig_id, seller = some_active_gig(engine)
    set_basic_price(engine, seller, gig_id, "61")
    lines: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(
        target=sync.run_worker,
        args=(engine, settings),
        kwargs={"poll_s": 0.1, "stop_event": stop, "say": lines.append},
    )
    worker.start()
    try:
        deadline = utcnow() + timedelta(seconds=20)
        while pending_rows(engine) and utcnow() < deadline:
            stop.wait(0.1)
        set_basic_price(engine, seller, gig_id, "62")  # a change while it runs
        while pending_rows(engine) and utcnow() < deadline:
            stop.wait(0.1)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()
    assert live(client, settings).get_document(gig_id).price_from == 6200
    assert lines[0].startswith("search worker ready")
    assert sum("1 upserted" in line for line in lines) == 2


# --- the command line ------------------------------------------------------------------------


def cli(tmp_path, settings, *args, meili_url: str = ""):
    env = {
        **os.environ,
        "GIGWORKS_DATA_DIR": str(tmp_path),
        "MEILI_URL": meili_url or settings.meili_url,
        "MEILI_MASTER_KEY": MASTER_KEY,
        "MEILI_INDEX_PREFIX": settings.meili_index_prefix,
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "marketplace", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def test_cli_reindex_and_worker(tmp_path, client, settings):
    assert cli(tmp_path, settings, "migrate").returncode == 0
    assert cli(tmp_path, settings, "seed", "--gigs", "30", "--seed", "5").returncode == 0
    empty_first = cli(tmp_path, settings, "reindex", "--if-empty", "--batch", "10")
    assert empty_first.returncode == 0, empty_first.stderr
    assert "sent 10/" in empty_first.stdout

    engine = make_engine(f"sqlite:///{tmp_path / 'gigworks.db'}")
    try:
        expected = active_ids(engine)
        assert f"Indexed {len(expected)} gigs" in empty_first.stdout
        index = live(client, settings)
        assert indexed_ids(index) == expected

        again = cli(tmp_path, settings, "reindex", "--if-empty")
        assert again.returncode == 0 and "nothing to do" in again.stdout

        gig_id, seller = some_active_gig(engine)
        with session_scope(engine) as s:
            gigs.pause_gig(s, actor=seller, gig_id=gig_id)
        drained = cli(tmp_path, settings, "worker", "--once")
        assert drained.returncode == 0, drained.stderr
        assert "1 deleted" in drained.stdout and "search worker stopped" in drained.stdout
        assert indexed_ids(index) == expected - {gig_id}
    finally:
        engine.dispose()

    failed = cli(tmp_path, settings, "reindex", meili_url=f"http://127.0.0.1:{free_port()}")
    assert failed.returncode == 1
    assert "Meilisearch at" in failed.stderr and "Traceback" not in failed.stderr


def test_old_processed_rows_are_pruned_and_pending_ones_never(engine):
    now = utcnow()
    with Session(engine) as session:
        session.add_all(
            [
                SearchOutbox(gig_id=1, processed_at=now - timedelta(days=30)),  # old history
                SearchOutbox(gig_id=2, processed_at=now - timedelta(days=1)),  # recent history
                SearchOutbox(gig_id=3, created_at=now - timedelta(days=30)),  # still to do
            ]
        )
        session.commit()
    assert sync.prune_processed(engine, now=now) == 1
    with Session(engine) as session:
        left = sorted(row.gig_id for row in session.exec(select(SearchOutbox)))
    assert left == [2, 3]
    assert sync.prune_processed(engine, now=now) == 0
