"""The one answer to "may this account act?": signed in, and in good standing.

Every service that changes something on a user's behalf starts with `require_active_user`, so a
suspension stops every write the same way and says so in the same words.
"""

from marketplace.models import User, UserStatus
from marketplace.services.common.errors import PermissionDenied

SIGN_IN_MESSAGE = "Sign in to continue."
SUSPENDED_MESSAGE = "This account is suspended. Contact support for help."


class AccountSuspended(PermissionDenied):
    """The account exists but is suspended or banned."""


def is_active_user(user: User | None) -> bool:
    """A stored account in good standing (a suspended or banned one is not)."""
    return user is not None and user.id is not None and user.status == UserStatus.active


def require_active_user(actor: User | None) -> User:
    """The actor, when signed in and in good standing; otherwise PermissionDenied."""
    if actor is None or actor.id is None:
        raise PermissionDenied(SIGN_IN_MESSAGE)
    if actor.status != UserStatus.active:
        raise AccountSuspended(SUSPENDED_MESSAGE)
    return actor
