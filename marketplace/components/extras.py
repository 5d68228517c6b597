"""One extra as a ticked row (title, description and days, price): the gig page's package box
and checkout show extras the same way."""

from typing import Any

import reflex as rx


def extra_row(
    extra: Any,
    *,
    checked: rx.Var[bool],
    on_change: Any,
    test_id: str,
    price: Any = None,
    days_note: Any = None,
    **checkbox_props,
) -> rx.Component:
    """`extra` is a view with title, description, days_note and price vars; `price` and
    `days_note` replace its own (the gig page says "Included", with no extra days, for an extra
    the package already has)."""
    days = extra.days_note if days_note is None else days_note
    return rx.el.label(
        rx.hstack(
            rx.checkbox(checked=checked, on_change=on_change, margin_top="2px", **checkbox_props),
            rx.vstack(
                rx.text(extra.title, size="2", weight="medium"),
                rx.cond(
                    (extra.description != "") | (days != ""),
                    rx.text(
                        extra.description,
                        rx.cond((extra.description != "") & (days != ""), " · ", ""),
                        days,
                        size="1",
                        color_scheme="gray",
                    ),
                ),
                spacing="0",
                flex="1",
                min_width="0",
            ),
            rx.text(
                extra.price if price is None else price,
                size="2",
                weight="bold",
                white_space="nowrap",
                data_testid=f"{test_id}-price",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        cursor="pointer",
        width="100%",
        data_testid=test_id,
    )
