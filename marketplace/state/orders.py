"""`/orders`: the viewer's orders as buyer or as seller, one status tab and page at a time (all
three live in the URL). Thin: services.order_views.order_list does the counting and paging."""

from urllib.parse import urlencode

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.accounts import members as accounts
from marketplace.services.orders import views as order_views
from marketplace.state.base import AppState
from marketplace.state.order_models import OrderRowView

ROLES = ("buying", "selling")
TABS = ("active", "late", "delivered", "completed", "cancelled", "all")


def _choice(value: object, allowed: tuple[str, ...], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def _page(value: object) -> int:
    return max(1, min(int(value), 10_000)) if isinstance(value, str) and value.isdigit() else 1


class OrdersState(AppState):
    loading: bool = True
    role: str = "buying"
    tab: str = "active"
    page_number: int = 1
    page_count: int = 1
    counts: dict[str, int] = {}
    rows: list[OrderRowView] = []
    can_sell: bool = False

    def _url(self, role: str, tab: str, page: int = 1) -> str:
        params = {"role": role, "tab": tab}
        if page > 1:
            params["page"] = str(page)
        return "/orders?" + urlencode(params)

    @rx.event
    def load(self):
        user = self._require_user()
        params = self.router.url.query_parameters
        chosen = params.get("role")
        self.role = _choice(chosen, ROLES, "buying")
        self.tab = _choice(params.get("tab"), TABS, "active")
        self.page_number = _page(params.get("page", "1"))
        self.loading = True
        yield
        with session_scope() as session:
            if chosen not in ROLES:  # no side chosen: open where the work is
                self.role = order_views.default_role(session, viewer=user)
            self.can_sell = accounts.has_seller_profile(session, user_id=user.id)
            found = order_views.order_list(
                session, viewer=user, role=self.role, tab=self.tab, page=self.page_number
            )
        self.counts = dict(found.counts)
        self.rows = [OrderRowView.from_row(r, self.role) for r in found.rows]
        self.page_number, self.page_count = found.page, max(1, found.pages)
        self.loading = False

    @rx.event
    def change_role(self, role: str | list[str]):
        self._require_user()
        # Always the URL's view, even if this state last showed the same role: a click
        # before this visit's load has run must not be lost to that load.
        if role in ROLES:
            return rx.redirect(self._url(role, "active"))

    @rx.event
    def change_tab(self, tab: str):
        self._require_user()
        if tab in TABS and tab != self.tab:
            return rx.redirect(self._url(self.role, tab))

    @rx.event
    def go_to_page(self, page: int):
        self._require_user()
        if isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= self.page_count:
            return rx.redirect(self._url(self.role, self.tab, page))
