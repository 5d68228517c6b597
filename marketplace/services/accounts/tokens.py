"""Links sent by mail: verify an email address (on join and on change) and reset a password.

A token is 32 random bytes; only its SHA-256 is stored. A link works once (a conditional UPDATE
sets `used_at`, so two clicks racing cannot both pass) and for a limited time: 24 hours for a
verification, 1 hour for a reset. Asking for a reset never reveals whether the address has an
account: the answer is the same, and a mail goes only to an existing account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from marketplace.auth.passwords import hash_password
from marketplace.db import utcnow
from marketplace.models import AccountToken, AccountTokenPurpose, User, UserStatus
from marketplace.services.accounts import mail as account_mail
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError, PermissionDenied
from marketplace.services.common.guards import require_active_user

VERIFY_LIFETIME = timedelta(hours=24)
RESET_LIFETIME = timedelta(hours=1)
RESEND_INTERVAL = timedelta(seconds=60)
RESETS_PER_HOUR = 3
TOKEN_MAX_LENGTH = 128

UNVERIFIED_MESSAGE = (
    "Confirm your email address first: we sent you a link. You can send it again from the "
    "banner at the top of the page."
)
RESET_REQUESTED_MESSAGE = (
    "If an account uses that address, we have sent it a link to reset the password. "
    "The link works for one hour."
)


class InvalidToken(DomainError):
    """The link is unknown, used, expired, or for something else."""


class EmailNotVerified(PermissionDenied):
    """Publishing and paying need a confirmed email address."""


def require_verified_email(actor: User) -> User:
    """Gig publishing and checkout call this: an unverified account may browse and message."""
    if not actor.email_verified:
        raise EmailNotVerified(UNVERIFIED_MESSAGE)
    return actor


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    session: Session,
    *,
    user: User,
    purpose: AccountTokenPurpose,
    email: str,
    now: datetime | None = None,
) -> str:
    """A new single-use token (the raw value goes into the mail only)."""
    now = now or utcnow()
    lifetime = VERIFY_LIFETIME if purpose == AccountTokenPurpose.verify_email else RESET_LIFETIME
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=_hash(token),
            email=email,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def peek(
    session: Session, *, token: str, purpose: AccountTokenPurpose, now: datetime | None = None
) -> AccountToken:
    """The usable token row, without using it (the reset page checks the link on load)."""
    now = now or utcnow()
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        raise InvalidToken("This link is not valid.")
    row = session.exec(select(AccountToken).where(AccountToken.token_hash == _hash(token))).first()
    if row is None or row.purpose != purpose.value:
        raise InvalidToken("This link is not valid.")
    if row.used_at is not None:
        raise InvalidToken("This link was already used.")
    if row.expires_at <= now:
        raise InvalidToken("This link has expired.")
    return row


def consume(
    session: Session, *, token: str, purpose: AccountTokenPurpose, now: datetime | None = None
) -> AccountToken:
    """Use the token once: the first caller gets the row, every later one InvalidToken."""
    now = now or utcnow()
    row = peek(session, token=token, purpose=purpose, now=now)
    done = session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, col(AccountToken.used_at).is_(None))
        .values(used_at=now)
    ).rowcount
    if done != 1:
        raise InvalidToken("This link was already used.")
    row.used_at = now
    return row


# --- email verification -----------------------------------------------------------------------


def send_verification(
    session: Session, *, user: User, email: str | None = None, now: datetime | None = None
) -> None:
    """Queue a verification mail for the account's address (or a new address it wants)."""
    now = now or utcnow()
    email = email or user.email
    token = issue(
        session, user=user, purpose=AccountTokenPurpose.verify_email, email=email, now=now
    )
    account_mail.queue_verification(session, user=user, email=email, token=token)


