"""The "Report" dialog shared by reviews, gigs and profiles: a reason from a list, optional
details, and a thank-you once sent. Each caller passes its state's vars and handlers."""

import reflex as rx


def reason_items(reasons: dict[str, str]) -> rx.Component:
    return rx.vstack(
        *[rx.radio_group.item(label, value=value) for value, label in reasons.items()],
        spacing="2",
    )


def report_dialog(
    *,
    title,
    reasons: rx.Component,
    reason,
    on_reason,
    details,
    on_details,
    error,
    done,
    on_send,
    is_open,
    on_open_change,
    description: str = "",
) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            *(
                [rx.dialog.description(description, size="2", color_scheme="gray")]
                if description
                else []
            ),
            rx.cond(
                done != "",
                rx.vstack(
                    rx.callout(done, icon="check", color_scheme="green"),
                    rx.hstack(
                        rx.dialog.close(rx.button("Close", variant="soft")),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="12px",
                ),
                rx.vstack(
                    rx.radio_group.root(reasons, value=reason, on_change=on_reason),
                    rx.text_area(
                        value=details,
                        on_change=on_details,
                        placeholder="Anything the moderators should know (optional)",
                        rows="3",
                        width="100%",
                        aria_label="Details",
                    ),
                    rx.cond(error != "", rx.text(error, color_scheme="red", size="2")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                        rx.button("Send report", color_scheme="red", on_click=on_send),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="12px",
                ),
            ),
            max_width="440px",
        ),
        open=is_open,
        on_open_change=on_open_change,
    )
