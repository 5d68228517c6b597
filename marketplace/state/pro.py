"""`/pro/apply`: a seller's Pro application (save a draft, submit, edit when asked for more)."""

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import DomainError
from marketplace.services.reviews import pro
from marketplace.state.base import AppState
from marketplace.state.event_args import bounded_text

TEXT_KEEP = 5_000
STATUS_TEXT = {
    "": "",
    "draft": "Draft: only you can see it. Submit it when it is complete.",
    "pending": "Submitted: our team is reviewing your application.",
    "needs_info": "We need more information: edit your application and submit it again.",
    "approved": "Approved: you are a Pro seller. The badge shows on your profile and gigs.",
    "rejected": "Your last application was declined. You can apply again.",
    "revoked": "Your Pro badge was removed. You can apply again.",
}


class ProApplyState(AppState):
    loading: bool = True
    is_seller: bool = True
    status: str = ""
    admin_note: str = ""
    categories: list[dict[str, str]] = []
    category_id: str = ""
    links_text: str = ""
    credentials: str = ""
    years: str = ""
    summary: str = ""
    error: str = ""
    saved_message: str = ""

    @rx.var
    def editable(self) -> bool:
        return self.is_seller and self.status not in ("pending", "approved")

    @rx.var
    def status_text(self) -> str:
        return STATUS_TEXT.get(self.status, "")

    @rx.var
    def summary_count(self) -> str:
        return f"{len(self.summary):,} / {pro.MAX_SUMMARY:,} (at least {pro.MIN_SUMMARY})"

    def _fill(self, user) -> None:
        with session_scope() as session:
            view = pro.applicant_view(session, actor=user)
        self.is_seller = view.is_seller
        self.categories = [{"id": str(cid), "name": name} for cid, name in view.categories]
        application = view.application
        self.status = application.status if application else ""
        self.admin_note = application.reason if application else ""
        if application is not None and application.status not in pro.CLOSED:
            self.category_id = str(application.category_id or "")
            self.links_text = "\n".join(application.portfolio_links)
            self.credentials = application.credentials
            self.years = str(application.years_experience or "")
            self.summary = application.summary

    @rx.event
    def load(self):
        user = self._require_user()
        self.loading = True
        self.error = self.saved_message = ""
        yield
        self._fill(user)
        self.loading = False

    @rx.event
    def set_category(self, value: str):
        self._require_user()
        self.category_id = value if isinstance(value, str) and value.isdigit() else ""

    @rx.event
    def set_links(self, value: str):
        self._require_user()
        self.links_text = bounded_text(value, TEXT_KEEP)

    @rx.event
    def set_credentials(self, value: str):
        self._require_user()
        self.credentials = bounded_text(value, TEXT_KEEP)

    @rx.event
    def set_years(self, value: str):
        self._require_user()
        self.years = bounded_text(value, 4)

    @rx.event
    def set_summary(self, value: str):
        self._require_user()
        self.summary = bounded_text(value, TEXT_KEEP)

    def _data(self) -> dict:
        return {
            "category_id": self.category_id,
            "portfolio_links": [line for line in self.links_text.splitlines() if line.strip()],
            "credentials": self.credentials,
            "years_experience": self.years,
            "summary": self.summary,
        }

    @rx.event
    def save_draft(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                pro.save_draft(session, actor=user, data=self._data())
        except DomainError as exc:
            self.error, self.saved_message = str(exc), ""
            return
        self.error, self.saved_message = "", "Draft saved."
        self._fill(user)

    @rx.event
    def submit(self):
        user = self._require_user()
        try:
            with session_scope() as session:
                pro.submit(session, actor=user, data=self._data())
        except DomainError as exc:
            self.error, self.saved_message = str(exc), ""
            return
        self.error, self.saved_message = "", "Application submitted. We'll let you know."
        self._fill(user)
