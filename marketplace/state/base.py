"""The root of the app's state tree: who is asking, resolved on the server for every event.

Identity comes only from the signed HttpOnly session cookie that the browser sent when its
websocket connected; nothing the client puts in an event (arguments, rx.Cookie, vars) is
trusted for it. `current_user()` re-reads the session row each time, so a sign-out or a
suspension takes effect on the very next event, in every tab.
"""

import json

import reflex as rx

from marketplace.auth import cookies
from marketplace.db import session_scope
from marketplace.models import User
from marketplace.services import accounts
from marketplace.settings import get_settings


class AppState(rx.State):
    """Shared by every page. The viewer_* vars are display copies, never used for permission."""

    viewer_signed_in: bool = False
    viewer_name: str = ""
    viewer_username: str = ""
    viewer_initials: str = ""
    viewer_is_admin: bool = False
    viewer_is_seller: bool = False

    def _session_token(self) -> str | None:
        raw = cookies.cookie_from_header(self.router.headers.cookie)
        return cookies.read_session(get_settings().secret_key, raw)

    def current_user(self) -> User | None:
        """The signed-in, active user behind this connection's cookie, or None."""
        token = self._session_token()
        if not token:
            return None
        with session_scope() as session:
            return accounts.resolve_session(session, token=token)

    def _forget_viewer(self) -> None:
        self.viewer_signed_in = False
        self.viewer_name = self.viewer_username = self.viewer_initials = ""
        self.viewer_is_admin = self.viewer_is_seller = False

    def client_ip(self) -> str:
        return self.router.session.client_ip or "unknown"

    def user_agent(self) -> str:
        return self.router.headers.user_agent or ""

    @rx.event
    def load_viewer(self):
        """on_load of every page: refresh who is signed in, for the header."""
        user = self.current_user()
        if user is None:
            self._forget_viewer()
            return
        with session_scope() as session:
            is_seller = accounts.has_seller_profile(session, user_id=user.id)
        self.viewer_signed_in = True
        self.viewer_name = user.display_name
        self.viewer_username = user.username
        self.viewer_initials = "".join(p[0] for p in user.display_name.split()[:2]).upper()
        self.viewer_is_admin = user.is_admin
        self.viewer_is_seller = is_seller


def full_page_visit(path: str) -> rx.event.EventSpec:
    """Navigate with a real page load (needed so the server can set or clear the cookie)."""
    return rx.call_script(f"window.location.assign({json.dumps(path)})")
