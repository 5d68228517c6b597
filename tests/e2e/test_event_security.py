"""Every Reflex event handler is a public endpoint: call each one over the real websocket.

The test enumerates EVERY event handler of every state class of the app (so handlers added by
later work are covered without anyone remembering to add them) and sends each one, as a browser
would, over Socket.IO to the running marketplace:

- without a session: each handler not marked `@public` must answer with the redirect to /login
  that `AppState.require_user()` produces, and the database must be byte-for-byte unchanged;
  `@public` handlers must change nothing either;
- with a forged cookie, a cookie of an expired session and of a revoked one: refused the same way
  (a revocation takes effect on the very next event of an open connection);
- with a valid cookie: the same call is accepted (so the refusals above are not an accident);
- a user id smuggled into event arguments never reaches another account.
"""

import asyncio
import hashlib
import inspect
import io
import sqlite3
import typing
import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
import reflex as rx
from PIL import Image
from sqlmodel import Session, select

import marketplace.marketplace  # noqa: F401  (the app imports every page, so every state class)
from marketplace.auth import cookies
from marketplace.db import make_engine, utcnow
from marketplace.models import User, UserSession
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.settings import load_settings
from marketplace.state.base import PUBLIC_EVENTS, AppState
from marketplace.state.gig_editor import GigEditorState
from marketplace.state.order import OrderPageState
from marketplace.state.profile import ProfileEditorState
from tests.conftest import SCALED
from tests.reflex_client import Browser, Reply, run


def all_states() -> list[type[AppState]]:
    found, queue = [], [AppState]
    while queue:
        state = queue.pop()
        found.append(state)
        queue.extend(state.__subclasses__())
    return found


def test_every_state_of_the_app_hangs_under_app_state():
    """So that the enumeration below, which starts at AppState, sees all of them."""
    ours, queue = [], [rx.State]
    while queue:
        state = queue.pop()
        queue.extend(state.__subclasses__())
        if state.__module__.startswith("marketplace."):
            ours.append(state)
    assert set(ours) == set(all_states())
    assert {"GigEditorState", "PublicProfileState", "LoginState"} <= {s.__name__ for s in ours}


@dataclass(frozen=True)
class Handler:
    state: type[AppState]
    name: str
    qualname: str
    params: dict[str, object]

    @property
    def event_name(self) -> str:
        return f"{self.state.get_full_name()}.{self.name}"


def defined_handlers() -> list[Handler]:
    """Each handler once, on the class that defines it."""
    handlers = []
    for state in all_states():
        for name, handler in state.event_handlers.items():
            fn = handler.fn
            qualname = getattr(fn, "__qualname__", "")
            if qualname.split(".")[0] != state.__name__:
                continue
            hints = typing.get_type_hints(fn)
            params = {
                p: hints.get(p, str)
                for p in list(inspect.signature(fn).parameters)[1:]  # skip self
            }
            handlers.append(Handler(state, name, qualname, params))
    return handlers


def hostile_args(params: dict[str, object], victim_id: int) -> dict[str, object]:
    """Well-typed arguments (so Reflex delivers the call) that name someone else."""
    args = {}
    for name, annotation in params.items():
        origin = typing.get_origin(annotation) or annotation
        if origin is int:
            args[name] = victim_id
        elif origin is bool:
            args[name] = True
        elif origin is dict:
            args[name] = {"user_id": victim_id, "email": "victim@example.com", "is_admin": True}
        elif origin is list:
            args[name] = []
        else:
            args[name] = str(victim_id)
    return args


# Search counts the gigs a results page shows (services/search/impressions.py): any visitor's search
# may add to gig.impressions, by design; a signed-in session's events note when it was last used
# (user_session.last_seen_at, at most once a minute: the sessions list shows it). Every other
# column of every table must stay unchanged.
VIEW_COUNTERS = {"gig": {"impressions"}, "user_session": {"last_seen_at"}}


