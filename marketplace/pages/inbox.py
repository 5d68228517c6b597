"""`/inbox` (conversations with tabs, search and pages), `/inbox/<id>` (one conversation: day
separators, receipts, offers, Enter sends) and `/contact` (the "Contact seller" entry)."""

import reflex as rx

from marketplace.components.conversation import (
    compose,
    conversation_actions,
    offer_form,
    report_dialog,
    thread_body,
)
from marketplace.components.layout import content_column
from marketplace.components.order_parts import empty_box, page_skeleton
from marketplace.components.paging import pager
from marketplace.components.theme import CARD_RADIUS
from marketplace.pages.routing import page
from marketplace.state.inbox import (
    ContactState,
    ConversationState,
    InboxRowView,
    InboxState,
)

IS = InboxState
C = ConversationState
TAB_LABELS = [
    ("all", "All"),
    ("unread", "Unread"),
    ("starred", "Starred"),
    ("archived", "Archived"),
]
EMPTY = {
    "all": "No conversations yet. Contact a seller from any gig page to start one.",
    "unread": "You're all caught up.",
    "starred": "Star a conversation to keep it here.",
    "archived": "Archived conversations appear here.",
}


def avatar(src, fallback, size: str = "3") -> rx.Component:
    return rx.avatar(src=src, fallback=fallback, size=size, radius="full", flex_shrink="0")


def inbox_row(row: InboxRowView) -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.hstack(
                avatar(row.avatar_url, row.initials),
                rx.vstack(
                    rx.hstack(
                        rx.text(row.name, weight="bold", size="2", trim="both"),
                        rx.spacer(),
                        rx.text(row.when, size="1", color_scheme="gray", white_space="nowrap"),
                        width="100%",
                        align="center",
                    ),
                    rx.hstack(
                        rx.text(
                            row.preview,
                            size="2",
                            color=rx.cond(row.unread > 0, "var(--gray-12)", "var(--gray-11)"),
                            weight=rx.cond(row.unread > 0, "medium", "regular"),
                            overflow="hidden",
                            text_overflow="ellipsis",
                            white_space="nowrap",
                            flex="1",
                            min_width="0",
                        ),
                        rx.cond(
                            row.unread > 0,
                            rx.badge(row.unread, radius="full", variant="solid", size="1"),
                        ),
                        width="100%",
                        align="center",
                    ),
                    spacing="1",
                    flex="1",
                    min_width="0",
                ),
                spacing="3",
                align="center",
                width="100%",
            ),
            href=row.url,
            underline="none",
            color="inherit",
            flex="1",
            min_width="0",
            data_testid="inbox-row",
        ),
        rx.icon_button(
            rx.icon("star", size=16, fill=rx.cond(row.starred, "currentColor", "none")),
            variant="ghost",
            color_scheme=rx.cond(row.starred, "amber", "gray"),
            aria_label="Star conversation",
            on_click=IS.toggle_star(row.conversation_id),
        ),
        spacing="3",
        align="center",
        padding="12px 16px",
        border_bottom="1px solid var(--gray-a4)",
        background=rx.cond(row.unread > 0, "var(--accent-a2)", "transparent"),
        width="100%",
    )


def inbox_tabs() -> rx.Component:
    return rx.box(
        rx.tabs.root(
            rx.tabs.list(*[rx.tabs.trigger(label, value=value) for value, label in TAB_LABELS]),
            value=IS.tab,
            on_change=IS.change_tab,
        ),
        overflow_x="auto",
        width="100%",
    )


def inbox_search() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                name="q",
                default_value=IS.search,
                key=IS.search,
                placeholder="Search messages and names",
                aria_label="Search messages",
                max_length=100,
                width="100%",
            ),
            rx.button("Search", type="submit", variant="soft"),
            width="100%",
            spacing="2",
        ),
        on_submit=IS.submit_search,
        width="100%",
        max_width=["100%", "360px"],
    )


def empty_inbox() -> rx.Component:
    return rx.cond(
        IS.search != "",
        empty_box("search-x", "No conversations match", "Try other words.", test_id="inbox-empty"),
        rx.match(
            IS.tab,
            *[
                (tab, empty_box("inbox", "Nothing here", hint, test_id="inbox-empty"))
                for tab, hint in EMPTY.items()
            ],
            empty_box("inbox", "Nothing here", EMPTY["all"], test_id="inbox-empty"),
        ),
    )


@page("/inbox", "Inbox · Gigworks", on_load=InboxState.load)
def inbox_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.flex(
                rx.heading("Inbox", size="7"),
                rx.spacer(),
                inbox_search(),
                direction=rx.breakpoints(initial="column", sm="row"),
                gap="12px",
                width="100%",
                align=rx.breakpoints(initial="stretch", sm="center"),
            ),
            inbox_tabs(),
            rx.cond(
                IS.loading,
                page_skeleton(3),
                rx.cond(
                    IS.rows.length() > 0,
                    rx.box(
                        rx.foreach(IS.rows, inbox_row),
                        border="1px solid var(--gray-a5)",
                        border_radius=CARD_RADIUS,
                        overflow="hidden",
                        width="100%",
                        background="var(--color-panel-solid)",
                    ),
                    empty_inbox(),
                ),
            ),
            pager(page_number=IS.page_number, page_count=IS.page_count, go_to_page=IS.go_to_page),
            spacing="4",
            width="100%",
            padding_y="32px",
        )
    )