def resend_verification(
    session: Session, *, actor: User | None, now: datetime | None = None
) -> str:
    """The banner's "send it again"; at most one mail a minute. Returns the address used."""
    user = require_active_user(actor)
    user = session.get(User, user.id)
    now = now or utcnow()
    pending = pending_email(session, user=user, now=now)
    if user.email_verified and pending is None:
        raise DomainError("Your email address is already confirmed.")
    last = session.exec(
        select(func.max(AccountToken.created_at)).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == AccountTokenPurpose.verify_email.value,
        )
    ).one()
    if last is not None and last > now - RESEND_INTERVAL:
        raise DomainError("We sent a link less than a minute ago. Check your inbox (and spam).")
    address = pending or user.email
    send_verification(session, user=user, email=address, now=now)
    return address


def pending_email(session: Session, *, user: User, now: datetime | None = None) -> str | None:
    """A new address waiting for its link to be clicked (an email change), if any."""
    now = now or utcnow()
    row = session.exec(
        select(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == AccountTokenPurpose.verify_email.value,
            col(AccountToken.used_at).is_(None),
            AccountToken.expires_at > now,
            AccountToken.email != user.email,
        )
        .order_by(col(AccountToken.id).desc())
    ).first()
    return row.email if row else None


@dataclass(frozen=True)
class Verified:
    user_id: int
    email: str
    changed: bool  # True when the link confirmed a new address, which is now the account's


def verify_email(session: Session, *, token: str, now: datetime | None = None) -> Verified:
    """Confirm the address the link was sent to; for an email change, switch to it now."""
    now = now or utcnow()
    row = consume(session, token=token, purpose=AccountTokenPurpose.verify_email, now=now)
    user = session.get(User, row.user_id)
    if user is None or user.status != UserStatus.active or user.deleted_at is not None:
        raise InvalidToken("This link is not valid.")
    changed = row.email != user.email
    if changed:
        if accounts.email_exists(session, email=row.email):
            raise InvalidToken("Another account uses that address now. Nothing was changed.")
        old = user.email
        user.email = row.email
        account_mail.queue_email_changed_notice(
            session, user=user, old_email=old, new_email=row.email
        )
    user.email_verified = True
    session.add(user)
    session.flush()
    return Verified(user_id=user.id, email=user.email, changed=changed)


# --- password reset ---------------------------------------------------------------------------


def request_password_reset(session: Session, *, email: str, now: datetime | None = None) -> str:
    """Queue a reset link when the address has an active account; the same answer either way."""
    now = now or utcnow()
    user = session.exec(select(User).where(User.email == accounts.normalize_email(email))).first()
    if user is None or user.status != UserStatus.active or user.deleted_at is not None:
        return RESET_REQUESTED_MESSAGE
    recent = session.exec(
        select(func.count(AccountToken.id)).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == AccountTokenPurpose.reset_password.value,
            AccountToken.created_at > now - timedelta(hours=1),
        )
    ).one()
    if recent >= RESETS_PER_HOUR:
        return RESET_REQUESTED_MESSAGE  # quietly: a flood of mails helps nobody
    token = issue(
        session, user=user, purpose=AccountTokenPurpose.reset_password, email=user.email, now=now
    )
    account_mail.queue_password_reset(session, user=user, token=token)
    return RESET_REQUESTED_MESSAGE


def reset_password(
    session: Session, *, token: str, new_password: str, now: datetime | None = None
) -> User:
    """Set the new password from a reset link, end every session, and use the link up.

    The password is checked before the link is used, so a refused password leaves the link
    working. The mailbox was just proved, so the address counts as confirmed."""
    now = now or utcnow()
    peek(session, token=token, purpose=AccountTokenPurpose.reset_password, now=now)
    accounts.validate_password(new_password)
    row = consume(session, token=token, purpose=AccountTokenPurpose.reset_password, now=now)
    user = session.get(User, row.user_id)
    if user is None or user.status != UserStatus.active:
        raise InvalidToken("This link is not valid.")
    user.password_hash = hash_password(new_password)
    if row.email == user.email:
        user.email_verified = True
    session.add(user)
    accounts.revoke_all_sessions(session, user_id=user.id, now=now)
    # Any other reset link still in a mailbox stops working too.
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == AccountTokenPurpose.reset_password.value,
            col(AccountToken.used_at).is_(None),
        )
        .values(used_at=now)
    )
    session.flush()
    return user
