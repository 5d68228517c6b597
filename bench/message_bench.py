"""Benchmark message delivery between two connected tabs over the real websocket.

Not a test. Starts the real backend (`reflex run --env prod --backend-only`) on a fresh SQLite
database, once with one worker (in-memory state) and, when Redis answers on 127.0.0.1:6379,
once with REDIS_URL and two Granian workers. For each setup it connects `--idle` signed-in
idle tabs in the background, then pairs of tabs (a sender and the recipient's open
conversation, Socket.IO as Reflex's frontend speaks it) and measures the time from the
sender's event to the recipient receiving the delta that contains the message. Each sender
stays under the per-user rate limit (20 / min), so the samples come from several pairs.

    .venv/bin/python bench/message_bench.py                   # 100 messages, 200 idle tabs
    .venv/bin/python bench/message_bench.py --messages 50 --idle 0 --no-redis

Target (issue 11): p95 <= 1 s in every case, 0 messages lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlmodel import Session  # noqa: E402

from devservices.app_server import PROJECT_ROOT, tool_env  # noqa: E402
from devservices.process import free_port  # noqa: E402
from marketplace.auth import cookies  # noqa: E402
from marketplace.db import make_engine  # noqa: E402
from marketplace.migrations import upgrade_to_head  # noqa: E402
from marketplace.services.accounts import members as accounts  # noqa: E402
from marketplace.services.messaging import conversations  # noqa: E402
from marketplace.settings import load_settings  # noqa: E402
from marketplace.state.inbox import ConversationState  # noqa: E402
from marketplace.state.live import LiveState  # noqa: E402
from tests.reflex_client import Browser  # noqa: E402

PER_SENDER = 15  # under the 20 / minute rate limit
TARGET_S = 1.0
CHAT = ConversationState.get_full_name()
LIVE = LiveState.get_full_name()


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Backend:
    def __init__(self, data_dir: Path, *, redis_db: int | None, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            "GIGWORKS_DATA_DIR": str(data_dir),
            "PORT": str(self.port),
            "APP_URL": self.url,
            "GRANIAN_WORKERS": str(workers),
        }
        if redis_db is not None:
            self.env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
            self.env["REFLEX_OPLOCK_ENABLED"] = "true"
        self.settings = load_settings({**os.environ, **self.env})
        self.log_path = data_dir / "backend.log"

    def __enter__(self) -> Backend:
        upgrade_to_head(self.settings.database_url)
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only",
             "--backend-port", str(self.port), "--backend-host", "127.0.0.1"],
            cwd=PROJECT_ROOT, env=tool_env(self.env), stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"backend exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/ping", timeout=2).is_success:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit("backend did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.proc.pid, 2)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
        self.log.close()

    def member(self, name: str):
        engine = make_engine(self.settings.database_url)
        with Session(engine, expire_on_commit=False) as session:
            user = accounts.register(
                session,
                email=f"bench-{uuid.uuid4().hex[:10]}@example.com",
                password="long enough password",
                display_name=name,
            )
            new = accounts.start_session(session, user=user)
            accounts.activate_session(session, token=new.token)
            session.commit()
        engine.dispose()
        return user, cookies.sign_session(self.settings.secret_key, new.token)

    def conversation(self, a, b) -> int:
        engine = make_engine(self.settings.database_url)
        with Session(engine) as session:
            found = conversations.open_with(session, actor=a, other_user_id=b.id).id
            session.commit()
        engine.dispose()
        return found


async def open_tab(url: str, cookie: str, path: str) -> Browser:
    tab = Browser(url, cookie)
    await tab.__aenter__()
    await tab.call(f"{LIVE}.connect", {}, path=path)
    await tab.call(f"{CHAT}.load", {}, path=path)
    return tab


async def wait_for(tab: Browser, body: str, timeout: float) -> float | None:
    deadline = time.perf_counter() + timeout
    while (left := deadline - time.perf_counter()) > 0:
        try:
            update = await asyncio.wait_for(tab.inbox.get(), left)
        except TimeoutError:
            return None
        if body in str(update.get("delta") or {}):
            return time.perf_counter()
    return None


async def run_setup(backend: Backend, messages: int, idle: int) -> tuple[list[float], int]:
    idle_tabs = []
    idle_cookies = [backend.member(f"Idle {i}")[1] for i in range(min(idle, 20))]
    for i in range(idle):  # signed-in tabs registered for live pushes, then silent
        tab = Browser(backend.url, idle_cookies[i % len(idle_cookies)])
        await tab.__aenter__()
        await tab.sio.emit(
            "event",
            {"name": f"{LIVE}.connect", "payload": {},
             "router_data": {"pathname": "/inbox", "asPath": "/inbox"}},
            namespace="/_event",
        )  # fmt: skip
        idle_tabs.append(tab)
    if idle_tabs:
        await asyncio.sleep(3)
    samples: list[float] = []
    lost = 0
    pairs = -(-messages // PER_SENDER)
    try:
        for p in range(pairs):
            sender, sender_cookie = backend.member(f"Sender {p}")
            recipient, recipient_cookie = backend.member(f"Recipient {p}")
            thread = backend.conversation(sender, recipient)
            path = f"/inbox/{thread}"
            tx = await open_tab(backend.url, sender_cookie, path)
            rx = await open_tab(backend.url, recipient_cookie, path)
            try:
                for _ in range(min(PER_SENDER, messages - len(samples) - lost)):
                    while not rx.inbox.empty():
                        rx.inbox.get_nowait()
                    body = f"bench {uuid.uuid4().hex[:8]}"
                    started = time.perf_counter()
                    await tx.sio.emit(
                        "event",
                        {
                            "name": f"{CHAT}.send",
                            "payload": {"form_data": {"body": body}},
                            "router_data": {"pathname": path, "asPath": path},
                        },
                        namespace="/_event",
                    )
                    arrived = await wait_for(rx, body, timeout=5.0)
                    if arrived is None:
                        lost += 1
                    else:
                        samples.append(arrived - started)
                    await asyncio.sleep(0.05)
            finally:
                await tx.__aexit__()
                await rx.__aexit__()
    finally:
        for tab in idle_tabs:
            await tab.__aexit__()
    return samples, lost


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(name: str, samples: list[float], lost: int) -> str:
    if not samples:
        return f"{name}: no message arrived ({lost} lost)"
    ms = [s * 1000 for s in samples]
    p95 = pct(ms, 95)
    verdict = "ok" if p95 <= TARGET_S * 1000 and lost == 0 else "OVER TARGET"
    return (
        f"{name}: n={len(ms)} p50={statistics.median(ms):.1f} ms p95={p95:.1f} ms "
        f"max={max(ms):.1f} ms lost={lost}  [{verdict}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--idle", type=int, default=200)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    setups = [("1 worker, in memory", None, 1)]
    if not args.no_redis:
        if redis_answers():
            setups.append((f"{args.workers} workers, Redis", 14, args.workers))
        else:
            print("Redis does not answer on 127.0.0.1:6379: the Redis setup is skipped")
    for name, redis_db, workers in setups:
        with (
            tempfile.TemporaryDirectory(prefix="message-bench-") as tmp,
            Backend(Path(tmp), redis_db=redis_db, workers=workers) as backend,
        ):
            samples, lost = asyncio.run(run_setup(backend, args.messages, args.idle))
        print(report(f"{name}, {args.idle} idle tabs", samples, lost), flush=True)


if __name__ == "__main__":
    main()
