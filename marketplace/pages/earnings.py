"""`/my/earnings`: available, in escrow, paid out, refunded, fees, a payout notice while payouts
are not enabled, earnings per week, the ledger lines with pages, and the CSV export."""

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.components.order_parts import (
    empty_box,
    ledger_lines,
    money_summary_row,
    page_skeleton,
    panel,
)
from marketplace.components.paging import pager
from marketplace.pages.routing import page
from marketplace.state.earnings import EarningsState

S = EarningsState


def payout_notice() -> rx.Component:
    return rx.cond(
        ~S.payouts_enabled,
        rx.callout.root(
            rx.callout.icon(rx.icon("wallet", size=18)),
            rx.callout.text(
                rx.cond(
                    S.has_pending_payout,
                    rx.fragment(
                        rx.text.strong(S.pending_payout),
                        " is waiting for you. Payouts are not set up yet; it is transferred as "
                        "soon as they are. ",
                    ),
                    "Payouts are not set up yet: what you earn is kept for you until they are. ",
                ),
                rx.link("Set up payouts", href="/settings/payouts", weight="bold"),
            ),
            color_scheme="amber",
            width="100%",
            data_testid="pending-payout",
        ),
    )


def weekly_chart() -> rx.Component:
    return panel(
        "Earnings per week",
        rx.cond(
            S.has_earnings,
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                rx.recharts.x_axis(data_key="week", font_size=12),
                rx.recharts.y_axis(font_size=12, width=48),
                rx.recharts.tooltip(),
                rx.recharts.bar(
                    data_key="amount",
                    name="Released ($)",
                    fill="var(--accent-9)",
                    radius=4,
                    is_animation_active=False,
                ),
                data=S.weeks,
                width="100%",
                height=240,
            ),
            rx.text(
                "Nothing released in the last 12 weeks. Money appears here when buyers accept "
                "your deliveries.",
                size="2",
                color_scheme="gray",
            ),
        ),
        icon="chart-column",
        test_id="weekly-chart",
    )


def pagination() -> rx.Component:
    return pager(page_number=S.page_number, page_count=S.page_count, go_to_page=S.go_to_page)


def ledger_panel() -> rx.Component:
    return panel(
        "Ledger",
        rx.cond(
            S.lines.length() > 0,
            rx.vstack(ledger_lines(S.lines, show_order=True), pagination(), width="100%"),
            rx.text("No money has moved on your orders yet.", size="2", color_scheme="gray"),
        ),
        icon="list",
        test_id="earnings-ledger",
    )


def earnings_body() -> rx.Component:
    return rx.vstack(
        payout_notice(),
        rx.grid(
            rx.foreach(S.summary, money_summary_row),
            columns=rx.breakpoints(initial="2", sm="3", md="5"),
            spacing="3",
            width="100%",
            data_testid="earnings-summary",
        ),
        weekly_chart(),
        ledger_panel(),
        spacing="4",
        width="100%",
    )


def not_a_seller() -> rx.Component:
    return empty_box(
        "wallet",
        "Earnings are for sellers",
        "Set up your seller profile and publish a gig; what you earn appears here.",
        rx.link(rx.button("Become a seller"), href="/settings/profile", underline="none"),
        test_id="not-a-seller",
    )


@page("/my/earnings", "Earnings · Gigworks", on_load=EarningsState.load)
def earnings_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.flex(
                rx.heading("Earnings", size="7", as_="h1"),
                rx.spacer(),
                rx.cond(
                    S.is_seller,
                    # The file comes from an HTTP route, not from a page.
                    rx.el.a(
                        rx.button(rx.icon("download", size=16), "Download CSV", variant="soft"),
                        href="/my/earnings.csv",
                        download="earnings.csv",
                        reload_document=True,  # a file from an HTTP route: no client-side routing
                        data_testid="earnings-csv",
                    ),
                ),
                align="center",
                gap="12px",
                width="100%",
                wrap="wrap",
            ),
            rx.cond(
                S.loading,
                page_skeleton(3),
                rx.cond(S.is_seller, earnings_body(), not_a_seller()),
            ),
            spacing="5",
            width="100%",
        ),
        padding_y="32px",
    )
