"""Load: N browser-like clients on the app's real websocket, for each topology. Not a test.

Each client connects the way Reflex's frontend does, hydrates a page (home, search or a gig),
then for the run's duration sends about `--rate` events per second, a mix of what a visitor
does: search with facets (a navigation to a /search URL with filters), type into the search
box, open a gig page, and go to the next results page (the redirect is followed, as the browser
does). One client in MEMBER_EVERY is a signed-in member with a conversation (paired with
another member) who also sends messages, timed to the update that shows the message sent.
Each event is timed from sending it to the update that carries its answer (the results, the
gig, the message), not to the first acknowledgement. It prints per event kind p50/p95/p99,
throughput, errors, hydration times, and the backend's memory per idle connected client.

Topologies: `single` (one backend process, SQLite, Reflex's disk state: what `make run` starts)
and `redisN` (PostgreSQL on loopback, Reflex state in Redis, N backend workers, two worker
processes: what `make run-scaled` starts). The load generator runs on this machine too, in
`--generators` processes.

    .venv/bin/python bench/load.py            # single, redis2, redis4; 50, 200, 500 clients
    .venv/bin/python bench/load.py --topologies single --clients 200 --duration 30
    .venv/bin/python bench/load.py --url http://127.0.0.1:3000 --database-url sqlite:///data/gigworks.db
        (against a running app; its database gives the gig slugs)
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.query import GigQuery  # noqa: E402  (the app's reading of a search URL)

POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
WORDS = [
    "logo",
    "website",
    "video",
    "seo",
    "writing",
    "design",
    "app",
    "voice",
    "data",
    "wordpress",
]
EVENT_TIMEOUT_S = 15.0
MEMBER_EVERY = 5  # every fifth client is signed in and also sends messages
NAMESPACE = "/_event"


# --- one client ----------------------------------------------------------------------------------


@dataclass
class Names:
    """Full event names and state names, read from the app's state classes."""

    hydrate: str
    on_load: str
    type_query: str
    go_to_page: str
    search_state: str
    gig_state: str
    root_state: str
    send_message: str
    chat_state: str


def _names() -> Names:
    from reflex.state import OnLoadInternalState, State
    from socketio import packet

    import marketplace.marketplace  # noqa: F401  (registers every state)
    from marketplace import socket_json

    # The clients decode updates with orjson, as the app encodes them: a browser's JSON.parse
    # costs this machine nothing, the generator's should cost as little as it can.
    packet.Packet.json = socket_json.CODEC
    from marketplace.state.gig import GigPageState
    from marketplace.state.inbox import ConversationState
    from marketplace.state.search import SearchState

    search = SearchState.get_full_name()
    return Names(
        hydrate=f"{State.get_full_name()}.hydrate_and_load",
        on_load=f"{OnLoadInternalState.get_full_name()}.on_load_internal",
        type_query=f"{search}.type_query",
        go_to_page=f"{search}.go_to_page",
        search_state=search,
        gig_state=GigPageState.get_full_name(),
        root_state=State.get_full_name(),
        send_message=f"{ConversationState.get_full_name()}.send",
        chat_state=ConversationState.get_full_name(),
    )