# --- one conversation ------------------------------------------------------------------------


def thread_header() -> rx.Component:
    return rx.hstack(
        rx.link(rx.icon("arrow-left", size=18), href="/inbox", aria_label="Back to inbox"),
        avatar(C.other_avatar_url, C.other_initials, "3"),
        rx.vstack(
            rx.link(
                C.other_name,
                href="/u/" + C.other_username,
                weight="bold",
                size="3",
                color_scheme="gray",
                high_contrast=True,
                data_testid="thread-other-name",
            ),
            rx.cond(
                C.gig_title != "",
                rx.link(C.gig_title, href=C.gig_url, size="1", color_scheme="gray"),
            ),
            rx.cond(C.other_suspended, rx.badge("Account suspended", color_scheme="red", size="1")),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.cond(
            ~C.reading_as_admin,
            rx.hstack(
                rx.icon_button(
                    rx.icon("star", size=16, fill=rx.cond(C.starred, "currentColor", "none")),
                    variant="ghost",
                    color_scheme=rx.cond(C.starred, "amber", "gray"),
                    aria_label="Star conversation",
                    on_click=C.set_flag("starred", ~C.starred),
                ),
                rx.menu.root(
                    rx.menu.trigger(
                        rx.icon_button(
                            rx.icon("ellipsis-vertical", size=16),
                            variant="ghost",
                            color_scheme="gray",
                            aria_label="More actions",
                        )
                    ),
                    rx.menu.content(
                        rx.menu.item(
                            rx.cond(C.archived, "Move to inbox", "Archive"),
                            on_click=C.set_flag("archived", ~C.archived),
                        ),
                        rx.menu.item(
                            rx.cond(C.blocked_by_me, "Unblock member", "Block member"),
                            on_click=C.toggle_block,
                        ),
                        rx.menu.separator(),
                        rx.menu.item("Report conversation", color="red", on_click=C.open_report(0)),
                    ),
                ),
                spacing="2",
            ),
        ),
        align="center",
        spacing="3",
        width="100%",
        padding_bottom="12px",
        border_bottom="1px solid var(--gray-a5)",
    )


@page("/inbox/[thread]", "Conversation · Gigworks", on_load=ConversationState.load)
def conversation_page() -> rx.Component:
    return content_column(
        rx.cond(
            C.loading,
            rx.box(page_skeleton(3), padding_y="32px"),
            rx.cond(
                C.not_found,
                rx.box(
                    empty_box(
                        "message-circle-off",
                        "Conversation not found",
                        "It does not exist, or it is not yours.",
                        rx.link(rx.button("Back to inbox", variant="soft"), href="/inbox"),
                    ),
                    padding_y="32px",
                ),
                rx.vstack(
                    thread_header(),
                    thread_body(),
                    rx.box(
                        rx.cond(
                            C.other_typing,
                            rx.text(
                                C.other_name,
                                " is typing…",
                                size="1",
                                color_scheme="gray",
                                data_testid="typing",
                            ),
                        ),
                        height="16px",
                        width="100%",
                    ),
                    rx.cond(
                        C.warning != "",
                        rx.callout(
                            C.warning,
                            icon="shield-alert",
                            color_scheme="amber",
                            size="1",
                            width="100%",
                            data_testid="contact-warning",
                        ),
                    ),
                    rx.cond(
                        C.error != "",
                        rx.callout(
                            C.error,
                            icon="circle-alert",
                            color_scheme="red",
                            size="1",
                            width="100%",
                            data_testid="send-error",
                        ),
                    ),
                    rx.cond(
                        C.report_done != "",
                        rx.callout(C.report_done, icon="check", size="1", width="100%"),
                    ),
                    offer_form(),
                    conversation_actions(),
                    compose(),
                    report_dialog(),
                    spacing="3",
                    width="100%",
                    max_width="860px",
                    margin_x="auto",
                    padding_y="24px",
                ),
            ),
        )
    )


@page("/contact", "Contact · Gigworks", on_load=ContactState.load)
def contact_page() -> rx.Component:
    return content_column(
        rx.box(
            rx.cond(
                ContactState.contact_error != "",
                empty_box(
                    "user-x",
                    "Can't start this conversation",
                    ContactState.contact_error,
                    rx.link(rx.button("Back to inbox", variant="soft"), href="/inbox"),
                ),
                rx.center(rx.spinner(size="3"), padding="80px"),
            ),
            padding_y="32px",
        )
    )
