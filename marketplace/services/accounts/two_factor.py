"""Two-factor sign-in with TOTP (RFC 6238, pyotp): 6 digits, 30-second steps, one step of
clock drift either way. Enrolment stores the secret only once a first code proves the
authenticator has it, and hands out ten one-time recovery codes (only their hashes are kept).

A code is accepted once: the step it belongs to is remembered (a LoginAttempt row named
"2fa-step:<user>"), so a code seen over someone's shoulder cannot be replayed in its window.
Wrong codes count as failed sign-ins, with the same limit as passwords.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from marketplace.auth.passwords import verify_password
from marketplace.db import utcnow
from marketplace.models import LoginAttempt, RecoveryCode, User
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError
from marketplace.services.common.guards import require_active_user
from marketplace.settings import Settings

ISSUER = "Gigworks"
VALID_WINDOW = 1  # steps either side of now
RECOVERY_CODES = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class CodeRejected(DomainError):
    pass


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg_data_uri: str


def _rate_key(user_id: int) -> str:
    return f"2fa:{user_id}"


def is_enabled(user: User) -> bool:
    return bool(user.totp_secret and user.totp_enabled_at)


def required_but_missing(user: User, settings: Settings) -> bool:
    """REQUIRE_ADMIN_2FA: an admin must turn two-factor on before using the account."""
    return settings.require_admin_2fa and user.is_admin and not is_enabled(user)


def new_enrolment(*, user: User) -> Enrolment:
    """A fresh secret with its otpauth:// URI and QR code (an SVG data URI, made by segno)."""
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    qr = segno.make(uri, error="m")
    return Enrolment(secret=secret, uri=uri, qr_svg_data_uri=qr.svg_data_uri(scale=5, border=2))


def _normal_code(code: object) -> str:
    return "".join(ch for ch in str(code or "") if not ch.isspace() and ch != "-").lower()[:32]


def _totp_step_ok(secret: str, code: str, *, at: float) -> int | None:
    """The time step the code belongs to (within the window), or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    step = int(at // totp.interval)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        candidate = step + offset
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user_id, code_hash=_hash_code(raw)))
    session.flush()
    return codes


def confirm_enrolment(
    session: Session, *, actor: User | None, secret: str, code: str, at: float | None = None
) -> list[str]:
    """Turn two-factor on once the first code matches; returns the 10 recovery codes."""
    user = session.get(User, require_active_user(actor).id)
    if is_enabled(user):
        raise DomainError("Two-factor sign-in is already on.")
    try:
        valid_secret = len(secret) == 32 and bool(pyotp.TOTP(secret).now())
    except Exception:
        valid_secret = False
    if not valid_secret:
        raise DomainError("Start the set-up again: that QR code is no longer valid.")
    step = _totp_step_ok(secret, _normal_code(code), at=time.time() if at is None else at)
    if step is None:
        raise CodeRejected("That code doesn't match. Type the 6 digits your app shows now.")
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    session.add(user)
    _remember_step(session, user.id, step)
    return _new_recovery_codes(session, user.id)


def disable(session: Session, *, actor: User | None, password: str) -> None:
    """Turn two-factor off; asks for the password (accounts without one: the provider sign-in
    already proved them)."""
    user = session.get(User, require_active_user(actor).id)
    if user.password_hash and not verify_password(user.password_hash, password or ""):
        raise DomainError("That password is not right.")
    user.totp_secret = None
    user.totp_enabled_at = None
    session.add(user)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()


def regenerate_recovery_codes(session: Session, *, actor: User | None) -> list[str]:
    user = session.get(User, require_active_user(actor).id)
    if not is_enabled(user):
        raise DomainError("Turn two-factor sign-in on first.")
    return _new_recovery_codes(session, user.id)


def recovery_codes_left(session: Session, *, user_id: int) -> int:
    return int(
        session.exec(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None)
            )
        ).one()
    )


def _remember_step(session: Session, user_id: int, step: int) -> None:
    # A successful LoginAttempt row under "2fa-step:<user>" with the step in `ip`.
    session.add(LoginAttempt(email=f"2fa-step:{user_id}", ip=str(step), success=True))
    session.flush()


def _step_used(session: Session, user_id: int, step: int) -> bool:
    return (
        session.exec(
            select(LoginAttempt.id).where(
                LoginAttempt.email == f"2fa-step:{user_id}", LoginAttempt.ip == str(step)
            )
        ).first()
        is not None
    )


def check_sign_in_code(
    session: Session,
    *,
    user_id: int,
    code: str,
    ip: str,
    now: datetime | None = None,
    at: float | None = None,
) -> str:
    """The second step of a password sign-in: a current TOTP code or an unused recovery code.

    Returns "totp" or "recovery". Wrong codes are counted like wrong passwords (the caller
    commits even when this raises), and past the limit every code is refused for a while."""
    now = now or utcnow()
    key = _rate_key(user_id)
    ip = (ip or "unknown")[:64]
    since = now - accounts.FAILED_LOGIN_WINDOW
    failures = session.exec(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == key,
            LoginAttempt.at >= since,
            col(LoginAttempt.success).is_(False),
        )
    ).one()
    if failures >= accounts.FAILED_LOGIN_LIMIT:
        raise accounts.RateLimited("Too many wrong codes. Wait 10 minutes, then try again.")
    user = session.get(User, user_id)
    if user is None or not is_enabled(user):
        raise CodeRejected("Sign in again.")
    normal = _normal_code(code)
    step = _totp_step_ok(user.totp_secret, normal, at=time.time() if at is None else at)
    if step is not None and not _step_used(session, user.id, step):
        _remember_step(session, user.id, step)
        return "totp"
    if len(normal) == 10:
        used = session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash_code(normal),
                col(RecoveryCode.used_at).is_(None),
            )
            .values(used_at=now)
        ).rowcount
        if used == 1:
            return "recovery"
    # Counted per account (the key), not against the address's password limit: one person
    # mistyping a code must not lock out everyone behind the same address.
    session.add(LoginAttempt(email=key, ip=f"2fa {ip}"[:64], at=now, success=False))
    session.flush()
    raise CodeRejected(
        "That code is not right. Use the 6 digits from your app, or a recovery code."
    )
