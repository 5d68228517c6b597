"""The admins' Pro vetting queue: tabs by status, each application in full, and the decision
dialog (approve with a note, reject with a reason, ask for more, revoke). Self-contained so the
moderation page can show it as one of its tabs."""

import reflex as rx

from marketplace.components.order_parts import empty_box
from marketplace.state.admin_pro import AdminProState, ApplicationView

S = AdminProState
TABS = (
    ("pending", "Waiting"),
    ("needs_info", "Asked for more"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
)


def decision_button(row: ApplicationView, action: str, label: str, color: str) -> rx.Component:
    return rx.button(
        label,
        size="2",
        variant="soft" if action != "approve" else "solid",
        color_scheme=color,
        on_click=S.open_decision(row.id, action),
        data_testid=f"pro-{action}",
    )


def application_card(row: ApplicationView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(row.applicant, href=row.profile_url, weight="bold", size="3"),
                rx.badge(row.category, variant="soft"),
                rx.text(row.years, " years", size="2", color_scheme="gray"),
                rx.spacer(),
                rx.cond(
                    row.submitted != "",
                    rx.text("Submitted ", row.submitted, size="1", color_scheme="gray"),
                ),
                wrap="wrap",
                align="center",
                spacing="3",
                width="100%",
            ),
            rx.text(row.summary, size="2", white_space="pre-wrap"),
            rx.cond(
                row.credentials != "",
                rx.box(
                    rx.text("Credentials", size="1", weight="bold"),
                    rx.text(row.credentials, size="2", white_space="pre-wrap"),
                ),
            ),
            rx.vstack(
                rx.text("Portfolio", size="1", weight="bold"),
                rx.foreach(
                    row.links,
                    lambda link: rx.link(
                        link,
                        href=link,
                        is_external=True,
                        size="2",
                        rel="noopener noreferrer nofollow",
                    ),
                ),
                spacing="1",
            ),
            rx.cond(
                row.note != "",
                rx.text("Note: ", row.note, size="2", color_scheme="gray"),
            ),
            rx.hstack(
                rx.cond(
                    row.status == "pending",
                    rx.fragment(
                        decision_button(row, "approve", "Approve", "green"),
                        decision_button(row, "ask_more", "Ask for more", "amber"),
                        decision_button(row, "reject", "Reject", "red"),
                    ),
                ),
                rx.cond(
                    row.status == "approved",
                    decision_button(row, "revoke", "Revoke Pro", "red"),
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="pro-application",
    )


def decision_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.dialog_title),
            rx.vstack(
                rx.text(S.dialog_hint, size="2", color_scheme="gray"),
                rx.text_area(
                    value=S.dialog_text,
                    on_change=S.set_dialog_text,
                    rows="4",
                    width="100%",
                    data_testid="pro-decision-text",
                ),
                rx.cond(
                    S.dialog_error != "", rx.text(S.dialog_error, color_scheme="red", size="2")
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button(
                        S.dialog_title,
                        color_scheme=S.dialog_color,
                        on_click=S.confirm_decision,
                        data_testid="pro-confirm",
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="8px",
            ),
            max_width="480px",
        ),
        open=S.dialog_id > 0,
        on_open_change=S.close_decision,
    )


def pro_applications_panel() -> rx.Component:
    return rx.vstack(
        rx.tabs.root(
            rx.tabs.list(
                *[
                    rx.tabs.trigger(
                        rx.hstack(
                            rx.text(label),
                            rx.badge(S.counts[value].to_string(), variant="soft", radius="full"),
                            spacing="2",
                            align="center",
                        ),
                        value=value,
                    )
                    for value, label in TABS
                ],
            ),
            value=S.tab,
            on_change=S.show_tab,
            width="100%",
        ),
        rx.cond(S.notice != "", rx.callout(S.notice, icon="check", color_scheme="green")),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(rx.foreach(S.rows, application_card), spacing="3", width="100%"),
            empty_box("badge-check", "Nothing here", "No applications in this list."),
        ),
        decision_dialog(),
        spacing="4",
        width="100%",
    )
