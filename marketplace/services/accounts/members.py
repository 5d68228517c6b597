"""Accounts: joining, signing in, server-side sessions and sign-in rate limiting.

A session is a row named by a random token; the browser holds the token only inside a signed
HttpOnly cookie (marketplace.auth.cookies). Revoking the row, or suspending the user, ends the
session on the next event everywhere, because every event resolves the row again.
"""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, col, select

from marketplace.auth.passwords import hash_password, needs_rehash, verify_password
from marketplace.db import utcnow
from marketplace.models import FreelancerProfile, LoginAttempt, User, UserSession
from marketplace.services.accounts import password_rules
from marketplace.services.common.errors import DomainError
from marketplace.services.common.guards import SUSPENDED_MESSAGE, is_active_user

SESSION_LIFETIME = timedelta(days=30)
HANDOFF_WINDOW = timedelta(seconds=120)
LAST_SEEN_EVERY = timedelta(seconds=60)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
FAILED_LOGIN_LIMIT = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=10)
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9_]{3,40}$")

# Spent on unknown emails so that timing does not reveal which emails have accounts.
_DUMMY_HASH = hash_password("not-a-real-password-0")


class ValidationError(DomainError):
    """Bad input for one field; `field` says which, so the UI can show it under that field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class RateLimited(DomainError):
    pass


class InvalidCredentials(DomainError):
    pass


@dataclass(frozen=True)
class NewSession:
    """The raw token exists only here and in the cookie; the database keeps its hash."""

    token: str
    session_id: int
    user_id: int


def normalize_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def validate_email(email: str) -> str:
    email = normalize_email(email)
    if not email:
        raise ValidationError("email", "Enter your email address.")
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValidationError("email", "Enter a valid email address, like name@example.com.")
    return email


def validate_password(password: str) -> str:
    """The rules of services/accounts/password_rules.py (length, common, repetitive)."""
    if problem := password_rules.password_problem(password or ""):
        raise ValidationError("password", problem)
    return password


def validate_display_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) < 2:
        raise ValidationError("display_name", "Enter your name (at least 2 characters).")
    if len(name) > 80:
        raise ValidationError("display_name", "Use at most 80 characters for your name.")
    return name


FIELD_RULES = {
    "display_name": validate_display_name,
    "email": validate_email,
    "password": validate_password,
}


def field_error(field: str, value: str) -> str:
    """The join form's message for one field ("" when fine), so a form can re-check a field
    as it is corrected. Unknown fields have no rule here."""
    rule = FIELD_RULES.get(field)
    if rule is None:
        return ""
    try:
        rule(value if isinstance(value, str) else "")
    except ValidationError as exc:
        return str(exc)
    return ""


def registration_errors(*, email: str, password: str, display_name: str) -> dict[str, str]:
    """Every field's message at once (the join form shows them together); {} when all pass."""
    values = {"display_name": display_name, "email": email, "password": password}
    return {
        name: message for name, value in values.items() if (message := field_error(name, value))
    }


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unique_username(session: Session, *, base: str) -> str:
    """A free username derived from a name or email: lowercase letters, digits, underscores."""
    ascii_base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "_", ascii_base.lower()).strip("_")[:30] or "member"
    if len(stem) < 3:
        stem = f"{stem}_gw"
    candidate = stem
    for _ in range(50):
        taken = session.exec(select(User.id).where(User.username == candidate)).first()
        if taken is None:
            return candidate
        candidate = f"{stem}_{secrets.randbelow(9000) + 1000}"
    raise DomainError("Could not find a free username; please try again.")


def register(session: Session, *, email: str, password: str, display_name: str) -> User:
    """Create a buyer account. Validation errors name their field; nothing is written on error."""
    display_name = validate_display_name(display_name)
    email = validate_email(email)
    validate_password(password)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise ValidationError("email", "An account with this email already exists. Sign in?")
    user = User(
        email=email,
        username=unique_username(session, base=display_name or email.split("@")[0]),
        display_name=display_name,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def _recent_failures(session: Session, *, email: str, ip: str, now: datetime) -> int:
    since = now - FAILED_LOGIN_WINDOW
    by_email = session.exec(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == email,
            LoginAttempt.at >= since,
            col(LoginAttempt.success).is_(False),
        )
    ).one()
    by_ip = session.exec(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.ip == ip, LoginAttempt.at >= since, col(LoginAttempt.success).is_(False)
        )
    ).one()
    return max(int(by_email), int(by_ip))


