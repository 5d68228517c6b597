"""A Socket.IO client that speaks to a running Reflex app the way Reflex's own frontend does.

Used by the event security test and the event benchmarks: it connects with (or without) a
session cookie, sends one event at a time with the router data a browser would send, and
collects what the server answers until it goes quiet.
"""

import asyncio
import concurrent.futures
import time
import uuid
from dataclasses import dataclass, field

import socketio

from marketplace.auth import cookies

NAMESPACE = "/_event"  # Reflex's frontend connects to {backend}/_event, which names it
QUIET_S = 0.35
MAX_WAIT_S = 6.0


@dataclass
class Reply:
    deltas: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    first_reply_s: float | None = None  # from sending to the first update
    last_reply_s: float | None = None  # ... to the last one (a handler may yield several)

    def redirects_to_login(self) -> bool:
        return any(
            str(event.get("name", "")).endswith("_redirect")
            and str((event.get("payload") or {}).get("path", "")).startswith("/login")
            for event in self.events
        )

    def var(self, prefix: str):
        """The last value the server sent for a var whose name starts with `prefix`."""
        value = None
        for delta in self.deltas:
            for substate in delta.values():
                for key, item in substate.items():
                    if key.startswith(prefix):
                        value = item
        return value


class Browser:
    """A Socket.IO connection to the app, speaking the protocol of Reflex's own frontend."""

    def __init__(self, app_url: str, cookie: str | None):
        self.app_url = app_url
        self.cookie = cookie
        self.token = str(uuid.uuid4())  # the tab's client token, as in sessionStorage
        self.sio = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.sio.on("event", self.inbox.put_nowait, namespace=NAMESPACE)

    async def __aenter__(self):
        headers = {"Cookie": f"{cookies.SESSION_COOKIE}={self.cookie}"} if self.cookie else {}
        await self.sio.connect(
            f"{self.app_url}?token={self.token}",
            socketio_path="/_event",
            namespaces=[NAMESPACE],
            transports=["websocket"],
            headers=headers,
            wait_timeout=10,
        )
        return self

    async def __aexit__(self, *exc):
        await self.sio.disconnect()

    async def call(
        self,
        event_name: str,
        payload: dict,
        path: str = "/settings/profile",
        quiet_s: float = QUIET_S,
        until=None,
    ) -> Reply:
        """Send one event; collect updates until `until(reply)` holds, or the server is quiet."""
        await self.sio.emit(
            "event",
            {
                "name": event_name,
                "payload": payload,
                "router_data": {"pathname": path, "asPath": path},
            },
            namespace=NAMESPACE,
        )
        return await self.collect(quiet_s=quiet_s, until=until)

    async def collect(self, *, quiet_s: float = QUIET_S, until=None) -> Reply:
        """What the server sends from now until `until(reply)` holds or it goes quiet."""
        reply = Reply()
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_WAIT_S
        while loop.time() < deadline:
            try:
                update = await asyncio.wait_for(self.inbox.get(), quiet_s)
            except TimeoutError:
                if reply.deltas or reply.events:
                    break
                continue
            reply.last_reply_s = time.perf_counter() - started
            if reply.first_reply_s is None:
                reply.first_reply_s = reply.last_reply_s
            reply.deltas.append(update.get("delta") or {})
            reply.events.extend(update.get("events") or [])
            if until is not None and until(reply):
                break
        return reply


def run(coro):
    """Playwright's sync API owns this thread's event loop in the e2e session: use another."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
