"""Formatting for display. Money is integer cents everywhere else; it becomes text only through
`money` (services/common/money.money_text, which services use for their messages)."""

from datetime import UTC, datetime

from marketplace import labels
from marketplace.db import utcnow
from marketplace.services.common.money import money_text


def money(cents: int, currency: str = "usd") -> str:
    """$1,234 for whole amounts, $12.50 otherwise."""
    return money_text(cents, currency)


def ago(at: datetime, now: datetime | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 days ago", then the date."""
    now = now or utcnow()
    seconds = max(0, int((now - at).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    if seconds < 7 * 86400:
        return plural(seconds // 86400, "day") + " ago"
    return at.astimezone(UTC).strftime("%b %d, %Y")


def initials(name: str) -> str:
    """ "Maya Lindqvist" -> "ML", for avatars without a photo."""
    return "".join(part[0] for part in name.split()[:2]).upper()


def media_url(name: str | None) -> str:
    """The address of an uploaded image by its stored name; "" when there is none."""
    return f"/media/{name}" if name else ""


# The plural helper lives with the shared words (services and the CLI use it too).
plural = labels.plural
