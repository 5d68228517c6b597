"""`/settings/account`: thin calls into services/accounts/settings.py, two_factor.py and
account_mail.py, with small display-ready lists (at most 20 sessions)."""

import dataclasses
from typing import ClassVar

import reflex as rx

from marketplace.db import session_scope
from marketplace.models import User
from marketplace.services.accounts import leaving, two_factor
from marketplace.services.accounts import mail as account_mail
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import settings as account_settings
from marketplace.services.accounts import tokens as account_tokens
from marketplace.services.common.errors import DomainError
from marketplace.services.common.reference import COUNTRIES
from marketplace.settings import get_settings
from marketplace.state.base import AppState, full_page_visit
from marketplace.state.format import plural


@dataclasses.dataclass
class SessionRow:
    id: int = 0
    device: str = ""
    ip: str = ""
    last_used: str = ""
    started: str = ""
    current: bool = False


@dataclasses.dataclass
class ProviderRow:
    provider: str = ""
    label: str = ""
    email: str = ""
    can_unlink: bool = False


@dataclasses.dataclass
class MailKindRow:
    kind: str = ""
    label: str = ""
    on: bool = True


def _when(moment) -> str:
    return moment.strftime("%d %b %Y, %H:%M UTC") if moment else ""


def _text(form_data: object, key: str, limit: int = 300) -> str:
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(key, "")
    return value[:limit] if isinstance(value, str) else ""


NO_COUNTRY = "none"  # a select item cannot have "" as its value


