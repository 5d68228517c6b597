"""Display-ready shapes of a search result (services/search/gig_search.py) for SearchState's vars.

Only one page of cards and the facet options are kept; labels are computed here so the page
stays declarative. Highlighted titles are lists of text segments, rendered as text.
"""

from __future__ import annotations

import dataclasses

from marketplace.services.common.reference import COUNTRIES
from marketplace.services.search.gig_search import Relaxation, SearchResult
from marketplace.services.search.suggestions import category_path
from marketplace.state.format import money
from marketplace.state.view_models import GigCardView
from search.query import (
    DELIVERY_LABELS,
    LEVELS,
    RATING_LABELS,
    GigQuery,
)


@dataclasses.dataclass
class TitleSegment:
    text: str = ""
    marked: bool = False


@dataclasses.dataclass
class SearchCardView:
    card: GigCardView = dataclasses.field(default_factory=GigCardView)
    title_segments: list[TitleSegment] = dataclasses.field(default_factory=list)
    country: str = ""


@dataclasses.dataclass
class FacetOption:
    """One choice in the filter panel: `group` and `value` go back to SearchState.toggle."""

    group: str = ""
    value: str = ""
    label: str = ""
    count: int = 0
    selected: bool = False


@dataclasses.dataclass
class FilterChip:
    group: str = ""
    value: str = ""
    label: str = ""


def _country_name(code: str) -> str:
    return COUNTRIES.get(code, code)


def cards(result: SearchResult) -> list[SearchCardView]:
    return [
        SearchCardView(
            card=GigCardView.from_card(hit.card),
            title_segments=[TitleSegment(text, marked) for text, marked in hit.title_segments],
            country=_country_name(hit.seller_country) if hit.seller_country else "",
        )
        for hit in result.hits
    ]


def _options(group, counts: dict[str, int], selected, label=lambda v: v) -> list[FacetOption]:
    chosen = set(selected)
    values = sorted(counts, key=lambda v: (-counts[v], label(v)))
    # a chosen value stays in the list (with its count, or 0) so it can be unticked
    values += [v for v in selected if v not in counts]
    return [FacetOption(group, v, label(v), int(counts.get(v, 0)), v in chosen) for v in values]


def facet_groups(result: SearchResult) -> dict[str, list[FacetOption]]:
    view, facets, names = result.view, result.facets, result.categories

    def name(slug: str) -> str:
        return names[slug].name if slug in names else slug

    categories = (
        [FacetOption("cat", view.category, name(view.category), result.total, True)]
        if view.category
        else _options("cat", facets.categories, (), name)
    )
    subcategories = (
        _options("sub", facets.subcategories, (view.subcategory,) if view.subcategory else (), name)
        if view.category or view.subcategory
        else []
    )
    return {
        "categories": categories,
        "subcategories": subcategories,
        "levels": [
            FacetOption("level", key, label, facets.levels.get(key, 0), key in view.levels)
            for key, label in LEVELS.items()
            if facets.levels.get(key, 0) or key in view.levels
        ],
        "languages": _options("lang", facets.languages, view.languages)[:12],
        "countries": _options("country", facets.countries, view.countries, _country_name)[:12],
        "delivery": [
            FacetOption("delivery", key, label, facets.delivery.get(key, 0), view.delivery == key)
            for key, label in DELIVERY_LABELS.items()
        ],
        "ratings": [
            FacetOption("rating", key, label, facets.ratings.get(key, 0), view.rating == key)
            for key, label in RATING_LABELS.items()
        ],
    }


def chips(view: GigQuery, result: SearchResult) -> list[FilterChip]:
    names = result.categories

    def name(slug: str) -> str:
        return names[slug].name if slug in names else slug

    found: list[FilterChip] = []
    if view.category:
        found.append(FilterChip("cat", view.category, name(view.category)))
    if view.subcategory:
        found.append(FilterChip("sub", view.subcategory, name(view.subcategory)))
    found += [FilterChip("level", v, LEVELS.get(v, v)) for v in view.levels]
    if view.pro_only:
        found.append(FilterChip("pro", "1", "Pro only"))
    found += [FilterChip("lang", v, v) for v in view.languages]
    found += [FilterChip("country", v, _country_name(v)) for v in view.countries]
    if view.price_min is not None or view.price_max is not None:
        low = money(view.price_min) if view.price_min is not None else "any"
        high = money(view.price_max) if view.price_max is not None else "any"
        found.append(FilterChip("budget", "", f"Budget {low} – {high}"))
    if view.delivery:
        found.append(FilterChip("delivery", view.delivery, DELIVERY_LABELS[view.delivery]))
    if view.rating:
        found.append(FilterChip("rating", view.rating, f"Rating {RATING_LABELS[view.rating]}"))
    return found


@dataclasses.dataclass
class CategoryLink:
    label: str = ""
    href: str = ""


def _chip_label(group: str, value: str, view: GigQuery, result: SearchResult) -> str:
    for chip in chips(view, result):
        if (chip.group, chip.value) == (group, value):
            return chip.label
    return value


def relax_options(
    relaxations: list[Relaxation], view: GigQuery, result: SearchResult
) -> list[FacetOption]:
    """Empty results: "Remove <filter>" buttons, the one that finds the most first."""
    return [
        FacetOption(
            item.group,
            item.value,
            _chip_label(item.group, item.value, view, result),
            item.total,
            True,
        )
        for item in relaxations
    ]


def related_categories(view: GigQuery, result: SearchResult) -> list[CategoryLink]:
    """Empty results in a subcategory: its parent and a few sibling subcategories; in a
    category: a few other categories."""
    names = result.categories
    if view.subcategory and view.subcategory in names:
        parent = names[view.subcategory].parent_slug
        links = (
            [CategoryLink(f"All of {names[parent].name}", category_path(parent))]
            if (parent in names)
            else []
        )
        siblings = [
            slug
            for slug, item in names.items()
            if item.parent_slug == parent and slug != view.subcategory
        ]
        links += [CategoryLink(names[s].name, category_path(s, parent)) for s in siblings[:3]]
        return links
    if view.category:
        others = [s for s, item in names.items() if not item.parent_slug and s != view.category]
        return [CategoryLink(names[s].name, category_path(s)) for s in others[:4]]
    return []


def list_options(group: str, values: dict[str, int], view: GigQuery) -> list[FacetOption]:
    """A "search in this list" answer: the matching values (chosen ones stay ticked)."""
    chosen = view.languages if group == "lang" else view.countries
    label = _country_name if group == "country" else (lambda v: v)
    return [
        FacetOption(group, value, label(value), int(count), value in chosen)
        for value, count in values.items()
    ]
