"""`/inbox` and `/inbox/<id>`: thin states over services.conversations / messages / offers.

The conversation page keeps only the loaded window of messages (a page of 30, more on "load
older"); a live push or a reconnect re-reads from the database (live.py). Display shapes are
made here: times become text, message text becomes plain-text parts with safe links.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import reflex as rx

from marketplace.db import session_scope, utcnow
from marketplace.labels import revisions_count
from marketplace.models import User
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.messaging import conversations, messages, offers, threads
from marketplace.services.messaging import files as message_files
from marketplace.settings import get_settings
from marketplace.state import live
from marketplace.state.base import AppState, sign_in_page
from marketplace.state.format import ago, initials, media_url, money, plural

URL = re.compile(r"https?://[^\s<>\"']{1,2000}", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
MAX_LOADED = 300  # "load older" stops growing the window past this (the page says so)


def day_label(at: datetime, now: datetime | None = None) -> str:
    today = (now or utcnow()).astimezone(UTC).date()
    day = at.astimezone(UTC).date()
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return day.strftime("%A, %B %d, %Y")


@dataclasses.dataclass
class TextPart:
    text: str = ""
    href: str = ""  # only http(s) addresses, opened in a new tab without a referrer


def text_parts(body: str) -> list[TextPart]:
    """Plain text split around web addresses, so links can be clickable while everything else
    (HTML, scripts) stays inert text."""
    parts: list[TextPart] = []
    at = 0
    for match in URL.finditer(body):
        url = match.group(0).rstrip(TRAILING)
        start, end = match.start(), match.start() + len(url)
        if start > at:
            parts.append(TextPart(text=body[at:start]))
        parts.append(TextPart(text=url, href=url))
        at = end
    if at < len(body):
        parts.append(TextPart(text=body[at:]))
    return parts


@dataclasses.dataclass
class FileView:
    name: str = ""
    url: str = ""
    size: str = ""


def _store_upload(uploader_id: int, data: bytes, filename: str) -> dict:
    with session_scope() as session:
        return message_files.store(session, uploader_id=uploader_id, data=data, filename=filename)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, n // 1024)} KB"


@dataclasses.dataclass
class MessageView:
    id: int = 0
    mine: bool = False
    kind: str = "text"
    parts: list[TextPart] = dataclasses.field(default_factory=list)
    files: list[FileView] = dataclasses.field(default_factory=list)
    time: str = ""
    day: str = ""
    new_day: bool = False
    seen: bool = False
    offer_id: int = 0
    offer_status: str = ""
    offer_status_label: str = ""
    offer_price: str = ""
    offer_days: str = ""
    offer_revisions: str = ""
    offer_description: str = ""
    offer_requirements: str = ""
    offer_expires: str = ""
    offer_gig: str = ""
    can_accept: bool = False
    can_withdraw: bool = False


OFFER_LABELS = {
    "pending": "Awaiting response",
    "accepted": "Accepted",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
    "expired": "Expired",
}
REMOVED_TEXT = threads.REMOVED_TEXT
NO_MESSAGES_PREVIEW = "No messages yet"


def message_view(item: threads.MessageItem, now: datetime) -> MessageView:
    """A message of the thread's read model (services/messaging/threads.py) as display text."""
    view = MessageView(
        id=item.id,
        mine=item.mine,
        kind=item.kind,
        parts=text_parts(item.text),
        files=[FileView(name=f.name, url=f.url, size=_size(f.size_bytes)) for f in item.files],
        time=item.created_at.astimezone(UTC).strftime("%H:%M"),
        day=day_label(item.created_at, now),
        seen=item.seen,
    )
    offer = item.offer
    if offer is not None:
        view.offer_id = offer.id
        view.offer_status = offer.status
        view.offer_status_label = OFFER_LABELS.get(offer.status, offer.status)
        view.offer_price = money(offer.price_cents)
        view.offer_days = plural(offer.delivery_days, "day") + " delivery"
        view.offer_revisions = revisions_count(offer.revisions)
        view.offer_description = offer.description
        view.offer_requirements = offer.requirements
        view.offer_expires = (
            "Expires " + offer.expires_at.astimezone(UTC).strftime("%b %d, %H:%M UTC")
            if offer.expires_at
            else ""
        )
        view.offer_gig = offer.gig_title
        view.can_accept = offer.can_accept
        view.can_withdraw = offer.can_withdraw
    return view


