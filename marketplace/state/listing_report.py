"""The "Report" dialog of the gig page and the public profile
(services/moderation/listing_reports.py).
A visitor pressing "Report" is sent to sign in and back; every value is checked there."""

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import DomainError
from marketplace.services.moderation import listing_reports
from marketplace.state.base import AppState
from marketplace.state.event_args import bounded_text

KINDS = ("gig", "member")


class ListingReportState(AppState):
    kind: str = ""  # "gig" or "member"; "" while the dialog is closed
    key: str = ""  # the gig's slug or the member's username
    reason: str = ""
    details: str = ""
    error: str = ""
    done: str = ""

    @rx.event
    def open_report(self, kind: str, key: str):
        self._require_user()
        if kind not in KINDS or not isinstance(key, str):
            return
        self.kind, self.key = kind, key[:120]
        self.reason = self.details = self.error = self.done = ""

    @rx.event
    def close_report(self, _open: bool = False):
        self._require_user()  # only a member can have opened it
        self.kind = ""

    @rx.event
    def set_reason(self, reason: str):
        self._require_user()
        reasons = (
            listing_reports.GIG_REASONS if self.kind == "gig" else listing_reports.MEMBER_REASONS
        )
        self.reason = reason if isinstance(reason, str) and reason in reasons else ""

    @rx.event
    def set_details(self, text: str):
        self._require_user()
        self.details = bounded_text(text, listing_reports.DETAILS_MAX + 100)

    @rx.event
    def send(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                if self.kind == "gig":
                    listing_reports.report_gig(
                        session, actor=user, slug=self.key, reason=self.reason,
                        details=self.details,
                    )  # fmt: skip
                elif self.kind == "member":
                    listing_reports.report_member(
                        session, actor=user, username=self.key, reason=self.reason,
                        details=self.details,
                    )  # fmt: skip
                else:
                    return
        except DomainError as exc:
            self.error = str(exc)
            return
        self.error = ""
        self.done = "Thanks: our moderators will look at it and tell you what they decided."
