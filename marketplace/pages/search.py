"""`/search`: results that follow the typed words, a filter panel with counts, removable chips,
sort and pages. At phone width the panel is a drawer with "Apply (N results)"."""

import reflex as rx

from marketplace.components.gig_card import gig_grid_skeleton, titled_gig_card
from marketplace.components.layout import content_column
from marketplace.components.not_found import not_found_panel
from marketplace.pages.routing import page
from marketplace.state.search import SearchState
from marketplace.state.search_views import (
    CategoryLink,
    FacetOption,
    FilterChip,
    SearchCardView,
    TitleSegment,
)
from search.query import SORT_LABELS

TYPING_DEBOUNCE_MS = 250
LIST_DEBOUNCE_MS = 200
DESKTOP_ONLY = rx.breakpoints(initial="none", md="block")
PHONE_ONLY = rx.breakpoints(initial="flex", md="none")


def search_form() -> rx.Component:
    return rx.form(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            name="q",
            value=SearchState.query,
            on_change=SearchState.type_query,
            # a controlled input is Reflex's DebounceInput (300 ms unless told): the one delay
            debounce_timeout=TYPING_DEBOUNCE_MS,
            placeholder="Search services",
            aria_label="Search in results",
            size="3",
            width="100%",
            data_testid="search-page-box",
        ),
        on_submit=SearchState.submit_query,
        width="100%",
    )


def crumb(link: CategoryLink) -> rx.Component:
    return rx.fragment(
        rx.cond(link.href == "/", rx.fragment(), rx.icon("chevron-right", size=14)),
        rx.link(link.label, href=link.href, size="2", color_scheme="gray", underline="hover"),
    )


def breadcrumbs() -> rx.Component:
    return rx.cond(
        SearchState.category_path != "",
        rx.el.nav(
            rx.hstack(
                rx.foreach(SearchState.crumbs, crumb),
                align="center",
                spacing="1",
                wrap="wrap",
                color="var(--gray-10)",
            ),
            aria_label="Breadcrumb",
            data_testid="breadcrumbs",
        ),
    )


def toolbar() -> rx.Component:
    return rx.vstack(
        breadcrumbs(),
        search_form(),
        rx.flex(
            rx.vstack(
                rx.heading(SearchState.heading, size="7", as_="h1"),
                rx.cond(
                    (SearchState.category_path != "") & (SearchState.description != ""),
                    rx.text(
                        SearchState.description,
                        size="3",
                        color_scheme="gray",
                        max_width="640px",
                        data_testid="category-description",
                    ),
                ),
                rx.text(
                    SearchState.result_count,
                    size="2",
                    color_scheme="gray",
                    data_testid="result-count",
                ),
                spacing="1",
            ),
            rx.spacer(),
            rx.hstack(
                rx.button(
                    rx.icon("sliders-horizontal", size=16),
                    "Filters",
                    variant="soft",
                    display=PHONE_ONLY,
                    on_click=SearchState.set_drawer_open(True),
                ),
                rx.text("Sort by", size="2", color_scheme="gray"),
                rx.select.root(
                    rx.select.trigger(aria_label="Sort by"),
                    rx.select.content(
                        *[
                            rx.select.item(label, value=value)
                            for value, label in SORT_LABELS.items()
                        ]
                    ),
                    value=SearchState.sort,
                    on_change=SearchState.change_sort,
                ),
                align="center",
                spacing="2",
            ),
            wrap="wrap",
            gap="16px",
            align="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
        padding_top="32px",
        padding_bottom="16px",
    )


def chip(item: FilterChip) -> rx.Component:
    return rx.badge(
        item.label,
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            radius="full",
            aria_label="Remove " + item.label,
            on_click=SearchState.toggle(item.group, item.value),
        ),
        size="2",
        variant="surface",
        radius="full",
        data_testid="filter-chip",
    )


def chips_row() -> rx.Component:
    return rx.cond(
        SearchState.chips.length() > 0,
        rx.flex(
            rx.foreach(SearchState.chips, chip),
            rx.button("Clear all", variant="ghost", size="1", on_click=SearchState.clear_all),
            wrap="wrap",
            gap="8px",
            align="center",
            padding_bottom="16px",
        ),
    )


def option(item: FacetOption) -> rx.Component:
    return rx.hstack(
        rx.checkbox(
            item.label,
            checked=item.selected,
            on_change=SearchState.toggle(item.group, item.value),
            size="2",
        ),
        rx.spacer(),
        rx.text(item.count.to_string(), size="1", color_scheme="gray", data_testid="facet-count"),
        width="100%",
        align="center",
        data_testid="facet-option",
    )


def group(title: str, options, *, name: str) -> rx.Component:
    return rx.cond(
        options.length() > 0,
        rx.vstack(
            rx.text(title, size="2", weight="bold"),
            rx.foreach(options, option),
            spacing="2",
            width="100%",
            role="group",
            aria_label=title,
            data_testid=f"facet-{name}",
        ),
    )


