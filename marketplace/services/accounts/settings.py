"""`/settings/account`: name, email (confirmed again), password, sign-in providers and
sessions. Each function takes the acting user and changes only that user's own account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from marketplace.auth.passwords import hash_password, verify_password
from marketplace.db import utcnow
from marketplace.models import OAuthIdentity, User, UserSession
from marketplace.services.accounts import mail as account_mail
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import tokens as account_tokens
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.reference import COUNTRIES

SESSIONS_SHOWN = 20


@dataclass(frozen=True)
class SessionView:
    id: int
    device: str
    ip: str
    created_at: datetime
    last_used_at: datetime
    current: bool


@dataclass(frozen=True)
class ProviderView:
    provider: str
    email: str
    can_unlink: bool


def _me(session: Session, actor: User | None) -> User:
    return session.get(User, require_active_user(actor).id)


def _check_password(user: User, password: str) -> None:
    if user.password_hash and not verify_password(user.password_hash, password or ""):
        raise accounts.ValidationError("current_password", "That is not your current password.")


def change_display_name(session: Session, *, actor: User | None, display_name: str) -> User:
    user = _me(session, actor)
    user.display_name = accounts.validate_display_name(display_name)
    session.add(user)
    session.flush()
    return user


def change_country(session: Session, *, actor: User | None, country: object) -> User:
    """The member's country (shown with their reviews); "" takes it away."""
    user = _me(session, actor)
    if country != "" and (not isinstance(country, str) or country not in COUNTRIES):
        raise accounts.ValidationError("country", "Choose a country from the list.")
    user.country = country
    session.add(user)
    session.flush()
    return user


def request_email_change(
    session: Session, *, actor: User | None, new_email: str, password: str
) -> str:
    """Send a confirmation link to the new address; the account switches when it is clicked.
    Until then the old address stays (and stays confirmed)."""
    user = _me(session, actor)
    email = accounts.validate_email(new_email)
    if email == user.email:
        raise accounts.ValidationError("email", "That is already your email address.")
    _check_password(user, password)
    if accounts.email_exists(session, email=email):
        raise accounts.ValidationError("email", "Another account uses that address.")
    account_tokens.send_verification(session, user=user, email=email)
    return email


def change_password(
    session: Session,
    *,
    actor: User | None,
    current_password: str,
    new_password: str,
    keep_session_id: int | None,
) -> int:
    """Set a new password (the current one first) and sign out every other session."""
    user = _me(session, actor)
    if user.password_hash is None:
        raise DomainError("This account signs in through a provider and has no password yet.")
    _check_password(user, current_password)
    accounts.validate_password(new_password)
    if verify_password(user.password_hash, new_password):
        raise accounts.ValidationError("password", "Choose a password different from the old one.")
    user.password_hash = hash_password(new_password)
    session.add(user)
    return revoke_other_sessions(session, actor=user, keep_session_id=keep_session_id)


# --- sessions ---------------------------------------------------------------------------------


def list_sessions(
    session: Session, *, actor: User | None, current_session_id: int | None
) -> list[SessionView]:
    """The account's live sessions, most recently used first."""
    user = require_active_user(actor)
    now = utcnow()
    rows = session.exec(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.activated_at).is_not(None),
            UserSession.expires_at > now,
        )
        .order_by(
            func.coalesce(UserSession.last_seen_at, UserSession.created_at).desc(),
            col(UserSession.id).desc(),
        )
        .limit(SESSIONS_SHOWN)
    ).all()
    return [
        SessionView(
            id=row.id,
            device=account_mail.describe_device(row.user_agent or ""),
            ip=row.ip or "unknown",
            created_at=row.created_at,
            last_used_at=row.last_seen_at or row.activated_at or row.created_at,
            current=row.id == current_session_id,
        )
        for row in rows
    ]


def revoke_session(session: Session, *, actor: User | None, session_id: int) -> None:
    """Sign out one of one's own sessions (that tab is signed out at its next event)."""
    user = require_active_user(actor)
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        raise NotFound("No such session.")
    done = session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            col(UserSession.revoked_at).is_(None),
        )
        .values(revoked_at=utcnow())
    ).rowcount
    if done != 1:
        raise NotFound("That session has already ended.")


def revoke_other_sessions(
    session: Session, *, actor: User | None, keep_session_id: int | None
) -> int:
    """Sign out everywhere except this browser (None: everywhere)."""
    user = require_active_user(actor)
    query = update(UserSession).where(
        UserSession.user_id == user.id, col(UserSession.revoked_at).is_(None)
    )
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    return session.execute(query.values(revoked_at=utcnow())).rowcount


# --- providers --------------------------------------------------------------------------------


def list_providers(session: Session, *, actor: User | None) -> list[ProviderView]:
    user = _me(session, actor)
    rows = session.exec(
        select(OAuthIdentity).where(OAuthIdentity.user_id == user.id).order_by(OAuthIdentity.id)
    ).all()
    others = len(rows) - 1 + (1 if user.password_hash else 0)
    return [
        ProviderView(provider=row.provider, email=row.email or "", can_unlink=others >= 1)
        for row in rows
    ]


def unlink_provider(session: Session, *, actor: User | None, provider: str) -> None:
    """Unlink a provider while another way to sign in (a password or another provider) stays."""
    user = _me(session, actor)
    rows = session.exec(select(OAuthIdentity).where(OAuthIdentity.user_id == user.id)).all()
    target = [row for row in rows if row.provider == provider]
    if not target:
        raise NotFound("That sign-in is not linked to your account.")
    if len(rows) - len(target) == 0 and not user.password_hash:
        raise DomainError(
            "This is your only way to sign in. Set a password first (use “Forgot password?” "
            "on the sign-in page), then unlink it."
        )
    for row in target:
        session.delete(row)
    session.flush()
