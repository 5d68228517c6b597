"""The mailed links and the banner: confirm an email, forgot password, reset password."""

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import tokens as account_tokens
from marketplace.services.common.errors import DomainError
from marketplace.services.gigs import pages as gig_pages
from marketplace.state.base import AppState, public


def _text(form_data: object, key: str, limit: int = 300) -> str:
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(key, "")
    return value[:limit] if isinstance(value, str) else ""


def _token_param(state: rx.State) -> str:
    raw = state.router.url.query_parameters.get("t", "")
    return raw[: account_tokens.TOKEN_MAX_LENGTH] if isinstance(raw, str) else ""


class VerificationBannerState(AppState):
    banner_message: str = ""
    sending: bool = False

    @rx.event
    def resend(self):
        user = self._require_user()
        self.sending = True
        try:
            with session_scope() as session:
                address = account_tokens.resend_verification(session, actor=user)
            self.banner_message = f"Sent. Check {address} (and the spam folder)."
        except DomainError as exc:
            self.banner_message = str(exc)
        finally:
            self.sending = False


class VerifyEmailState(AppState):
    """/verify-email?t=…: the link in the mail confirms the address on arrival."""

    outcome: str = "checking"  # checking | verified | failed
    message: str = ""
    # The gig the confirmation unblocks (a draft or rejected gig of this account), if any.
    gig_path: str = ""
    gig_title: str = ""

    @rx.event
    @public
    def load(self):
        self.gig_path = self.gig_title = ""
        try:
            with session_scope() as session:
                result = account_tokens.verify_email(session, token=_token_param(self))
                waiting = gig_pages.gig_to_publish(session, seller_id=result.user_id)
        except DomainError as exc:
            self.outcome, self.message = "failed", str(exc)
            return
        if waiting is not None:
            self.gig_path = f"/gigs/{waiting.id}/edit"
            self.gig_title = waiting.title or "your gig"
        self.outcome = "verified"
        self.message = (
            f"Your email address is now {result.email}."
            if result.changed
            else f"{result.email} is confirmed. You can publish gigs and place orders."
        )
        return AppState.load_viewer


class ForgotPasswordState(AppState):
    email_error: str = ""
    sent_message: str = ""
    submitting: bool = False

    @rx.event
    @public
    def load(self):
        self.email_error = self.sent_message = ""
        self.submitting = False

    @rx.event
    @public
    def submit(self, form_data: dict):
        email = _text(form_data, "email", 254)
        self.email_error = accounts.field_error("email", email)
        if self.email_error:
            return
        self.submitting = True
        try:
            with session_scope() as session:
                self.sent_message = account_tokens.request_password_reset(session, email=email)
        finally:
            self.submitting = False


class ResetPasswordState(AppState):
    link_error: str = ""
    password_error: str = ""
    submitting: bool = False
    token: str = ""

    @rx.event
    @public
    def load(self):
        self.token = _token_param(self)
        self.password_error = ""
        self.submitting = False
        try:
            with session_scope() as session:
                account_tokens.peek(
                    session,
                    token=self.token,
                    purpose=account_tokens.AccountTokenPurpose.reset_password,
                )
            self.link_error = ""
        except DomainError as exc:
            self.link_error = f"{exc} Ask for a new one below."

    @rx.event
    @public
    def recheck(self, value: str):
        """The rule a new password breaks, as it is typed."""
        self.password_error = accounts.field_error("password", _text({"v": value}, "v", 300))

    @rx.event
    @public
    def submit(self, form_data: dict):
        password = _text(form_data, "password", 300)
        self.password_error = accounts.field_error("password", password)
        if self.password_error:
            return
        self.submitting = True
        try:
            with session_scope() as session:
                try:
                    account_tokens.reset_password(session, token=self.token, new_password=password)
                except accounts.ValidationError as exc:
                    self.password_error = str(exc)
                    return
                except DomainError as exc:
                    self.link_error = f"{exc} Ask for a new one below."
                    return
        finally:
            self.submitting = False
        # Signed in afresh with the new password (and the second factor, when it is on).
        return rx.redirect("/login?notice=password_reset")
