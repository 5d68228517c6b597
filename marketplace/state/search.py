"""`/search` state: the view lives in the URL (short params, search/query.py), so a copied link
reproduces it and back/forward move between views.

Filter, sort and page changes navigate to the new URL (on_load runs the search). Typing in the
page's box searches without navigating, and rewrites the address in place. Searches run in
background events so the state lock is not held while Meilisearch or the database answers; each
takes a sequence number and only the newest may write its results. One page of results only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from urllib.parse import urlencode

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from marketplace.db import session_scope
from marketplace.services.common.errors import NotFound
from marketplace.services.gigs import categories as category_pages
from marketplace.services.search import gig_search, impressions
from marketplace.services.search.suggestions import category_path
from marketplace.state import search_views
from marketplace.state.base import AppState, public
from marketplace.state.favorites import FavoritesState
from search.query import MAX_QUERY_LENGTH, SORT_LABELS, SORTS, GigQuery

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Found:
    """One search's answer, with what an empty page offers instead."""

    result: gig_search.SearchResult
    relaxations: list[gig_search.Relaxation]


def _run(view: GigQuery, counts: bool = True) -> Found:
    with session_scope() as session:
        result = gig_search.search_gigs(session, view, counts=counts)
        relaxations = (
            gig_search.relaxations(session, result.view)
            if result.total == 0 and result.view.has_filters
            else []
        )
    # the page's gigs were shown once each: counted in memory, written in batches
    impressions.record_and_maybe_flush([hit.card.id for hit in result.hits], session_scope)
    return Found(result, relaxations)


def _category_page(slugs: tuple[str, str]) -> category_pages.CategoryPage | None:
    with session_scope() as session:
        try:
            return category_pages.category_page(session, slug=slugs[0], subcategory=slugs[1])
        except NotFound:
            return None


def _facet_values(view: GigQuery, group: str, text: str) -> gig_search.FacetValues:
    with session_scope() as session:
        return gig_search.facet_values(session, view, group=group, text=text)


impressions.flush_at_exit(session_scope)


