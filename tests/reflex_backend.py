"""The real Reflex backend in a subprocess (`reflex run --env prod --backend-only`), for
integration tests that talk to it over Socket.IO (tests/reflex_client.py)."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devservices.app_server import PROJECT_ROOT, tool_env


@contextlib.contextmanager
def running_backend(env: dict[str, str], data_dir: Path, port: int) -> Iterator[str]:
    """Start the backend with `env` on `port`; yield its URL; stop it (and its workers)."""
    log = (data_dir / "backend.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only",
         "--backend-port", str(port), "--backend-host", "127.0.0.1"],
        cwd=PROJECT_ROOT, env=tool_env(env), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"backend exited: {(data_dir / 'backend.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/ping", timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("backend did not start in time")
        yield url
    finally:
        os.killpg(proc.pid, 2)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()
