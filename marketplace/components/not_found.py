"""The marketplace's own "not found" panel: for unknown addresses, missing gigs and sellers.

Inside the shell (header with search, footer), it says what is missing and offers the ways on:
a search box, the home page and the full list of services.
"""

import reflex as rx

from marketplace.components.layout import search_box


def not_found_panel(icon: str, heading: str, text: str, test_id: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=44, color="var(--gray-9)"),
            rx.heading(heading, size="7", as_="h1", text_align="center"),
            rx.text(text, color_scheme="gray", text_align="center", max_width="460px"),
            rx.box(search_box(size="3"), width="100%", max_width="480px", padding_top="8px"),
            rx.hstack(
                rx.link(
                    rx.button(rx.icon("house", size=16), "Back to home", size="3"),
                    href="/",
                    underline="none",
                ),
                rx.link(
                    rx.button("Browse all services", size="3", variant="outline"),
                    href="/search",
                    underline="none",
                ),
                spacing="3",
                wrap="wrap",
                justify="center",
            ),
            align="center",
            spacing="4",
            width="100%",
            data_testid=test_id,
        ),
        padding_y=["48px", "80px"],
        padding_x="16px",
        width="100%",
    )
