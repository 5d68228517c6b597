"""The header's live items: the Inbox link with its unread badge, and the notification bell.

Both read LiveState, which the tab keeps current through live pushes (state/live.py); the bell
registers the tab for them when it mounts.
"""

import reflex as rx

from marketplace.state.live import LiveState


def count_badge(count: rx.Var[int], test_id: str) -> rx.Component:
    return rx.cond(
        count > 0,
        rx.box(
            rx.cond(count > 99, "99+", count.to_string()),
            position="absolute",
            top="-4px",
            right="-6px",
            min_width="18px",
            height="18px",
            padding="0 5px",
            border_radius="9px",
            background="var(--red-9)",
            color="white",
            font_size="11px",
            font_weight="600",
            line_height="18px",
            text_align="center",
            data_testid=test_id,
        ),
    )


def inbox_link() -> rx.Component:
    return rx.link(
        rx.box(
            rx.icon("mail", size=20, color="var(--gray-11)"),
            count_badge(LiveState.unread_messages, "inbox-badge"),
            position="relative",
            display="flex",
        ),
        href="/inbox",
        aria_label="Inbox",
        data_testid="inbox-link",
    )


def bell_item(item: rx.Var[dict]) -> rx.Component:
    return rx.hstack(
        rx.icon(item["icon"], size=16, color="var(--gray-10)", flex_shrink="0", margin_top="2px"),
        rx.vstack(
            rx.text(
                item["title"], size="2", weight=rx.cond(item["unread"] != "", "bold", "regular")
            ),
            rx.cond(item["body"] != "", rx.text(item["body"], size="1", color_scheme="gray")),
            rx.text(item["when"], size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.cond(
            item["unread"] != "",
            rx.box(
                width="8px",
                height="8px",
                border_radius="4px",
                background="var(--accent-9)",
                flex_shrink="0",
                margin_top="6px",
            ),
        ),
        spacing="2",
        align="start",
        padding="8px",
        border_radius="6px",
        width="100%",
        cursor="pointer",
        _hover={"background": "var(--gray-a3)"},
        on_click=LiveState.open_notification(item["id"]),
        data_testid="bell-item",
    )


def bell() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=20, color="var(--gray-11)"),
                count_badge(LiveState.unread_notifications, "bell-badge"),
                variant="ghost",
                position="relative",
                padding="4px",
                aria_label="Notifications",
                data_testid="bell",
                on_click=LiveState.open_bell,
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.text("Notifications", weight="bold", size="3"),
                    rx.spacer(),
                    rx.cond(
                        LiveState.unread_notifications > 0,
                        rx.button(
                            "Mark all read",
                            variant="ghost",
                            size="1",
                            on_click=LiveState.mark_all_read,
                            data_testid="mark-all-read",
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
                rx.separator(size="4"),
                rx.cond(
                    LiveState.bell_items.length() > 0,
                    rx.vstack(
                        rx.foreach(LiveState.bell_items, bell_item),
                        spacing="1",
                        width="100%",
                        max_height="60vh",
                        overflow_y="auto",
                    ),
                    rx.center(
                        rx.text("No notifications yet.", size="2", color_scheme="gray"),
                        padding="24px",
                        width="100%",
                    ),
                ),
                spacing="2",
                width=["min(86vw, 340px)", "340px"],
            ),
            align="end",
        ),
        on_mount=LiveState.connect,
    )


def live_items() -> rx.Component:
    """For signed-in viewers (the header shows these before the account menu)."""
    return rx.hstack(
        inbox_link(),
        bell(),
        rx.el.button(
            id="gw-catch-up", on_click=LiveState.catch_up, display="none", aria_hidden="true"
        ),
        spacing="4",
        align="center",
    )
