"""The marketplace itself as a managed child: `reflex run --env prod`, one port for both halves."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import httpx

from devservices.process import ManagedProcess

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def tool_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Reflex needs offline: our Node 22 and bun first on PATH, no telemetry."""
    env = dict(os.environ)
    tools_bin = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    venv_bin = Path(sys.executable).parent
    env["PATH"] = os.pathsep.join([str(tools_bin), str(venv_bin), env.get("PATH", "")])
    env.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.update(extra or {})
    return env


class ReflexApp(ManagedProcess):
    """Builds the production frontend (a minute the first time) and serves it with the backend."""

    name = "gigworks app"
    ready_timeout = 900.0

    def __init__(self, *, port: int, log_path: Path, env: Mapping[str, str] | None = None) -> None:
        super().__init__(log_path=log_path, port=port, cwd=PROJECT_ROOT, env=env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        port = str(self.port)
        return [
            sys.executable,
            "-m",
            "reflex",
            "run",
            "--env",
            "prod",
            "--frontend-port",
            port,
            "--backend-port",
            port,
            "--backend-host",
            "127.0.0.1",
        ]

    def environment(self) -> dict[str, str]:
        return tool_env(self.extra_env)

    def probe(self) -> bool:
        return (
            httpx.get(f"{self.url}/ping", timeout=2).is_success
            and httpx.get(f"{self.url}/", timeout=5).is_success
        )


class SearchWorker(ManagedProcess):
    """`python -m marketplace worker`: drains the search outbox into Meilisearch.

    Ready once it has printed its "search worker ready" line, i.e. the live index exists with
    its settings and the first poll is about to run.
    """

    name = "search worker"
    ready_timeout = 60.0
    READY_LINE = b"search worker ready"

    def __init__(self, *, log_path: Path, env: Mapping[str, str] | None = None) -> None:
        super().__init__(log_path=log_path, cwd=PROJECT_ROOT, env=env)
        self._log_offset = 0

    def command(self) -> list[str]:
        return [sys.executable, "-m", "marketplace", "worker"]

    def environment(self) -> dict[str, str]:
        return tool_env(self.extra_env)

    def start(self) -> SearchWorker:
        # Only this run's output counts for readiness, not an earlier run's in the same log.
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        return super().start()

    def probe(self) -> bool:
        with open(self.log_path, "rb") as log:
            log.seek(self._log_offset)
            return self.READY_LINE in log.read()
