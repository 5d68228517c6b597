"""Formatting for display. Money is integer cents everywhere else; only here does it become text."""

from marketplace import labels


def money(cents: int, currency: str = "usd") -> str:
    """$1,234 for whole amounts, $12.50 otherwise."""
    symbol = {"usd": "$", "eur": "€", "gbp": "£"}.get(currency.lower(), currency.upper() + " ")
    dollars, rest = divmod(abs(int(cents)), 100)
    sign = "-" if cents < 0 else ""
    if rest == 0:
        return f"{sign}{symbol}{dollars:,}"
    return f"{sign}{symbol}{dollars:,}.{rest:02d}"


def initials(name: str) -> str:
    """ "Maya Lindqvist" -> "ML", for avatars without a photo."""
    return "".join(part[0] for part in name.split()[:2]).upper()


def media_url(name: str | None) -> str:
    """The address of an uploaded image by its stored name; "" when there is none."""
    return f"/media/{name}" if name else ""


# The plural helper lives with the shared words (services and the CLI use it too).
plural = labels.plural