class Client:
    def __init__(self, app_url: str, names: Names, cookie: str = ""):
        import socketio

        self.cookie = cookie  # a member's signed session cookie ("" for a visitor)
        self.app_url = app_url
        self.names = names
        self.token = str(uuid.uuid4())
        self.sio = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.sio.on("event", self.inbox.put_nowait, namespace=NAMESPACE)
        self.path = "/"
        self.page_count = 0  # of the search view last shown, as the server sent it
        # the view the server's search state holds (search/query.py), None before any search
        self.view = None

    async def connect(self) -> None:
        from marketplace.auth.cookies import SESSION_COOKIE

        await self.sio.connect(
            f"{self.app_url}?token={self.token}",
            socketio_path="/_event",
            namespaces=[NAMESPACE],
            transports=["websocket"],
            headers={"Cookie": f"{SESSION_COOKIE}={self.cookie}"} if self.cookie else {},
            wait_timeout=20,
        )

    async def send(self, name: str, payload: dict, path: str, done) -> float:
        """Send one event; seconds until an update satisfies `done(update)`. Redirects the
        server asks for are followed the way the frontend follows them."""
        while not self.inbox.empty():  # late updates of earlier events: not this answer
            self._track(self.inbox.get_nowait())
        started = time.perf_counter()
        await self._emit(name, payload, path)
        deadline = started + EVENT_TIMEOUT_S
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(name)
            update = await asyncio.wait_for(self.inbox.get(), remaining)
            self._track(update)
            if done(update):
                return time.perf_counter() - started
            for event in update.get("events") or []:
                target = (event.get("payload") or {}).get("path")
                if str(event.get("name", "")).endswith("_redirect") and target:
                    await self._emit(self.names.on_load, {}, target)

    def _track(self, update: dict) -> None:
        """Keep `page_count` as the server last sent it, from every update (a late one too:
        a page chosen from a stale count may not exist, and the server answers nothing)."""
        for key, item in ((update.get("delta") or {}).get(self.names.search_state) or {}).items():
            if key.removesuffix("_rx_state_") == "page_count":
                self.page_count = int(item)

    async def _emit(self, name: str, payload: dict, path: str) -> None:
        self.path = path
        pathname = path.split("?", 1)[0]
        await self.sio.emit(
            "event",
            {
                "name": name,
                "payload": payload,
                "router_data": {"pathname": pathname, "asPath": path},
            },
            namespace=NAMESPACE,
        )

    def has(self, update: dict, state: str, prefix: str, value=None) -> bool:
        for key, item in ((update.get("delta") or {}).get(state) or {}).items():
            if key.startswith(prefix) and (value is None or item == value):
                return True
        return False

    def answered(self, update: dict) -> bool:
        """The update that answers a search: the search state's first one that is not the
        `loading` it sends first on a page without results. (With results on screen nothing
        goes out before the answer, and a view that changes nothing sends nothing: visitors
        below only ask for views other than `view`, as a browser's links do.)"""
        part = (update.get("delta") or {}).get(self.names.search_state) or {}
        return bool(part) and not any(
            key.startswith("loading") and item is True for key, item in part.items()
        )

    async def hydrate(self, path: str) -> float:
        def done(update):
            return self.has(update, self.names.root_state, "is_hydrated", True)

        return await self.send(self.names.hydrate, {}, path, done)


def _search_url(rng: random.Random, categories: list[str]) -> str:
    """A view as the filter panel builds it (the parameter names of search/query.py)."""
    params = {"q": rng.choice(WORDS)}
    if categories and rng.random() < 0.7:
        params["cat"] = rng.choice(categories)
    if rng.random() < 0.5:
        params["delivery"] = rng.choice(["1", "3", "7"])
    if rng.random() < 0.3:
        params["rating"] = rng.choice(["4", "4.5"])
    if rng.random() < 0.3:
        params["sort"] = rng.choice(["newest", "price_asc", "rating", "best_selling"])
    return "/search?" + urlencode(params)


def _view_of(url: str):
    """The view the search page shows for `url`, as the app reads it."""
    return GigQuery.from_params(parse_qs(urlsplit(url).query))


async def _open_search_page(client: Client) -> None:
    """Back to a plain search page (not timed): /search, or /search sorted by newest when the
    search state already holds /search's view (it would send no answer)."""
    url = "/search" if client.view != _view_of("/search") else "/search?sort=newest"
    await client.send(client.names.on_load, {}, url, client.answered)
    client.view = _view_of(url)


