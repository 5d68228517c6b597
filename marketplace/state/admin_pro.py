"""The admins' Pro vetting queue (components/pro_applications.py, mounted on /admin/pro; the
moderation page will host it as a tab). Like every admin state, each handler checks the role
first (AdminState) and services/reviews/pro.py checks it again for every decision."""

import dataclasses

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import DomainError, PermissionDenied
from marketplace.services.reviews import pro
from marketplace.state.admin import AdminState
from marketplace.state.event_args import bounded_text, index_arg

ACTION_WORDS = {
    "approve": ("Approve", "A note for the seller (optional)", "green"),
    "reject": ("Reject", "Why is it declined? The seller sees this.", "red"),
    "ask_more": ("Ask for more", "What should the seller add?", "amber"),
    "revoke": ("Revoke Pro", "Why is the badge removed? The seller sees this.", "red"),
}


@dataclasses.dataclass
class ApplicationView:
    id: int = 0
    status: str = ""
    applicant: str = ""
    profile_url: str = ""
    category: str = ""
    years: int = 0
    links: list[str] = dataclasses.field(default_factory=list)
    credentials: str = ""
    summary: str = ""
    note: str = ""
    submitted: str = ""


class AdminProState(AdminState):
    allowed: bool = False
    tab: str = "pending"
    rows: list[ApplicationView] = []
    counts: dict[str, int] = {}
    dialog_id: int = 0
    dialog_action: str = ""
    dialog_title: str = ""
    dialog_hint: str = ""
    dialog_color: str = "green"
    dialog_text: str = ""
    dialog_error: str = ""
    notice: str = ""

    def _fetch(self, user) -> None:
        try:
            with session_scope() as session:
                found = pro.queue(session, actor=user, status=self.tab)
        except PermissionDenied:
            self.allowed, self.rows = False, []
            return
        self.allowed = True
        self.counts = found.counts
        self.rows = [
            ApplicationView(
                id=row.id,
                status=row.status,
                applicant=row.applicant_name,
                profile_url=f"/u/{row.applicant_username}",
                category=row.category or "—",
                years=row.years_experience,
                links=row.portfolio_links,
                credentials=row.credentials,
                summary=row.summary,
                note=row.reason,
                submitted=row.submitted_at.strftime("%b %d, %Y") if row.submitted_at else "",
            )
            for row in found.rows
        ]

    @rx.event
    def load(self):
        user = self._admin()
        if user is None:
            return self._deny()
        self.loading, self.notice = True, ""
        self._close()
        yield
        self._fetch(user)
        self.loading = False

    @rx.event
    def show_tab(self, tab: str):
        user = self._admin()
        if user is None:
            return self._deny()
        if tab in pro.QUEUE_STATUSES:
            self.tab = tab
            self._fetch(user)

    def _close(self) -> None:
        self.dialog_id, self.dialog_action, self.dialog_text, self.dialog_error = 0, "", "", ""

    @rx.event
    def open_decision(self, application_id: int, action: str):
        if self._admin() is None:
            return self._deny()
        if action not in ACTION_WORDS:
            return
        self.dialog_id = max(0, index_arg(application_id))
        self.dialog_action = action
        self.dialog_title, self.dialog_hint, self.dialog_color = ACTION_WORDS[action]
        self.dialog_text = self.dialog_error = ""

    @rx.event
    def close_decision(self, _open: bool = False):
        if self._admin() is None:
            return self._deny()
        self._close()

    @rx.event
    def set_dialog_text(self, text: str):
        if self._admin() is None:
            return self._deny()
        self.dialog_text = bounded_text(text, 5_000)

    @rx.event
    def confirm_decision(self):
        user = self._admin()
        if user is None:
            return self._deny()
        try:
            with session_scope() as session:
                pro.decide(
                    session,
                    actor=user,
                    application_id=self.dialog_id,
                    action=self.dialog_action,
                    text=self.dialog_text,
                )
        except DomainError as exc:
            self.dialog_error = str(exc)
            return
        self.notice = f"{self.dialog_title}: done. The seller has been notified."
        self._close()
        self._fetch(user)
