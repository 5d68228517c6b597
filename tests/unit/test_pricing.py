"""The one price function: exact sums, half-up rounding, extras and quantity."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.services.common.errors import DomainError
from marketplace.services.orders import pricing
from marketplace.services.orders.pricing import ExtraLine, included_in, percent_of, price

extras = st.lists(
    st.builds(
        ExtraLine,
        price_cents=st.integers(0, 100_000),
        extra_days=st.integers(-5, 10),
        kind=st.sampled_from(["fast_delivery", "additional_revision", "custom"]),
    ),
    max_size=4,
)


@given(
    package=st.integers(1, 5_000_000),
    days=st.integers(1, 90),
    revisions=st.integers(-1, 10),
    chosen=extras,
    quantity=st.integers(1, pricing.MAX_QUANTITY),
    fee_bps=st.integers(0, 10_000),
    commission_bps=st.integers(0, 10_000),
)
def test_the_parts_always_add_up_and_nothing_is_negative(
    package, days, revisions, chosen, quantity, fee_bps, commission_bps
):
    p = price(
        package_price_cents=package,
        package_delivery_days=days,
        package_revisions=revisions,
        extras=chosen,
        quantity=quantity,
        buyer_fee_bps=fee_bps,
        seller_commission_bps=commission_bps,
    )
    assert p.subtotal_cents == (package + sum(e.price_cents for e in chosen)) * quantity
    assert p.subtotal_cents + p.service_fee_cents == p.total_cents
    assert p.seller_earnings_cents + p.commission_cents == p.subtotal_cents
    assert min(p.service_fee_cents, p.commission_cents, p.seller_earnings_cents) >= 0
    assert p.delivery_days >= 1
    # Each percentage is within half a cent of the exact value.
    assert abs(p.service_fee_cents * 10_000 - p.subtotal_cents * fee_bps) <= 5_000
    assert abs(p.commission_cents * 10_000 - p.subtotal_cents * commission_bps) <= 5_000
    if revisions == -1:
        assert p.revisions == -1
    else:
        assert p.revisions == revisions + sum(e.kind == "additional_revision" for e in chosen)


def test_half_a_cent_rounds_up():
    assert percent_of(10, 550) == 1  # 0.55 -> 1
    assert percent_of(9, 550) == 0  # 0.495 -> 0
    assert percent_of(100, 50) == 1  # exactly 0.5 -> 1
    assert percent_of(0, 550) == 0


def test_defaults_on_a_twenty_dollar_gig_with_an_extra_times_two():
    p = price(
        package_price_cents=2_000,
        package_delivery_days=3,
        package_revisions=1,
        extras=[ExtraLine(1_500, -2, "fast_delivery"), ExtraLine(500, 1, "additional_revision")],
        quantity=2,
        buyer_fee_bps=550,
        seller_commission_bps=2_000,
    )
    assert p == pricing.Price(
        subtotal_cents=8_000,
        service_fee_cents=440,
        total_cents=8_440,
        commission_cents=1_600,
        seller_earnings_cents=6_400,
        delivery_days=2,
        revisions=2,
    )


def test_faster_extras_never_make_delivery_less_than_a_day():
    p = price(
        package_price_cents=500,
        package_delivery_days=1,
        package_revisions=0,
        extras=[ExtraLine(100, -3, "fast_delivery")],
        buyer_fee_bps=0,
        seller_commission_bps=0,
    )
    assert p.delivery_days == 1


@pytest.mark.parametrize("quantity", [0, -1, 11, True, "2"])
def test_quantity_outside_one_to_ten_is_refused_with_a_message(quantity):
    with pytest.raises(DomainError, match="quantity between 1 and 10"):
        price(
            package_price_cents=500,
            package_delivery_days=1,
            package_revisions=0,
            quantity=quantity,
            buyer_fee_bps=550,
            seller_commission_bps=2_000,
        )


def test_an_extra_the_package_already_includes_is_refused():
    """Issue 23: Premium includes "Social media kit" and the gig also sells it as a $10 extra:
    the buyer could pay twice for one thing."""
    kit = ExtraLine(1_000, 1, "custom", "Social media kit")
    premium = ["Logo transparency", "Source file", "Social media kit"]
    kw = dict(
        package_price_cents=9_000, package_delivery_days=5, package_revisions=2,
        buyer_fee_bps=550, seller_commission_bps=2_000,
    )  # fmt: skip
    with pytest.raises(DomainError, match="already includes “Social media kit”"):
        price(extras=[kit], package_features=premium, **kw)
    # Another package without it may still add it; names compare loosely.
    assert price(extras=[kit], package_features=["Logo transparency"], **kw).subtotal_cents == (
        10_000
    )
    assert included_in(["Source file"], "Source file (AI, PSD or Figma)")
    assert included_in(["Stationery designs"], "Stationery design")
    assert not included_in(["Source file"], "Extra concept")
    assert not included_in(premium, "")  # a fast-delivery extra has no title of its own
