"""The state file: localstripe's store pickled to a path of our choosing, written atomically.

localstripe keeps its whole store (every object, plus our account links and idempotency records)
in /tmp/localstripe.pickle; `install()` points `Store.try_load_from_disk` and
`Store.dump_to_disk` here instead. Files written before the extension was split by resource
name its classes `devservices.stripe_connect.Account` & co.; they still load.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from localstripe import resources
from localstripe.resources import store

__all__ = ["configure", "load_state", "patch_store", "state_path"]

_state: dict[str, Path | None] = {"path": None}

# Where the classes of the one-module extension (devservices/stripe_connect.py) live now.
_MOVED = {
    ("devservices.stripe_connect", "Account"): "devservices.stripe_ext.accounts",
    ("devservices.stripe_connect", "Transfer"): "devservices.stripe_ext.transfers",
    ("devservices.stripe_connect", "TransferReversal"): "devservices.stripe_ext.transfers",
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        return super().find_class(_MOVED.get((module, name), module), name)


def configure(state_file: Path | None) -> None:
    """Use `state_file` for the store (None: keep the state in memory only)."""
    _state["path"] = Path(state_file).resolve() if state_file is not None else None


def state_path() -> Path | None:
    return _state["path"]


def _load_from_disk(self: resources.Store) -> None:
    path = state_path()
    if path is None or not path.exists():
        return
    try:
        with open(path, "rb") as f:
            old = _Unpickler(f).load()
    except Exception as exc:
        raise RuntimeError(
            f"Cannot read the local Stripe state {path}: {exc}. "
            "Delete the file (or start with --from-scratch) to begin with an empty state."
        ) from exc
    self.clear()
    dict.update(self, old)


def _dump_to_disk(self: resources.Store) -> None:
    path = state_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as f:
        pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)  # a crash mid-write never leaves a torn state file


def patch_store() -> None:
    resources.Store.try_load_from_disk = _load_from_disk
    resources.Store.dump_to_disk = _dump_to_disk


def load_state() -> None:
    """Load the state file into localstripe's store (after `install`)."""
    store.try_load_from_disk()