async def _visitor(
    number, app_url, names, slugs, categories, stop_at, rate, start_by, out, member=None
):
    rng = random.Random(number)
    cookie, thread = member or ("", 0)
    client = Client(app_url, names, cookie)
    await asyncio.sleep(rng.uniform(0, start_by))  # clients arrive over the ramp-up
    try:
        await client.connect()
        first = rng.choice(["/", "/search", f"/gig/{rng.choice(slugs)}"])
        first = f"/inbox/{thread}" if thread else first
        out["hydration"].append(await client.hydrate(first))
        if first == "/search":
            client.view = _view_of(first)
    except Exception as exc:  # noqa: BLE001 — every failure is counted and named
        out["errors"].append(f"connect/hydrate: {type(exc).__name__}")
        return
    out["connected"] += 1

    # The answer: the search state's update with the results (Client.answered), the gig
    # page's that ends its loading. Only what changed is sent, so the same gig as already
    # shown comes without its `gig`.
    results = client.answered

    def gig(update):
        return client.has(update, names.gig_state, "loading", False)

    def loaded_thread(update):
        return client.has(update, names.chat_state, "thread_id")

    def shown(body):
        def done(update):
            return body in str((update.get("delta") or {}).get(names.chat_state) or {})

        return done

    while time.time() < stop_at:
        await asyncio.sleep(rng.expovariate(rate))
        if time.time() >= stop_at:
            break
        kinds, weights = ["search_facets", "type_query", "open_gig", "paginate"], [4, 2, 3, 2]
        if thread:
            kinds, weights = [*kinds, "send_message"], [*weights, 2]
        kind = rng.choices(kinds, weights)[0]
        try:
            if kind == "send_message":
                inbox = f"/inbox/{thread}"
                if client.path != inbox:
                    await client.send(names.on_load, {}, inbox, loaded_thread)
                body = f"load {number} {uuid.uuid4().hex[:10]}"
                seconds = await client.send(
                    names.send_message, {"form_data": {"body": body}}, inbox, shown(body)
                )
            elif kind == "search_facets":
                url = _search_url(rng, categories)
                while _view_of(url) == client.view:
                    url = _search_url(rng, categories)
                seconds = await client.send(names.on_load, {}, url, results)
                client.view = _view_of(url)
            elif kind == "type_query":
                if not client.path.startswith("/search"):
                    await _open_search_page(client)
                view = client.view
                while view == client.view:
                    text = rng.choice(WORDS)[: rng.randint(3, 6)]
                    view = GigQuery.clean(**client.view.with_changes(q=text).fields())
                seconds = await client.send(names.type_query, {"text": text}, client.path, results)
                client.view = view
            elif kind == "open_gig":
                seconds = await client.send(names.on_load, {}, f"/gig/{rng.choice(slugs)}", gig)
            else:
                if not client.path.startswith("/search") or client.page_count < 2:
                    await _open_search_page(client)
                page = client.view.page
                while page == client.view.page:
                    page = rng.randint(1, max(2, min(client.page_count, 10)))
                seconds = await client.send(names.go_to_page, {"page": page}, client.path, results)
                client.view = client.view.with_changes(page=page)
            out["samples"].append((kind, seconds))
        except Exception as exc:  # noqa: BLE001
            out["errors"].append(f"{kind}: {type(exc).__name__}")
    await client.sio.disconnect()


def _generator(job: dict, queue) -> None:
    """One load-generator process: its share of the clients, on one event loop."""
    names = _names()
    out = {"samples": [], "errors": [], "hydration": [], "connected": 0}

    async def main():
        await asyncio.gather(
            *(
                _visitor(
                    n,
                    job["app_url"],
                    names,
                    job["slugs"],
                    job["categories"],
                    job["stop_at"],
                    job["rate"],
                    job["ramp_s"],
                    out,
                    job["members"].get(n),
                )
                for n in job["numbers"]
            )
        )

    asyncio.run(main())
    queue.put(out)


# --- idle clients, for memory -------------------------------------------------------------------