class AccountSettingsState(AppState):
    _two_factor_setup_allowed: ClassVar[bool] = True
    loading: bool = True
    notice: str = ""
    error: str = ""
    required_2fa: bool = False
    # profile
    display_name: str = ""
    country: str = NO_COUNTRY  # the select's value ("none": not shown)
    email: str = ""
    email_verified: bool = False
    pending_email: str = ""
    has_password: bool = False
    name_error: str = ""
    email_error: str = ""
    email_password_error: str = ""
    current_password_error: str = ""
    new_password_error: str = ""
    # sessions, providers, mail
    sessions: list[SessionRow] = []
    providers: list[ProviderRow] = []
    available_providers: list[ProviderRow] = []
    mail_kinds: list[MailKindRow] = []
    # two-factor
    totp_on: bool = False
    recovery_left: int = 0
    enrol_qr: str = ""
    enrol_secret_shown: str = ""
    enrol_error: str = ""
    recovery_codes: list[str] = []
    disable_error: str = ""
    _enrol_secret: str = ""
    # leaving
    can_delete: bool = False
    delete_blocked_reason: str = ""
    delete_error: str = ""

    def _current_session_id(self) -> int | None:
        with session_scope() as session:
            return accounts.session_id_for_token(session, token=self._session_token())

    def _refresh(self, user: User) -> None:
        current = self._current_session_id()
        with session_scope() as session:
            fresh = session.get(User, user.id)
            self.display_name = fresh.display_name
            self.country = fresh.country or NO_COUNTRY
            self.email = fresh.email
            self.email_verified = fresh.email_verified
            self.pending_email = account_tokens.pending_email(session, user=fresh) or ""
            self.has_password = fresh.password_hash is not None
            self.totp_on = two_factor.is_enabled(fresh)
            self.recovery_left = two_factor.recovery_codes_left(session, user_id=fresh.id)
            self.sessions = [
                SessionRow(
                    id=row.id,
                    device=row.device,
                    ip=row.ip,
                    last_used=_when(row.last_used_at),
                    started=_when(row.created_at),
                    current=row.current,
                )
                for row in account_settings.list_sessions(
                    session, actor=fresh, current_session_id=current
                )
            ]
            linked = account_settings.list_providers(session, actor=fresh)
            labels = {p.name: p.label for p in get_settings().oidc_providers}
            self.providers = [
                ProviderRow(p.provider, labels.get(p.provider, p.provider), p.email, p.can_unlink)
                for p in linked
            ]
            names = {p.provider for p in linked}
            self.available_providers = [
                ProviderRow(name, label) for name, label in labels.items() if name not in names
            ]
            check = leaving.deletion_check(session, user_id=fresh.id)
            self.can_delete, self.delete_blocked_reason = check.allowed, check.reason()
            self.mail_kinds = [
                MailKindRow(kind, label, account_mail.wants(fresh, kind))
                for kind, label in account_mail.OPTIONAL_KINDS.items()
            ]

    @rx.event
    def load(self):
        user = self._require_user()
        self.notice = self.error = ""
        self.name_error = self.email_error = self.email_password_error = ""
        self.current_password_error = self.new_password_error = ""
        self.enrol_qr = self.enrol_secret_shown = self.enrol_error = self.disable_error = ""
        self.delete_error = ""
        self._enrol_secret = ""
        self.recovery_codes = []
        self.required_2fa = two_factor.required_but_missing(user, get_settings())
        self._refresh(user)
        self.loading = False

    # --- profile ------------------------------------------------------------------------------

    @rx.event
    def choose_country(self, code: str):
        self._require_user()
        self.country = code if isinstance(code, str) and code in COUNTRIES else NO_COUNTRY

    @rx.event
    def save_name(self, form_data: dict):
        """The name and country card: both in one transaction, or neither."""
        user = self._require_user()
        try:
            with session_scope() as session:
                account_settings.change_display_name(
                    session, actor=user, display_name=_text(form_data, "display_name", 300)
                )
                account_settings.change_country(
                    session, actor=user, country="" if self.country == NO_COUNTRY else self.country
                )
        except accounts.ValidationError as exc:
            self.name_error = str(exc)
            return
        self.name_error, self.notice = "", "Your name and country were saved."
        self._refresh(user)
        return AppState.load_viewer

    @rx.event
    def change_email(self, form_data: dict):
        user = self._require_user()
        self.email_error = self.email_password_error = ""
        try:
            with session_scope() as session:
                address = account_settings.request_email_change(
                    session,
                    actor=user,
                    new_email=_text(form_data, "new_email", 254),
                    password=_text(form_data, "email_password", 256),
                )
        except accounts.ValidationError as exc:
            if exc.field == "current_password":
                self.email_password_error = str(exc)
            else:
                self.email_error = str(exc)
            return
        self.notice = f"We sent a link to {address}. Your email changes once you click it."
        self._refresh(user)

    @rx.event
    def check_new_password(self, value: str):
        self._require_user()
        self.new_password_error = accounts.field_error("password", _text({"v": value}, "v"))

    @rx.event
    def change_password(self, form_data: dict):
        user = self._require_user()
        self.current_password_error = self.new_password_error = ""
        try:
            with session_scope() as session:
                ended = account_settings.change_password(
                    session,
                    actor=user,
                    current_password=_text(form_data, "current_password", 256),
                    new_password=_text(form_data, "new_password", 300),
                    keep_session_id=accounts.session_id_for_token(
                        session, token=self._session_token()
                    ),
                )
        except accounts.ValidationError as exc:
            if exc.field == "current_password":
                self.current_password_error = str(exc)
            else:
                self.new_password_error = str(exc)
            return
        except DomainError as exc:
            self.error = str(exc)
            return
        others = plural(ended, "other session")
        self.notice = (
            f"Your password was changed; {others} {'was' if ended == 1 else 'were'} signed out."
        )
        self._refresh(user)

    # --- sessions -----------------------------------------------------------------------------

    @rx.event
    def sign_out_session(self, session_id: int):
        user = self._require_user()
        try:
            with session_scope() as session:
                account_settings.revoke_session(session, actor=user, session_id=session_id)
        except DomainError as exc:
            self.error = str(exc)
        self._refresh(user)

    @rx.event
    def sign_out_everywhere(self):
        self._require_user()
        with session_scope() as session:
            account_settings.revoke_other_sessions(
                session, actor=self._require_user(), keep_session_id=None
            )
        # This browser too: its cookie now names a revoked session; the POST clears it.
        return rx.call_script(
            "const f = document.createElement('form'); f.method = 'post';"
            " f.action = '/auth/logout'; document.body.appendChild(f); f.submit();"
        )

    # --- providers ----------------------------------------------------------------------------

    @rx.event
    def link_provider(self, provider: str):
        self._require_user()
        names = {p.name for p in get_settings().oidc_providers}
        if provider not in names:
            return
        return full_page_visit(f"/auth/oidc/{provider}/start?next=/settings/account")

    @rx.event
    def unlink_provider(self, provider: str):
        user = self._require_user()
        try:
            with session_scope() as session:
                account_settings.unlink_provider(session, actor=user, provider=str(provider)[:40])
        except DomainError as exc:
            self.error = str(exc)
            return
        self.notice = "The sign-in was unlinked."
        self._refresh(user)

    # --- mail ---------------------------------------------------------------------------------

    @rx.event
    def set_mail_kind(self, kind: str, on: bool):
        user = self._require_user()
        if kind not in account_mail.OPTIONAL_KINDS or not isinstance(on, bool):
            return
        with session_scope() as session:
            account_mail.set_opt_out(
                session, user=session.get(User, user.id), kind=kind, off=not on
            )
        self._refresh(user)

    # --- two-factor ---------------------------------------------------------------------------

    @rx.event
    def start_enrolment(self):
        user = self._require_user()
        enrolment = two_factor.new_enrolment(user=user)
        self._enrol_secret = enrolment.secret
        self.enrol_qr = enrolment.qr_svg_data_uri
        self.enrol_secret_shown = " ".join(
            enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4)
        )
        self.enrol_error = ""

    @rx.event
    def confirm_enrolment(self, form_data: dict):
        user = self._require_user()
        try:
            with session_scope() as session:
                codes = two_factor.confirm_enrolment(
                    session,
                    actor=user,
                    secret=self._enrol_secret,
                    code=_text(form_data, "code", 20),
                )
        except DomainError as exc:
            self.enrol_error = str(exc)
            return
        self._enrol_secret = ""
        self.enrol_qr = self.enrol_secret_shown = self.enrol_error = ""
        self.recovery_codes = codes
        self.required_2fa = False
        self.notice = "Two-factor sign-in is on."
        self._refresh(user)

    @rx.event
    def new_recovery_codes(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                self.recovery_codes = two_factor.regenerate_recovery_codes(session, actor=user)
        except DomainError as exc:
            self.error = str(exc)
        self._refresh(user)

    @rx.event
    def hide_recovery_codes(self):
        self._require_user()
        self.recovery_codes = []

    @rx.event
    def disable_two_factor(self, form_data: dict):
        user = self._require_user()
        try:
            with session_scope() as session:
                two_factor.disable(
                    session, actor=user, password=_text(form_data, "disable_password", 256)
                )
        except DomainError as exc:
            self.disable_error = str(exc)
            return
        self.disable_error, self.notice = "", "Two-factor sign-in is off."
        self._refresh(user)

    # --- leaving ------------------------------------------------------------------------------

    @rx.event
    def delete_account(self, form_data: dict):
        user = self._require_user()
        if _text(form_data, "confirm", 20).strip().upper() != "DELETE":
            self.delete_error = "Type DELETE to confirm."
            return
        try:
            leaving.close_account(actor=user, password=_text(form_data, "delete_password", 256))
        except DomainError as exc:
            self.delete_error = str(exc)
            return
        # The session is already revoked; the POST clears the cookie and goes home.
        return rx.call_script(
            "const f = document.createElement('form'); f.method = 'post';"
            " f.action = '/auth/logout'; document.body.appendChild(f); f.submit();"
        )
