"""How big a client's Reflex state is once a page has loaded, as Redis stores it.

With REDIS_URL Reflex keeps each client's state tree in Redis, one pickled key per substate
(`<client token>_<state name>`), so the sum of a token's keys is exactly what every event of
that client reads and writes. Used by the scaled e2e pass (`tests/e2e/test_state_size.py`,
which keeps every page under 50 KB and prints each page's size with `pytest -s`)."""

from __future__ import annotations

import asyncio
import time

import redis
from reflex.state import OnLoadInternalState, State

from tests.reflex_client import Browser

LIMIT_BYTES = 50 * 1024


async def page_state_bytes(
    *, app_url: str, redis_url: str, path: str, cookie: str | None
) -> dict[str, int]:
    """Open `path` in a new tab (a new client token) and return the bytes of each substate
    stored for that tab, once the page's on_load work has finished."""
    async with Browser(app_url, cookie=cookie) as browser:
        on_load = f"{OnLoadInternalState.get_full_name()}.on_load_internal"
        reply = await browser.call(f"{State.get_full_name()}.hydrate_and_load", {}, path=path)
        if any(event.get("name") == on_load for event in reply.events):
            await browser.call(on_load, {}, path=path)  # as the frontend queues it back
        await browser.collect(quiet_s=1.0)  # background searches write after their first reply
        client = redis.Redis.from_url(redis_url)
        try:
            sizes: dict[str, int] = {}
            deadline = time.monotonic() + 5
            while not sizes and time.monotonic() < deadline:
                for key in client.scan_iter(match=f"{browser.token}_*", count=500):
                    value = client.get(key)
                    if value is not None:
                        sizes[key.decode().split("_", 1)[1]] = len(value)
                if not sizes:
                    await asyncio.sleep(0.2)
            return sizes
        finally:
            client.close()
