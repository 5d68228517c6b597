"""The "Report" link and dialog of the gig page and the public profile."""

import reflex as rx

from marketplace.services.listing_reports import GIG_REASONS, MEMBER_REASONS
from marketplace.state.listing_report import ListingReportState as S


def report_button(kind: str, key, *, label: str) -> rx.Component:
    """A quiet link-style button; `key` is the gig's slug or the member's username (a Var)."""
    return rx.button(
        rx.icon("flag", size=14),
        label,
        variant="ghost",
        color_scheme="gray",
        size="1",
        on_click=S.open_report(kind, key),
        data_testid=f"report-{kind}",
    )


def _reasons(reasons: dict[str, str]) -> rx.Component:
    return rx.radio_group.root(
        rx.vstack(
            *[rx.radio_group.item(label, value=value) for value, label in reasons.items()],
            spacing="2",
        ),
        value=S.reason,
        on_change=S.set_reason,
    )


def report_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.kind == "gig", "Report this gig", "Report this member")),
            rx.dialog.description(
                "Moderators read every report. The seller is not told who sent it.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                S.done != "",
                rx.vstack(
                    rx.callout(S.done, icon="check", color_scheme="green"),
                    rx.hstack(
                        rx.dialog.close(rx.button("Close", variant="soft")),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="12px",
                ),
                rx.vstack(
                    rx.cond(S.kind == "gig", _reasons(GIG_REASONS), _reasons(MEMBER_REASONS)),
                    rx.text_area(
                        value=S.details,
                        on_change=S.set_details,
                        placeholder="What is wrong? Anything the moderators should know (optional)",
                        rows="3",
                        width="100%",
                        aria_label="Details",
                    ),
                    rx.cond(S.error != "", rx.text(S.error, color_scheme="red", size="2")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                        rx.button("Send report", color_scheme="red", on_click=S.send),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="12px",
                ),
            ),
            max_width="440px",
        ),
        open=S.kind != "",
        on_open_change=S.close_report,
    )
