"""The one dollar parser and the one money formatter (services/common/money.py), and that the
gig editor's rules and the screens use them."""

import pytest

from marketplace.services.common import money
from marketplace.services.gigs import rules
from marketplace.state import format as display


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "$0"), (4000, "$40"), (4050, "$40.50"), (120_005, "$1,200.05"), (-1600, "-$16")],
)
def test_money_text_writes_whole_dollars_without_cents(cents, text):
    assert money.money_text(cents) == text
    assert display.money(cents) == text  # the screens' formatter is the same function


def test_money_text_knows_its_currencies():
    assert money.money_text(250, "eur") == "€2.50"
    assert money.money_text(250, "chf") == "CHF 2.50"


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("25", 2500), ("$1,200", 120_000), (" 12.5 ", 1250), (".99", 99), ("-0", 0), (12, 1200)],
)
def test_dollars_as_typed_become_cents(typed, cents):
    assert money.parse_dollars(typed) == (cents, "")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", money.EMPTY),
        ("abc", money.PRICE_FORMAT),
        ("12,34", money.PRICE_FORMAT),
        ("1.234", money.TOO_PRECISE),
        ("-5", money.NEGATIVE),
        ([1], money.BAD_VALUE),
        (True, money.BAD_VALUE),
    ],
)
def test_what_is_not_an_amount_gets_one_message(typed, message):
    assert money.parse_dollars(typed) == (None, message)


def test_the_gig_rules_use_the_same_parser():
    assert rules.parse_dollars is money.parse_dollars
