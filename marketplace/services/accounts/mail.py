"""The mails an account receives: verify an address, reset a password, a sign-in from a new
device, and the notification digest. Each is queued in the mail outbox inside the caller's
transaction (marketplace/mail/outbox.py); the worker sends it.

Unsubscribe links carry a signed (user, kind) pair, so one click switches that kind off without
signing in, and nobody can switch off someone else's mail by guessing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.db import session_scope, utcnow
from marketplace.mail.outbox import enqueue
from marketplace.mail.render import Button, render_mail
from marketplace.models import Notification, User, UserSession, UserStatus
from marketplace.settings import get_settings

# Mail kinds a person can switch off (settings page, unsubscribe link). Verification and
# password-reset mails are answers to the person's own request and always go.
OPTIONAL_KINDS = {
    "digest": "Notification digest (new messages and order updates, at most hourly)",
    "new_sign_in": "A sign-in to my account from a new device",
}
DIGEST_EVERY = timedelta(hours=1)
DIGEST_MAX_ITEMS = 10
_UNSUBSCRIBE_SALT = "gigworks:unsubscribe"


def _url(path: str) -> str:
    return get_settings().app_url.rstrip("/") + path


def _first_name(user: User) -> str:
    return (user.display_name or "there").split()[0]


# --- unsubscribe ------------------------------------------------------------------------------


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return URLSafeSerializer(get_settings().secret_key, salt=_UNSUBSCRIBE_SALT).dumps(
        [user_id, kind]
    )


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    return _url(f"/mail/unsubscribe?t={unsubscribe_token(user_id=user_id, kind=kind)}")


def unsubscribe(session: Session, *, token: str) -> str | None:
    """Switch off the kind named in a signed link; its description, or None if the link is bad."""
    try:
        user_id, kind = URLSafeSerializer(get_settings().secret_key, salt=_UNSUBSCRIBE_SALT).loads(
            token or ""
        )
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in OPTIONAL_KINDS or not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    if user is None:
        return None
    set_opt_out(session, user=user, kind=kind, off=True)
    return OPTIONAL_KINDS[kind]


def set_opt_out(session: Session, *, user: User, kind: str, off: bool) -> None:
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    current = set(user.mail_opt_out or [])
    current = current | {kind} if off else current - {kind}
    user.mail_opt_out = sorted(current)
    session.add(user)
    session.flush()


def wants(user: User, kind: str) -> bool:
    return kind not in (user.mail_opt_out or [])


# --- the account mails ------------------------------------------------------------------------


def queue_verification(session: Session, *, user: User, email: str, token: str) -> None:
    link = _url(f"/verify-email?t={token}")
    mail = render_mail(
        subject="Confirm your email address",
        heading="Confirm your email address",
        paragraphs=[
            f"Hi {_first_name(user)},",
            f"Please confirm that {email} is your email address. Once it is confirmed you can "
            "publish gigs and place orders on Gigworks.",
        ],
        button=Button("Confirm my email", link),
        after=["The link works for 24 hours. If you did not ask for this, ignore this mail."],
    )
    enqueue(session, kind="verify_email", to=email, mail=mail, user_id=user.id)


def queue_password_reset(session: Session, *, user: User, token: str) -> None:
    link = _url(f"/reset-password?t={token}")
    mail = render_mail(
        subject="Reset your Gigworks password",
        heading="Reset your password",
        paragraphs=[
            f"Hi {_first_name(user)},",
            "Someone (we hope you) asked to reset the password of your Gigworks account.",
        ],
        button=Button("Choose a new password", link),
        after=[
            "The link works once, for one hour. Setting a new password signs you out everywhere "
            "else. If you did not ask for this, ignore this mail: your password stays as it is.",
        ],
    )
    enqueue(session, kind="reset_password", to=user.email, mail=mail, user_id=user.id)


def queue_email_changed_notice(session: Session, *, user: User, old_email: str, new_email: str):
    mail = render_mail(
        subject="Your Gigworks email address was changed",
        heading="Your email address was changed",
        paragraphs=[
            f"Hi {_first_name(user)},",
            f"The email address of your Gigworks account is now {new_email} (it was {old_email}).",
            "If you did not do this, reset your password at once and contact support.",
        ],
    )
    enqueue(session, kind="email_changed", to=old_email, mail=mail, user_id=user.id)


def describe_device(user_agent: str) -> str:
    """ "Chrome on Linux" from a User-Agent header (good enough to recognise one's own)."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if key in ua
        ),
        "A browser",
    )
    system = next(
        (
            name
            for key, name in (
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Android", "Android"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        "an unknown system",
    )
    if "HeadlessChrome" in ua:
        browser = "Headless Chrome"
    return f"{browser} on {system}"


def queue_new_device_notice(
    session: Session, *, user: User, ip: str, user_agent: str, now: datetime | None = None
) -> bool:
    """Mail the person when a sign-in comes from a device none of their earlier sessions used
    (call it before the new session is stored). The very first session of an account is no
    news. True when a mail was queued."""
    if not wants(user, "new_sign_in"):
        return False
    agents = set(
        session.exec(select(UserSession.user_agent).where(UserSession.user_id == user.id)).all()
    )
    if not agents or ((user_agent or "")[:255] or None) in agents:
        return False
    when = (now or utcnow()).strftime("%d %b %Y, %H:%M UTC")
    mail = render_mail(
        subject="New sign-in to your Gigworks account",
        heading="A new sign-in to your account",
        paragraphs=[
            f"Hi {_first_name(user)},",
            f"Your account was signed in to from {describe_device(user_agent)} "
            f"(address {ip or 'unknown'}) on {when}.",
            "If this was you, there is nothing to do. If not, reset your password and sign out "
            "every session from your account settings.",
        ],
        button=Button("Review my sessions", _url("/settings/account")),
        unsubscribe_url=unsubscribe_url(user_id=user.id, kind="new_sign_in"),
        footer="You get this mail for every sign-in from a new device.",
    )
    enqueue(session, kind="new_sign_in", to=user.email, mail=mail, user_id=user.id)
    return True


# --- the digest -------------------------------------------------------------------------------


def queue_digest(session: Session, *, user: User, now: datetime) -> bool:
    """One mail listing the unread notifications since the last digest; True if queued."""
    since = user.digest_sent_at or user.created_at
    query = (
        select(Notification)
        .where(
            Notification.user_id == user.id,
            col(Notification.read_at).is_(None),
            Notification.created_at > since,
        )
        .order_by(col(Notification.created_at).desc())
    )
    items = session.exec(query.limit(DIGEST_MAX_ITEMS)).all()
    if not items:
        return False
    total = session.exec(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id,
            col(Notification.read_at).is_(None),
            Notification.created_at > since,
        )
    ).one()
    lines = [f"• {item.title}" + (f" — {item.body[:140]}" if item.body else "") for item in items]
    if total > len(items):
        lines.append(f"… and {total - len(items)} more.")
    mail = render_mail(
        subject=f"You have {total} new update{'s' if total != 1 else ''} on Gigworks",
        heading="What happened while you were away",
        paragraphs=[f"Hi {_first_name(user)},", *lines],
        button=Button("Open Gigworks", _url("/orders")),
        unsubscribe_url=unsubscribe_url(user_id=user.id, kind="digest"),
        footer="A digest at most once an hour, only when something happened.",
    )
    enqueue(session, kind="digest", to=user.email, mail=mail, user_id=user.id)
    user.digest_sent_at = now
    session.add(user)
    session.flush()
    return True


def send_due_digests(*, now: datetime | None = None, engine=None, limit: int = 200) -> int:
    """The worker's tick: a digest for each person with unread news and no digest this hour."""
    now = now or utcnow()
    with session_scope(engine) as session:
        # EXISTS, not JOIN + DISTINCT: PostgreSQL has no equality for the JSON column of User.
        unread_news = (
            select(Notification.id)
            .where(
                col(Notification.user_id) == User.id,
                col(Notification.read_at).is_(None),
                Notification.created_at > func.coalesce(User.digest_sent_at, User.created_at),
            )
            .exists()
        )
        candidates = session.exec(
            select(User)
            .where(
                User.status == UserStatus.active,
                col(User.deleted_at).is_(None),
                (col(User.digest_sent_at).is_(None))
                | (col(User.digest_sent_at) <= now - DIGEST_EVERY),
                unread_news,
            )
            .order_by(User.id)
            .limit(limit)
        ).all()
        queued = 0
        for user in candidates:
            if not wants(user, "digest"):
                # Counted as handled for this hour, so opted-out accounts never fill the
                # batch and keep everyone after them from their digest.
                user.digest_sent_at = now
                session.add(user)
            elif queue_digest(session, user=user, now=now):
                queued += 1
    return queued
