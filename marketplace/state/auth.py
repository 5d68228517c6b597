"""Join and sign-in forms. Each ends with a full-page visit to /auth/handoff, which sets the
HttpOnly cookie; on any error nothing is saved and the message shows under the form."""

import logging

import reflex as rx

from marketplace.auth import cookies, oidc
from marketplace.db import session_scope
from marketplace.services import accounts, identities
from marketplace.services.errors import DomainError
from marketplace.settings import get_settings
from marketplace.state.base import AppState, full_page_visit, public

log = logging.getLogger(__name__)

LOGIN_ERRORS = {"expired": "Your sign-in link expired. Please sign in again."}


def _text(form_data: object, key: str, limit: int = 300) -> str:
    """A form field as bounded text; anything that is not a string counts as empty."""
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(key, "")
    return value[:limit] if isinstance(value, str) else ""


def _handoff_url(token: str, next_path: str) -> str:
    ticket = cookies.sign_handoff(get_settings().secret_key, token, next_path)
    return f"/auth/handoff?t={ticket}"


class LoginState(AppState):
    error: str = ""
    next_path: str = "/"
    link_ticket: str = ""
    submitting: bool = False

    @rx.event
    @public
    def load(self):
        params = self.router.url.query_parameters
        code = params.get("error", "")
        self.error = LOGIN_ERRORS.get(code) or oidc.ERROR_MESSAGES.get(code, "")
        self.next_path = cookies.safe_next(params.get("next", "/"))
        self.link_ticket = params.get("link", "")[:2000]
        self.submitting = False

    @rx.event
    @public
    def submit(self, form_data: dict):
        email, password = _text(form_data, "email", 254), _text(form_data, "password", 256)
        if not email or not password:
            self.error = "Enter your email and password."
            return
        self.submitting = True
        try:
            with session_scope() as session:
                try:
                    user = accounts.authenticate(
                        session, email=email, password=password, ip=self._client_ip()
                    )
                except DomainError as exc:
                    self.error = str(exc)
                    return  # the failed attempt is still committed, so it counts
                if self.link_ticket:
                    try:
                        self._link_identity(session, user)
                    except DomainError as exc:
                        self.error = str(exc)
                        return
                new = accounts.start_session(
                    session, user=user, ip=self._client_ip(), user_agent=self._user_agent()
                )
        finally:
            self.submitting = False
        self.error = ""
        return full_page_visit(_handoff_url(new.token, self.next_path))

    def _link_identity(self, session, user) -> None:
        data = oidc.read_link_ticket(get_settings().secret_key, self.link_ticket)
        if data is None:
            raise DomainError("The link to your external sign-in expired. Please start again.")
        identities.link_after_password(session, link_ticket_data=data, user=user)


class JoinState(AppState):
    display_name_error: str = ""
    email_error: str = ""
    password_error: str = ""
    submitting: bool = False
    next_path: str = "/"

    def _show_error(self, field: str = "", message: str = "") -> None:
        self.display_name_error = message if field == "display_name" else ""
        self.email_error = message if field == "email" else ""
        self.password_error = message if field == "password" else ""

    @rx.event
    @public
    def load(self):
        self._show_error()
        self.submitting = False
        self.next_path = cookies.safe_next(self.router.url.query_parameters.get("next", "/"))

    @rx.event
    @public
    def submit(self, form_data: dict):
        self.submitting = True
        try:
            with session_scope() as session:
                try:
                    user = accounts.register(
                        session,
                        email=_text(form_data, "email", 254),
                        password=_text(form_data, "password", 256),
                        display_name=_text(form_data, "display_name", 80),
                    )
                except accounts.ValidationError as exc:
                    session.rollback()
                    self._show_error(exc.field, str(exc))
                    return
                new = accounts.start_session(
                    session, user=user, ip=self._client_ip(), user_agent=self._user_agent()
                )
        finally:
            self.submitting = False
        self._show_error()
        return full_page_visit(_handoff_url(new.token, self.next_path))
