"""`/search` state: the query comes from the URL, so results can be shared and reloaded."""

import logging
from urllib.parse import urlencode

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from marketplace.db import session_scope
from marketplace.services import catalog
from marketplace.state.base import AppState, public
from marketplace.state.view_models import GigCardView

log = logging.getLogger(__name__)
PER_PAGE = 24


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() else 1


class SearchState(AppState):
    query: str = ""
    category_slug: str = ""
    category_name: str = ""
    sort: str = "recommended"
    page: int = 1
    total: int = 0
    results: list[GigCardView] = []
    loading: bool = True
    load_error: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @rx.var
    def result_count(self) -> str:
        """ "1 service available", "1,204 services available"."""
        return f"{self.total:,} service{'' if self.total == 1 else 's'} available"

    @rx.var
    def heading(self) -> str:
        if self.query:
            return f"Results for “{self.query}”"
        return self.category_name or "All services"

    @rx.event
    @public
    def load(self):
        """on_load: run the search described by the URL's query string."""
        params = self.router.url.query_parameters
        self.query = params.get("q", "").strip()[: catalog.MAX_QUERY_LENGTH]
        self.category_slug = params.get("category", "")[:80]
        sort = params.get("sort", "recommended")
        self.sort = sort if sort in catalog.SORTS else "recommended"
        self.page = _page_number(params.get("page", "1"))
        self.loading = True
        yield
        try:
            with session_scope() as session:
                found = catalog.search_gigs_sql(
                    session,
                    query=self.query,
                    category_slug=self.category_slug,
                    sort=self.sort,
                    page=self.page,
                    per_page=PER_PAGE,
                )
            self.results = [GigCardView.from_card(card) for card in found.cards]
            self.total = found.total
            self.page = found.page
            self.category_name = found.category_name
            self.load_error = ""
        except SQLAlchemyError:
            log.exception("search failed")
            self.results, self.total = [], 0
            self.load_error = "Search is unavailable right now. Please try again."
        finally:
            self.loading = False

    def _url(self, *, sort: str | None = None, page: int | None = None) -> str:
        params = {
            "q": self.query,
            "category": self.category_slug,
            "sort": sort or self.sort,
            "page": str(page or 1),
        }
        return "/search?" + urlencode({k: v for k, v in params.items() if v and v != "1"})

    @rx.event
    @public
    def change_sort(self, sort: str):
        if sort not in catalog.SORTS:
            return
        return rx.redirect(self._url(sort=sort))

    @rx.event
    @public
    def go_to_page(self, page: int):
        if not isinstance(page, int) or not 1 <= page <= min(self.page_count, catalog.MAX_PAGE):
            return
        return rx.redirect(self._url(page=page))
