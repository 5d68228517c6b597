"""A pass-through HTTP link between the live app and its real Meilisearch that can hold one
chosen request for a while: a slow network reply, made on purpose, so a browser test can
prove that a late answer for older words never overwrites the page of newer ones.

Every request is forwarded unchanged to the real server and its reply returned unchanged;
nothing is answered by the link itself (a server that is down gives 502, as a proxy would).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from devservices.process import free_port

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Hold:
    """One request to hold: the first whose body contains `marker`. With `until`, it is let go
    as soon as a later request whose body contains `until` has been answered (at most `seconds`):
    the order of the two replies is then fixed however slowly the browser types."""

    marker: bytes
    seconds: float
    until: bytes | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    newer_answered: threading.Event = field(default_factory=threading.Event)
    let_go_by_newer: bool = False  # released by the newer reply, not by running out of time

    @property
    def answered_after_newer(self) -> bool:
        """The held reply went out only after the newer request's reply had."""
        return self.let_go_by_newer and self.answered.is_set()


class SlowLink:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.port = free_port()
        self._holds: list[Hold] = []
        self._waiting: list[Hold] = []  # arrived, held until a newer request is answered
        self._lock = threading.Lock()
        self._client = httpx.Client(base_url=self.upstream, timeout=60)
        link = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                hold = link._take_hold(body)
                newer = link._newer_of(body) if hold is None else None
                if hold is not None:
                    hold.arrived.set()
                    hold.let_go_by_newer = hold.newer_answered.wait(hold.seconds)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                try:
                    reply = link._client.request(
                        self.command, self.path, content=body, headers=headers
                    )
                    status, content = reply.status_code, reply.content
                    reply_headers = [
                        (k, v)
                        for k, v in reply.headers.items()
                        if k.lower() not in _HOP_BY_HOP | {"content-encoding"}
                    ]
                except httpx.HTTPError as exc:
                    status, content = 502, f"upstream unreachable: {exc}".encode()
                    reply_headers = [("Content-Type", "text/plain")]
                try:
                    self.send_response(status)
                    for key, value in reply_headers:
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                finally:
                    if hold is not None:
                        hold.answered.set()
                    if newer is not None:
                        newer.newer_answered.set()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hold_next(self, marker: bytes, *, seconds: float, until: bytes | None = None) -> Hold:
        """Hold the next request whose body contains `marker` for `seconds` (or until a request
        containing `until` has been answered, if sooner), then forward it."""
        hold = Hold(marker, seconds, until)
        with self._lock:
            self._holds.append(hold)
        return hold

    def _take_hold(self, body: bytes) -> Hold | None:
        with self._lock:
            for hold in self._holds:
                if hold.marker in body:
                    self._holds.remove(hold)
                    if hold.until is not None:
                        self._waiting.append(hold)
                    return hold
        return None

    def _newer_of(self, body: bytes) -> Hold | None:
        """The held request (already arrived) that waits for this one's answer, if any."""
        with self._lock:
            for hold in self._waiting:
                if hold.until is not None and hold.until in body:
                    self._waiting.remove(hold)
                    return hold
        return None

    def __enter__(self) -> SlowLink:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()
