"""Real time: who has a tab open, and pushing a refresh into those tabs when something happens.

A tab (Reflex client token) registers itself for its signed-in user when the header mounts.
After a message, an offer or a notification is committed, `push(user_ids, ...)` runs
`app.modify_state` for each of the recipient's connected tabs: the tab's state re-reads the
database (badges, the open conversation, the inbox list) and Reflex sends the delta. With
REDIS_URL, the presence list lives in Redis and `modify_state` on this worker reaches a tab
connected to another worker through Reflex's Redis "lost and found" channel; without it, one
process keeps both in memory. Delivery is fire-and-forget, so every page also reloads from the
database when it (re)loads: a message can be late, never lost. (docs/decisions.md, "Real time".)

This module knows no page: the pages that show live data register what a push does to their
states (`on_push`, `on_catch_up`; state/inbox.py re-reads the open conversation and the inbox
list), and reach other users' tabs through `for_each_tab`. So imports run one way, inbox -> live.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

import reflex as rx
from reflex.istate.manager.token import BaseStateToken

from marketplace.db import session_scope
from marketplace.services.common import notifications
from marketplace.services.common.errors import DomainError
from marketplace.services.messaging import conversations
from marketplace.settings import get_settings
from marketplace.state.base import AppState, public
from marketplace.state.format import ago

log = logging.getLogger(__name__)

PRESENCE_TTL_S = 6 * 3600  # a tab not seen for this long is forgotten
MAX_TABS_PER_USER = 20
_KEY = "gigworks:live:{namespace}:{user_id}"


class _Presence:
    """user id -> the client tokens of their open tabs (Redis when configured, else memory)."""

    def __init__(self) -> None:
        self._memory: dict[int, dict[str, float]] = {}
        self._redis = None

    def _key(self, user_id: int) -> str:
        # One namespace per database: deployments sharing a Redis never see each other's tabs.
        url = get_settings().database_url
        return _KEY.format(namespace=hashlib.sha1(url.encode()).hexdigest()[:12], user_id=user_id)

    def _client(self):
        url = get_settings().redis_url
        if not url:
            return None
        if self._redis is None:
            import redis.asyncio as aioredis

            self._redis = aioredis.from_url(url)
        return self._redis

    async def add(self, user_id: int, token: str) -> None:
        now = time.time()
        client = self._client()
        if client is None:
            tabs = self._memory.setdefault(user_id, {})
            tabs[token] = now
            for stale in sorted(tabs, key=tabs.get)[:-MAX_TABS_PER_USER]:
                tabs.pop(stale, None)
            return
        key = self._key(user_id)
        pipe = client.pipeline()
        pipe.zadd(key, {token: now})
        pipe.zremrangebyscore(key, 0, now - PRESENCE_TTL_S)
        pipe.zremrangebyrank(key, 0, -MAX_TABS_PER_USER - 1)
        pipe.expire(key, PRESENCE_TTL_S)
        await pipe.execute()

    async def tokens(self, user_id: int) -> list[str]:
        client = self._client()
        if client is None:
            cutoff = time.time() - PRESENCE_TTL_S
            return [t for t, seen in self._memory.get(user_id, {}).items() if seen > cutoff]
        raw = await client.zrangebyscore(self._key(user_id), time.time() - PRESENCE_TTL_S, "+inf")
        return [t.decode() if isinstance(t, bytes) else t for t in raw]


presence = _Presence()
_tasks: set[asyncio.Task] = set()


def _app():
    try:
        from reflex_base.registry import RegistrationContext

        return RegistrationContext.get().app
    except Exception:  # noqa: BLE001  (outside the app's context: find it the slow way)
        from reflex.utils.prerequisites import get_and_validate_app

        return get_and_validate_app().app


# What a push does in a reached tab, registered by the pages that show live data: given the
# tab's root state and the conversation that changed (None: only the badges), a hook re-reads
# its states and returns the users to push to next (the sender of messages now seen).
PushHook = Callable[[rx.State, int | None], Awaitable[list[int]]]
# What the periodic catch-up does in this tab, given a state of it and the page's path.
CatchUpHook = Callable[[rx.State, str], Awaitable[None]]
_push_hooks: list[PushHook] = []
_catch_up_hooks: list[CatchUpHook] = []


def on_push(hook: PushHook) -> PushHook:
    _push_hooks.append(hook)
    return hook


def on_catch_up(hook: CatchUpHook) -> CatchUpHook:
    _catch_up_hooks.append(hook)
    return hook


def tab_token(token: str, cls: type[rx.State]) -> BaseStateToken:
    """The address of one tab's state, for `app.modify_state`."""
    return BaseStateToken(ident=token, cls=cls)


async def _refresh_tab(app, token: str, conversation_id: int | None) -> None:
    follow: list[int] = []
    async with app.modify_state(tab_token(token, LiveState)) as root:
        live = await root.get_state(LiveState)
        for hook in _push_hooks:
            follow += await hook(root, conversation_id)
        live._refresh_badges()
    if follow:  # e.g. the sender's page shows "Seen" now
        await push(follow, conversation_id=conversation_id)


async def _connected(app, token: str) -> bool:
    return await app.event_namespace._token_manager.is_token_connected(token)


