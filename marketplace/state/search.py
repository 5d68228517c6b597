"""`/search` state: the view lives in the URL (short params, search/query.py), so a copied link
reproduces it and back/forward move between views.

Filter, sort and page changes navigate to the new URL (on_load runs the search). Typing in the
page's box searches without navigating, and rewrites the address in place. Searches run in
background events so the state lock is not held while Meilisearch or the database answers; each
takes a sequence number and only the newest may write its results. One page of results only.
"""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import urlencode

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from marketplace.db import session_scope
from marketplace.services import gig_search
from marketplace.state import search_views
from marketplace.state.base import AppState, public
from search.query import MAX_QUERY_LENGTH, SORT_LABELS, SORTS, GigQuery

log = logging.getLogger(__name__)

# group (as the page sends it) -> how a toggle changes the view
MULTI_VALUED = {"level": "levels", "lang": "languages", "country": "countries"}
SINGLE_VALUED = {
    "cat": "category",
    "sub": "subcategory",
    "delivery": "delivery",
    "rating": "rating",
}


def _run(view: GigQuery) -> gig_search.SearchResult:
    with session_scope() as session:
        return gig_search.search_gigs(session, view)


class SearchState(AppState):
    params: dict[str, str] = {}  # the current view's URL parameters (GigQuery.to_params)
    query: str = ""
    sort: str = "relevance"
    page: int = 1
    total: int = 0
    page_count: int = 1
    results: list[search_views.SearchCardView] = []
    categories: list[search_views.FacetOption] = []
    subcategories: list[search_views.FacetOption] = []
    levels: list[search_views.FacetOption] = []
    languages: list[search_views.FacetOption] = []
    countries: list[search_views.FacetOption] = []
    delivery: list[search_views.FacetOption] = []
    ratings: list[search_views.FacetOption] = []
    chips: list[search_views.FilterChip] = []
    pro_only: bool = False
    pro_count: int = 0
    budget_min: str = ""  # dollars, as typed into the budget boxes
    budget_max: str = ""
    budget_floor: str = ""  # the cheapest and dearest "from" price among the matches
    budget_ceiling: str = ""
    budget_error: str = ""
    heading: str = "All services"
    degraded: bool = False
    loading: bool = True
    load_error: str = ""
    drawer_open: bool = False
    sequence: int = 0

    @rx.var
    def result_count(self) -> str:
        """ "1 service available", "1,204 services available"; "Searching…" until the first
        answer (never a "0 services" that is only the empty state before it)."""
        if self.loading and not self.results:
            return "Searching…"
        return f"{self.total:,} service{'' if self.total == 1 else 's'} available"

    @rx.var
    def apply_label(self) -> str:
        return f"Apply ({self.total:,} result{'' if self.total == 1 else 's'})"

    def _view(self) -> GigQuery:
        return GigQuery.from_params(dict(self.params))

    def _url(self, view: GigQuery) -> str:
        params = view.to_params()
        return "/search" + (f"?{urlencode(params)}" if params else "")

    def _apply(self, result: gig_search.SearchResult) -> None:
        view = result.view
        self.params = view.to_params()
        self.query, self.sort, self.page = view.q, view.sort, view.page
        self.total, self.page_count = result.total, result.page_count
        self.results = search_views.cards(result)
        groups = search_views.facet_groups(result)
        self.categories, self.subcategories = groups["categories"], groups["subcategories"]
        self.levels, self.languages = groups["levels"], groups["languages"]
        self.countries, self.delivery = groups["countries"], groups["delivery"]
        self.ratings = groups["ratings"]
        self.chips = search_views.chips(view, result)
        self.pro_only, self.pro_count = view.pro_only, result.facets.pro
        self.budget_min = str(view.price_min // 100) if view.price_min is not None else ""
        self.budget_max = str(view.price_max // 100) if view.price_max is not None else ""
        facets = result.facets
        self.budget_floor = f"{facets.price_min // 100:,}" if facets.price_min is not None else ""
        self.budget_ceiling = (
            f"{-(-facets.price_max // 100):,}" if facets.price_max is not None else ""
        )
        names = result.categories
        if view.q:
            self.heading = f"Results for “{view.q}”"
        elif view.subcategory in names:
            self.heading = names[view.subcategory].name
        elif view.category in names:
            self.heading = names[view.category].name
        else:
            self.heading = "All services"
        self.degraded = result.degraded
        self.load_error = ""

    async def _search(self, view: GigQuery, *, replace_url: bool = False):
        """Run `view` off the lock; write the results only if no newer search started."""
        async with self:
            self.sequence += 1
            mine = self.sequence
            self.loading = True
        try:
            result = await asyncio.to_thread(_run, view)
        except SQLAlchemyError:
            log.exception("search failed")
            async with self:
                if self.sequence == mine:
                    self.results, self.total, self.loading = [], 0, False
                    self.load_error = "Search is unavailable right now. Please try again."
            return
        async with self:
            if self.sequence != mine:
                return  # a newer search owns the page
            self._apply(result)
            self.loading = False
        if replace_url:
            yield rx.call_script(
                f"window.history.replaceState(null, '', {json.dumps(self._url(result.view))})"
            )

    @rx.event(background=True)
    @public
    async def load(self):
        """on_load: run the search the URL describes (unknown or bad parameters are dropped)."""
        async with self:
            view = GigQuery.from_params(self.router.url.query_parameters)
            self.budget_error = ""
        async for update in self._search(view):
            yield update

    @rx.event(background=True)
    @public
    async def type_query(self, text: str):
        """The page's box, debounced in the browser: results follow the words being typed."""
        if not isinstance(text, str):
            return
        async with self:
            view = self._view().with_changes(q=text[:MAX_QUERY_LENGTH])
            self.query = text[:MAX_QUERY_LENGTH]
        async for update in self._search(GigQuery.clean(**_fields(view)), replace_url=True):
            yield update

    @rx.event
    @public
    def submit_query(self, form_data: dict):
        """Enter in the page's box: the typed words become a view of their own in history."""
        text = form_data.get("q", "") if isinstance(form_data, dict) else ""
        if not isinstance(text, str):
            return
        view = GigQuery.clean(**_fields(self._view().with_changes(q=text)))
        return rx.redirect(self._url(view))

    @rx.event
    @public
    def toggle(self, group: str, value: str):
        """Tick or untick one facet value; other groups are untouched."""
        if not isinstance(group, str) or not isinstance(value, str):
            return
        view = self._view()
        if group in MULTI_VALUED:
            name = MULTI_VALUED[group]
            values = list(getattr(view, name))
            values = [v for v in values if v != value] if value in values else [*values, value]
            view = view.with_changes(**{name: tuple(values)})
        elif group in SINGLE_VALUED:
            name = SINGLE_VALUED[group]
            new = "" if getattr(view, name) == value else value
            changes = {name: new}
            if group == "cat":
                changes["subcategory"] = ""
            view = view.with_changes(**changes)
        elif group == "pro":
            view = view.with_changes(pro_only=not view.pro_only)
        elif group == "budget":
            view = view.with_changes(price_min=None, price_max=None)
        else:
            return
        return rx.redirect(self._url(GigQuery.clean(**_fields(view))))

    @rx.event
    @public
    def clear_all(self):
        return rx.redirect(self._url(GigQuery.clean(q=self._view().q, sort=self._view().sort)))

    @rx.event
    @public
    def set_budget(self, form_data: dict):
        """The budget form: whole dollars, either box may be empty."""
        if not isinstance(form_data, dict):
            return
        bounds = []
        for name in ("min", "max"):
            raw = form_data.get(name, "")
            raw = raw.strip().replace(",", "").lstrip("$") if isinstance(raw, str) else ""
            if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
                self.budget_error = "Enter the budget in whole dollars, e.g. 50."
                return
            bounds.append(int(raw) * 100 if raw else None)
        self.budget_error = ""
        view = self._view().with_changes(price_min=bounds[0], price_max=bounds[1])
        return rx.redirect(self._url(GigQuery.clean(**_fields(view))))

    @rx.event
    @public
    def change_sort(self, sort: str):
        if sort not in SORTS:
            return
        return rx.redirect(self._url(self._view().with_changes(sort=sort)))

    @rx.event
    @public
    def go_to_page(self, page: int):
        if not isinstance(page, int) or not 1 <= page <= self.page_count:
            return
        return rx.redirect(self._url(self._view().with_changes(page=page)))

    @rx.event
    @public
    def set_drawer_open(self, is_open: bool):
        self.drawer_open = is_open is True


def _fields(view: GigQuery) -> dict:
    """A view's fields, for GigQuery.clean to check again after a change from the client."""
    return {
        name: getattr(view, name)
        for name in (
            "q",
            "category",
            "subcategory",
            "levels",
            "pro_only",
            "languages",
            "countries",
            "price_min",
            "price_max",
            "delivery",
            "rating",
            "sort",
            "page",
        )
    }


__all__ = ["SORT_LABELS", "SearchState"]
