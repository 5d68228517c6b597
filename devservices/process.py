"""Start, probe and stop the local stand-in servers as child processes.

Each server runs in its own session (process group) so that stopping it also stops
anything it spawned, and so that Ctrl-C in the terminal of `make run` reaches only the
launcher, which then shuts the children down in order. Output goes to a log file whose
tail is quoted in every start-up error, because "did not become ready" alone is useless.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Self

import httpx

__all__ = [
    "ManagedProcess",
    "ServiceError",
    "free_port",
    "port_is_free",
    "tail",
    "wait_http",
]

_POLL_INTERVAL = 0.1


class ServiceError(RuntimeError):
    """A stand-in server could not be started or did not become ready."""


def free_port(host: str = "127.0.0.1") -> int:
    """Return a port that was free a moment ago (the OS picks it; small race accepted)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True if nothing listens on host:port, so a start-up failure can be explained early."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Connections closed by a server that stopped (kept-alive clients) linger in TIME_WAIT
        # on its port; they do not stop a new server binding it, only a listener does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def tail(path: Path, lines: int = 40) -> str:
    """Last lines of a log file (empty if it does not exist yet)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            text = f.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_http(
    url: str,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
    *,
    expect_2xx: bool = False,
    check: Callable[[], None] | None = None,
) -> httpx.Response:
    """Poll `url` until it answers (any status, or only 2xx with `expect_2xx`).

    `check` runs before each attempt and may raise to abort early, e.g. when the
    server process has already died and waiting longer cannot help.
    """
    deadline = time.monotonic() + timeout
    last_error: str = "no attempt made"
    while True:
        if check is not None:
            check()
        try:
            response = httpx.get(url, headers=dict(headers or {}), timeout=2.0)
        except httpx.HTTPError as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        else:
            if not expect_2xx or response.is_success:
                return response
            last_error = f"HTTP {response.status_code}: {response.text[:200]}"
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{url} did not answer within {timeout:.0f}s ({last_error})")
        time.sleep(_POLL_INTERVAL)


_live: set[ManagedProcess] = set()  # strong refs: a dropped handle must still be stopped


@atexit.register
def _stop_leftovers() -> None:
    """Never leave a server running after the Python process that started it exits."""
    for proc in list(_live):
        with contextlib.suppress(Exception):
            proc.stop(grace=2)


class ManagedProcess:
    """One child server: start it, wait until it answers, stop it (SIGINT, then SIGKILL).

    Subclasses provide `command()` and `probe()`; `port` (if set) is checked free before
    start so a leftover server on the same port gives a clear error instead of a false
    "ready". Use as a context manager: entering starts and waits, leaving stops.
    """

    name = "process"
    ready_timeout = 30.0

    def __init__(
        self,
        *,
        log_path: Path,
        port: int | None = None,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.log_path = Path(log_path)
        self.port = port
        self.cwd = Path(cwd) if cwd is not None else None
        self.extra_env = dict(env or {})
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    # -- to be provided by subclasses -------------------------------------------------

    def command(self) -> Sequence[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        """Environment of the child: ours plus `env` overrides (subclasses may filter)."""
        return {**os.environ, **self.extra_env}

    def probe(self) -> bool:
        """True once the server serves requests. Exceptions count as "not yet"."""
        raise NotImplementedError

    def secrets(self) -> Sequence[str]:
        """Strings of the command line to mask in the log (keys)."""
        return ()

    # -- lifecycle --------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self._proc.poll() if self._proc is not None else None

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return tail(self.log_path, lines)

    def _fail(self, message: str) -> ServiceError:
        return ServiceError(
            f"{self.name}: {message}\n--- last lines of {self.log_path} ---\n{self.log_tail()}"
        )

    def start(self) -> Self:
        """Launch the child (does not wait for readiness: see `wait_ready`)."""
        if self.is_running():
            raise ServiceError(f"{self.name} is already running (pid {self.pid})")
        if self.port is not None and not port_is_free(self.port):
            raise ServiceError(
                f"{self.name}: port 127.0.0.1:{self.port} is already in use "
                "(a leftover server? stop it or choose another port)"
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        command = list(self.command())
        shown = " ".join(command)
        for secret in self.secrets():
            shown = shown.replace(secret, "***")
        self._log.write(f"\n--- {self.name}: {shown}\n".encode())
        self._log.flush()
        try:
            self._proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                cwd=self.cwd,
                env=self.environment(),
                start_new_session=True,
            )
        except OSError as exc:
            self._log.close()
            self._log = None
            raise self._fail(f"cannot execute {command[0]}: {exc}") from exc
        _live.add(self)
        return self

    def wait_ready(self, timeout: float | None = None) -> Self:
        """Block until `probe()` succeeds; raise `ServiceError` with the log tail if not."""
        timeout = self.ready_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is None:
                raise ServiceError(f"{self.name} was not started")
            code = self._proc.poll()
            if code is not None:
                raise self._fail(f"exited with code {code} during start-up")
            try:
                if self.probe():
                    return self
            except Exception:  # any failure means "not ready yet"
                pass
            if time.monotonic() >= deadline:
                raise self._fail(f"not ready after {timeout:.0f}s")
            time.sleep(_POLL_INTERVAL)

    def stop(self, grace: float = 5.0) -> int | None:
        """SIGINT the process group, SIGKILL it after `grace` seconds; return the exit code."""
        proc = self._proc
        if proc is None:
            return None
        code = proc.poll()
        if code is None:
            self._signal_group(proc, signal.SIGINT)
            try:
                code = proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._signal_group(proc, signal.SIGKILL)
                code = proc.wait()
        _live.discard(self)
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    @staticmethod
    def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        # start_new_session=True made the child the leader of a group whose id is its pid.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)

    def __enter__(self) -> Self:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop(grace=2)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return f"<{type(self).__name__} {self.name} port={self.port} {state}>"