def database_digest(db_path) -> str:
    """A hash of every row of every table (view counters aside): any write changes it."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            columns = ", ".join(
                f'"{column[1]}"'
                for column in conn.execute(f'PRAGMA table_info("{table}")')
                if column[1] not in VIEW_COUNTERS.get(table, set())
            )
            for row in conn.execute(f'SELECT {columns} FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


class DatabaseWatch:
    """`database_digest`, recomputed only when some connection has committed since the last
    one: SQLite's `PRAGMA data_version` changes whenever another connection commits, so an
    unchanged version means an unchanged digest (hashing every row twice per handler was a
    fifth of this suite's longest test, and grows with the database)."""

    def __init__(self, db_path):
        self.db_path = db_path
        self.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        self.version = None
        self.last = ""

    def digest(self) -> str:
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            self.version = version
            self.last = database_digest(self.db_path)
        return self.last


COMPLETE_PROFILE = {
    "display_name": "Mallory Attacker",
    "headline": "Penetration tester for hire",
    "bio": "I test web applications for the vulnerabilities that matter. " * 2,
    "country": "US",
    "skills": ["security"],
    "languages": [{"language": "English", "level": "native"}],
}


# It compares a digest of the SQLite file's rows before and after every call; what it checks
# (each handler's guard) is the same code in every topology, so the scaled pass leaves it out.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        SCALED, reason="single-process pass only: the database watch reads the SQLite file"
    ),
]


@dataclass
class Member:
    user: User
    cookie: str
    token: str


@pytest.fixture(scope="module")
def world(live_stack):
    settings = load_settings(live_stack.env())
    db_path = live_stack.data_dir / "gigworks.db"
    engine = make_engine(f"sqlite:///{db_path}")

    def member(name: str, seller: bool) -> Member:
        with Session(engine, expire_on_commit=False) as session:
            email = f"sec-{uuid.uuid4().hex[:8]}@example.com"
            user = accounts.register(
                session, email=email, password="long enough pw", display_name=name
            )
            user.email_verified = True  # as a confirmed account (issue 14)
            if seller:
                profiles.become_seller(session, actor=user)
            new = accounts.start_session(session, user=user)
            accounts.activate_session(session, token=new.token)
            session.commit()
        return Member(user, cookies.sign_session(settings.secret_key, new.token), new.token)

    yield {
        "settings": settings,
        "engine": engine,
        "db_path": db_path,
        "app_url": live_stack.app_url,
        "victim": member("Victor Victim", seller=True),
        "attacker": member("Mallory Attacker", seller=True),
        "member": member,
    }
    engine.dispose()


def test_every_handler_refuses_a_visitor_without_a_session(world):
    handlers = defined_handlers()
    names = {h.qualname for h in handlers}
    # The enumeration really sees the app: the guarded editor and the public sign-in form.
    assert {"ProfileEditorState.save", "LoginState.submit", "PayoutsState.start"} <= names
    assert names >= PUBLIC_EVENTS, f"@public names no handler: {PUBLIC_EVENTS - names}"
    victim_id = world["victim"].user.id

    async def scenario():
        failures = []
        watch = DatabaseWatch(world["db_path"])
        async with Browser(world["app_url"], cookie=None) as browser:
            for handler in handlers:
                before = watch.digest()
                reply = await browser.call(
                    handler.event_name, hostile_args(handler.params, victim_id)
                )
                after = watch.digest()
                if before != after:
                    failures.append(f"{handler.qualname} changed the database")
                if handler.qualname not in PUBLIC_EVENTS and not reply.redirects_to_login():
                    failures.append(f"{handler.qualname} did not refuse (reply: {reply})")
        watch.conn.close()
        return failures

    failures = run(scenario())
    assert not failures, "\n".join(failures)