def message_views(items: list[threads.MessageItem]) -> list[MessageView]:
    now = utcnow()
    return [message_view(item, now) for item in items]


def inbox_preview(last_body: str, last_from_me: bool) -> str:
    """The inbox row's one line: the last message, "You: " when it was mine; a conversation
    opened without a message yet says so instead of showing nothing."""
    text = " ".join(last_body.split())
    if not text:
        return NO_MESSAGES_PREVIEW
    return ("You: " if last_from_me else "") + text


def _with_days(views: list[MessageView]) -> list[MessageView]:
    previous = ""
    for view in views:
        view.new_day = view.day != previous
        previous = view.day
    return views


@dataclasses.dataclass
class InboxRowView:
    url: str = ""
    name: str = ""
    username: str = ""
    avatar_url: str = ""
    initials: str = ""
    preview: str = ""
    when: str = ""
    unread: int = 0
    starred: bool = False
    conversation_id: int = 0


TABS = conversations.TABS


class InboxState(AppState):
    loaded: bool = False
    loading: bool = True
    tab: str = "all"
    search: str = ""
    page_number: int = 1
    page_count: int = 1
    total: int = 0
    rows: list[InboxRowView] = []

    def _url(self, tab: str, search: str = "", page: int = 1) -> str:
        params = {}
        if tab != "all":
            params["tab"] = tab
        if search:
            params["q"] = search
        if page > 1:
            params["page"] = str(page)
        return "/inbox" + ("?" + urlencode(params) if params else "")

    def _reload(self) -> None:
        user = self._current_user()
        if user is None:
            self.rows = []
            return
        with session_scope() as session:
            found = conversations.inbox(
                session, actor=user, tab=self.tab, page=self.page_number, search=self.search
            )
        now = utcnow()
        self.rows = [
            InboxRowView(
                url=f"/inbox/{r.conversation_id}",
                name=r.other_name,
                username=r.other_username,
                avatar_url=media_url(r.other_avatar_path),
                initials=initials(r.other_name),
                preview=inbox_preview(r.last_body, r.last_from_me),
                when=ago(r.last_at, now),
                unread=r.unread,
                starred=r.starred,
                conversation_id=r.conversation_id,
            )
            for r in found.rows
        ]
        self.page_number, self.page_count, self.total = found.page, found.pages, found.total

    @rx.event
    def load(self):
        self._require_user()
        params = self.router.url.query_parameters
        tab = params.get("tab", "all")
        self.tab = tab if tab in TABS else "all"
        self.search = conversations.clean_search(params.get("q", ""))
        page = params.get("page", "1")
        self.page_number = max(1, min(int(page), 10_000)) if page.isdigit() else 1
        self.loading = True
        yield
        self._reload()
        self.loaded = True
        self.loading = False

    @rx.event
    def change_tab(self, tab: str):
        self._require_user()
        if tab in TABS:
            return rx.redirect(self._url(tab, self.search))

    @rx.event
    def submit_search(self, form_data: dict):
        self._require_user()
        raw = form_data.get("q", "") if isinstance(form_data, dict) else ""
        return rx.redirect(self._url(self.tab, conversations.clean_search(raw)))

    @rx.event
    def go_to_page(self, page: int):
        self._require_user()
        if isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= self.page_count:
            return rx.redirect(self._url(self.tab, self.search, page))

    @rx.event
    def toggle_star(self, conversation_id: int):
        user = self._require_user()
        row = next((r for r in self.rows if r.conversation_id == conversation_id), None)
        try:
            with session_scope() as session:
                conversations.set_flag(
                    session,
                    actor=user,
                    conversation_id=conversation_id,
                    name="starred",
                    value=not (row.starred if row else False),
                )
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self._reload()


def _thread_from_path(path: str) -> int | None:
    tail = (path or "").rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() and len(tail) < 10 else None


