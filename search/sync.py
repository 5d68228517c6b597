"""Keep Meilisearch in step with the database: the outbox worker and the full reindex.

The outbox. Every change that alters an active gig's document writes a `search_outbox` row in
the same transaction (marketplace/services/gigs/actions.py). `drain_outbox` takes a batch of rows,
coalesces them per gig, sends the resulting upserts and deletes to Meilisearch, waits for the
tasks and marks the rows processed. The database is the source of truth: a document is always
rebuilt from the current rows, so an old row never sends old data, and a gig that is no longer
active is deleted from the index whatever its rows say.

Claiming. A batch is claimed with ONE statement that pushes `available_at` forward by a lease
(LEASE) on every pending row of up to `batch` gigs, and only of gigs none of whose pending rows
is leased or backing off. So two workers never hold the same gig at once (which could let an
older document overwrite a newer one), and a worker that dies mid-batch only delays its gigs
until the lease runs out: a row is never lost. On PostgreSQL the claim statements of all workers
are serialised by a transaction-level advisory lock (held for one UPDATE); SQLite allows one
writer at a time anyway.

Failures (Meilisearch down, a task that fails or times out) leave the rows unprocessed with
`attempts` + 1, the error in `last_error` and `available_at` moved forward exponentially
(2 s, 4 s, 8 s … capped at BACKOFF_CAP).

Reindex builds `{prefix}gigs_<timestamp>`, fills it from every active gig in batches, swaps it
with the live `{prefix}gigs` (Meilisearch's atomic swap) and deletes the old one. The worker
only ever writes to the live name, so it keeps going across a swap; a change the worker wrote to
the old index while the new one was filling is replayed by queueing its gig once more.
"""

from __future__ import annotations

import secrets
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import meilisearch
from meilisearch.index import Index
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.models import Gig, GigStatus, OutboxOp, SearchOutbox
from marketplace.settings import Settings, get_settings
from search.documents import REINDEX_BATCH, build_documents, count_active, iter_active_documents
from search.index import (
    PRIMARY_KEY,
    SearchIndexError,
    configure_index,
    document_count,
    ensure_live_index,
    index_exists,
    index_name,
    make_client,
    wait,
)

LEASE = timedelta(minutes=2)  # a claimed batch must finish (or fail) within this
BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(minutes=5)
ERROR_MAX = 500  # SearchOutbox.last_error's length
DRAIN_TASK_TIMEOUT_MS = 60_000
REINDEX_TASK_TIMEOUT_MS = 30 * 60_000
REPLAY_MARGIN = timedelta(minutes=5)  # transactions open this long before a reindex are replayed
IN_CHUNK = 1_000
KEEP_PROCESSED = timedelta(days=7)  # processed outbox rows are history; older ones are pruned
PRUNE_EVERY_S = 3600.0
PRUNE_CHUNK = 10_000
_PG_CLAIM_LOCK = 0x6777_6F62  # pg_advisory_xact_lock key for the claim statement

Say = Callable[[str], None]


@dataclass
class DrainReport:
    """What one `drain_outbox` call did."""

    claimed: int = 0  # outbox rows taken
    gigs: int = 0  # distinct gigs among them
    upserted: int = 0  # documents sent
    deleted: int = 0  # documents removed
    processed: int = 0  # rows marked processed
    failed: int = 0  # rows put back for a later retry
    error: str = ""
    retry_in_s: float = 0.0
    seconds: float = 0.0

    def line(self) -> str:
        ms = self.seconds * 1000
        if self.failed:
            return (
                f"search outbox: {self.failed} row(s) for {self.gigs} gig(s) failed, "
                f"retry in {self.retry_in_s:.0f}s: {self.error}"
            )
        return (
            f"search outbox: {self.claimed} row(s), {self.gigs} gig(s) -> "
            f"{self.upserted} upserted, {self.deleted} deleted in {ms:.0f} ms"
        )


@dataclass(frozen=True)
class ClaimedRow:
    """An outbox row leased by `claim`."""

    id: int
    gig_id: int
    op: str
    attempts: int


@dataclass
class ReindexReport:
    documents: int = 0
    index: str = ""  # the name the new index was built under before the swap
    replayed: int = 0  # gigs queued again because they changed while the index was built
    seconds: float = 0.0
    batches: list[float] = field(default_factory=list)  # seconds to read + send each batch


def backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1 = after the first failure)."""
    exponent = max(0, min(attempts - 1, 20))
    return min(BACKOFF_BASE * (2**exponent), BACKOFF_CAP)


def _chunks(values: Sequence[int], size: int = IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- the outbox ---------------------------------------------------------------------------------


def enqueue_gig(session: Session, gig_id: int) -> None:
    """Queue a search update for one gig, in the caller's transaction (call it with any change
    to what the gig's document shows, e.g. its review aggregates). The worker rebuilds the
    document from the database, so an inactive gig is removed from the index instead."""
    session.add(SearchOutbox(gig_id=int(gig_id), op=OutboxOp.upsert.value))


def enqueue_seller_gigs(session: Session, seller_id: int) -> int:
    """Queue a search update for each of a seller's active gigs, in the caller's transaction:
    their documents show the seller's name, level, Pro badge, country and languages, so a
    change to any of these (a level or Pro change, a profile edit) calls this. Returns how many
    gigs were queued."""
    gig_ids = (
        session.execute(
            select(Gig.id).where(
                Gig.seller_id == int(seller_id), Gig.status == GigStatus.active.value
            )
        )
        .scalars()
        .all()
    )
    for gig_id in gig_ids:
        enqueue_gig(session, gig_id)
    return len(gig_ids)


def claim(engine: Engine, *, batch: int = 500, now: datetime | None = None) -> list[ClaimedRow]:
    """Lease every pending row of up to `batch` gigs whose rows are all available at `now`."""
    now = now or utcnow()
    outbox = SearchOutbox.__table__
    ready_gigs = (
        select(outbox.c.gig_id)
        .where(outbox.c.processed_at.is_(None))
        .group_by(outbox.c.gig_id)
        .having(func.max(outbox.c.available_at) <= now)
        .order_by(func.min(outbox.c.id))
        .limit(max(1, int(batch)))
    )
    statement = (
        update(outbox)
        .where(outbox.c.processed_at.is_(None), outbox.c.gig_id.in_(ready_gigs))
        .values(available_at=now + LEASE)
        .returning(outbox.c.id, outbox.c.gig_id, outbox.c.op, outbox.c.attempts)
    )
    with engine.connect() as conn:  # an idle poll reads only: no write lock taken on SQLite
        due = conn.execute(
            select(outbox.c.id)
            .where(outbox.c.processed_at.is_(None), outbox.c.available_at <= now)
            .limit(1)
        ).first()
    if due is None:
        return []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_CLAIM_LOCK})
        rows = conn.execute(statement).all()
    return sorted((ClaimedRow(*row) for row in rows), key=lambda row: row.id)


def _mark_processed(engine: Engine, ids: list[int], now: datetime) -> None:
    outbox = SearchOutbox.__table__
    with engine.begin() as conn:
        for chunk in _chunks(ids):
            conn.execute(
                update(outbox)
                .where(outbox.c.id.in_(chunk), outbox.c.processed_at.is_(None))
                .values(processed_at=now, last_error="")
            )


def _mark_failed(engine: Engine, rows: list[ClaimedRow], error: str, now: datetime) -> float:
    """Put the rows back with one more attempt and an exponential delay; returns the delay."""
    outbox = SearchOutbox.__table__
    by_attempts: dict[int, list[int]] = {}
    for row in rows:
        by_attempts.setdefault(row.attempts, []).append(row.id)
    longest = timedelta(0)
    with engine.begin() as conn:
        for attempts, ids in by_attempts.items():
            delay = backoff(attempts + 1)
            longest = max(longest, delay)
            for chunk in _chunks(ids):
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(chunk), outbox.c.processed_at.is_(None))
                    .values(
                        attempts=attempts + 1,
                        last_error=error[:ERROR_MAX],
                        available_at=now + delay,
                    )
                )
    return longest.total_seconds()


def _delete_documents(index: Index, ids: list[int]) -> int:
    # The client deprecates ids in favour of a filter, which would make `id` filterable for
    # nothing; the delete-batch route itself is current Meilisearch API.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return index.delete_documents(ids).task_uid


def _resolve_index(client_or_index: meilisearch.Client | Index, index_uid: str | None) -> Index:
    if isinstance(client_or_index, Index):
        return client_or_index
    return client_or_index.index(index_uid or index_name(get_settings().meili_index_prefix))


def drain_outbox(
    engine: Engine,
    client_or_index: meilisearch.Client | Index,
    *,
    batch: int = 500,
    now: datetime | None = None,
    index_uid: str | None = None,
) -> DrainReport:
    """Send one batch of pending outbox rows to Meilisearch (see the module docstring).

    `client_or_index` is the live index, or a client (the index is then `index_uid`, by default
    `{MEILI_INDEX_PREFIX}gigs`). `now` decides which rows are due (tests move it forward).
    Meilisearch errors are caught and recorded on the rows; database errors propagate (the
    claimed rows come back when their lease runs out).
    """
    started = time.perf_counter()
    now = now or utcnow()
    index = _resolve_index(client_or_index, index_uid)
    rows = claim(engine, batch=batch, now=now)
    report = DrainReport(claimed=len(rows))
    if not rows:
        return report
    latest: dict[int, str] = {}
    for row in rows:  # ascending ids: the last op of a gig wins
        latest[row.gig_id] = row.op
    report.gigs = len(latest)

    with Session(engine) as session:
        wanted = [gig for gig, op in latest.items() if op == OutboxOp.upsert.value]
        documents = build_documents(session, wanted)
    removed = sorted(gig for gig in latest if gig not in documents)
    try:
        tasks = []
        if documents:
            tasks.append(index.add_documents(list(documents.values()), PRIMARY_KEY).task_uid)
        if removed:
            tasks.append(_delete_documents(index, removed))
        for task_uid in tasks:
            wait(index, task_uid, timeout_ms=DRAIN_TASK_TIMEOUT_MS)
    except Exception as exc:  # the server is down, refused the payload, or timed out
        report.error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        report.retry_in_s = _mark_failed(engine, rows, report.error, now)
        report.failed = len(rows)
    else:
        _mark_processed(engine, [row.id for row in rows], now)
        report.processed = len(rows)
        report.upserted, report.deleted = len(documents), len(removed)
    report.seconds = time.perf_counter() - started
    return report


def prune_processed(
    engine: Engine, *, keep: timedelta = KEEP_PROCESSED, now: datetime | None = None
) -> int:
    """Delete outbox rows processed more than `keep` ago, in chunks; returns how many.

    Unprocessed rows are never touched, whatever their age: they are work still to do."""
    cutoff = (now or utcnow()) - keep
    outbox = SearchOutbox.__table__
    deleted = 0
    while True:
        with engine.begin() as conn:
            ids = (
                conn.execute(
                    select(outbox.c.id)
                    .where(outbox.c.processed_at.is_not(None), outbox.c.processed_at < cutoff)
                    .limit(PRUNE_CHUNK)
                )
                .scalars()
                .all()
            )
            if not ids:
                return deleted
            conn.execute(delete(outbox).where(outbox.c.id.in_(ids)))
        deleted += len(ids)


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(SearchOutbox.__table__.c.processed_at.is_(None))
            ).scalar_one()
        )


def run_worker(
    engine: Engine,
    settings: Settings,
    *,
    poll_s: float = 1.0,
    stop_event: threading.Event,
    batch: int = 500,
    say: Say = print,
    once: bool = False,
) -> int:
    """Drain the outbox until `stop_event` is set (or, with `once`, until nothing is due).

    Prints one line per batch that did something. Returns the number of rows processed.
    """
    client = make_client(settings)
    uid = index_name(settings.meili_index_prefix)
    retry = 1.0
    while not stop_event.is_set():
        try:
            index = ensure_live_index(client, settings)
            break
        except Exception as exc:  # Meilisearch not up yet: keep trying, it may be starting
            say(f"search worker: Meilisearch at {settings.meili_url} not ready ({exc}); retrying")
            if once:
                return 0
            stop_event.wait(retry)
            retry = min(retry * 2, 30.0)
    else:
        return 0
    say(f"search worker ready: draining search_outbox into index {uid!r} (poll {poll_s:g}s)")
    processed = 0
    retry = 1.0
    next_prune = 0.0
    while not stop_event.is_set():
        try:
            if time.monotonic() >= next_prune:
                if pruned := prune_processed(engine):
                    say(f"search worker: pruned {pruned:,} processed outbox rows")
                next_prune = time.monotonic() + PRUNE_EVERY_S
            report = drain_outbox(engine, index, batch=batch)
        except Exception as exc:  # the database is unreachable or locked: try again later
            say(f"search worker: {type(exc).__name__}: {exc}"[:ERROR_MAX])
            if once:
                break
            stop_event.wait(retry)
            retry = min(retry * 2, 30.0)
            continue
        retry = 1.0
        if report.claimed:
            say(report.line())
        processed += report.processed
        if report.failed or report.gigs < batch:  # a full batch loops again at once
            if once:
                break
            stop_event.wait(poll_s)
    return processed


# --- reindex ------------------------------------------------------------------------------------


def _replay_changes_since(engine: Engine, since: datetime) -> int:
    """Queue an upsert for every gig with an outbox row written since `since`."""
    outbox = SearchOutbox.__table__
    with engine.begin() as conn:
        gig_ids = conn.execute(
            select(outbox.c.gig_id).where(outbox.c.created_at >= since).distinct()
        ).scalars()
        now = utcnow()
        rows = [
            {
                "gig_id": gig_id,
                "op": OutboxOp.upsert.value,
                "created_at": now,
                "available_at": now,
                "attempts": 0,
                "last_error": "",
            }
            for gig_id in gig_ids
        ]
        if rows:
            conn.execute(insert(outbox), rows)
    return len(rows)


def _progress_line(done: int, total: int, seconds: float) -> str:
    """ "sent 15,000/100,000 documents (31 %), 4,210 documents/s, ETA 20 s" """
    rate = done / seconds if seconds > 0 else 0.0
    share = f" ({done * 100 // total} %)" if total else ""
    eta = f", ETA {max(0, total - done) / rate:.0f} s" if rate and total else ""
    return f"sent {done:,}/{total:,} documents{share}, {rate:,.0f} documents/s{eta}"


def _is_build_name(uid: str, live: str) -> bool:
    """`{live}_<14 digits>_<4 hex>`: the name reindex gives the index it builds."""
    rest = uid[len(live) + 1 :] if uid.startswith(live + "_") else ""
    stamp, _, tag = rest.partition("_")
    return len(stamp) == 14 and stamp.isdigit() and len(tag) == 4 and tag.isalnum()


def delete_orphan_indexes(client: meilisearch.Client, live: str, *, keep: str = "") -> list[str]:
    """Delete every `{live}_<timestamp>_<tag>` index but `keep`: one left by a reindex that was
    killed before its swap (a finished reindex deletes its own). Run one reindex at a time."""
    found: list[str] = []
    offset = 0
    while True:
        page = client.get_raw_indexes({"offset": offset, "limit": 100})
        found += [item["uid"] for item in page.get("results", [])]
        offset += 100
        if offset >= int(page.get("total", 0)):
            break
    orphans = [uid for uid in found if uid != keep and _is_build_name(uid, live)]
    for uid in orphans:
        wait(client, client.delete_index(uid).task_uid)
    return orphans


def reindex(
    engine: Engine,
    settings: Settings,
    *,
    progress: Say = print,
    batch: int = REINDEX_BATCH,
    client: meilisearch.Client | None = None,
) -> ReindexReport:
    """Build a new index from every active gig, swap it in for the live one, drop the old one.

    Searches keep working on the old index until the atomic swap. If anything fails before the
    swap, the new index is deleted and the live one is untouched.
    """
    started = time.perf_counter()
    client = client or make_client(settings)
    live = index_name(settings.meili_index_prefix)
    began_at = utcnow()
    new_uid = f"{live}_{began_at:%Y%m%d%H%M%S}_{secrets.token_hex(2)}"
    report = ReindexReport(index=new_uid)

    for orphan in delete_orphan_indexes(client, live, keep=new_uid):
        progress(f"Deleted {orphan!r}, left behind by a reindex that did not finish")
    with Session(engine) as session:
        total = count_active(session)
    progress(f"Building index {new_uid!r} from {total:,} active gigs")
    index = configure_index(client, new_uid)
    try:
        tasks: list[int] = []
        mark = time.perf_counter()
        for documents in iter_active_documents(engine, batch=batch):
            tasks.append(index.add_documents(documents, PRIMARY_KEY).task_uid)
            report.documents += len(documents)
            report.batches.append(time.perf_counter() - mark)
            mark = time.perf_counter()
            progress(_progress_line(report.documents, total, time.perf_counter() - started))
        for number, task_uid in enumerate(tasks, start=1):
            wait(client, task_uid, timeout_ms=REINDEX_TASK_TIMEOUT_MS)
            progress(f"indexed batch {number}/{len(tasks)}")
        count = document_count(client, new_uid)
        if count != report.documents:
            raise SearchIndexError(
                f"the new index holds {count} documents, {report.documents} were sent"
            )
        if not index_exists(client, live):
            configure_index(client, live)  # an empty live index to swap with
        wait(client, client.swap_indexes([{"indexes": [live, new_uid]}]).task_uid)
    except BaseException:
        try:
            client.delete_index(new_uid)
        except Exception as cleanup:  # keep the original error; say what is left behind
            progress(f"could not delete the unfinished index {new_uid!r}: {cleanup}")
        raise
    progress(f"Swapped {new_uid!r} in as {live!r}; deleting the previous index")
    wait(client, client.delete_index(new_uid).task_uid)
    report.replayed = _replay_changes_since(engine, began_at - REPLAY_MARGIN)
    report.seconds = time.perf_counter() - started
    return report


def live_index_is_empty(settings: Settings, client: meilisearch.Client | None = None) -> bool:
    """True when the live index is missing or holds no document."""
    client = client or make_client(settings)
    return not document_count(client, index_name(settings.meili_index_prefix))
