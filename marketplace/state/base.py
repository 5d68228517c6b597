"""The root of the app's state tree: who is asking, resolved on the server for every event.

Identity comes only from the signed HttpOnly session cookie that the browser sent when its
websocket connected; nothing the client puts in an event (arguments, rx.Cookie, vars) is
trusted for it. `_current_user()` re-reads the session row each time, so a sign-out or a
suspension takes effect on the very next event, in every tab.
"""

import json
from collections.abc import Callable
from typing import ClassVar, TypeVar
from urllib.parse import quote, urlencode

import reflex as rx
from reflex.istate.proxy import StateProxy
from reflex.utils.exceptions import ImmutableStateError

from marketplace.auth import cookies
from marketplace.db import session_scope
from marketplace.models import User
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import two_factor
from marketplace.services.gigs.catalog import MAX_QUERY_LENGTH
from marketplace.settings import get_settings
from marketplace.state.format import initials, media_url

F = TypeVar("F", bound=Callable)

# Handlers that anyone may call without signing in ("Class.method"). Every other handler must
# call `_require_user()` first; tests/e2e/test_event_security.py calls each one over the websocket
# without a session and fails for any handler that is neither guarded nor listed here.
PUBLIC_EVENTS: set[str] = set()


def public(handler: F) -> F:
    """Mark an event handler as callable without a session (put it under @rx.event)."""
    PUBLIC_EVENTS.add(handler.__qualname__)
    return handler


class SignInRequired(Exception):
    """Raised by `_require_user()`; the app's exception handler turns it into a redirect."""

    def __init__(self, next_path: str = "/"):
        super().__init__("sign-in required")
        self.next_path = next_path


class TwoFactorSetupRequired(Exception):
    """REQUIRE_ADMIN_2FA (issue 14): an admin without two-factor is sent to set it up."""


TWO_FACTOR_SETUP_PATH = "/settings/account?required=2fa"


def sign_in_page(next_path: str) -> rx.event.EventSpec:
    return rx.redirect(f"/login?next={quote(next_path or '/', safe='/')}")


def sign_in_redirect(exception: Exception) -> rx.event.EventSpec | None:
    """Backend exception handler: a guard's refusal sends the browser to sign in."""
    if isinstance(exception, SignInRequired):
        return sign_in_page(exception.next_path)
    if isinstance(exception, TwoFactorSetupRequired):
        return rx.redirect(TWO_FACTOR_SETUP_PATH)
    from reflex.app import default_backend_exception_handler

    return default_backend_exception_handler(exception)


def user_for_session(token: str | None) -> User | None:
    """The signed-in, active user of a session token, or None. Safe to call from a worker
    thread: handlers that read the database off the event loop resolve the viewer there too
    (read the token with `_session_token()` in the handler first)."""
    if not token:
        return None
    with session_scope() as session:
        return accounts.resolve_session(session, token=token)


class AppState(rx.State):
    """Shared by every page. The viewer_* vars are display copies, never used for permission.

    Helpers start with an underscore: Reflex exposes every public method of a state class as
    an event handler that any client can call.
    """

    viewer_signed_in: bool = False
    viewer_name: str = ""
    viewer_username: str = ""
    viewer_initials: str = ""
    viewer_avatar_url: str = ""
    viewer_is_admin: bool = False
    viewer_is_seller: bool = False
    # The account settings page sets this: there an admin sets up the required two-factor.
    _two_factor_setup_allowed: ClassVar[bool] = False
    # Account security (issue 14): the banner asks unverified accounts to confirm their email.
    viewer_email_verified: bool = True
    viewer_email: str = ""

    def _session_token(self) -> str | None:
        raw = cookies.cookie_from_header(self.router.headers.cookie)
        return cookies.read_session(get_settings().secret_key, raw)

    def _current_user(self) -> User | None:
        """The signed-in, active user behind this connection's cookie, or None."""
        return user_for_session(self._session_token())

    def _require_user(self) -> User:
        """The guard every private handler calls first: no valid session, no further step."""
        user = self._current_user()
        if user is None:
            raise SignInRequired(self.router.url.path or "/")
        if (
            user.is_admin
            and not self._two_factor_setup_allowed
            and two_factor.required_but_missing(user, get_settings())
        ):
            raise TwoFactorSetupRequired()
        return user

    def _upload_guard(self) -> tuple[User | None, rx.event.EventSpec | None]:
        """The guard for upload handlers: Reflex's /_upload endpoint does not pass a handler's
        exception to the app's exception handler, so these return the redirect instead:
        `user, refuse = self._upload_guard()` then `if refuse: return refuse`."""
        user = self._current_user()
        return (user, None) if user is not None else (None, sign_in_page(self.router.url.path))

    def _assign(self, **values) -> None:
        """Set only the vars whose value changed. Reflex sends every assigned var to the
        browser (and recomputes what depends on it), equal or not; an on_load that writes
        what the page already shows would cost an update per navigation for nothing.

        In a background event `self` is Reflex's StateProxy: with its lock held, the reads
        and writes go to the state behind it (the proxy re-wraps every value it hands out,
        a third of a search's writing time)."""
        state = self
        if isinstance(self, StateProxy):
            if not self._is_mutable():
                raise ImmutableStateError("Use `async with self` to write state.")
            state = self.__wrapped__
        for name, value in values.items():
            if getattr(state, name) != value:
                setattr(state, name, value)

    def _forget_viewer(self) -> None:
        self._assign(
            viewer_signed_in=False,
            viewer_name="",
            viewer_username="",
            viewer_initials="",
            viewer_avatar_url="",
            viewer_is_admin=False,
            viewer_is_seller=False,
            viewer_email_verified=True,
            viewer_email="",
        )

    def _client_ip(self) -> str:
        return self.router.session.client_ip or "unknown"

    def _user_agent(self) -> str:
        return self.router.headers.user_agent or ""

    @rx.event
    @public
    def load_viewer(self):
        """on_load of every page: refresh who is signed in, for the header."""
        user = self._current_user()
        if user is None:
            self._forget_viewer()
            return
        with session_scope() as session:
            self._show_viewer(session, user)

    def _show_viewer(self, session, user: User) -> None:
        """The header's copy of who is signed in (display only, never a permission)."""
        is_seller = accounts.has_seller_profile(session, user_id=user.id)
        self._assign(
            viewer_signed_in=True,
            viewer_name=user.display_name,
            viewer_username=user.username,
            viewer_initials=initials(user.display_name),
            viewer_avatar_url=media_url(user.avatar_path),
            viewer_is_admin=user.is_admin,
            viewer_is_seller=is_seller,
            viewer_email_verified=user.email_verified,
            viewer_email=user.email,
        )

    @rx.event
    @public
    def go_to_search(self, form_data: dict):
        """The header's search box. A Reflex form cancels the browser's own GET to /search, so
        the submitted words come here and the browser is sent on to the results."""
        raw = form_data.get("q", "") if isinstance(form_data, dict) else ""
        query = " ".join(raw.split())[:MAX_QUERY_LENGTH] if isinstance(raw, str) else ""
        return rx.redirect("/search?" + urlencode({"q": query}) if query else "/search")


def full_page_visit(path: str) -> rx.event.EventSpec:
    """Navigate with a real page load (needed so the server can set or clear the cookie)."""
    return rx.call_script(f"window.location.assign({json.dumps(path)})")
