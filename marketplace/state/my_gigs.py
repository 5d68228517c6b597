"""`/my/gigs`: the seller's gigs, one status tab at a time (the tab and page live in the URL),
with pause, resume and delete. Thin: the rules and permission checks are in services.gigs."""

from urllib.parse import urlencode

import reflex as rx

from marketplace.db import session_scope
from marketplace.labels import GIG_STATUS_LABELS
from marketplace.models import User
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import pages as gig_pages
from marketplace.settings import get_settings
from marketplace.state.base import AppState
from marketplace.state.view_models import MyGigRowView

PER_PAGE = 50
MAX_PAGE = gig_pages.MY_GIGS_MAX_OFFSET // PER_PAGE + 1
DEFAULT_TAB = "active"


def _tab(value: object) -> str:
    return value if isinstance(value, str) and value in gig_pages.MY_GIGS_STATUSES else DEFAULT_TAB


def _page_number(value: object) -> int:
    if isinstance(value, str) and value.isdigit() and len(value) <= 6:
        return max(1, min(int(value), MAX_PAGE))
    return 1


def _toast_error(message: str):
    return rx.toast.error(message)


class MyGigsState(AppState):
    loading: bool = True
    is_seller: bool = True
    tab: str = DEFAULT_TAB
    page_number: int = 1
    counts: dict[str, int] = {}
    total: int = 0
    rows: list[MyGigRowView] = []
    busy_id: int = 0  # the row whose action is running
    delete_id: int = 0  # the row the confirmation dialog asks about
    delete_title: str = ""
    load_error: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @rx.var
    def tab_label(self) -> str:
        return GIG_STATUS_LABELS.get(self.tab, "")

    @rx.var
    def show_suspended(self) -> bool:
        return self.counts.get("suspended", 0) > 0 or self.tab == "suspended"

    def _url(self, tab: str, page: int = 1) -> str:
        params = {"status": tab}
        if page > 1:
            params["page"] = str(page)
        return "/my/gigs?" + urlencode(params)

    def _reload(self, user: User) -> None:
        """Query the current tab and page again (after a load or an action)."""
        with session_scope() as session:
            self.is_seller = accounts.has_seller_profile(session, user_id=user.id)
            if not self.is_seller:
                self.rows, self.counts, self.total = [], {}, 0
                return
            try:
                found = gig_pages.my_gigs(
                    session,
                    actor=user,
                    status=self.tab,
                    limit=PER_PAGE,
                    offset=(self.page_number - 1) * PER_PAGE,
                )
                if not found.rows and found.total and self.page_number > 1:
                    # The page ran empty (gigs moved away): show the last page there is.
                    self.page_number = max(1, -(-found.total // PER_PAGE))
                    found = gig_pages.my_gigs(
                        session,
                        actor=user,
                        status=self.tab,
                        limit=PER_PAGE,
                        offset=(self.page_number - 1) * PER_PAGE,
                    )
            except DomainError as exc:
                self.load_error = str(exc)
                self.rows, self.total = [], 0
                return
        self.load_error = ""
        self.counts = found.counts
        self.total = found.total
        self.rows = [MyGigRowView.from_row(row) for row in found.rows]

    @rx.event
    def load(self):
        user = self._require_user()
        params = self.router.url.query_parameters
        self.tab = _tab(params.get("status", DEFAULT_TAB))
        self.page_number = _page_number(params.get("page", "1"))
        self.delete_id, self.delete_title, self.busy_id = 0, "", 0
        self.loading = True
        yield
        self._reload(user)
        self.loading = False

    @rx.event
    def change_tab(self, tab: str):
        self._require_user()
        if isinstance(tab, str) and tab in gig_pages.MY_GIGS_STATUSES and tab != self.tab:
            return rx.redirect(self._url(tab))

    @rx.event
    def go_to_page(self, page: int):
        self._require_user()
        if isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= self.page_count:
            return rx.redirect(self._url(self.tab, page))

    def _act(self, user: User, gig_id: int, action: str):
        """Run one service action on one gig; the service checks that the gig is the user's."""
        try:
            with session_scope() as session:
                if action == "pause":
                    gigs.pause_gig(session, actor=user, gig_id=gig_id)
                    done = "Gig paused. Buyers can't find or order it until you resume it."
                elif action == "resume":
                    gigs.resume_gig(
                        session,
                        actor=user,
                        gig_id=gig_id,
                        active_gig_limits=get_settings().active_gig_limits,
                    )
                    done = "Gig resumed. It's live again."
                else:
                    gigs.delete_gig(session, actor=user, gig_id=gig_id)
                    done = "Gig deleted."
        except DomainError as exc:
            return _toast_error(str(exc))
        finally:
            self.busy_id = 0
            self._reload(user)
        return rx.toast.success(done)

    @rx.event
    def pause(self, gig_id: int):
        user = self._require_user()
        gig_id = gigs.valid_id(gig_id)
        if gig_id is None or self.busy_id:
            return
        self.busy_id = gig_id
        yield
        yield self._act(user, gig_id, "pause")

    @rx.event
    def resume(self, gig_id: int):
        user = self._require_user()
        gig_id = gigs.valid_id(gig_id)
        if gig_id is None or self.busy_id:
            return
        self.busy_id = gig_id
        yield
        yield self._act(user, gig_id, "resume")

    @rx.event
    def ask_delete(self, gig_id: int):
        self._require_user()
        row = next((r for r in self.rows if r.id == gigs.valid_id(gig_id)), None)
        if row is not None:
            self.delete_id, self.delete_title = row.id, row.title

    @rx.event
    def close_delete(self, still_open: bool = False):
        self._require_user()
        if still_open is not True:
            self.delete_id, self.delete_title = 0, ""

    @rx.event
    def confirm_delete(self):
        user = self._require_user()
        gig_id = self.delete_id
        self.delete_id, self.delete_title = 0, ""
        if not gig_id or self.busy_id:
            return
        self.busy_id = gig_id
        yield
        yield self._act(user, gig_id, "delete")