def authenticate(
    session: Session, *, email: str, password: str, ip: str, now: datetime | None = None
) -> User:
    """Check a password sign-in, counting failures per email and per address.

    The caller must commit even when this raises InvalidCredentials, so the failure is counted.
    """
    now = now or utcnow()
    email = normalize_email(email)[:254]
    ip = (ip or "unknown")[:64]
    if _recent_failures(session, email=email, ip=ip, now=now) >= FAILED_LOGIN_LIMIT:
        raise RateLimited(
            "Too many failed sign-ins. Wait 10 minutes, then try again or reset your password."
        )
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password or "")
    if not ok or user is None:
        session.add(LoginAttempt(email=email, ip=ip, at=now, success=False))
        session.flush()
        raise InvalidCredentials("That email and password don't match an account.")
    if not is_active_user(user):
        raise InvalidCredentials(SUSPENDED_MESSAGE)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.add(LoginAttempt(email=email, ip=ip, at=now, success=True))
    session.add(user)
    session.flush()
    return user


def start_session(
    session: Session, *, user: User, ip: str = "", user_agent: str = "", now: datetime | None = None
) -> NewSession:
    """A new, not yet activated session; the browser activates it once through the handoff."""
    now = now or utcnow()
    from marketplace.services.accounts import (
        mail as account_mail,  # (it needs no accounts import back)
    )

    account_mail.queue_new_device_notice(session, user=user, ip=ip, user_agent=user_agent, now=now)
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=_token_hash(token),
        user_id=user.id,
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
        ip=(ip or "")[:64] or None,
        user_agent=(user_agent or "")[:255] or None,
    )
    session.add(row)
    session.flush()
    return NewSession(token=token, session_id=row.id, user_id=user.id)


def activate_session(session: Session, *, token: str, now: datetime | None = None) -> bool:
    """Mark a fresh session as handed to a browser. True once; False if used, old or unknown."""
    now = now or utcnow()
    result = session.execute(
        update(UserSession)
        .where(
            UserSession.token_hash == _token_hash(token),
            col(UserSession.activated_at).is_(None),
            col(UserSession.revoked_at).is_(None),
            UserSession.created_at >= now - HANDOFF_WINDOW,
        )
        .values(activated_at=now)
    )
    return result.rowcount == 1


# Built once: resolve_session runs on every signed-in event, and building the statement (and
# its cache key) each time cost about as much as running it.
_SESSION_AND_USER = (
    select(UserSession, User)
    .join(User, col(User.id) == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def resolve_session(session: Session, *, token: str, now: datetime | None = None) -> User | None:
    """The active user behind a session token, or None. Runs on every event."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    row = session.exec(_SESSION_AND_USER, params={"token_hash": _token_hash(token)}).first()
    if row is None:
        return None
    user_session, user = row
    if (
        user_session.activated_at is None
        or user_session.revoked_at is not None
        or user_session.expires_at <= now
        or not is_active_user(user)
    ):
        return None
    if user_session.last_seen_at is None or user_session.last_seen_at <= now - LAST_SEEN_EVERY:
        # "Last used" for the sessions list, written at most once a minute per session.
        session.execute(
            update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now)
        )
    return user


def session_id_for_token(session: Session, *, token: str | None) -> int | None:
    """The id of the session row behind a token (the sessions list marks "this device")."""
    if not token or len(token) > 128:
        return None
    return session.exec(
        select(UserSession.id).where(UserSession.token_hash == _token_hash(token))
    ).first()


def revoke_session(session: Session, *, token: str, now: datetime | None = None) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(token), col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now or utcnow())
    )


def revoke_all_sessions(session: Session, *, user_id: int, now: datetime | None = None) -> int:
    """Sign a user out everywhere (sign-out-all, suspension, password change)."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount


_SELLER_PROFILE_ID = select(FreelancerProfile.id).where(
    FreelancerProfile.user_id == bindparam("user_id")
)


def has_seller_profile(session: Session, *, user_id: int) -> bool:
    """Whether the user sells (the header's menu asks on every signed-in navigation)."""
    return session.exec(_SELLER_PROFILE_ID, params={"user_id": user_id}).first() is not None


def email_exists(session: Session, *, email: str) -> bool:
    found = session.exec(select(User.id).where(User.email == normalize_email(email))).first()
    return found is not None


def create_or_promote_admin(
    session: Session, *, email: str, password: str | None, display_name: str = "Administrator"
) -> tuple[User, bool]:
    """Make `email` an admin: promote the existing account, or create one with `password`.

    Returns (user, created). Used by `python -m marketplace createadmin`; the web UI never sets
    the admin flag.
    """
    email = validate_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None:
        user.is_admin = True
        user.email_verified = True  # set up by the operator, who owns the address
        session.add(user)
        session.flush()
        return user, False
    if password is None:
        raise ValidationError("password", "A new admin account needs a password.")
    user = register(session, email=email, password=password, display_name=display_name)
    user.is_admin = True
    user.email_verified = True
    session.add(user)
    session.flush()
    return user, True
