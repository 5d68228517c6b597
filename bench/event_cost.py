"""What one event costs the backend: CPU time and updates sent, per event kind. Not a test.

One visitor on the app's real websocket sends each kind of event many times, one after the
other, and the backend process's CPU time (from /proc) is divided by the number of events. This
is the floor under `bench/load.py`'s figures: with N clients, one backend process can serve at
most about 1000 / (CPU ms per event) events per second. It also counts the updates (deltas) the
browser receives per event, since each one is a state round trip and a Socket.IO emit.

    .venv/bin/python bench/event_cost.py                  # starts its own stack (one process)
    .venv/bin/python bench/event_cost.py --events 500
    .venv/bin/python bench/event_cost.py --url http://127.0.0.1:3000 --database-url \\
        sqlite:///data/gigworks.db --app-pid <pid of `reflex run`>
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: the websocket client and the app's event names)


def _backend_pid(app_pid: int) -> int:
    """`reflex run` serves from a child process (Granian's worker) when it has one."""
    children = subprocess.run(
        ["pgrep", "-P", str(app_pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    return int(children[0]) if children else app_pid


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _measure(target: load.Target, events: int, only: str = "") -> None:
    names = load._names()
    pid = _backend_pid(target.app_pid)
    client = load.Client(target.app_url, names)
    await client.connect()
    await client.hydrate("/")

    # each search below asks for a view other than the one shown (one that changes nothing
    # sends nothing); its answer is the search state's update with the results
    search = client.answered

    def gig(update):
        return client.has(update, names.gig_state, "loading", False)

    slugs = target.slugs[:50]
    kinds = {
        "no-op event (nothing changes)": lambda i: (
            f"{names.search_state}.set_drawer_open",
            {"is_open": False},
            "/search",
            None,
        ),
        "search: open a view (filters)": lambda i: (
            names.on_load,
            {},
            f"/search?q={load.WORDS[i % len(load.WORDS)]}&delivery={(1, 3, 7)[i % 3]}",
            search,
        ),
        "search: type in the box": lambda i: (
            names.type_query,
            {"text": load.WORDS[i % len(load.WORDS)][: 3 + i % 4]},
            "/search",
            search,
        ),
        "search: next results page": lambda i: (
            names.go_to_page,
            {"page": 2 + i % 3},
            "/search",
            search,
        ),
        "gig page": lambda i: (names.on_load, {}, f"/gig/{slugs[i % len(slugs)]}", gig),
    }
    print(f"\n{events} events of each kind, one after the other, backend pid {pid}")
    print(f"  {'event':<32} {'CPU ms/event':>12} {'wall ms':>8} {'updates':>8}")
    starts = ["/search", "/search?sort=newest"]  # each kind starts on another view
    for label, make in kinds.items():
        if only not in label:
            continue
        starts.reverse()
        await client.send(names.on_load, {}, starts[0], search)
        updates = 0
        started_cpu, started = _cpu_seconds(pid), time.perf_counter()
        for i in range(events):
            name, payload, path, done = make(i)
            if done is None:  # an event that changes nothing: its one (final) reply
                await client._emit(name, payload, path)
                await asyncio.wait_for(client.inbox.get(), load.EVENT_TIMEOUT_S)
                updates += 1
                continue
            counted = 0

            def counting(update, done=done):
                nonlocal counted
                counted += 1
                return done(update)

            await client.send(name, payload, path, counting)
            updates += counted
        cpu = (_cpu_seconds(pid) - started_cpu) * 1000 / events
        wall = (time.perf_counter() - started) * 1000 / events
        print(f"  {label:<32} {cpu:>12.2f} {wall:>8.2f} {updates / events:>8.1f}", flush=True)
    await client.sio.disconnect()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300, help="events of each kind")
    parser.add_argument("--only", default="", help="only the kinds whose name contains this")
    parser.add_argument("--url", help="a running app instead of starting one")
    parser.add_argument("--database-url", help="with --url: the app's database (for slugs)")
    parser.add_argument("--app-pid", type=int, help="with --url: the pid of `reflex run`")
    args = parser.parse_args()
    if args.url:
        target = load.Target(args.url, args.database_url, app_pid=args.app_pid)
        load._catalogue(target)
        asyncio.run(_measure(target, args.events, args.only))
        return 0
    from devservices.stack import LocalStack

    stack = LocalStack.on_free_ports(
        Path(tempfile.mkdtemp(prefix="gigworks-event-cost-")),
        with_oidc=False,
        say=lambda msg: print(msg, flush=True),
    )
    try:
        stack.start_services()
        stack.prepare_database(seed=42, gigs=600)
        stack.start_app()
        target = load.Target(stack.app_url, stack.db_url, app_pid=stack._app.pid)
        load._catalogue(target)
        asyncio.run(_measure(target, args.events, args.only))
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