def searchable_group(
    title: str, options, *, name: str, group_key: str, text, placeholder: str
) -> rx.Component:
    """A long facet list with a "search in this list" box (Meilisearch's facet search)."""
    return rx.cond(
        (options.length() > 0) | (text != ""),
        rx.vstack(
            rx.text(title, size="2", weight="bold"),
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                value=text,
                on_change=SearchState.search_list(group_key),
                debounce_timeout=LIST_DEBOUNCE_MS,
                placeholder=placeholder,
                aria_label=placeholder,
                size="1",
                width="100%",
                max_length=40,
            ),
            rx.foreach(options, option),
            rx.cond(
                (options.length() == 0) & (text != ""),
                rx.text("No match among these results.", size="1", color_scheme="gray"),
            ),
            spacing="2",
            width="100%",
            role="group",
            aria_label=title,
            data_testid=f"facet-{name}",
        ),
    )


# A visible label over each budget field: its placeholder ("Min $20") goes once a figure is typed.
BUDGET_LABEL_STYLE = {"display": "flex", "flex_direction": "column", "gap": "2px", "flex": "1"}


def budget() -> rx.Component:
    return rx.vstack(
        rx.text("Budget", size="2", weight="bold"),
        rx.form(
            rx.hstack(
                rx.el.label(
                    rx.text("Min ($)", size="1", weight="medium", color_scheme="gray"),
                    rx.input(
                        name="min",
                        default_value=SearchState.budget_min,
                        key="min-" + SearchState.budget_min,
                        placeholder=rx.cond(
                            SearchState.budget_floor != "",
                            "Min $" + SearchState.budget_floor,
                            "Min",
                        ),
                        input_mode="numeric",
                        size="2",
                    ),
                    style=BUDGET_LABEL_STYLE,
                ),
                rx.el.label(
                    rx.text("Max ($)", size="1", weight="medium", color_scheme="gray"),
                    rx.input(
                        name="max",
                        default_value=SearchState.budget_max,
                        key="max-" + SearchState.budget_max,
                        placeholder=rx.cond(
                            SearchState.budget_ceiling != "",
                            "Max $" + SearchState.budget_ceiling,
                            "Max",
                        ),
                        input_mode="numeric",
                        size="2",
                    ),
                    style=BUDGET_LABEL_STYLE,
                ),
                rx.button("Go", type="submit", variant="soft", size="2"),
                spacing="2",
                align="end",
                role="group",
                aria_label="Budget",
            ),
            on_submit=SearchState.set_budget,
            width="100%",
        ),
        rx.cond(
            SearchState.budget_error != "",
            rx.text(SearchState.budget_error, color_scheme="red", size="1"),
        ),
        spacing="2",
        width="100%",
    )


def filter_panel() -> rx.Component:
    return rx.vstack(
        group("Category", SearchState.categories, name="category"),
        group("Subcategory", SearchState.subcategories, name="subcategory"),
        group("Seller level", SearchState.levels, name="level"),
        rx.hstack(
            rx.checkbox(
                "Pro only",
                checked=SearchState.pro_only,
                on_change=SearchState.toggle("pro", "1"),
            ),
            rx.spacer(),
            rx.text(SearchState.pro_count.to_string(), size="1", color_scheme="gray"),
            width="100%",
        ),
        group("Delivery time", SearchState.delivery, name="delivery"),
        group("Rating", SearchState.ratings, name="rating"),
        budget(),
        searchable_group(
            "Seller speaks",
            SearchState.languages,
            name="language",
            group_key="lang",
            text=SearchState.language_text,
            placeholder="Search languages",
        ),
        searchable_group(
            "Seller lives in",
            SearchState.countries,
            name="country",
            group_key="country",
            text=SearchState.country_text,
            placeholder="Search countries",
        ),
        spacing="5",
        width="100%",
        data_testid="filter-panel",
    )


def drawer() -> rx.Component:
    """The phone's filter panel: choices apply as they are made; Apply closes the drawer."""
    return rx.cond(
        SearchState.drawer_open,
        rx.box(
            rx.vstack(
                rx.hstack(
                    rx.heading("Filters", size="5"),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("x", size=18),
                        variant="ghost",
                        aria_label="Close filters",
                        on_click=SearchState.set_drawer_open(False),
                    ),
                    width="100%",
                    align="center",
                ),
                rx.box(filter_panel(), overflow_y="auto", flex="1", width="100%"),
                rx.button(
                    SearchState.apply_label,
                    size="3",
                    width="100%",
                    on_click=SearchState.set_drawer_open(False),
                ),
                height="100%",
                padding="20px",
                spacing="4",
            ),
            position="fixed",
            inset="0",
            z_index="50",
            background="var(--color-background)",
            role="dialog",
            aria_label="Filters",
            data_testid="filter-drawer",
        ),
    )


def title_segment(segment: TitleSegment) -> rx.Component:
    return rx.cond(
        segment.marked,
        rx.el.mark(segment.text, class_name="search-match"),
        rx.text.span(segment.text),
    )


