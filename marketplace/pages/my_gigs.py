"""`/my/gigs`: the seller's gigs by status, with edit, pause, resume and delete."""

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.components.paging import pager
from marketplace.labels import GIG_STATUS_LABELS
from marketplace.pages.routing import page
from marketplace.services.gigs.pages import MY_GIGS_STATUSES
from marketplace.state.my_gigs import MyGigsState
from marketplace.state.view_models import MyGigRowView

S = MyGigsState
TABS = [(status, GIG_STATUS_LABELS[status]) for status in MY_GIGS_STATUSES]
EMPTY = {
    "active": ("You have no active gigs.", "Create a gig and publish it to start selling."),
    "pending_review": ("Nothing is waiting for review.", "Published gigs appear here first."),
    "draft": ("No drafts.", "Gigs you started but haven't published yet appear here."),
    "paused": ("No paused gigs.", "Pause an active gig to stop new orders for a while."),
    "rejected": ("No rejected gigs.", "Gigs our moderators didn't approve appear here."),
    "suspended": ("No suspended gigs.", ""),
}


def new_gig_button(label: str = "Create a new gig") -> rx.Component:
    return rx.link(
        rx.button(rx.icon("plus", size=16), label, size="3"),
        href="/gigs/new",
        underline="none",
    )


def status_tabs() -> rx.Component:
    def trigger(value: str, label: str) -> rx.Component:
        item = rx.tabs.trigger(
            rx.hstack(
                rx.text(label),
                rx.badge(
                    S.counts.get(value, 0),
                    variant="soft",
                    color_scheme="gray",
                    radius="full",
                    data_testid=f"count-{value}",
                ),
                spacing="2",
                align="center",
            ),
            value=value,
            white_space="nowrap",
        )
        return rx.cond(S.show_suspended, item) if value == "suspended" else item

    return rx.box(
        rx.tabs.root(
            rx.tabs.list(*[trigger(value, label) for value, label in TABS]),
            value=S.tab,
            on_change=S.change_tab,
        ),
        width="100%",
        overflow_x="auto",
    )


def thumb(row: MyGigRowView, width: str = "88px", height: str = "56px") -> rx.Component:
    return rx.cond(
        row.cover_url != "",
        rx.image(
            src=row.cover_url,
            alt="",
            width=width,
            height=height,
            object_fit="cover",
            border_radius="6px",
            flex_shrink="0",
        ),
        rx.box(
            width=width,
            height=height,
            border_radius="6px",
            flex_shrink="0",
            background=(
                f"linear-gradient(135deg, hsl({row.hue}, 55%, 45%), hsl({row.hue + 40}, 60%, 35%))"
            ),
        ),
    )


def title_cell(row: MyGigRowView) -> rx.Component:
    return rx.cond(
        row.status == "active",
        rx.link(row.title, href=row.public_url, size="2", weight="medium"),
        rx.text(row.title, size="2", weight="medium"),
    )


def actions(row: MyGigRowView, wrap: str = "wrap") -> rx.Component:
    busy = S.busy_id == row.id
    return rx.hstack(
        rx.link(
            rx.button(rx.icon("pencil", size=14), "Edit", variant="soft", size="1"),
            href=row.edit_url,
            underline="none",
        ),
        rx.cond(
            row.status == "active",
            rx.button(
                rx.icon("pause", size=14),
                "Pause",
                variant="soft",
                color_scheme="gray",
                size="1",
                loading=busy,
                on_click=S.pause(row.id),
            ),
        ),
        rx.cond(
            row.status == "paused",
            rx.button(
                rx.icon("play", size=14),
                "Resume",
                variant="soft",
                size="1",
                loading=busy,
                on_click=S.resume(row.id),
            ),
        ),
        rx.button(
            rx.icon("trash-2", size=14),
            "Delete",
            variant="soft",
            color_scheme="red",
            size="1",
            on_click=S.ask_delete(row.id),
        ),
        spacing="2",
        wrap=wrap,
    )


def number_cell(value) -> rx.Component:
    return rx.table.cell(rx.text(value, size="2"), text_align="right")


def table_row(row: MyGigRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                thumb(row),
                rx.box(title_cell(row), max_width="320px"),
                spacing="3",
                align="center",
            )
        ),
        number_cell(row.price_from),
        number_cell(row.impressions),
        number_cell(row.saves),
        number_cell(row.orders_completed),
        number_cell(row.orders_in_progress),
        rx.table.cell(rx.text(row.updated, size="2", white_space="nowrap")),
        rx.table.cell(actions(row, wrap="nowrap")),
        align="center",
        data_testid="my-gig-row",
    )