def _idle(job: dict, queue) -> None:
    """Connect and hydrate clients, then hold them open until told to stop."""
    names = _names()

    async def main():
        clients = []
        for _number in job["numbers"]:
            client = Client(job["app_url"], names)
            try:
                await client.connect()
                await client.hydrate("/search")
                clients.append(client)
            except Exception:  # noqa: BLE001
                pass
        queue.put(len(clients))
        while not os.path.exists(job["release"]):
            await asyncio.sleep(0.2)
        for client in clients:
            await client.sio.disconnect()

    asyncio.run(main())


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _redis_used(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        return int(client.info("memory")["used_memory"])
    finally:
        client.close()


# --- a run ---------------------------------------------------------------------------------------


@dataclass
class Target:
    app_url: str
    database_url: str
    app_pid: int | None = None
    redis_url: str | None = None
    secret_key: str = ""  # signs the members' session cookies (none: visitors only)
    slugs: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def _members(target: Target, clients: int) -> dict[int, tuple[str, int]]:
    """client number -> (session cookie, conversation id) for every MEMBER_EVERY-th client:
    fresh accounts, paired two by two in a conversation."""
    if not target.secret_key:
        return {}
    from sqlmodel import Session

    from marketplace.auth import cookies
    from marketplace.db import make_engine
    from marketplace.services.accounts import members as accounts
    from marketplace.services.messaging import conversations

    numbers = list(range(0, clients, MEMBER_EVERY))
    numbers = numbers[: len(numbers) // 2 * 2]
    engine = make_engine(target.database_url)
    found: dict[int, tuple[str, int]] = {}
    run = uuid.uuid4().hex[:6]
    with Session(engine, expire_on_commit=False) as session:
        people = {}
        for number in numbers:
            user = accounts.register(
                session,
                email=f"load-{run}-{number}@example.com",
                password="load test password 2026",
                display_name=f"Load Member {number}",
            )
            new = accounts.start_session(session, user=user)
            accounts.activate_session(session, token=new.token)
            people[number] = (user, cookies.sign_session(target.secret_key, new.token))
        for first, second in zip(numbers[::2], numbers[1::2], strict=True):
            thread = conversations.open_with(
                session, actor=people[first][0], other_user_id=people[second][0].id
            )
            found[first] = (people[first][1], thread.id)
            found[second] = (people[second][1], thread.id)
        session.commit()
    engine.dispose()
    return found


def _catalogue(target: Target) -> None:
    from sqlalchemy import text

    from marketplace.db import make_engine

    engine = make_engine(target.database_url)
    with engine.connect() as conn:
        target.slugs = [
            row[0] for row in conn.execute(text("SELECT slug FROM gig WHERE status = 'active'"))
        ]
        target.categories = [
            row[0]
            for row in conn.execute(text("SELECT slug FROM category WHERE parent_id IS NULL"))
        ]
    engine.dispose()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))] * 1000