def result_card(item: SearchCardView) -> rx.Component:
    return titled_gig_card(item.card, rx.foreach(item.title_segments, title_segment))


def results_grid() -> rx.Component:
    return rx.grid(
        rx.foreach(SearchState.results, result_card),
        columns=rx.breakpoints(initial="1", xs="2", lg="3"),
        spacing="5",
        width="100%",
    )


def pager() -> rx.Component:
    return rx.cond(
        SearchState.page_count > 1,
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16),
                "Previous",
                variant="soft",
                disabled=SearchState.page <= 1,
                on_click=SearchState.go_to_page(SearchState.page - 1),
            ),
            rx.text(
                "Page "
                + SearchState.page.to_string()
                + " of "
                + SearchState.page_count.to_string(),
                size="2",
                color_scheme="gray",
            ),
            rx.button(
                "Next",
                rx.icon("chevron-right", size=16),
                variant="soft",
                disabled=SearchState.page >= SearchState.page_count,
                on_click=SearchState.go_to_page(SearchState.page + 1),
            ),
            justify="center",
            align="center",
            spacing="4",
            width="100%",
            padding_top="32px",
        ),
    )


def relax_button(item: FacetOption) -> rx.Component:
    return rx.button(
        rx.icon("x", size=14),
        "Remove “" + item.label + "” (" + item.count.to_string() + ")",
        variant="soft",
        on_click=SearchState.toggle(item.group, item.value),
        data_testid="relax-filter",
    )


def related_link(link: CategoryLink) -> rx.Component:
    return rx.link(
        rx.badge(link.label, size="2", variant="surface", radius="full"),
        href=link.href,
        underline="none",
        data_testid="related-category",
    )


def no_results() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("search-x", size=40, color="var(--gray-9)"),
            rx.heading("No services match your search", size="4", data_testid="no-results"),
            rx.text(
                rx.cond(
                    SearchState.relax_options.length() > 0,
                    "Removing one filter would find some:",
                    "Try fewer or different words, remove a filter, or browse all services.",
                ),
                color_scheme="gray",
                text_align="center",
            ),
            rx.flex(
                rx.foreach(SearchState.relax_options, relax_button),
                wrap="wrap",
                gap="8px",
                justify="center",
            ),
            rx.cond(
                SearchState.related.length() > 0,
                rx.vstack(
                    rx.text("Or try a related category", size="2", color_scheme="gray"),
                    rx.flex(
                        rx.foreach(SearchState.related, related_link),
                        wrap="wrap",
                        gap="8px",
                        justify="center",
                    ),
                    align="center",
                    spacing="2",
                ),
            ),
            rx.link(rx.button("Browse all services", variant="outline"), href="/search"),
            align="center",
            spacing="3",
            max_width="560px",
        ),
        padding_y="64px",
        width="100%",
    )


def degraded_notice() -> rx.Component:
    return rx.cond(
        SearchState.degraded,
        rx.callout(
            "Search is running in a simpler mode right now: results may be less relevant, "
            "and misspelled words are not matched.",
            icon="info",
            color_scheme="amber",
            variant="surface",
            size="1",
            data_testid="search-degraded",
            margin_bottom="16px",
        ),
    )


def search_view() -> rx.Component:
    return content_column(
        toolbar(),
        degraded_notice(),
        rx.cond(
            SearchState.load_error != "",
            rx.callout(SearchState.load_error, icon="triangle-alert", color_scheme="red"),
        ),
        chips_row(),
        rx.flex(
            rx.box(filter_panel(), width="240px", flex_shrink="0", display=DESKTOP_ONLY),
            rx.box(
                rx.cond(
                    SearchState.loading & (SearchState.results.length() == 0),
                    gig_grid_skeleton(6),
                    rx.cond(SearchState.total > 0, results_grid(), no_results()),
                ),
                pager(),
                flex="1",
                min_width="0",
            ),
            gap="32px",
            width="100%",
        ),
        drawer(),
    )


@page(
    route="/search",
    title="Search services · Gigworks",
    on_load=SearchState.load,
    loads_viewer=True,
    search_query=SearchState.query,
    header_search=False,
)
def search() -> rx.Component:
    return search_view()


def category_view() -> rx.Component:
    return rx.cond(
        SearchState.category_missing,
        not_found_panel(
            "folder-search",
            "Category not found",
            "There is no such category. Search for what you need, or browse every service.",
            "category-not-found",
        ),
        search_view(),
    )


@page(
    route="/categories/[category_slug]",
    title=SearchState.page_title,
    on_load=SearchState.load,
    loads_viewer=True,
    header_search=False,
)
def category() -> rx.Component:
    return category_view()


@page(
    route="/categories/[category_slug]/[subcategory_slug]",
    title=SearchState.page_title,
    on_load=SearchState.load,
    loads_viewer=True,
    header_search=False,
)
def subcategory() -> rx.Component:
    return category_view()
