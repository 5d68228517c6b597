"""The backend process's tuning (marketplace/backend_tuning.py): Reflex's disk state purge still
removes expired state files, at most once a minute; the collector freezes the started process."""

import asyncio
import gc
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from reflex.istate.manager.disk import StateManagerDisk

from marketplace import backend_tuning

HOUR = 3600


def _file(folder: Path, name: str, age_s: float) -> Path:
    path = folder / name
    path.write_bytes(b"state")
    at = time.time() - age_s
    os.utime(path, (at, at))
    return path


def test_the_purge_removes_expired_state_files_and_keeps_the_rest(tmp_path):
    manager = SimpleNamespace(states_directory=tmp_path, token_expiration=HOUR)
    expired = _file(tmp_path, "old.pkl", HOUR + 60)
    fresh = _file(tmp_path, "new.pkl", 60)
    other = _file(tmp_path, "notes.txt", HOUR * 5)
    backend_tuning._purge_expired_states(manager)
    assert not expired.exists()
    assert fresh.exists() and other.exists()


def test_the_purge_runs_at_most_once_a_minute(tmp_path):
    manager = SimpleNamespace(states_directory=tmp_path, token_expiration=HOUR)
    backend_tuning._purge_expired_states(manager)
    expired = _file(tmp_path, "old.pkl", HOUR + 60)
    backend_tuning._purge_expired_states(manager)  # the write pass 2 s later
    assert expired.exists()
    manager._purged_at -= backend_tuning.PURGE_EVERY_S
    backend_tuning._purge_expired_states(manager)
    assert not expired.exists()


def test_a_missing_states_folder_is_not_an_error(tmp_path):
    manager = SimpleNamespace(states_directory=tmp_path / "gone", token_expiration=HOUR)
    backend_tuning._purge_expired_states(manager)


def test_the_app_replaces_reflex_purge():
    import marketplace.marketplace  # noqa: F401  (installs the tuning)

    assert StateManagerDisk._purge_expired_states is backend_tuning._purge_expired_states


def test_the_started_process_is_frozen_and_collected_less_often():
    before = gc.get_threshold()
    try:
        asyncio.run(backend_tuning.freeze_startup_heap())
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == backend_tuning.GC_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_each_app_keeps_its_states_in_its_own_data_folder(tmp_path):
    env = {**os.environ, "GIGWORKS_DATA_DIR": str(tmp_path)}
    env.pop("REFLEX_STATES_WORKDIR", None)
    printed = subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore",
            "-c",
            "import os, rxconfig;print(os.environ['REFLEX_STATES_WORKDIR'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()
    assert printed == str(tmp_path / "states")
