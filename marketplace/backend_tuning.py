"""Two changes to how a backend process runs, found by profiling it under load (docs/operations.md,
decision 37). Neither changes what any page shows.

- **Reflex's disk state purge, at most once a minute, with `os.scandir`.** Reflex's disk state
  manager calls `_purge_expired_states` after every write pass (every 2 s): it lists the states
  folder and stats every file through pathlib, in a worker thread that holds the GIL most of the
  time. A states folder holds one file per page state of every tab of the last hour
  (`REFLEX_REDIS_TOKEN_EXPIRATION`); with 6,000–11,000 files each pass took a few hundred
  milliseconds of that thread, and events on the event loop waited meanwhile: with only 50
  visitors, one answer in twenty took 200–380 ms instead of 15 ms. The files still go when
  their hour is over, a minute later at the most. (rxconfig.py also gives each app its own
  folder, in its data folder, where every app started from a checkout shared `.states/`.)
- **The garbage collector runs less often, and leaves out what the process started with.**
  Once the app is built, `gc.freeze()` moves its objects (about 580,000: pages, states,
  libraries; they live as long as the process) out of the collector's passes, and the young
  generation is collected after 10,000 new objects instead of 700. Measured with a callback on
  `gc.callbacks` at 200 visitors: the collector took about 12 % of the process's time, full
  passes of about 200 ms every few seconds among it; afterwards about 2 %, with no full pass
  in 40 s.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import time

from reflex.istate.manager.disk import StateManagerDisk

log = logging.getLogger(__name__)

PURGE_EVERY_S = 60.0
# A young collection after 10,000 new objects instead of 700: a search's update alone makes a
# few thousand, and each collection of the young generation cost ~1.4 ms, 30 times a second
# at 200 visitors (with the full passes, an eighth of the process's time went to the
# collector); now about 2 %. The older generations keep Python's ratios.
GC_THRESHOLDS = (10_000, 20, 10)


def _purge_expired_states(manager: StateManagerDisk) -> None:
    """What Reflex's own purge does (remove state files untouched for the token expiration),
    once a minute, with one `scandir` instead of a Path and a `stat` call per file."""
    now = time.time()
    if now - getattr(manager, "_purged_at", 0.0) < PURGE_EVERY_S:
        return
    manager._purged_at = now
    cutoff = now - manager.token_expiration
    with contextlib.suppress(FileNotFoundError), os.scandir(manager.states_directory) as entries:
        for entry in entries:
            if not entry.name.endswith(".pkl"):
                continue
            with contextlib.suppress(FileNotFoundError):  # another purge got there first
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)


def install() -> None:
    """Replace the disk state manager's purge (before any manager is created)."""
    if not callable(getattr(StateManagerDisk, "_purge_expired_states", None)):
        log.warning("Reflex's disk state manager has no purge to replace: left as it is")
        return
    StateManagerDisk._purge_expired_states = _purge_expired_states


async def freeze_startup_heap() -> None:
    """A lifespan task: once the process has started (the app built), collect once and move
    every object left to the collector's permanent generation."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    log.info("garbage collector: %d startup objects frozen", gc.get_freeze_count())
