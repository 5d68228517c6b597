"""Join and sign-in forms. Each ends with a full-page visit to /auth/handoff, which sets the
HttpOnly cookie; on any error nothing is saved and the message shows under the form."""

import logging
import time

import reflex as rx

from marketplace.auth import cookies, oidc
from marketplace.db import session_scope
from marketplace.models import User
from marketplace.services.accounts import identities, two_factor
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import tokens as account_tokens
from marketplace.services.common.errors import DomainError
from marketplace.settings import get_settings
from marketplace.state.base import AppState, full_page_visit, public

log = logging.getLogger(__name__)

LOGIN_ERRORS = {"expired": "Your sign-in link expired. Please sign in again."}
LOGIN_NOTICES = {
    "password_reset": "Your password was changed and every session signed out. Sign in with "
    "the new password.",
}
TWO_FACTOR_WINDOW_S = 300  # the code must follow the password within 5 minutes


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
    notice: str = ""
    # Two-factor (issue 14): after a right password, the code step; who it is for stays on
    # the server (backend-only vars start with an underscore and never reach the browser).
    needs_code: bool = False
    code_error: str = ""
    _pending_user_id: int = 0
    _pending_since: float = 0.0

    @rx.event
    @public
    def load(self):
        params = self.router.url.query_parameters
        code = params.get("error", "")
        self.error = LOGIN_ERRORS.get(code) or oidc.ERROR_MESSAGES.get(code, "")
        self.notice = LOGIN_NOTICES.get(params.get("notice", ""), "")
        self.needs_code, self.code_error = False, ""
        self._pending_user_id, self._pending_since = 0, 0.0
        if "code" in params:  # back from a provider, for an account with two-factor on
            owed = oidc.read_code_ticket(get_settings().secret_key, params.get("code"))
            if owed is None:
                self.error = "That took too long. Sign in again."
            else:  # the 5 minutes count from the provider's answer, not from this visit
                self._pending_user_id, self._pending_since = owed[0], time.monotonic() - owed[1]
                self.needs_code = True
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
                if two_factor.is_enabled(user):
                    self._pending_user_id, self._pending_since = user.id, time.monotonic()
                    self.needs_code, self.error, self.code_error = True, "", ""
                    return
                return self._finish(session, user)
        finally:
            self.submitting = False

    def _finish(self, session, user: User):
        """Start the session and hand the cookie over (the password, and the code if on)."""
        new = accounts.start_session(
            session, user=user, ip=self._client_ip(), user_agent=self._user_agent()
        )
        self.error = ""
        self.needs_code, self._pending_user_id = False, 0
        next_path = self.next_path
        if two_factor.required_but_missing(user, get_settings()):
            next_path = "/settings/account?required=2fa"
        return full_page_visit(_handoff_url(new.token, next_path))

    @rx.event
    @public
    def submit_code(self, form_data: dict):
        """The second step: a code from the authenticator app, or a recovery code."""
        if not self._pending_user_id or (
            time.monotonic() - self._pending_since > TWO_FACTOR_WINDOW_S
        ):
            self.needs_code, self._pending_user_id = False, 0
            self.error = "That took too long. Sign in again."
            return
        code = _text(form_data, "code", 40)
        if not code.strip():
            self.code_error = "Enter the code."
            return
        self.submitting = True
        try:
            with session_scope() as session:
                try:
                    two_factor.check_sign_in_code(
                        session, user_id=self._pending_user_id, code=code, ip=self._client_ip()
                    )
                except DomainError as exc:
                    self.code_error = str(exc)
                    return  # the wrong code is still committed, so it counts
                user = session.get(User, self._pending_user_id)
                if user is None:
                    self.needs_code, self.error = False, "Sign in again."
                    return
                return self._finish(session, user)
        finally:
            self.submitting = False

    @rx.event
    @public
    def cancel_code(self):
        self.needs_code, self.code_error, self._pending_user_id = False, "", 0

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
        # The password's rules show as it is typed, from the first character (issue 14).
        if shown.get(field if isinstance(field, str) else "") or field == "password":
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
                account_tokens.send_verification(session, user=user)  # issue 14
                new = accounts.start_session(
                    session, user=user, ip=self._client_ip(), user_agent=self._user_agent()
                )
        finally:
            self.submitting = False
        self._show_errors({})
        return full_page_visit(_handoff_url(new.token, self.next_path))
