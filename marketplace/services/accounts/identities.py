"""Sign-in through an external provider: find, link or create the account behind an identity.

An identity is (provider, subject), never an email: emails change hands and some providers
do not verify them. A provider's email therefore only creates a new account; it never opens
an existing one by itself. Linking to an existing account needs proof of that account too:
being signed in to it already, or its password (`link_after_password`).
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, select

from marketplace.db import utcnow
from marketplace.models import OAuthIdentity, User
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError
from marketplace.services.common.guards import (
    SUSPENDED_MESSAGE,
    AccountSuspended,
    is_active_user,
    require_active_user,
)

MAX_SUBJECT_LENGTH = 255
MAX_PROVIDER_LENGTH = 40


class IdentityError(DomainError):
    """An external sign-in that cannot go ahead; nothing was written."""


class EmailInUse(IdentityError):
    """The email belongs to an account this identity may not open by itself."""


class EmailMissing(IdentityError):
    """The provider shared no usable email, so no account can be made for it."""


class AccountUnavailable(IdentityError, AccountSuspended):
    """The account exists but is suspended or banned."""


class IdentityTaken(IdentityError):
    """The identity is already linked to a different account."""


class LinkRefused(IdentityError):
    """A link ticket that does not belong to the account that proved its password."""


class OutcomeKind(StrEnum):
    signed_in = "signed_in"  # the identity was linked before: sign in as its user
    linked = "linked"  # linked to the user who is signed in right now
    created = "created"  # a new account was made for it
    needs_password_link = "needs_password_link"  # email matches: prove the password first


@dataclass(frozen=True)
class IdentityOutcome:
    kind: OutcomeKind
    user: User | None = None  # set for every kind except needs_password_link
    email: str | None = None  # the matching account's email for needs_password_link


def _find_identity(session: Session, provider: str, subject: str) -> OAuthIdentity | None:
    return session.exec(
        select(OAuthIdentity).where(
            OAuthIdentity.provider == provider, OAuthIdentity.subject == subject
        )
    ).first()


def _check_names(provider: str, subject: str) -> None:
    if not provider or len(provider) > MAX_PROVIDER_LENGTH:
        raise IdentityError("That sign-in provider is not known.")
    if not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise IdentityError("The provider did not identify your account. Please try again.")


def _require_active(user: User | None) -> User:
    """The guard every service uses, as the identity error the OAuth routes map to a code."""
    if not is_active_user(user):
        raise AccountUnavailable(SUSPENDED_MESSAGE)
    return require_active_user(user)


def _usable_email(email: str | None) -> str | None:
    """The provider's email normalised, or None when it is missing or not an address."""
    if not email:
        return None
    try:
        return accounts.validate_email(email)
    except accounts.ValidationError:
        return None


def _display_name(display_name: str | None, email: str) -> str:
    name = " ".join((display_name or "").split())[:80]
    if len(name) >= 2:
        return name
    local = email.split("@")[0][:80]
    return local if len(local) >= 2 else "Member"


def sign_in_with_identity(
    session: Session,
    *,
    provider: str,
    subject: str,
    email: str | None,
    email_verified: bool,
    display_name: str | None,
    current_user_id: int | None,
) -> IdentityOutcome:
    """Decide what a confirmed provider identity means here; the caller commits.

    `email_verified` must be the provider's own statement; an unverified email never leads
    to linking. `current_user_id` is the user signed in in this browser, if any.
    """
    _check_names(provider, subject)
    email = _usable_email(email)
    now = utcnow()

    identity = _find_identity(session, provider, subject)
    if identity is not None:
        if current_user_id is not None and identity.user_id != current_user_id:
            raise IdentityTaken(
                "That account at the provider is already linked to another Gigworks account."
            )
        user = _require_active(session.get(User, identity.user_id))
        if email and identity.email != email:
            identity.email = email
            session.add(identity)
        user.last_login_at = now
        session.add(user)
        session.flush()
        kind = OutcomeKind.signed_in if current_user_id is None else OutcomeKind.linked
        return IdentityOutcome(kind=kind, user=user)

    if current_user_id is not None:
        user = _require_active(session.get(User, current_user_id))
        session.add(OAuthIdentity(user_id=user.id, provider=provider, subject=subject, email=email))
        session.flush()
        return IdentityOutcome(kind=OutcomeKind.linked, user=user)

    if email is None:
        raise EmailMissing(
            "The provider did not share an email address with us. Allow access to your email "
            "there, or join with your email and a password."
        )

    existing = session.exec(select(User).where(User.email == email)).first()
    if existing is not None:
        if not email_verified:
            raise EmailInUse(
                "An account with this email already exists. Sign in with your email and "
                "password instead."
            )
        _require_active(existing)
        if existing.password_hash is None:
            raise EmailInUse(
                "An account with this email already exists and signs in through another "
                "provider. Please sign in that way."
            )
        return IdentityOutcome(kind=OutcomeKind.needs_password_link, email=existing.email)

    name = _display_name(display_name, email)
    user = User(
        email=email,
        username=accounts.unique_username(session, base=name),
        display_name=name,
        password_hash=None,
        email_verified=bool(email_verified),
        last_login_at=now,
    )
    session.add(user)
    session.flush()
    session.add(OAuthIdentity(user_id=user.id, provider=provider, subject=subject, email=email))
    session.flush()
    return IdentityOutcome(kind=OutcomeKind.created, user=user)


def link_after_password(session: Session, *, link_ticket_data: dict, user: User) -> OAuthIdentity:
    """Link the ticket's identity to `user`, who has just proved the password; caller commits.

    The ticket's email must be the user's: otherwise anyone could send a victim a link that
    attaches the sender's provider account to the victim's account.
    """
    provider = link_ticket_data.get("provider")
    subject = link_ticket_data.get("subject")
    email = _usable_email(link_ticket_data.get("email"))
    if not isinstance(provider, str) or not isinstance(subject, str) or email is None:
        raise LinkRefused("That link has expired. Sign in with the provider again.")
    _check_names(provider, subject)
    _require_active(user)
    if email != user.email:
        raise LinkRefused("That provider account belongs to a different email. Nothing was linked.")

    identity = _find_identity(session, provider, subject)
    if identity is not None:
        if identity.user_id != user.id:
            raise IdentityTaken(
                "That account at the provider is already linked to another Gigworks account."
            )
        return identity

    identity = OAuthIdentity(user_id=user.id, provider=provider, subject=subject, email=email)
    session.add(identity)
    # The provider confirmed this address (tickets are only made for verified emails).
    user.email_verified = True
    session.add(user)
    session.flush()
    return identity