class ConversationState(AppState):
    thread_id: int = 0  # the open conversation (0: none)
    loading: bool = True
    not_found: bool = False
    items: list[MessageView] = []
    has_older: bool = False
    window_full: bool = False
    other_name: str = ""
    other_username: str = ""
    other_avatar_url: str = ""
    other_initials: str = ""
    other_suspended: bool = False
    gig_title: str = ""
    gig_url: str = ""
    i_am_seller: bool = False  # the empty thread speaks to the seller as a seller
    starred: bool = False
    archived: bool = False
    blocked_by_me: bool = False
    send_refusal: str = ""  # why sending is impossible (blocked, suspended), else ""
    reading_as_admin: bool = False
    error: str = ""
    warning: str = ""
    sending: bool = False
    pending_files: list[str] = []  # names of the files waiting to be sent
    _pending_file_data: list[dict] = []
    # The seller's offer form.
    can_offer: bool = False
    offer_open: bool = False
    offer_gigs: list[list[str]] = []  # [id, title]
    offer_error: str = ""
    # Report form.
    report_open: bool = False
    report_message_id: int = 0
    report_error: str = ""
    report_done: str = ""
    _other_id: int = 0
    other_typing: bool = False
    _typing_at: float = 0.0

    def _load_thread(self, user: User) -> int:
        """Loads the newest page and marks the other party's messages seen (returns how many)."""
        with session_scope() as session:
            seen = messages.mark_seen(session, actor=user, conversation_id=self.thread_id)
            head = threads.header(session, actor=user, conversation_id=self.thread_id)
            page = threads.page(session, actor=user, conversation_id=self.thread_id)
        self.items = _with_days(message_views(page.items))
        self.has_older, self.window_full = page.has_older, False
        self._other_id = head.other_id
        self.other_name, self.other_username = head.other_name, head.other_username
        self.other_avatar_url = media_url(head.other_avatar_path)
        self.other_initials = initials(head.other_name)
        self.other_suspended = head.other_suspended
        self.gig_title = head.gig_title
        self.gig_url = f"/gig/{head.gig_slug}" if head.gig_slug else ""
        self.reading_as_admin = head.reading_as_admin
        self.i_am_seller = head.i_am_seller
        self.starred, self.archived = head.starred, head.archived
        self.blocked_by_me = head.blocked_by_me
        self.send_refusal = head.send_refusal
        self.offer_gigs = [[str(i), t] for i, t in head.offer_gigs]
        self.can_offer = bool(head.offer_gigs) and not head.send_refusal
        return seen

    def _pull_newer(self) -> int:
        """A live push: re-read the loaded window (new messages, receipts, offer cards) and
        mark the other party's messages seen (returns how many were newly seen)."""
        user = self._current_user()
        if user is None or not self.thread_id:
            return 0
        seen = 0
        self.other_typing = False  # whatever they typed has arrived
        try:
            with session_scope() as session:
                conversation = conversations.readable(
                    session, conversation_id=self.thread_id, actor=user
                )
                seen = messages.mark_seen(session, actor=user, conversation_id=conversation.id)
                oldest = self.items[0].id if self.items else None
                found = threads.window(
                    session, actor=user, conversation_id=conversation.id, first_id=oldest
                )
                refusal = threads.send_refusal(session, conversation=conversation, actor=user)
            self.items = _with_days(message_views(found))
            self.send_refusal = refusal
        except DomainError:
            self.not_found = True
        return seen

    @rx.event
    async def load(self):
        user = self._require_user()
        wanted = _thread_from_path(self.router.url.path)
        if wanted != self.thread_id:
            self.items = []
        self.thread_id = wanted or 0
        self.loading, self.not_found = True, False
        self.error = self.warning = self.offer_error = self.report_done = ""
        self.offer_open = self.report_open = False
        yield
        seen = 0
        try:
            seen = self._load_thread(user)
        except (NotFound, DomainError):
            self.not_found = True
            self.items = []
        self.loading = False
        await live.refresh_badges(self)
        yield rx.call_script(THREAD_JS)
        if seen and self._other_id:
            await _push([self._other_id], self.thread_id)

    @rx.event
    async def load_for_order(self):
        """on_mount of the order page's thread: the conversation of that order's two parties."""
        user = self._require_user()
        code = (self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1]
        self.loading, self.not_found, self.error, self.warning = True, False, "", ""
        self.items = []
        yield
        seen = 0
        try:
            with session_scope() as session:
                self.thread_id = conversations.for_order(session, actor=user, order_code=code).id
            seen = self._load_thread(user)
        except DomainError:
            self.not_found, self.thread_id = True, 0
        self.loading = False
        yield rx.call_script(THREAD_JS)
        if seen and self._other_id:
            await _push([self._other_id], self.thread_id)

    @rx.event
    def load_older(self):
        user = self._require_user()
        if not self.items or not self.has_older or len(self.items) >= MAX_LOADED:
            self.window_full = len(self.items) >= MAX_LOADED
            return
        try:
            with session_scope() as session:
                page = threads.page(
                    session, actor=user, conversation_id=self.thread_id, before_id=self.items[0].id
                )
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self.items = _with_days(message_views(page.items) + list(self.items))
        self.has_older = page.has_older
        return rx.call_script("window.gwKeepScroll && window.gwKeepScroll()")

    @rx.event
    async def send(self, form_data: dict):
        user = self._require_user()
        body = form_data.get("body", "") if isinstance(form_data, dict) else ""
        self.error = ""
        try:
            with session_scope() as session:
                sent = messages.send(
                    session,
                    actor=user,
                    conversation_id=self.thread_id,
                    body=body,
                    attachments=list(self._pending_file_data),
                )
                recipient, warning = sent.recipient_id, sent.warning
        except DomainError as exc:
            self.error = str(exc)
            return
        self._pending_file_data, self.pending_files = [], []
        self.warning = warning
        self._pull_newer()
        await _push([recipient], self.thread_id)
        return rx.call_script("window.gwScrollDown && window.gwScrollDown(true)")

    @rx.event
    async def typing(self, value: str):
        """The composer's throttled on_change: tell the other party's open page."""
        self._require_user()
        if not self.thread_id or not self._other_id or self.send_refusal:
            return
        conversation_id = self.thread_id
        with contextlib.suppress(Exception):  # a hint only
            await live.for_each_tab(
                self._other_id, lambda app, token: _typing_tab(app, token, conversation_id)
            )

    @rx.event
    async def upload_attachments(self, files: list[rx.UploadFile]):
        user, refuse = self._upload_guard()
        if refuse:
            return refuse
        if not isinstance(files, list) or not files:
            return
        if len(files) + len(self._pending_file_data) > message_files.MAX_FILES_PER_MESSAGE:
            self.error = f"A message has at most {message_files.MAX_FILES_PER_MESSAGE} files."
            return
        limit = get_settings().max_upload_bytes
        stored = []
        for upload in files:
            if upload.size is not None and upload.size > limit:
                self.error = f"Files can be at most {limit // 2**20} MB."
                return
            data = await upload.read(limit + 1)
            try:
                stored.append(
                    await asyncio.to_thread(_store_upload, user.id, data, upload.filename or "file")
                )
            except DomainError as exc:
                self.error = str(exc)
                return
        self._pending_file_data = self._pending_file_data + stored
        self.pending_files = [f["name"] for f in self._pending_file_data]
        self.error = ""

    @rx.event
    def remove_attachment(self, index: int):
        self._require_user()
        if isinstance(index, int) and 0 <= index < len(self._pending_file_data):
            data = list(self._pending_file_data)
            data.pop(index)
            self._pending_file_data = data
            self.pending_files = [f["name"] for f in data]

    @rx.event
    def set_flag(self, name: str, value: bool):
        user = self._require_user()
        try:
            with session_scope() as session:
                conversations.set_flag(
                    session, actor=user, conversation_id=self.thread_id, name=name, value=value
                )
        except DomainError as exc:
            return rx.toast.error(str(exc))
        if name == "starred":
            self.starred = value
        elif name == "archived":
            self.archived = value
            return rx.toast.success("Archived." if value else "Moved back to your inbox.")

    @rx.event
    def toggle_block(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                conversation = conversations.writable(
                    session, conversation_id=self.thread_id, actor=user
                )
                other = conversations.other_party_id(conversation, user.id)
                if self.blocked_by_me:
                    conversations.unblock(session, actor=user, user_id=other)
                else:
                    conversations.block(session, actor=user, user_id=other)
        except DomainError as exc:
            return rx.toast.error(str(exc))
        self._load_thread(user)

    # --- reports ------------------------------------------------------------------------------

    @rx.event
    def open_report(self, message_id: int):
        self._require_user()
        self.report_message_id = message_id if isinstance(message_id, int) else 0
        self.report_error = ""
        self.report_open = True

    @rx.event
    def close_report(self):
        self._require_user()
        self.report_open = False

    @rx.event
    def submit_report(self, form_data: dict):
        user = self._require_user()
        data = form_data if isinstance(form_data, dict) else {}
        try:
            with session_scope() as session:
                if self.report_message_id:
                    conversations.report_message(
                        session,
                        actor=user,
                        message_id=self.report_message_id,
                        reason=data.get("reason"),
                        details=data.get("details", ""),
                    )
                else:
                    conversations.report_conversation(
                        session,
                        actor=user,
                        conversation_id=self.thread_id,
                        reason=data.get("reason"),
                        details=data.get("details", ""),
                    )
        except DomainError as exc:
            self.report_error = str(exc)
            return
        self.report_open = False
        self.report_done = "Thanks: our moderators will review your report."

    # --- custom offers --------------------------------------------------------------------------

    @rx.event
    def toggle_offer_form(self):
        self._require_user()
        self.offer_open = not self.offer_open
        self.offer_error = ""

    @rx.event
    async def send_offer(self, form_data: dict):
        user = self._require_user()
        try:
            draft = offers.draft_from_form(form_data)
            with session_scope() as session:
                offer = offers.send_offer(
                    session, actor=user, conversation_id=self.thread_id, draft=draft
                )
                recipient = offer.buyer_id
        except DomainError as exc:
            self.offer_error = str(exc)
            return
        self.offer_open = False
        self._pull_newer()
        await _push([recipient], self.thread_id)
        return rx.call_script("window.gwScrollDown && window.gwScrollDown(true)")

    @rx.event
    async def ask_for_offer(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                conversation = conversations.writable(
                    session, conversation_id=self.thread_id, actor=user
                )
                offers.request_offer(
                    session,
                    actor=user,
                    conversation_id=self.thread_id,
                    details="Could you send me a custom offer for this?",
                )
                recipient = conversations.other_party_id(conversation, user.id)
        except DomainError as exc:
            self.error = str(exc)
            return
        self._pull_newer()
        await _push([recipient], self.thread_id)

    @rx.event
    async def withdraw_offer(self, offer_id: int):
        user = self._require_user()
        try:
            with session_scope() as session:
                offer = offers.withdraw(session, actor=user, offer_id=offer_id)
                recipient = offer.buyer_id
        except DomainError as exc:
            self._pull_newer()
            return rx.toast.error(str(exc))
        self._pull_newer()
        await _push([recipient], self.thread_id)

    @rx.event
    async def decline_offer(self, offer_id: int):
        user = self._require_user()
        try:
            with session_scope() as session:
                offer = offers.decline(session, actor=user, offer_id=offer_id)
                recipient = offer.seller_id
        except DomainError as exc:
            self._pull_newer()
            return rx.toast.error(str(exc))
        self._pull_newer()
        await _push([recipient], self.thread_id)

    @rx.event
    def accept_offer(self, offer_id: int):
        """Checks that the offer can still be accepted, then opens its checkout (the order is
        made there, and the checkout checks again in the same transaction)."""
        user = self._require_user()
        try:
            with session_scope() as session:
                offer = offers.acceptable(session, actor=user, offer_id=offer_id)
                target = f"/checkout/offer/{offer.id}"
        except DomainError as exc:
            self._pull_newer()
            return rx.toast.error(str(exc))
        return rx.redirect(target)


async def _push(user_ids: list[int], conversation_id: int) -> None:
    try:
        await live.push(user_ids, conversation_id=conversation_id)
    except Exception:  # noqa: BLE001  (live delivery is best effort; the DB has the message)
        logging.getLogger(__name__).warning("live push failed", exc_info=True)


# --- live updates (state/live.py calls these for the tabs it reaches) -------------------------


@live.on_push
async def _refresh_open_pages(root: rx.State, conversation_id: int | None) -> list[int]:
    """A push reached this tab: re-read the open conversation if it is the one that changed
    (marking what is now seen), and the inbox list if it is loaded. Returns the users whose
    page should hear that their messages were seen."""
    if conversation_id is None:
        return []
    follow = []
    chat = await root.get_state(ConversationState)
    if chat.thread_id == conversation_id and chat._pull_newer() and chat._other_id:
        follow.append(chat._other_id)
    inbox = await root.get_state(InboxState)
    if inbox.loaded:
        inbox._reload()
    return follow


@live.on_catch_up
async def _catch_up_conversation(state: rx.State, path: str) -> None:
    """The periodic catch-up (a push may have been lost): re-read the open conversation."""
    chat = await state.get_state(ConversationState)
    if chat.thread_id and path.startswith(("/inbox/", "/orders/")):
        chat._pull_newer()


TYPING_SHOWN_S = 4.0


async def _typing_tab(app, token: str, conversation_id: int) -> None:
    """Show "typing…" in this tab's open conversation for a few seconds (nothing is stored; a
    lost hint is harmless)."""
    token_ref = live.tab_token(token, ConversationState)
    async with app.modify_state(token_ref) as root:
        chat = await root.get_state(ConversationState)
        if chat.thread_id != conversation_id:
            return
        chat.other_typing, chat._typing_at = True, time.time()
    await asyncio.sleep(TYPING_SHOWN_S)
    async with app.modify_state(token_ref) as root:
        chat = await root.get_state(ConversationState)
        if chat.other_typing and time.time() - chat._typing_at >= TYPING_SHOWN_S - 0.1:
            chat.other_typing = False


class ContactState(AppState):
    """`/contact?to=<username>&gig=<id>`: "Contact seller" opens (or reuses) the conversation.
    A visitor signs in first and comes back here."""

    contact_error: str = ""

    @rx.event
    def load(self):
        user = self._current_user()
        if user is None:
            query = urlencode(self.router.url.query_parameters)
            return sign_in_page("/contact" + ("?" + query if query else ""))
        params = self.router.url.query_parameters
        username = str(params.get("to", ""))[:40]
        gig = params.get("gig", "")
        self.contact_error = ""
        try:
            with session_scope() as session:
                other = conversations.member_by_username(session, username=username)
                found = conversations.open_with(
                    session,
                    actor=user,
                    other_user_id=other.id,
                    gig_id=int(gig) if gig.isdigit() and len(gig) < 10 else None,
                )
                target = f"/inbox/{found.id}"
        except DomainError as exc:
            self.contact_error = str(exc)
            return
        return rx.redirect(target, replace=True)


# Installed when a conversation loads: Enter sends (Shift+Enter: new line), scrolling to the
# top loads older messages, new messages keep the view at the bottom when it was there.
THREAD_JS = """
(() => {
  const box = document.getElementById('gw-thread');
  if (!box) return;
  window.gwScrollDown = (force) => {
    const b = document.getElementById('gw-thread');
    if (b && (force || b.scrollHeight - b.scrollTop - b.clientHeight < 160)) {
      b.scrollTop = b.scrollHeight;
    }
  };
  window.gwKeepScroll = () => {
    const b = document.getElementById('gw-thread');
    if (!b) return;
    const before = b.scrollHeight - b.scrollTop;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      b.scrollTop = b.scrollHeight - before;
    }));
  };
  setTimeout(() => window.gwScrollDown(true), 30);
  if (box.dataset.gwWired) return;
  box.dataset.gwWired = '1';
  let nearBottom = true;
  box.addEventListener('scroll', () => {
    nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 160;
    if (box.scrollTop < 30) {
      const older = document.getElementById('gw-load-older');
      if (older && !older.disabled && !older.dataset.busy) {
        older.dataset.busy = '1';
        older.click();
        setTimeout(() => { delete older.dataset.busy; }, 800);
      }
    }
  });
  new MutationObserver(() => { if (nearBottom) box.scrollTop = box.scrollHeight; })
    .observe(box, {childList: true, subtree: true});
  if (window.gwKeysWired) return;
  window.gwKeysWired = true;
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (t && t.id === 'gw-compose' && e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (t.value.trim()) t.form.requestSubmit();
    }
  });
})();
"""
