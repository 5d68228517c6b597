"""The "Report" link and dialog of the gig page and the public profile."""

import reflex as rx

from marketplace.components.report_dialog import reason_items
from marketplace.components.report_dialog import report_dialog as shared_report_dialog
from marketplace.services.moderation.listing_reports import GIG_REASONS, MEMBER_REASONS
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


def report_dialog() -> rx.Component:
    return shared_report_dialog(
        title=rx.cond(S.kind == "gig", "Report this gig", "Report this member"),
        description="Moderators read every report. The seller is not told who sent it.",
        reasons=rx.cond(S.kind == "gig", reason_items(GIG_REASONS), reason_items(MEMBER_REASONS)),
        reason=S.reason,
        on_reason=S.set_reason,
        details=S.details,
        on_details=S.set_details,
        error=S.error,
        done=S.done,
        on_send=S.send,
        is_open=S.kind != "",
        on_open_change=S.close_report,
    )
