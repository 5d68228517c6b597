"""Money as typed and money as text: the one dollar parser and the one formatter.

Money is integer cents everywhere; only these two functions turn text into cents and cents into
text. `parse_dollars` reads what a person types into a price or amount box ("$1,200", "12.50")
with Decimal, never float, and answers with one set of messages wherever it is used (the gig
editor's prices, a custom offer's price, a refund). `money_text` writes "$1,234" or "$12.50":
services quote amounts in their messages with it and `state/format.money` is the same function
for the screens.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

BAD_VALUE = "This value can't be read. Please enter it again."
EMPTY = "Enter a price."
PRICE_FORMAT = "Enter a price in dollars, like 25 or 25.50."
TOO_PRECISE = "Use at most 2 decimals: prices are in whole cents."
NEGATIVE = "A price can't be negative."

_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


def typed_text(value: Any) -> str | None:
    """What a text box can have sent: a string, or a number as its digits; None for anything
    else (lists, dicts, booleans cannot have been typed). The gig editor's rules read every
    field with it too."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**18 else None  # str() of a huge int raises
    return None


def parse_dollars(value: Any) -> tuple[int | None, str]:
    """Dollars as typed ("$1,200", "12.50") -> (integer cents, "") or (None, message), with no
    bounds: a gig's prices add theirs, an offer and a refund their own."""
    text = typed_text(value)
    if text is None:
        return None, BAD_VALUE
    text = text.strip()
    if not text:
        return None, EMPTY
    if len(text) > 32:
        return None, PRICE_FORMAT
    negative = False
    if text.startswith("-"):
        negative, text = True, text[1:].strip()
    if text.startswith("$"):
        text = text[1:].strip()
    if text.startswith("-") and not negative:
        negative, text = True, text[1:].strip()
    if not _AMOUNT.fullmatch(text):
        return None, PRICE_FORMAT
    digits = text.replace(",", "")
    if "." in digits and len(digits.split(".", 1)[1]) > 2:
        return None, TOO_PRECISE
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None, PRICE_FORMAT
    if negative and amount != 0:
        return None, NEGATIVE
    return int(amount * 100), ""


def money_text(cents: int, currency: str = "usd") -> str:
    """$1,234 for whole amounts, $12.50 otherwise, -$5 below zero."""
    symbol = SYMBOLS.get(currency.lower(), currency.upper() + " ")
    dollars, rest = divmod(abs(int(cents)), 100)
    sign = "-" if cents < 0 else ""
    if rest == 0:
        return f"{sign}{symbol}{dollars:,}"
    return f"{sign}{symbol}{dollars:,}.{rest:02d}"
