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
    email_error: str = ""
    password_error: str = ""
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
        self.email_error = self.password_error = ""
        self.submitting = False

    @rx.event
    @public
    def recheck(self, field: str, value: str):
        """A field's "enter your …" message goes as soon as the field is filled in."""
        if isinstance(value, str) and value.strip():
            if field == "email":
                self.email_error = ""
            elif field == "password":
                self.password_error = ""

    @rx.event
    @public
    def submit(self, form_data: dict):
        email, password = _text(form_data, "email", 254), _text(form_data, "password", 256)
        self.email_error = "" if email.strip() else "Enter your email address."
        self.password_error = "" if password else "Enter your password."
        if self.email_error or self.password_error:
            self.error = ""
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

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.display_name_error = errors.get("display_name", "")
        self.email_error = errors.get("email", "")
        self.password_error = errors.get("password", "")

    @rx.event
    @public
    def load(self):
        self._show_errors({})
        self.submitting = False
        self.next_path = cookies.safe_next(self.router.url.query_parameters.get("next", "/"))

    @rx.event
    @public
    def recheck(self, field: str, value: str):
        """While a field shows a message, check it again as it is corrected (the service's
        rule), so "Enter your name" goes once the name is there."""
        shown = {
            "display_name": self.display_name_error,
            "email": self.email_error,
            "password": self.password_error,
        }
        if shown.get(field if isinstance(field, str) else ""):
            message = accounts.field_error(field, _text({"v": value}, "v", 300))
            setattr(self, f"{field}_error", message)

    @rx.event
    @public
    def submit(self, form_data: dict):
        values = {
            "email": _text(form_data, "email", 254),
            "password": _text(form_data, "password", 256),
            "display_name": _text(form_data, "display_name", 300),
        }
        errors = accounts.registration_errors(**values)
        if errors:  # every field's message at once
            self._show_errors(errors)
            return
        self.submitting = True
        try:
            with session_scope() as session:
                try:
                    user = accounts.register(session, **values)
                except accounts.ValidationError as exc:
                    session.rollback()
                    self._show_errors({exc.field: str(exc)})
                    return
                new = accounts.start_session(
                    session, user=user, ip=self._client_ip(), user_agent=self._user_agent()
                )
        finally:
            self.submitting = False
        self._show_errors({})
        return full_page_visit(_handoff_url(new.token, self.next_path))