def _names_seen(world, cookie: str | None, *, then=None) -> list:
    """load_viewer's idea of who is signed in, then whether a guarded handler was refused."""
    load_viewer = f"{AppState.get_full_name()}.load_viewer"
    save = f"{ProfileEditorState.get_full_name()}.save"

    async def scenario():
        async with Browser(world["app_url"], cookie=cookie) as browser:
            seen = (await browser.call(load_viewer, {})).var("viewer_name")
            if then is not None:  # something happens elsewhere while the tab is open
                with Session(world["engine"]) as session:
                    then(session)
                    session.commit()
            refused = (await browser.call(save, {})).redirects_to_login()
            return [seen, refused]

    return run(scenario())


def test_a_valid_cookie_is_accepted(world):
    member = world["member"]("Vera Valid", True)
    seen, refused = _names_seen(world, member.cookie)
    assert seen == "Vera Valid"
    assert refused is False


def test_a_forged_cookie_is_refused(world):
    attacker = world["attacker"]
    forged_signature = cookies.sign_session("not-the-secret-key" * 3, attacker.token)
    for cookie in (forged_signature, attacker.token, "garbage", "x" * 5000):
        seen, refused = _names_seen(world, cookie)
        assert seen in (None, ""), cookie
        assert refused is True


def test_an_expired_session_is_refused(world):
    member = world["member"]("Eve Expired", True)
    with Session(world["engine"]) as session:
        row = session.exec(select(UserSession).where(UserSession.user_id == member.user.id)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        session.add(row)
        session.commit()
    seen, refused = _names_seen(world, member.cookie)
    assert seen in (None, "") and refused is True


def test_a_revoked_session_is_refused_at_the_next_event(world):
    member = world["member"]("Rita Revoked", True)
    seen, refused = _names_seen(
        world,
        member.cookie,
        then=lambda session: accounts.revoke_session(session, token=member.token),
    )
    assert seen == "Rita Revoked"  # accepted until the revocation...
    assert refused is True  # ...and refused on the very next event of the same connection


def test_a_user_id_in_event_arguments_reaches_no_other_account(world):
    attacker, victim = world["attacker"], world["victim"]
    with Session(world["engine"]) as session:
        profiles.save_profile(session, actor=attacker.user, form=COMPLETE_PROFILE)
        session.commit()
    editor = ProfileEditorState.get_full_name()
    victim_id = victim.user.id

    async def scenario():
        async with Browser(world["app_url"], cookie=attacker.cookie) as browser:
            await browser.call(f"{editor}.load", {})
            for event, payload in [
                ("set_text", {"field": "display_name", "value": "Pwned Name"}),
                ("set_text", {"field": "user_id", "value": str(victim_id)}),
                ("set_row_field", {"list_name": "user", "index": 0, "key": "id", "value": "1"}),
                ("save", {"user_id": victim_id}),  # an argument the handler does not take
                ("save", {}),
            ]:
                await browser.call(f"{editor}.{event}", payload)

    before = database_digest(world["db_path"])
    run(scenario())
    assert database_digest(world["db_path"]) != before
    with Session(world["engine"]) as session:
        assert session.get(User, victim_id).display_name == "Victor Victim"
        # The save went through, for the account behind the cookie only.
        assert session.get(User, attacker.user.id).display_name == "Pwned Name"


def test_a_suspension_ends_the_session_at_the_next_event(world):
    member = world["member"]("Sam Suspended", True)

    def suspend(session):
        user = session.get(User, member.user.id)
        user.status = "suspended"
        session.add(user)

    seen, refused = _names_seen(world, member.cookie, then=suspend)
    assert seen == "Sam Suspended"
    assert refused is True


def test_the_upload_endpoint_refuses_a_visitor_and_stores_nothing(world, tmp_path):
    """Uploads arrive over HTTP (/_upload), not the websocket: the same guard applies."""
    images = world["settings"].upload_dir / "images"
    before = sorted(images.iterdir()) if images.exists() else []
    png = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 200, 10)).save(png, format="PNG")

    async def upload_without_a_session(handler) -> tuple[int, bool]:
        async with Browser(world["app_url"], cookie=None) as browser:  # a tab, signed out
            response = await asyncio.to_thread(
                httpx.post,
                f"{world['app_url']}/_upload",
                headers={
                    "reflex-client-token": browser.token,
                    "reflex-event-handler": (
                        f"{handler.state.get_full_name()}.{handler.fn.__name__}"
                    ),
                },
                files={"files": ("me.png", png.getvalue(), "image/png")},
                timeout=30,
            )
            # The refusal travels back to the tab like any other event's answer.
            sent = await browser.collect(until=Reply.redirects_to_login)
            return response.status_code, sent.redirects_to_login()

    order_files = world["settings"].upload_dir / "orders"
    orders_before = sorted(order_files.rglob("*")) if order_files.exists() else []
    for handler in (
        ProfileEditorState.upload_avatar,
        GigEditorState.upload_images,
        OrderPageState.upload_delivery_files,
        OrderPageState.upload_answer_file,
    ):
        assert run(upload_without_a_session(handler)) == (200, True), handler.fn.__name__
    after = sorted(images.iterdir()) if images.exists() else []
    assert after == before
    assert (sorted(order_files.rglob("*")) if order_files.exists() else []) == orders_before


