"""Pieces shared by the admin tabs: the tab bar, headings, a labelled-text list, the reason
dialog, filters and empty states."""

from collections.abc import Callable

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.components.order_parts import empty_box, page_skeleton
from marketplace.state.admin import TextLine

TABS = (
    ("dashboard", "Dashboard", "/admin", "layout-dashboard"),
    ("gigs", "Gig review", "/admin/gigs", "badge-check"),
    ("users", "Users", "/admin/users", "users"),
    ("reports", "Reports", "/admin/reports", "flag"),
    ("disputes", "Disputes", "/admin/disputes", "scale"),
    ("reviews", "Reviews", "/admin/reviews", "star"),
    ("pro", "Pro applications", "/admin/pro", "award"),
    ("audit", "Audit log", "/admin/audit", "scroll-text"),
)


def tab_bar(current: str) -> rx.Component:
    def tab(key: str, label: str, href: str, icon: str) -> rx.Component:
        active = key == current
        return rx.link(
            rx.hstack(
                rx.icon(icon, size=15), rx.text(label, size="2"), spacing="2", align="center"
            ),
            href=href,
            underline="none",
            color=("var(--accent-11)" if active else "var(--gray-11)"),
            padding="10px 12px",
            border_bottom=("2px solid var(--accent-9)" if active else "2px solid transparent"),
            white_space="nowrap",
            weight="medium" if active else "regular",
            data_testid=f"admin-tab-{key}",
        )

    return rx.box(
        rx.hstack(*[tab(*t) for t in TABS], spacing="1"),
        width="100%",
        overflow_x="auto",
        border_bottom="1px solid var(--gray-a5)",
        margin_bottom="20px",
    )


def admin_page(
    current: str, title: str, subtitle: str, state, *body, toolbar: rx.Component | None = None
) -> rx.Component:
    """The admin shell: heading, tabs, the toolbar, then the tab's body (a skeleton while loading).

    The toolbar (search box, filters) stays shown and usable while the list reloads: a moderator
    who types while the tab is still loading keeps the box, the focus and what was typed, and the
    search runs after the load (events of one tab run in order).
    """
    return content_column(
        rx.vstack(
            rx.hstack(
                rx.icon("shield-check", size=22, color="var(--accent-9)"),
                rx.heading(title, size="7", as_="h1"),
                spacing="2",
                align="center",
            ),
            rx.text(subtitle, size="2", color_scheme="gray"),
            spacing="1",
            padding_top="28px",
            padding_bottom="12px",
        ),
        tab_bar(current),
        rx.cond(
            state.denied,
            empty_box("search-x", "Not found", "This page doesn't exist."),
            # The body stays mounted while a tab reloads (hidden behind the skeleton), so what
            # a moderator already typed into its search box is not wiped by the reload.
            rx.fragment(
                toolbar if toolbar is not None else rx.fragment(),
                rx.cond(state.loading, page_skeleton(3)),
                rx.vstack(
                    *body,
                    spacing="4",
                    width="100%",
                    display=rx.cond(state.loading, "none", "flex"),
                ),
            ),
        ),
    )


def text_lines(lines, *, test_id: str = "") -> rx.Component:
    def line(item: TextLine) -> rx.Component:
        return rx.vstack(
            rx.text(item.label, size="1", color_scheme="gray"),
            rx.cond(
                item.link != "",
                rx.link(item.text, href=item.link, size="2", target="_blank"),
                rx.text(item.text, size="2", white_space="pre-wrap", word_break="break-word"),
            ),
            spacing="0",
            width="100%",
        )

    return rx.vstack(
        rx.foreach(lines, line), spacing="3", width="100%", data_testid=test_id or None
    )


def empty(icon: str, title: str, hint: str, test_id: str = "") -> rx.Component:
    return empty_box(icon, title, hint, test_id=test_id)


def search_form(on_submit: Callable, placeholder: str, value) -> rx.Component:
    return rx.el.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=15)),
                name="q",
                default_value=value,
                placeholder=placeholder,
                width="100%",
                aria_label=placeholder,
            ),
            rx.button("Search", type="submit", variant="soft"),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        width="100%",
        max_width="420px",
    )


def filter_select(options: list[tuple[str, str]], value, on_change, label: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, min_width="150px"),
        rx.select.content(*[rx.select.item(text, value=key) for key, text in options]),
        value=value,
        on_change=on_change,
    )


def reason_dialog(
    *,
    open_,
    title,
    description,
    reason,
    on_reason: Callable,
    error,
    on_close: Callable,
    on_confirm: Callable,
    confirm_label,
    danger=True,
    placeholder: str = "Why? The person concerned reads this, and it goes to the audit log.",
    extra: rx.Component | None = None,
) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(description, size="2", color_scheme="gray"),
            rx.vstack(
                *([extra] if extra is not None else []),
                rx.text_area(
                    value=reason,
                    on_change=on_reason,
                    placeholder=placeholder,
                    rows="4",
                    width="100%",
                    aria_label="Reason",
                    data_testid="reason-input",
                ),
                rx.cond(
                    error != "",
                    rx.callout(
                        error,
                        icon="triangle-alert",
                        color_scheme="red",
                        size="1",
                        data_testid="dialog-error",
                    ),
                ),
                rx.flex(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button(
                        confirm_label,
                        color_scheme=rx.cond(danger, "red", "green"),
                        on_click=on_confirm,
                        data_testid="dialog-confirm",
                    ),
                    spacing="3",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="12px",
                width="100%",
            ),
            max_width="480px",
        ),
        open=open_,
        on_open_change=on_close,
    )


def status_badge(status, label=None) -> rx.Component:
    """A stored status ("pending_review") as a coloured badge, with its label if given."""
    return rx.badge(
        label if label is not None else status,
        color_scheme=rx.match(
            status,
            ("active", "green"),
            ("open", "amber"),
            ("pending_review", "amber"),
            ("suspended", "red"),
            ("banned", "red"),
            ("rejected", "red"),
            ("dismissed", "gray"),
            ("resolved", "blue"),
            "gray",
        ),
        variant="soft",
        radius="full",
    )
