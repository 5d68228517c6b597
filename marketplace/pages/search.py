"""`/search`: gig results for a query and/or category, sortable, paginated."""

import reflex as rx

from marketplace.components.gig_card import gig_grid, gig_grid_skeleton
from marketplace.components.layout import content_column
from marketplace.pages.routing import page
from marketplace.state.search import SearchState

SORT_LABELS = {
    "recommended": "Recommended",
    "rating": "Best rating",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "newest": "Newest",
}


def toolbar() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(SearchState.heading, size="7"),
            rx.text(
                rx.cond(
                    SearchState.loading,
                    "Searching…",
                    SearchState.result_count,
                ),
                size="2",
                color_scheme="gray",
                data_testid="result-count",
            ),
            spacing="1",
        ),
        rx.spacer(),
        rx.hstack(
            rx.text("Sort by", size="2", color_scheme="gray"),
            rx.select.root(
                rx.select.trigger(aria_label="Sort by"),
                rx.select.content(
                    *[rx.select.item(label, value=value) for value, label in SORT_LABELS.items()]
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
        padding_top="32px",
        padding_bottom="24px",
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


def no_results() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("search-x", size=40, color="var(--gray-9)"),
            rx.heading("No services match your search", size="4"),
            rx.text("Try fewer or different words, or browse all services.", color_scheme="gray"),
            rx.link(rx.button("Browse all services", variant="soft"), href="/search"),
            align="center",
            spacing="3",
        ),
        padding_y="64px",
        width="100%",
    )


@page(
    route="/search",
    title="Search services · Gigworks",
    on_load=SearchState.load,
    search_query=SearchState.query,
)
def search() -> rx.Component:
    return content_column(
        toolbar(),
        rx.cond(
            SearchState.load_error != "",
            rx.callout(SearchState.load_error, icon="triangle-alert", color_scheme="red"),
        ),
        rx.cond(
            SearchState.loading,
            gig_grid_skeleton(),
            rx.cond(SearchState.total > 0, gig_grid(SearchState.results), no_results()),
        ),
        pager(),
    )