# -- admin handlers: a signed-in buyer's and seller's session are refused too ----------------


def _redirects_to(reply: Reply, path: str) -> bool:
    return any(
        str(event.get("name", "")).endswith("_redirect")
        and str((event.get("payload") or {}).get("path", "")) == path
        for event in reply.events
    )


def test_every_admin_handler_refuses_a_signed_in_buyer_and_seller_and_changes_nothing(world):
    """Over the real event path: each handler of every admin state (found by enumeration, so a
    new admin handler is covered at once) answers a non-admin with the not-found page and
    writes nothing; the same calls from an admin are accepted (not refused)."""
    from marketplace.state.admin import DENIED_PATH, AdminState

    handlers = [h for h in defined_handlers() if issubclass(h.state, AdminState)]
    names = {h.qualname for h in handlers}
    assert {
        "AdminGigsState.approve",
        "AdminGigsState.approve_selected",
        "AdminUsersState.confirm_dialog",
        "AdminReportsState.confirm_dialog",
        "AdminDisputesState.confirm_resolve",
        "AdminReviewsState.confirm_dialog",
        "AdminAuditState.load",
        "AdminDashboardState.load",
        "AdminProState.confirm_decision",
    } <= names
    assert not names & PUBLIC_EVENTS
    victim_id = world["victim"].user.id
    buyer = world["member"]("Bea Buyer", False)
    seller = world["member"]("Sid Seller", True)

    async def scenario(member: Member):
        failures = []
        watch = DatabaseWatch(world["db_path"])
        async with Browser(world["app_url"], cookie=member.cookie) as browser:
            for handler in handlers:
                before = watch.digest()
                reply = await browser.call(
                    handler.event_name,
                    hostile_args(handler.params, victim_id),
                    path="/admin/users",
                    until=lambda r: _redirects_to(r, DENIED_PATH),
                )
                if watch.digest() != before:
                    failures.append(f"{handler.qualname} changed the database")
                if not _redirects_to(reply, DENIED_PATH):
                    failures.append(f"{handler.qualname} did not refuse (reply: {reply})")
        watch.conn.close()
        return failures

    for member in (buyer, seller):
        failures = run(scenario(member))
        assert not failures, "\n".join(failures)

    # An admin's session is not refused (so the refusals above are about the role).
    with Session(world["engine"]) as session:
        user = session.get(User, seller.user.id)
        user.is_admin = True
        session.add(user)
        session.commit()

    async def as_admin():
        from marketplace.state.admin import AdminAuditState

        async with Browser(world["app_url"], cookie=seller.cookie) as browser:
            reply = await browser.call(
                f"{AdminAuditState.get_full_name()}.load", {}, path="/admin/audit"
            )
            return _redirects_to(reply, DENIED_PATH) or reply.redirects_to_login()

    assert run(as_admin()) is False
