"""`/orders`: Buying / Selling, status tabs with counts, late orders flagged, pages."""

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.components.order_parts import empty_box, late_badge, status_badge
from marketplace.components.order_reviews import reviews_to_write_callout
from marketplace.components.paging import pager
from marketplace.pages.routing import page
from marketplace.state.order_models import OrderRowView
from marketplace.state.orders import OrdersState
from marketplace.state.reviews import ReviewsToWriteState

S = OrdersState
TABS = [
    ("active", "Active"),
    ("late", "Late"),
    ("delivered", "Delivered"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("all", "All"),
]
EMPTY = {
    "active": "No orders in progress.",
    "late": "Nothing is late.",
    "delivered": "No deliveries waiting for an answer.",
    "completed": "No completed orders yet.",
    "cancelled": "No cancelled orders.",
    "all": "No orders yet.",
}


def role_switch() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("Buying", value="buying"),
        rx.segmented_control.item("Selling", value="selling"),
        value=S.role,
        on_change=S.change_role,
        data_testid="role-switch",
    )


def status_tabs() -> rx.Component:
    def trigger(value: str, label: str) -> rx.Component:
        return rx.tabs.trigger(
            rx.hstack(
                rx.text(label),
                rx.badge(
                    S.counts.get(value, 0),
                    variant="soft",
                    color_scheme=(
                        rx.cond(S.counts.get("late", 0) > 0, "red", "gray")
                        if value == "late"
                        else "gray"
                    ),
                    radius="full",
                    data_testid=f"count-{value}",
                ),
                spacing="2",
                align="center",
            ),
            value=value,
            white_space="nowrap",
        )

    return rx.box(
        rx.tabs.root(
            rx.tabs.list(*[trigger(value, label) for value, label in TABS]),
            value=S.tab,
            on_change=S.change_tab,
        ),
        width="100%",
        overflow_x="auto",
    )


def title_link(row: OrderRowView) -> rx.Component:
    return rx.link(row.title, href=row.url, size="2", weight="medium", data_testid="order-link")


def table_row(row: OrderRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                title_link(row),
                rx.text(row.code, size="1", color_scheme="gray"),
                spacing="0",
                max_width="380px",
            )
        ),
        rx.table.cell(rx.text(row.other_name, size="2")),
        rx.table.cell(
            rx.hstack(
                status_badge(row.status_label, row.status_color, "1", "row-status"),
                late_badge(row.late),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.text(
                row.due,
                size="2",
                white_space="nowrap",
                color=rx.cond(row.late, "var(--red-11)", ""),
            )
        ),
        rx.table.cell(rx.text(row.amount, size="2", weight="medium"), text_align="right"),
        align="center",
        data_testid="order-row",
    )


def orders_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Order"),
                rx.table.column_header_cell(rx.cond(S.role == "buying", "Seller", "Buyer")),
                rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Due"),
                rx.table.column_header_cell(
                    rx.cond(S.role == "buying", "Total", "You earn"), text_align="right"
                ),
            )
        ),
        rx.table.body(rx.foreach(S.rows, table_row)),
        variant="surface",
        width="100%",
        display=rx.breakpoints(initial="none", md="table"),
    )


def row_card(row: OrderRowView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                status_badge(row.status_label, row.status_color, "1", "row-status"),
                late_badge(row.late),
                rx.spacer(),
                rx.text(row.amount, size="3", weight="bold"),
                width="100%",
                align="center",
            ),
            title_link(row),
            rx.text(
                row.other_name,
                rx.cond(row.due != "—", " · due " + row.due, " · ordered " + row.ordered),
                size="1",
                color=rx.cond(row.late, "var(--red-11)", "var(--gray-11)"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="order-row",
    )


def order_cards() -> rx.Component:
    return rx.vstack(
        rx.foreach(S.rows, row_card),
        spacing="3",
        width="100%",
        display=rx.breakpoints(initial="flex", md="none"),
    )


def pagination() -> rx.Component:
    return pager(page_number=S.page_number, page_count=S.page_count, go_to_page=S.go_to_page)


def empty_state() -> rx.Component:
    hint = rx.cond(
        S.role == "buying",
        "Orders you place appear here, with their status and due date.",
        rx.cond(
            S.can_sell,
            "Orders for your gigs appear here.",
            "Become a seller to receive orders.",
        ),
    )
    return empty_box(
        "shopping-bag",
        rx.match(S.tab, *EMPTY.items(), "No orders yet."),
        hint,
        rx.cond(
            S.role == "buying",
            rx.link(rx.button("Browse services"), href="/search", underline="none"),
            rx.link(rx.button("My gigs", variant="soft"), href="/my/gigs", underline="none"),
        ),
        test_id="orders-empty",
    )


def list_skeleton() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(rx.box(height="56px", width="100%"), loading=True) for _ in range(5)],
        spacing="3",
        width="100%",
    )


@page(
    "/orders",
    "Orders · Gigworks",
    on_load=[OrdersState.load, ReviewsToWriteState.load_reviews_to_write],
)
def orders_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.flex(
                rx.heading("Orders", size="7", as_="h1"),
                rx.spacer(),
                role_switch(),
                align="center",
                gap="12px",
                width="100%",
                wrap="wrap",
            ),
            reviews_to_write_callout(),
            status_tabs(),
            rx.cond(
                S.loading,
                list_skeleton(),
                rx.cond(
                    S.rows.length() > 0,
                    rx.vstack(
                        orders_table(), order_cards(), pagination(), spacing="4", width="100%"
                    ),
                    empty_state(),
                ),
            ),
            spacing="5",
            width="100%",
        ),
        padding_y="32px",
    )