def run_load(target: Target, clients: int, duration: float, rate: float, generators: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    ramp = min(10.0, max(2.0, clients / 50))
    stop_at = time.time() + ramp + duration
    shares = [list(range(i, clients, generators)) for i in range(generators)]
    members = _members(target, clients)
    jobs = [
        {
            "members": {n: members[n] for n in share if n in members},
            "app_url": target.app_url,
            "slugs": target.slugs,
            "categories": target.categories,
            "stop_at": stop_at,
            "rate": rate,
            "ramp_s": ramp,
            "numbers": share,
        }
        for share in shares
        if share
    ]
    procs = [ctx.Process(target=_generator, args=(job, queue)) for job in jobs]
    for proc in procs:
        proc.start()
    outs = [queue.get(timeout=ramp + duration + 120) for _ in procs]
    for proc in procs:
        proc.join()
    samples = [s for out in outs for s in out["samples"]]
    return {
        "samples": samples,
        "errors": [e for out in outs for e in out["errors"]],
        "hydration": [h for out in outs for h in out["hydration"]],
        "connected": sum(out["connected"] for out in outs),
        "seconds": duration,
    }


def measure_idle_memory(target: Target, clients: int, generators: int) -> tuple[float, float]:
    """(backend KiB per idle client, Redis KiB per idle client)."""
    if target.app_pid is None:
        return float("nan"), float("nan")
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    release = Path(tempfile.mkdtemp()) / "release"
    time.sleep(3)
    rss_before = _tree_rss_bytes(target.app_pid)
    redis_before = _redis_used(target.redis_url) if target.redis_url else 0
    shares = [list(range(i, clients, generators)) for i in range(generators)]
    procs = [
        ctx.Process(
            target=_idle,
            args=({"app_url": target.app_url, "numbers": s, "release": str(release)}, queue),
        )
        for s in shares
        if s
    ]
    for proc in procs:
        proc.start()
    connected = sum(queue.get(timeout=300) for _ in procs)
    time.sleep(5)
    rss_after = _tree_rss_bytes(target.app_pid)
    redis_after = _redis_used(target.redis_url) if target.redis_url else 0
    release.touch()
    for proc in procs:
        proc.join()
    connected = max(1, connected)
    return (
        (rss_after - rss_before) / connected / 1024,
        (redis_after - redis_before) / connected / 1024 if target.redis_url else float("nan"),
    )


def report(topology: str, clients: int, result: dict, memory: tuple[float, float]) -> None:
    samples = result["samples"]
    kinds = sorted({kind for kind, _ in samples})
    errors = result["errors"]
    print(
        f"\n{topology}, {clients} clients ({result['connected']} connected), "
        f"{result['seconds']:.0f} s: {len(samples) / result['seconds']:.0f} events/s, "
        f"{len(errors)} errors"
    )
    if errors:
        counts: dict[str, int] = {}
        for error in errors:
            counts[error] = counts.get(error, 0) + 1
        print("  errors: " + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())))
    print(f"  {'event':<14} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    everything = [s for _, s in samples]
    for kind in [*kinds, "all"]:
        values = everything if kind == "all" else [s for k, s in samples if k == kind]
        print(
            f"  {kind:<14} {len(values):>7} {_pct(values, 0.5):>8.0f} "
            f"{_pct(values, 0.95):>8.0f} {_pct(values, 0.99):>8.0f}"
        )
    hydration = result["hydration"]
    print(
        f"  {'hydration':<14} {len(hydration):>7} {_pct(hydration, 0.5):>8.0f} "
        f"{_pct(hydration, 0.95):>8.0f} {_pct(hydration, 0.99):>8.0f}"
    )
    backend_kib, redis_kib = memory
    line = f"  memory per idle connected client: backend {backend_kib:.0f} KiB"
    if not math.isnan(redis_kib):
        line += f", Redis {redis_kib:.0f} KiB"
    print(line)


def _stack(topology: str, data_dir: Path):
    from devservices import topology as servers
    from devservices.stack import LocalStack

    options: dict = {}
    if topology.startswith("redis"):
        workers = int(topology.removeprefix("redis") or 2)
        options = {
            "database_url": servers.create_throwaway_database(POSTGRES_SERVER, prefix="gw_load"),
            "redis_url": REDIS_URL,
            "backend_workers": workers,
            "worker_processes": 2,
        }
    return LocalStack.on_free_ports(
        data_dir, with_oidc=False, say=lambda msg: print(msg, flush=True), **options
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topologies", default="single,redis2,redis4")
    parser.add_argument("--clients", default="50,200,500")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--rate", type=float, default=1.0, help="events per second per client")
    parser.add_argument("--generators", type=int, default=0, help="load processes (0: auto)")
    parser.add_argument("--url", help="a running app instead of starting each topology")
    parser.add_argument("--database-url", help="with --url: the app's database (for slugs)")
    parser.add_argument("--app-pid", type=int, help="with --url: the app's pid (for memory)")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]

    def generators_for(n: int) -> int:
        return args.generators or max(1, min(4, math.ceil(n / 150)))

    def bench(name: str, target: Target) -> None:
        _catalogue(target)
        print(f"\n== {name}: {len(target.slugs)} active gigs at {target.app_url}", flush=True)
        for n in counts:
            memory = measure_idle_memory(target, n, generators_for(n))
            result = run_load(target, n, args.duration, args.rate, generators_for(n))
            report(name, n, result, memory)

    if args.url:
        bench("given app", Target(args.url, args.database_url, app_pid=args.app_pid))
        return 0
    from devservices import topology as servers
    from marketplace.settings import load_settings

    for name in args.topologies.split(","):
        data_dir = Path(tempfile.mkdtemp(prefix=f"gigworks-load-{name}-"))
        stack = _stack(name, data_dir)
        try:
            stack.start_services()
            stack.prepare_database(seed=42, gigs=600)
            stack.start_app()
            bench(
                name,
                Target(
                    stack.app_url,
                    stack.db_url,
                    app_pid=stack._app.pid if stack._app else None,
                    redis_url=stack.redis_url,
                    secret_key=load_settings(stack.env()).secret_key,
                ),
            )
        finally:
            stack.stop()
            if stack.database_url:
                servers.drop_database(stack.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
