"""`/status`: the footer's "Service status", in words (monitors read `/_health` as JSON)."""

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.pages.routing import page
from marketplace.state.status import StatusRowView, StatusState

S = StatusState


def status_row(row: StatusRowView) -> rx.Component:
    return rx.hstack(
        rx.icon(
            rx.cond(row.ok, "circle-check", "circle-x"),
            size=20,
            color=rx.cond(row.ok, "var(--green-9)", "var(--red-9)"),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.text(row.name, size="3", weight="medium"),
            rx.text(row.words, size="2", color_scheme="gray"),
            spacing="1",
        ),
        spacing="3",
        align="start",
        width="100%",
        padding_y="12px",
        border_bottom="1px solid var(--gray-a4)",
        data_testid="status-row",
    )


@page("/status", "Service status · Gigworks", on_load=S.check)
def status_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.heading("Service status", size="7", as_="h1"),
            rx.callout(
                S.headline,
                icon=rx.match(S.status, ("ok", "circle-check"), ("", "loader"), "triangle-alert"),
                color_scheme=rx.match(
                    S.status, ("ok", "green"), ("", "gray"), ("degraded", "amber"), "red"
                ),
                size="2",
                width="100%",
                role="status",
                data_testid="status-headline",
            ),
            rx.cond(
                S.rows.length() > 0,
                rx.vstack(
                    rx.foreach(S.rows, status_row),
                    rx.text(
                        "Checked ",
                        S.checked_at,
                        ". Reload the page to check again.",
                        size="1",
                        color_scheme="gray",
                        padding_top="12px",
                    ),
                    spacing="0",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
            max_width="640px",
            padding_y="40px",
        )
    )