def gigs_table() -> rx.Component:
    def head(label: str, right: bool = False) -> rx.Component:
        return rx.table.column_header_cell(
            label, text_align="right" if right else "left", white_space="nowrap"
        )

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                head("Gig"),
                head("Price from", True),
                head("Impressions", True),
                head("Saves", True),
                head("Orders", True),
                head("In progress", True),
                head("Last updated"),
                head("Actions"),
            )
        ),
        rx.table.body(rx.foreach(S.rows, table_row)),
        variant="surface",
        width="100%",
        display=rx.breakpoints(initial="none", md="table"),
    )


def stat_line(label: str, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="2", weight="medium"),
        spacing="0",
    )


def row_card(row: MyGigRowView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                thumb(row, "72px", "48px"),
                rx.box(title_cell(row), min_width="0"),
                spacing="3",
                align="center",
                width="100%",
            ),
            rx.grid(
                stat_line("Price from", row.price_from),
                stat_line("Impressions", row.impressions),
                stat_line("Saves", row.saves),
                stat_line("Orders", row.orders_completed),
                stat_line("In progress", row.orders_in_progress),
                columns="2",
                spacing="3",
                width="100%",
            ),
            rx.text("Updated ", row.updated, size="1", color_scheme="gray"),
            actions(row),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="my-gig-row",
    )


def gig_cards() -> rx.Component:
    return rx.vstack(
        rx.foreach(S.rows, row_card),
        spacing="3",
        width="100%",
        display=rx.breakpoints(initial="flex", md="none"),
    )


def empty_state() -> rx.Component:
    def for_tab(value: str) -> rx.Component:
        title, hint = EMPTY[value]
        return rx.vstack(
            rx.icon("layout-grid", size=36, color="var(--gray-8)"),
            rx.heading(title, size="4"),
            rx.cond(hint != "", rx.text(hint, size="2", color_scheme="gray")),
            align="center",
            spacing="2",
        )

    return rx.center(
        rx.vstack(
            rx.match(S.tab, *[(value, for_tab(value)) for value, _ in TABS], for_tab("active")),
            new_gig_button(),
            align="center",
            spacing="4",
        ),
        padding_y="56px",
        width="100%",
        border="1px dashed var(--gray-a6)",
        border_radius="12px",
        data_testid="my-gigs-empty",
    )


def pagination() -> rx.Component:
    return pager(page_number=S.page_number, page_count=S.page_count, go_to_page=S.go_to_page)


def delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this gig?"),
            rx.alert_dialog.description(
                rx.text(
                    "“",
                    S.delete_title,
                    "” will disappear from your gigs and from search. "
                    "Past orders and reviews are kept. This can't be undone.",
                    size="2",
                )
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button("Keep it", variant="soft", color_scheme="gray"),
                ),
                # A plain button, not alert_dialog.action: the dialog closes when the
                # confirmed delete clears delete_id, so the two events cannot race.
                rx.button("Delete gig", color_scheme="red", on_click=S.confirm_delete),
                gap="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=S.delete_id != 0,
        on_open_change=S.close_delete,
    )


def become_seller_prompt() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Sell your services on Gigworks", size="5"),
            rx.text(
                "Gigs are for sellers. Set up your seller profile first; then publish your "
                "first gig with Basic, Standard and Premium packages.",
                size="2",
                color_scheme="gray",
            ),
            rx.link(
                rx.button("Become a seller", size="3"), href="/settings/profile", underline="none"
            ),
            spacing="4",
            align="start",
        ),
        size="4",
        width="100%",
        max_width="640px",
        data_testid="become-seller",
    )


def list_skeleton() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(rx.box(height="64px", width="100%"), loading=True) for _ in range(5)],
        spacing="3",
        width="100%",
    )


def my_gigs_body() -> rx.Component:
    return rx.vstack(
        status_tabs(),
        rx.cond(
            S.load_error != "",
            rx.callout(S.load_error, icon="triangle-alert", color_scheme="red", width="100%"),
        ),
        rx.cond(
            S.loading,
            list_skeleton(),
            rx.cond(
                S.rows.length() > 0,
                rx.vstack(gigs_table(), gig_cards(), pagination(), spacing="4", width="100%"),
                empty_state(),
            ),
        ),
        delete_dialog(),
        spacing="4",
        width="100%",
    )


@page("/my/gigs", "My gigs · Gigworks", on_load=MyGigsState.load)
def my_gigs_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.flex(
                rx.heading("My gigs", size="7"),
                rx.spacer(),
                rx.cond(
                    S.is_seller,
                    rx.link(
                        rx.button(rx.icon("trending-up", size=16), "Seller level", variant="soft"),
                        href="/my/level",
                        underline="none",
                    ),
                ),
                rx.cond(S.is_seller, new_gig_button()),
                align="center",
                gap="12px",
                width="100%",
                wrap="wrap",
            ),
            rx.cond(S.is_seller, my_gigs_body(), become_seller_prompt()),
            spacing="5",
            width="100%",
        ),
        padding_y="32px",
    )
