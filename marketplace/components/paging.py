"""Previous / "Page N of M" / Next, shown only when there is more than one page."""

from collections.abc import Callable

import reflex as rx


def pager(
    *, page_number: rx.Var[int], page_count: rx.Var[int], go_to_page: Callable
) -> rx.Component:
    """`go_to_page` is the page state's handler taking the wanted page number."""
    return rx.cond(
        page_count > 1,
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16),
                "Previous",
                variant="soft",
                disabled=page_number <= 1,
                on_click=go_to_page(page_number - 1),
            ),
            rx.text("Page ", page_number, " of ", page_count, size="2"),
            rx.button(
                "Next",
                rx.icon("chevron-right", size=16),
                variant="soft",
                disabled=page_number >= page_count,
                on_click=go_to_page(page_number + 1),
            ),
            spacing="3",
            align="center",
            justify="center",
            width="100%",
        ),
    )
