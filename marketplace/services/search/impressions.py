"""Impressions: how often each gig was shown on a results page (My gigs shows the total).

Counting one write per card per view would make every search a write. Instead the gigs a page
showed are added to an in-process counter, and the counter is written at most every
FLUSH_EVERY_S in ONE transaction (one UPDATE per distinct gig, `impressions = impressions + n`),
by the search that finds it due, and at exit. A crash loses at most the last few seconds of
counts, which is acceptable for a display figure; nothing else reads them.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import bindparam, update
from sqlmodel import Session

from marketplace.models import Gig

FLUSH_EVERY_S = 5.0
MAX_PENDING = 5_000  # distinct gigs held before a flush is due whatever the time


class ImpressionCounter:
    def __init__(self, flush_every_s: float = FLUSH_EVERY_S) -> None:
        self._lock = threading.Lock()
        self._pending: Counter[int] = Counter()
        self._flush_every_s = flush_every_s
        self._last_flush = time.monotonic()

    def record(self, gig_ids: Iterable[int]) -> None:
        """One results page shown: each of its gigs once."""
        ids = {int(gig_id) for gig_id in gig_ids if isinstance(gig_id, int) and gig_id > 0}
        if ids:
            with self._lock:
                self._pending.update(ids)

    def due(self) -> bool:
        with self._lock:
            return bool(self._pending) and (
                time.monotonic() - self._last_flush >= self._flush_every_s
                or len(self._pending) >= MAX_PENDING
            )

    def pending(self) -> dict[int, int]:
        with self._lock:
            return dict(self._pending)

    def flush(self, session: Session) -> int:
        """Add the pending counts to the gigs in `session`'s transaction; returns the gigs
        updated. The counts are taken out first and put back if the write fails."""
        with self._lock:
            taken, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        if not taken:
            return 0
        try:
            statement = (
                update(Gig)
                .where(Gig.id == bindparam("gig_id"))
                .values(impressions=Gig.impressions + bindparam("shown"))
            )
            session.connection().execute(
                statement,
                [{"gig_id": gig_id, "shown": shown} for gig_id, shown in sorted(taken.items())],
            )
        except BaseException:
            with self._lock:
                self._pending.update(taken)
            raise
        return len(taken)


counter = ImpressionCounter()


def record_and_maybe_flush(gig_ids: Iterable[int], session_factory) -> None:
    """What a search calls after showing a page: count it, and write the counter when due
    (`session_factory()` is a context manager giving a session that commits)."""
    counter.record(gig_ids)
    if counter.due():
        with session_factory() as session:
            counter.flush(session)


def flush_at_exit(session_factory) -> None:
    def flush() -> None:
        if counter.pending():
            try:
                with session_factory() as session:
                    counter.flush(session)
            except Exception:  # the database may already be gone at exit
                pass

    atexit.register(flush)
