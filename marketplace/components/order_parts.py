"""Pieces shared by the order pages: status badge, money panel, ledger table, timeline."""

import reflex as rx

from marketplace.components.theme import CARD_RADIUS
from marketplace.state.order_models import EventView, LedgerLineView, MoneyRow


def status_badge(label, color, size: str = "2", test_id: str = "status") -> rx.Component:
    return rx.badge(
        label, color_scheme=color, variant="soft", size=size, radius="full", data_testid=test_id
    )


def late_badge(late) -> rx.Component:
    return rx.cond(
        late,
        rx.badge(
            rx.icon("alarm-clock", size=12),
            "Late",
            color_scheme="red",
            variant="solid",
            radius="full",
            data_testid="late-badge",
        ),
    )


def panel(title: str, *children, icon: str = "", test_id: str = "", **props) -> rx.Component:
    """A titled card, the building block of the order and earnings pages."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.cond(icon != "", rx.icon(icon, size=18, color="var(--gray-10)")),
                rx.heading(title, size="4", as_="h2"),
                spacing="2",
                align="center",
            ),
            *children,
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid=test_id or None,
        **props,
    )


def money_summary_row(row: MoneyRow) -> rx.Component:
    return rx.vstack(
        rx.text(row.label, size="1", color_scheme="gray"),
        rx.text(row.amount, size="5", weight="bold"),
        rx.cond(row.hint != "", rx.text(row.hint, size="1", color_scheme="gray")),
        spacing="1",
        padding="12px",
        border="1px solid var(--gray-a5)",
        border_radius="8px",
        min_width="0",
        data_testid="money-summary",
    )


def stripe_id(value) -> rx.Component:
    return rx.cond(
        value != "",
        rx.code(value, size="1", variant="ghost", word_break="break-all"),
        rx.text("—", size="1", color_scheme="gray"),
    )


def ledger_table_row(line: LedgerLineView, show_order: bool = False) -> rx.Component:
    cells = [
        rx.table.cell(rx.text(line.at, size="2", white_space="nowrap")),
        rx.table.cell(
            rx.vstack(
                rx.badge(line.what, color_scheme=line.color, variant="soft"),
                rx.cond(line.note != "", rx.text(line.note, size="1", color_scheme="gray")),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.text(
                line.amount,
                size="2",
                weight="bold",
                color=line.amount_color,
                white_space="nowrap",
                data_testid="ledger-amount",
            ),
            text_align="right",
        ),
        rx.table.cell(stripe_id(line.stripe_id)),
    ]
    if show_order:
        cells.insert(
            1,
            rx.table.cell(
                rx.link(line.order_code, href="/orders/" + line.order_code, size="2"),
            ),
        )
    return rx.table.row(*cells, data_testid="ledger-line")


def ledger_card(line: LedgerLineView, show_order: bool = False) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.badge(line.what, color_scheme=line.color, variant="soft"),
                rx.spacer(),
                rx.text(line.amount, size="3", weight="bold", color=line.amount_color),
                width="100%",
                align="center",
            ),
            rx.text(line.at, size="1", color_scheme="gray"),
            rx.cond(line.note != "", rx.text(line.note, size="1", color_scheme="gray")),
            *(
                [rx.link(line.order_code, href="/orders/" + line.order_code, size="1")]
                if show_order
                else []
            ),
            stripe_id(line.stripe_id),
            spacing="1",
            width="100%",
        ),
        padding="12px 0",
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
        data_testid="ledger-line-card",
    )


def ledger_lines(lines, show_order: bool = False) -> rx.Component:
    """A table on wide screens, stacked cards on phones."""
    heads = ["When", "What it did", "Amount", "Stripe object"]
    if show_order:
        heads.insert(1, "Order")
    return rx.fragment(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(
                            h, text_align="right" if h == "Amount" else "left"
                        )
                        for h in heads
                    ]
                )
            ),
            rx.table.body(rx.foreach(lines, lambda line: ledger_table_row(line, show_order))),
            variant="ghost",
            size="1",
            width="100%",
            display=rx.breakpoints(initial="none", sm="table"),
        ),
        rx.vstack(
            rx.foreach(lines, lambda line: ledger_card(line, show_order)),
            spacing="0",
            width="100%",
            display=rx.breakpoints(initial="flex", sm="none"),
        ),
    )


def money_panel(summary, lines) -> rx.Component:
    """Where the money is: the summary, then every ledger line with its Stripe object."""
    return panel(
        "Money",
        rx.text(
            "Every step of this order's payment, as recorded against Stripe. The buyer's card is "
            "held at checkout, charged into escrow when the work starts, and paid to the seller "
            "only when the buyer accepts.",
            size="2",
            color_scheme="gray",
        ),
        rx.grid(
            rx.foreach(summary, money_summary_row),
            columns=rx.breakpoints(initial="2", sm="3", md="5"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            lines.length() > 0,
            ledger_lines(lines),
            rx.text("No money has moved yet.", size="2", color_scheme="gray"),
        ),
        icon="landmark",
        test_id="money-panel",
    )


def timeline_item(event: EventView) -> rx.Component:
    return rx.hstack(
        rx.box(
            width="10px",
            height="10px",
            border_radius="50%",
            background="var(--accent-9)",
            margin_top="6px",
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(event.label, size="2", weight="bold"),
                rx.text("· ", event.actor, size="2", color_scheme="gray"),
                spacing="1",
                wrap="wrap",
            ),
            rx.text(event.at, size="1", color_scheme="gray"),
            rx.cond(
                event.message != "",
                rx.text(
                    event.message,
                    size="2",
                    white_space="pre-wrap",
                    padding="8px 12px",
                    background="var(--gray-a2)",
                    border_radius="8px",
                    width="100%",
                ),
            ),
            spacing="1",
            width="100%",
            min_width="0",
        ),
        spacing="3",
        align="start",
        width="100%",
        padding_left="2px",
        data_testid="timeline-event",
    )


def timeline(events) -> rx.Component:
    return panel(
        "Timeline",
        rx.cond(
            events.length() > 0,
            rx.vstack(
                rx.foreach(events, timeline_item),
                spacing="4",
                width="100%",
                border_left="2px solid var(--gray-a4)",
                padding_left="12px",
                margin_left="4px",
            ),
            rx.text("Nothing has happened yet.", size="2", color_scheme="gray"),
        ),
        icon="history",
        test_id="timeline",
    )


def empty_box(icon: str, title, hint, *children, test_id: str = "") -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=36, color="var(--gray-8)"),
            rx.heading(title, size="4", text_align="center"),
            rx.text(hint, size="2", color_scheme="gray", text_align="center"),
            *children,
            align="center",
            spacing="2",
        ),
        padding="56px 16px",
        width="100%",
        border="1px dashed var(--gray-a6)",
        border_radius=CARD_RADIUS,
        data_testid=test_id or None,
    )


def page_skeleton(blocks: int = 4) -> rx.Component:
    return rx.vstack(
        rx.skeleton(rx.box(height="36px", width="50%"), loading=True),
        *[rx.skeleton(rx.box(height="120px", width="100%"), loading=True) for _ in range(blocks)],
        spacing="4",
        width="100%",
    )


def not_found(title: str, hint: str, test_id: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("search-x", size=40, color="var(--gray-9)"),
            rx.heading(title, size="6"),
            rx.text(hint, color_scheme="gray", text_align="center"),
            rx.link(rx.button("Your orders"), href="/orders", underline="none"),
            align="center",
            spacing="3",
            data_testid=test_id,
        ),
        padding_y="80px",
    )
