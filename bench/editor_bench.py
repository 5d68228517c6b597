"""Benchmark the live gig editor and the gig page over the websocket, as the browser uses them.

Not a test. Starts a whole local stack (its own data folder, free ports, demo data), signs a
seller in, and sends editor events over the app's websocket the way the browser does. Each event
runs the full path a keystroke runs: session check, every gig rule, and the autosave (one
versioned UPDATE of the gig's draft). It prints the latency from sending an event to the first
update coming back, and the app's memory. It also times opening a gig page (the page's on_load:
the gig, its packages, extras, FAQ, seller card and first reviews, in bounded queries):

    .venv/bin/python bench/editor_bench.py                  # 300 title edits + 300 price edits
    .venv/bin/python bench/editor_bench.py --events 1000
    .venv/bin/python bench/editor_bench.py --url http://127.0.0.1:3000 --data-dir data
        (against a running `make run`; it adds a bench seller to that database)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from devservices.stack import LocalStack  # noqa: E402
from marketplace.auth import cookies  # noqa: E402
from marketplace.db import make_engine  # noqa: E402
from marketplace.models import Gig, GigStatus  # noqa: E402
from marketplace.services.accounts import members as accounts  # noqa: E402
from marketplace.services.accounts import profiles  # noqa: E402
from marketplace.settings import load_settings  # noqa: E402
from marketplace.state.gig import GigPageState  # noqa: E402
from marketplace.state.gig_editor import GigEditorState  # noqa: E402
from tests.reflex_client import Browser  # noqa: E402

EDITOR = GigEditorState.get_full_name()
GIG_PAGE = GigPageState.get_full_name()


def popular_slugs(settings, limit: int = 50) -> list[str]:
    from sqlmodel import col, select

    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        slugs = session.exec(
            select(Gig.slug)
            .where(Gig.status == GigStatus.active)
            .order_by(col(Gig.orders_completed).desc())
            .limit(limit)
        ).all()
    engine.dispose()
    return list(slugs)


def bench_seller(settings) -> str:
    """A seller with an active session in the app's database; returns the signed cookie."""
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"bench-{uuid.uuid4().hex[:8]}@example.com",
            password="bench password 1",
            display_name="Bench Seller",
        )
        profiles.become_seller(session, actor=user)
        new = accounts.start_session(session, user=user)
        accounts.activate_session(session, token=new.token)
        session.commit()
    engine.dispose()
    return cookies.sign_session(settings.secret_key, new.token)


def app_rss_mib(port: int) -> float | None:
    """Resident memory of the process listening on the app's port (Linux /proc)."""
    inode_owner = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = str(fd.readlink())
                if target.startswith("socket:["):
                    inode_owner.setdefault(target[8:-1], proc.name)
        except OSError:
            continue
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                pid = inode_owner.get(fields[9])
                if pid:
                    for row in (Path("/proc") / pid / "status").read_text().splitlines():
                        if row.startswith("VmRSS:"):
                            return int(row.split()[1]) / 1024
    return None


async def measure(
    app_url: str, cookie: str, events: int, slugs: list[str]
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"title": [], "price": [], "gig_page": []}
    async with Browser(app_url, cookie=None) as visitor:
        for i in range(events):
            path = f"/gig/{slugs[i % len(slugs)]}"
            reply = await visitor.call(
                f"{GIG_PAGE}.load",
                {},
                path=path,
                quiet_s=2.0,
                until=lambda r: r.var("loading") is False,
            )
            if reply.var("found") is not True or reply.var("loading") is not False:
                raise SystemExit(f"{path} did not load: {reply}")
            timings["gig_page"].append(reply.last_reply_s)  # the load yields once first
    path = "/gigs/new"
    async with Browser(app_url, cookie=cookie) as browser:
        await browser.call(f"{EDITOR}.load_new", {}, path=path)
        # The first change creates the draft row.
        await browser.call(
            f"{EDITOR}.set_field", {"field": "title", "value": "I will warm up"}, path=path
        )
        title = "I will design a modern minimalist logo for your brand"
        for i in range(events):
            reply = await browser.call(
                f"{EDITOR}.set_field",
                {"field": "title", "value": title[: 15 + i % (len(title) - 15)]},
                path=path,
                quiet_s=0.05,
            )
            timings["title"].append(reply.first_reply_s)
        for i in range(events):
            reply = await browser.call(
                f"{EDITOR}.set_package_field",
                {"tier": "premium", "key": "price", "value": str(10 + i % 500)},
                path=path,
                quiet_s=0.05,
            )
            timings["price"].append(reply.first_reply_s)
    return timings


def report(name: str, values: list[float]) -> str:
    """Latency figures; for the editor, to the first update (a keystroke answers once)."""
    ms = sorted(v * 1000 for v in values if v is not None)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return (
        f"{name:<24} n={len(ms):<5} p50 {statistics.median(ms):6.1f} ms   "
        f"p95 {p95:6.1f} ms   max {ms[-1]:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--url", help="a running app (default: start a stack)")
    parser.add_argument("--data-dir", type=Path, help="that app's GIGWORKS_DATA_DIR")
    args = parser.parse_args()

    stack = None
    if args.url:
        settings = load_settings({"GIGWORKS_DATA_DIR": str(args.data_dir or "data")})
        app_url = args.url
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="gigworks-editor-bench-"))
        stack = LocalStack.on_free_ports(data_dir, say=lambda m: print(m, flush=True))
        stack.start_services()
        stack.prepare_database(gigs=600)
        stack.start_app()
        settings = load_settings(stack.env())
        app_url = stack.app_url
    try:
        cookie = bench_seller(settings)
        port = int(app_url.rsplit(":", 1)[1].strip("/"))
        before = app_rss_mib(port)
        started = time.perf_counter()
        timings = asyncio.run(measure(app_url, cookie, args.events, popular_slugs(settings)))
        elapsed = time.perf_counter() - started
        after = app_rss_mib(port)
        print()
        print("Gig editor, one keystroke = check every rule + versioned autosave (SQLite):")
        print(report("title edit", timings["title"]))
        print(report("premium price edit", timings["price"]))
        print(report("gig page load (visitor)", timings["gig_page"]))
        total = sum(len(v) for v in timings.values())
        print(f"{total} events in {elapsed:.1f} s (one client, sequential, incl. 50 ms quiet wait)")
        if before and after:
            print(f"app process memory: {before:.0f} MiB before, {after:.0f} MiB after")
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    main()
