"""A message, and a notification written by another process, reach tabs connected to ANOTHER
backend worker, through Redis.

Starts the real backend (`reflex run --env prod --backend-only`) with REDIS_URL and two Granian
workers on a fresh SQLite database, connects several tabs of the recipient and one of the
sender over Socket.IO (tests/reflex_client.py speaks the frontend's protocol), reads from
Redis which worker owns each tab, and checks that the sender's message reaches every
recipient tab within 2 s, including those on the other worker. A notification committed by this
test process (as the worker's timers or the CLI write them, with no web process involved)
reaches the bell of every tab within 2 s through the web processes' relay. Skips when Redis
does not answer on 127.0.0.1:6379.
"""

import asyncio
import os
import pickle
import socket
import time
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session

from devservices.process import free_port
from marketplace.auth import cookies
from marketplace.db import make_engine
from marketplace.migrations import upgrade_to_head
from marketplace.services.accounts import members as accounts
from marketplace.services.common import notifications
from marketplace.services.messaging import conversations
from marketplace.settings import load_settings
from marketplace.state.inbox import ConversationState
from marketplace.state.live import LiveState
from tests.reflex_backend import running_backend
from tests.reflex_client import Browser

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13  # a database of its own: the keys of this test never meet another app's
RECIPIENT_TABS = 3
MAX_TABS = 12
DELIVERY_S = 2.0


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_answers(), reason=f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT}"
)


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    data_dir: Path = tmp_path_factory.mktemp("realtime-redis")
    port = free_port()
    env = {
        "GIGWORKS_DATA_DIR": str(data_dir),
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "GRANIAN_WORKERS": "2",
        "REFLEX_OPLOCK_ENABLED": "true",
        "PORT": str(port),
        "APP_URL": f"http://127.0.0.1:{port}",
    }
    settings = load_settings({**os.environ, **env})
    upgrade_to_head(settings.database_url)
    with running_backend(env, data_dir, port) as url:
        yield {"url": url, "settings": settings}


def member(settings, name: str):
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.register(
            session,
            email=f"rt-{uuid.uuid4().hex[:8]}@example.com",
            password="long enough password",
            display_name=name,
        )
        new = accounts.start_session(session, user=user)
        accounts.activate_session(session, token=new.token)
        session.commit()
    engine.dispose()
    return user, cookies.sign_session(settings.secret_key, new.token)


def owner_of(token: str) -> str:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    raw = client.get(f"token_manager_socket_record_{token}")
    client.close()
    return pickle.loads(raw).instance_id if raw else ""


def test_a_message_reaches_a_tab_on_another_worker_through_redis(backend):
    settings = backend["settings"]
    buyer, buyer_cookie = member(settings, "Rita Receiver")
    seller, seller_cookie = member(settings, "Sam Sender")
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        thread = conversations.open_with(session, actor=seller, other_user_id=buyer.id).id
        session.commit()
    engine.dispose()
    path = f"/inbox/{thread}"
    chat = ConversationState.get_full_name()
    live = LiveState.get_full_name()
    body = f"across workers {uuid.uuid4().hex[:6]}"

    arrived: dict[str, float] = {}

    def arrival(token: str, started: float):
        def until(reply) -> bool:
            if any(body in str(delta) for delta in reply.deltas):
                arrived.setdefault(token, time.perf_counter() - started)
                return True
            return False

        return until

    async def open_tab(cookie: str) -> Browser:
        tab = Browser(backend["url"], cookie)
        await tab.__aenter__()
        await tab.call(f"{live}.connect", {}, path=path)
        await tab.call(f"{chat}.load", {}, path=path)
        return tab

    async def scenario():
        sender = await open_tab(seller_cookie)
        tabs: list[Browser] = []
        try:
            # Open recipient tabs until some are on the sender's worker and some on the other
            # (which worker takes a connection is up to the kernel).
            while len(tabs) < MAX_TABS:
                tabs.append(await open_tab(buyer_cookie))
                mine = owner_of(sender.token)
                where = {owner_of(t.token) == mine for t in tabs}
                if len(tabs) >= RECIPIENT_TABS and where == {True, False}:
                    break
            owners = {t.token: owner_of(t.token) for t in [*tabs, sender]}
            started = time.perf_counter()
            await sender.call(f"{chat}.send", {"form_data": {"body": body}}, path=path)
            await asyncio.gather(
                *[t.collect(until=arrival(t.token, started), quiet_s=3) for t in tabs]
            )
            return owners, sender.token, [t.token for t in tabs]
        finally:
            for tab in [*tabs, sender]:
                await tab.__aexit__()

    owners, sender_token, tab_tokens = asyncio.run(scenario())
    assert all(owners.values()), f"a tab has no socket record in Redis: {owners}"
    elsewhere = [t for t in owners if t != sender_token and owners[t] != owners[sender_token]]
    assert len(set(owners.values())) == 2, f"all tabs landed on one worker: {owners}"
    assert elsewhere, "no recipient tab on the other worker"
    late = {t: arrived.get(t) for t in tab_tokens if arrived.get(t, 99) > DELIVERY_S}
    assert not late, f"not delivered within {DELIVERY_S} s: {late}; owners: {owners}"


def test_a_notification_written_by_another_process_reaches_tabs_on_both_workers(backend):
    settings = backend["settings"]
    seller, seller_cookie = member(settings, "Nora Notified")
    live = LiveState.get_full_name()
    arrived: dict[str, float] = {}

    def bell_at_one(token: str, started: float):
        def until(reply) -> bool:
            if reply.var("unread_notifications") == 1:
                arrived.setdefault(token, time.perf_counter() - started)
                return True
            return False

        return until

    async def scenario():
        tabs: list[Browser] = []
        try:
            while len(tabs) < MAX_TABS:
                tab = Browser(backend["url"], seller_cookie)
                await tab.__aenter__()
                tabs.append(tab)
                first = await tab.call(f"{live}.connect", {}, path="/orders")
                assert first.var("unread_notifications") in (None, 0)
                if len(tabs) >= 2 and len({owner_of(t.token) for t in tabs}) == 2:
                    break
            owners = {t.token: owner_of(t.token) for t in tabs}
            engine = make_engine(settings.database_url)
            with Session(engine) as session:  # no web process is told: only the row exists
                notifications.notify(
                    session, user_id=seller.id, kind="level", title="You reached Level 1"
                )
                session.commit()
            engine.dispose()
            started = time.perf_counter()
            await asyncio.gather(
                *[t.collect(until=bell_at_one(t.token, started), quiet_s=4) for t in tabs]
            )
            return owners
        finally:
            for tab in tabs:
                await tab.__aexit__()

    owners = asyncio.run(scenario())
    assert len(set(owners.values())) == 2, f"all tabs landed on one worker: {owners}"
    late = {t: arrived.get(t) for t in owners if arrived.get(t, 99) > DELIVERY_S}
    assert not late, f"the bell did not change within {DELIVERY_S} s: {late}; owners: {owners}"
