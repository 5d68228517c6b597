"""The one price function: package + extras + quantity -> subtotal, fee, total, seller earnings.

The gig page, checkout, the order snapshot and the demo seed all call `price`, so a buyer never
sees one number on the gig page and pays another. Rounding (docs/orders.md): each percentage is
taken of the whole subtotal once and rounded half up to the cent; the total and the seller's
earnings are then sums and differences of whole cents, so subtotal + fee = total and earnings +
commission = subtotal hold exactly.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from marketplace.models.gigs import UNLIMITED_REVISIONS, ExtraKind
from marketplace.services.common.errors import DomainError

MAX_QUANTITY = 10
BPS = 10_000


@dataclass(frozen=True)
class ExtraLine:
    """One chosen extra, from a GigExtra or an order's extras snapshot."""

    price_cents: int
    extra_days: int  # negative = faster
    kind: str  # ExtraKind value (additional_revision adds a revision)
    title: str = ""  # refused when the package already includes it (see `included_in`)


@dataclass(frozen=True)
class Price:
    subtotal_cents: int  # (package + extras) * quantity
    service_fee_cents: int  # buyer fee on the subtotal
    total_cents: int  # subtotal + fee: what the card is charged
    commission_cents: int  # platform commission on the subtotal
    seller_earnings_cents: int  # subtotal - commission
    delivery_days: int  # >= 1
    revisions: int  # -1 = unlimited


def percent_of(amount_cents: int, bps: int) -> int:
    """bps/10,000 of a non-negative amount, rounded half up to the cent (integers only)."""
    if amount_cents < 0 or not 0 <= bps <= BPS:
        raise ValueError("percent_of takes a non-negative amount and 0..10000 basis points")
    return (amount_cents * bps + BPS // 2) // BPS


def _words(text: str) -> tuple[str, ...]:
    """A name reduced for comparison: lower case, no parenthesised note, singular words."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)", " ", str(text or "").lower()))
    return tuple(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    )


def included_in(package_features: Sequence[str], extra_title: str) -> bool:
    """Whether a package's feature rows already include the extra of this title ("Social
    media kit" in Premium; "Source file (AI, PSD or Figma)" is the feature "Source file")."""
    name = _words(extra_title)
    return bool(name) and any(_words(feature) == name for feature in package_features)


def price(
    *,
    package_price_cents: int,
    package_delivery_days: int,
    package_revisions: int,
    extras: Sequence[ExtraLine] = (),
    quantity: int = 1,
    buyer_fee_bps: int,
    seller_commission_bps: int,
    package_features: Sequence[str] = (),
) -> Price:
    """The price of `quantity` units of a package with `extras` (each unit includes them).
    An extra the package already includes is refused: the buyer would pay twice for it."""
    for e in extras:
        if included_in(package_features, e.title):
            raise DomainError(
                f"This package already includes “{e.title}”: it is not sold again as an extra."
            )
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError("Choose a quantity between 1 and 10.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(f"Choose a quantity between 1 and {MAX_QUANTITY}.")
    if package_price_cents <= 0 or any(e.price_cents < 0 for e in extras):
        raise ValueError("prices must be positive")
    unit = package_price_cents + sum(e.price_cents for e in extras)
    subtotal = unit * quantity
    fee = percent_of(subtotal, buyer_fee_bps)
    commission = percent_of(subtotal, seller_commission_bps)
    revisions = package_revisions
    if revisions != UNLIMITED_REVISIONS:
        revisions += sum(e.kind == ExtraKind.additional_revision for e in extras)
    return Price(
        subtotal_cents=subtotal,
        service_fee_cents=fee,
        total_cents=subtotal + fee,
        commission_cents=commission,
        seller_earnings_cents=subtotal - commission,
        delivery_days=max(1, package_delivery_days + sum(e.extra_days for e in extras)),
        revisions=revisions,
    )
