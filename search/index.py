"""The Meilisearch `gigs` index: its name, its settings and the client that talks to it.

One index, `{MEILI_INDEX_PREFIX}gigs`, holds exactly the active gigs (search/documents.py builds
their documents). The outbox worker writes to that name (search/sync.py); `reindex` builds a
fresh `{prefix}gigs_<timestamp>` index and swaps it in, so readers and the worker never see a
half-built index.

Filter expressions: Meilisearch parses `filter` strings itself, so a value coming from a user
must never be pasted in bare. Always quote it as a string literal, escaping backslashes and
double quotes (`seller_country = "PT"`, `subcategory_slug IN ["logo-design", "web"]`), and only
ever put attribute names from FILTERABLE on the left-hand side.

The official client opens a new HTTP connection per call (it uses `requests` without a
session), so DESIGN.md's keep-alive + gzip stall does not apply here.
"""

from __future__ import annotations

from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchApiError
from meilisearch.index import Index

from marketplace.settings import Settings

BASE_NAME = "gigs"
PRIMARY_KEY = "id"
CLIENT_TIMEOUT_S = 30  # one HTTP call; a hung server must not hang the worker
TASK_TIMEOUT_MS = 120_000  # settings and swaps on a large index can take a while

# Order matters: a match in an earlier attribute ranks higher ("attribute" rule).
SEARCHABLE = [
    "title",
    "tags",
    "subcategory",
    "category",
    "description",
    "seller.name",
    "seller.username",
]
FILTERABLE = [
    "category_slug",
    "subcategory_slug",
    "seller_level",
    "is_pro",
    "seller_languages",
    "seller_country",
    "price_from",
    "delivery_days_min",
    "rating_avg",
]
SORTABLE = ["price_from", "rating_avg", "orders_completed", "created_at"]
# An explicit `sort` (price, rating, newest, best selling) first, so "price: low to high" is
# strictly ordered among the matches; without one it does nothing and relevance decides. Then
# Meilisearch's relevance rules, then popularity as the final tie-breaker, which is also the
# order of an empty query (browsing a category).
RANKING_RULES = [
    "sort",
    "words",
    "typo",
    "proximity",
    "attribute",
    "exactness",
    "orders_completed:desc",
    "rating_avg:desc",
]
INDEX_SETTINGS: dict[str, Any] = {
    "searchableAttributes": SEARCHABLE,
    "filterableAttributes": FILTERABLE,
    "sortableAttributes": SORTABLE,
    "rankingRules": RANKING_RULES,
    # 1,000 values: every rating_avg (2 decimals: at most 501 values) comes back, so the
    # "4.0 & up" counts are summed from one distribution instead of a search each
    "faceting": {"maxValuesPerFacet": 1000, "sortFacetValuesBy": {"*": "count"}},
    "pagination": {"maxTotalHits": 1000},
}


class SearchIndexError(RuntimeError):
    """Meilisearch refused or failed a task (the message says which and why)."""


def index_name(prefix: str) -> str:
    """The live index's name for a MEILI_INDEX_PREFIX."""
    return f"{prefix}{BASE_NAME}"


def make_client(settings: Settings) -> meilisearch.Client:
    """A client for the configured server, authorised with the master key."""
    return meilisearch.Client(
        settings.meili_url, settings.meili_master_key, timeout=CLIENT_TIMEOUT_S
    )


def live_index(client: meilisearch.Client, settings: Settings) -> Index:
    return client.index(index_name(settings.meili_index_prefix))


def wait(
    client: meilisearch.Client | Index, task_uid: int, *, timeout_ms: int = TASK_TIMEOUT_MS
) -> None:
    """Wait for a task (through a client or an index); raise SearchIndexError unless it
    succeeded. A task still running after `timeout_ms` raises MeilisearchTimeoutError."""
    task = client.wait_for_task(task_uid, timeout_in_ms=timeout_ms, interval_in_ms=50)
    if task.status != "succeeded":
        error = task.error or {}
        raise SearchIndexError(
            f"Meilisearch task {task_uid} ({task.type}) {task.status}: "
            f"{error.get('code', '')} {error.get('message', '')}".strip()
        )


def index_exists(client: meilisearch.Client, uid: str) -> bool:
    try:
        client.get_raw_index(uid)
    except MeilisearchApiError as exc:
        if exc.code == "index_not_found" or exc.status_code == 404:
            return False
        raise
    return True


def document_count(client: meilisearch.Client, uid: str) -> int | None:
    """Documents in an index, or None when it does not exist."""
    try:
        stats = client.index(uid).get_stats()
    except MeilisearchApiError as exc:
        if exc.code == "index_not_found" or exc.status_code == 404:
            return None
        raise
    return int(stats.number_of_documents)


def configure_index(client: meilisearch.Client, uid: str) -> Index:
    """Create the index if needed and apply INDEX_SETTINGS; returns once both tasks are done.

    Safe to call at every start: unchanged settings make a task that succeeds at once.
    """
    if not index_exists(client, uid):
        task = client.create_index(uid, {"primaryKey": PRIMARY_KEY})
        try:
            wait(client, task.task_uid)
        except SearchIndexError as exc:
            if "index_already_exists" not in str(exc):  # another process created it meanwhile
                raise
    index = client.index(uid)
    wait(client, index.update_settings(INDEX_SETTINGS).task_uid)
    return index


def ensure_live_index(client: meilisearch.Client, settings: Settings) -> Index:
    """The live `{prefix}gigs` index, created and configured if missing."""
    return configure_index(client, index_name(settings.meili_index_prefix))