class SearchState(AppState):
    # the current view's URL parameters (GigQuery.to_params); server only: the page never reads
    # them, and a search that changes only them sends nothing before its answer
    _params: dict[str, str] = {}
    # the view (without its page) whose facet counts the panel shows: another page of it is
    # searched without counting them again (gig_search.search_gigs(counts=False))
    _counted_view: dict[str, str] = {}
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
    _sequence: int = 0  # the newest search's number (server only: never sent)
    # "search in this list" boxes (languages, countries)
    language_text: str = ""
    country_text: str = ""
    _list_sequence: int = 0
    # empty results: the filters whose removal finds the most, and nearby categories
    relax_options: list[search_views.FacetOption] = []
    related: list[search_views.CategoryLink] = []
    # /categories/<slug>[/<sub>]: the category is fixed by the address
    category_path: str = ""  # "" on /search
    category_missing: bool = False
    description: str = ""
    crumbs: list[search_views.CategoryLink] = []

    @rx.var
    def result_count(self) -> str:
        """ "1 service available", "1,204 services available"; "Searching…" until the first
        answer (never a "0 services" that is only the empty state before it)."""
        if self.loading and not self.results:
            return "Searching…"
        return f"{self.total:,} service{'' if self.total == 1 else 's'} available"

    @rx.var
    def page_title(self) -> str:
        """The browser title of a category page."""
        if self.category_missing:
            return "Category not found · Gigworks"
        if self.crumbs:
            return f"{self.crumbs[-1].label} services · Gigworks"
        return "Search services · Gigworks"

    @rx.var
    def apply_label(self) -> str:
        return f"Apply ({self.total:,} result{'' if self.total == 1 else 's'})"

    def _view(self) -> GigQuery:
        return GigQuery.from_params(dict(self._params))

    def _url(self, view: GigQuery) -> str:
        """The address of a view: on a category page, a view that keeps a category stays on
        the category pages (/categories/<cat>[/<sub>]); otherwise /search."""
        params = view.to_params()
        path = "/search"
        if self.category_path and view.category:
            path = (
                category_path(view.subcategory, view.category)
                if view.subcategory
                else (category_path(view.category))
            )
            params.pop("cat", None)
            params.pop("sub", None)
        return path + (f"?{urlencode(params)}" if params else "")

    def _go(self, view: GigQuery):
        """Navigate to a changed view. The view is taken as current at once, so words typed
        before its results arrive build on it (and not on the view before the click)."""
        view = GigQuery.clean(**view.fields())
        self._params = view.to_params()
        return rx.redirect(self._url(view))

    def _apply(self, found: Found) -> None:
        """Write one search's answer; only what changed goes to the browser (the next page
        of the same view keeps its facet panel, chips and heading)."""
        result = found.result
        view = result.view
        results_page = {  # what every answer writes; a counted one writes the panel too
            "_params": view.to_params(),
            "page": view.page,
            "total": result.total,
            "page_count": result.page_count,
            "results": search_views.cards(result),
            "degraded": result.degraded,
            "load_error": "",
        }
        if not result.counted:  # another page of the view on screen: the panel stays
            self._assign(**results_page)
            return
        facets = result.facets
        groups = search_views.facet_groups(result)
        names = result.categories
        if view.q and self.category_path:
            heading = f"Results for “{view.q}” in {self.crumbs[-1].label}"
        elif view.q:
            heading = f"Results for “{view.q}”"
        elif view.subcategory in names:
            heading = names[view.subcategory].name
        elif view.category in names:
            heading = names[view.category].name
        else:
            heading = "All services"
        self._assign(
            relax_options=search_views.relax_options(found.relaxations, view, result),
            related=search_views.related_categories(view, result) if not result.total else [],
            language_text="",
            country_text="",
            **results_page,
            query=view.q,
            sort=view.sort,
            categories=groups["categories"],
            subcategories=groups["subcategories"],
            levels=groups["levels"],
            languages=groups["languages"],
            countries=groups["countries"],
            delivery=groups["delivery"],
            ratings=groups["ratings"],
            chips=search_views.chips(view, result),
            pro_only=view.pro_only,
            pro_count=facets.pro,
            budget_min=str(view.price_min // 100) if view.price_min is not None else "",
            budget_max=str(view.price_max // 100) if view.price_max is not None else "",
            budget_floor=f"{facets.price_min // 100:,}" if facets.price_min is not None else "",
            budget_ceiling=(
                f"{-(-facets.price_max // 100):,}" if facets.price_max is not None else ""
            ),
            heading=heading,
            _counted_view=view.with_changes(page=1).to_params(),
        )

    def _needs_counts(self, view: GigQuery) -> bool:
        """Under the lock: whether `view` needs its facet counts (not when it is another page
        of the view whose counts are on screen)."""
        return not (self.results and view.with_changes(page=1).to_params() == self._counted_view)

    def _start_search(self) -> int:
        """Under the lock: this search's number (only the newest may write its results).
        `loading` shows only on a page without results (the skeleton, "Searching…"); with
        results on screen it would change nothing the visitor sees, and setting it would cost
        an update before every answer."""
        self._sequence += 1
        if not self.results:
            self._assign(loading=True)
        return self._sequence

    async def _search(
        self, view: GigQuery, mine: int, *, replace_url: bool = False, counts: bool = True
    ):
        """Run `view` off the lock; write the results only if no newer search started. The
        caller took `mine` from `_start_search` in its own locked block: one state round trip
        (and one update to the browser) fewer per search."""
        try:
            found = await asyncio.to_thread(_run, view, counts)
        except SQLAlchemyError:
            log.exception("search failed")
            async with self:
                if self._sequence == mine:
                    self.results, self.total, self.loading = [], 0, False
                    self.load_error = "Search is unavailable right now. Please try again."
            return
        async with self:
            if self._sequence != mine:
                return  # a newer search owns the page
            self._apply(found)
            self._assign(loading=False)
            address = self._url(found.result.view)
        if replace_url:
            yield rx.call_script(f"window.history.replaceState(null, '', {json.dumps(address)})")

    @rx.event(background=True)
    @public
    async def load(self):
        """on_load: run the search the URL describes (unknown or bad parameters are dropped),
        and refresh the header's viewer and the hearts (`page(..., loads_viewer=True)`)."""
        async with self:
            (await self.get_state(FavoritesState))._refresh_viewer_and_hearts()
            view = GigQuery.from_params(self.router.url.query_parameters)
            slugs = category_pages.slugs_from_path(self.router.url.path)
            self._assign(budget_error="", category_missing=False)
            if slugs is None:
                self._assign(category_path="")
                mine = self._start_search()
                counts = self._needs_counts(view)
        if slugs is not None:
            fixed = await asyncio.to_thread(_category_page, slugs)
            async with self:
                if fixed is None:
                    self.category_missing, self.loading, self.category_path = True, False, ""
                    self.results, self.total = [], 0
                    return
                self._assign(
                    category_path=category_path(
                        fixed.subcategory or fixed.category,
                        (fixed.category if fixed.subcategory else ""),
                    ),
                    description=fixed.description,
                    crumbs=[search_views.CategoryLink(c.label, c.href) for c in fixed.crumbs],
                )
                mine = self._start_search()
                view = view.with_changes(
                    category=fixed.category, subcategory=fixed.subcategory, page=view.page
                )
                counts = self._needs_counts(view)
        async for update in self._search(view, mine, counts=counts):
            yield update

    @rx.event(background=True)
    @public
    async def type_query(self, text: str):
        """The page's box, debounced in the browser: results follow the words being typed."""
        if not isinstance(text, str):
            return
        async with self:
            view = GigQuery.clean(**self._view().with_changes(q=text[:MAX_QUERY_LENGTH]).fields())
            self._params = view.to_params()  # a filter clicked meanwhile keeps these words
            mine = self._start_search()
        async for update in self._search(view, mine, replace_url=True):
            yield update

    @rx.event(background=True)
    @public
    async def search_list(self, group: str, text: str):
        """A "search in this list" box (languages, countries; debounced in the browser): the
        values matching the words, counted with the other filters."""
        if group not in gig_search.FACET_LISTS or not isinstance(text, str):
            return
        text = text[: gig_search.FACET_TEXT_LIMIT]
        async with self:
            self._list_sequence += 1
            mine = self._list_sequence
            view = self._view()
            if group == "lang":
                self.language_text = text
            else:
                self.country_text = text
        try:
            found = await asyncio.to_thread(_facet_values, view, group, text)
        except SQLAlchemyError:
            log.exception("facet list search failed")
            return
        async with self:
            if self._list_sequence != mine:
                return
            options = search_views.list_options(group, found.values, view)
            if group == "lang":
                self.languages = options
            else:
                self.countries = options

    @rx.event
    @public
    def submit_query(self, form_data: dict):
        """Enter in the page's box: the typed words become a view of their own in history."""
        text = form_data.get("q", "") if isinstance(form_data, dict) else ""
        if not isinstance(text, str):
            return
        return self._go(self._view().with_changes(q=text))

    @rx.event
    @public
    def toggle(self, group: str, value: str):
        """Tick or untick one facet value; other groups are untouched."""
        if not isinstance(group, str) or not isinstance(value, str):
            return
        view = self._view().toggled(group, value)
        if view is None:
            return
        if self.category_path and not view.category:
            self.category_path = ""  # leaving the category pages for /search
        return self._go(view)

    @rx.event
    @public
    def clear_all(self):
        view = self._view()
        kept = {"category": view.category, "subcategory": view.subcategory}
        return self._go(
            GigQuery.clean(q=view.q, sort=view.sort, **(kept if self.category_path else {}))
        )

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
        return self._go(self._view().with_changes(price_min=bounds[0], price_max=bounds[1]))

    @rx.event
    @public
    def change_sort(self, sort: str):
        if sort not in SORTS:
            return
        return self._go(self._view().with_changes(sort=sort))

    @rx.event
    @public
    def go_to_page(self, page: int):
        if not isinstance(page, int) or not 1 <= page <= self.page_count:
            return
        return self._go(self._view().with_changes(page=page))

    @rx.event
    @public
    def set_drawer_open(self, is_open: bool):
        self.drawer_open = is_open is True


__all__ = ["SORT_LABELS", "SearchState"]