async def for_each_tab(user_id: int, work: Callable[[object, str], Awaitable[None]]) -> None:
    """Run `work(app, token)` for each connected tab of the user, in the background (call
    after the transaction committed; delivery is best effort)."""
    app = _app()
    if app.event_namespace is None:
        return
    for token in await presence.tokens(user_id):
        task = asyncio.create_task(_when_connected(app, token, work))
        _tasks.add(task)
        task.add_done_callback(_done)


async def _when_connected(app, token: str, work) -> None:
    if await _connected(app, token):
        await work(app, token)


async def push(user_ids: Iterable[int], *, conversation_id: int | None = None) -> None:
    """Refresh every open tab of these users: badges, and the pages' hooks."""
    for user_id in set(user_ids):
        await for_each_tab(user_id, lambda app, token: _refresh_tab(app, token, conversation_id))


async def refresh_badges(state: rx.State) -> None:
    """Re-read the header's badges of the tab `state` belongs to (after a page marked
    messages read)."""
    (await state.get_state(LiveState))._refresh_badges()


RELAY_POLL_S = 1.0


def _claim_unpushed() -> list[int]:
    with session_scope() as session:
        return notifications.claim_unpushed(session)


async def relay_notifications() -> None:
    """A lifespan task of every web process: push the notifications that no tab has been told
    about yet, whoever wrote them (the worker's timers and level changes, the CLI, moderation).
    Each row is claimed by one process; `push` reaches tabs on any worker. A database that is
    down only delays the bell (the 30-s catch-up and the next claim carry it)."""
    while True:
        try:
            user_ids = await asyncio.to_thread(_claim_unpushed)
            if user_ids:
                await push(user_ids)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001  (a database restart must not end the relay)
            log.warning("notification relay: claim or push failed", exc_info=True)
        await asyncio.sleep(RELAY_POLL_S)


def _done(task: asyncio.Task) -> None:
    _tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.warning("live push failed: %r", task.exception())


class LiveState(AppState):
    """The header's live badges and the notification bell's list."""

    unread_messages: int = 0
    unread_notifications: int = 0
    bell_items: list[dict[str, str]] = []
    bell_loaded: bool = False

    def _refresh_badges(self) -> None:
        user = self._current_user()
        if user is None:
            self.unread_messages = self.unread_notifications = 0
            self.bell_items = []
            return
        with session_scope() as session:
            self.unread_messages = conversations.unread_total(session, user_id=user.id)
            self.unread_notifications = notifications.unread_count(session, user_id=user.id)
            if self.bell_loaded:
                self.bell_items = _bell_rows(notifications.latest(session, actor=user))

    @rx.event
    @public
    async def connect(self):
        """on_mount of the header: register this tab for live updates and load the badges.
        A visitor gets nothing (and no redirect: the header is on every page)."""
        user = self._current_user()
        if user is None:
            self.unread_messages = self.unread_notifications = 0
            return
        await presence.add(user.id, self.router.session.client_token)
        self._refresh_badges()
        return rx.call_script(CATCH_UP_JS)

    @rx.event
    async def catch_up(self):
        """A periodic and on-return re-read (CATCH_UP_JS): if a push was lost (Redis delivery
        is fire-and-forget, a socket reconnected), the page catches up from the database."""
        user = self._require_user()
        await presence.add(user.id, self.router.session.client_token)
        self._refresh_badges()
        for hook in _catch_up_hooks:
            await hook(self, self.router.url.path)

    @rx.event
    def open_bell(self):
        user = self._require_user()
        with session_scope() as session:
            self.bell_items = _bell_rows(notifications.latest(session, actor=user))
        self.bell_loaded = True

    @rx.event
    def open_notification(self, notification_id: str):
        user = self._require_user()
        wanted = int(notification_id) if str(notification_id).isdigit() else None
        try:
            with session_scope() as session:
                link = notifications.open_one(session, actor=user, notification_id=wanted)
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self._refresh_badges()
        return rx.redirect(link)

    @rx.event
    def mark_all_read(self):
        user = self._require_user()
        with session_scope() as session:
            notifications.mark_all_read(session, actor=user)
        self._refresh_badges()
        with session_scope() as session:
            self.bell_items = _bell_rows(notifications.latest(session, actor=user))


# Clicks the header's hidden catch-up button every 30 s while the tab is visible, and when the
# tab becomes visible or the network comes back.
CATCH_UP_JS = """
(() => {
  if (window.gwCatchUp) return;
  const tick = () => {
    const b = document.getElementById('gw-catch-up');
    if (b && document.visibilityState === 'visible') b.click();
  };
  window.gwCatchUp = setInterval(tick, 30000);
  document.addEventListener('visibilitychange', tick);
  window.addEventListener('online', tick);
})();
"""


def _bell_rows(rows) -> list[dict[str, str]]:
    return [
        {
            "id": str(row.id),
            "title": row.title,
            "body": row.body,
            "when": ago(row.created_at),
            "unread": "1" if row.read_at is None else "",
            "icon": _icon(row.kind),
        }
        for row in rows
    ]


def _icon(kind: str) -> str:
    if kind.startswith("offer."):
        return "file-text"
    if kind.startswith("message"):
        return "message-circle"
    if kind.startswith("review"):
        return "star"
    if kind in ("order.deliver", "order.auto_complete", "order.complete", "order.payout"):
        return "package-check"
    return "bell"
