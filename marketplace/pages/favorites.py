"""`/my/favorites`: the gigs the member saved with the heart, newest save first."""

import reflex as rx

from marketplace.components.gig_card import gig_grid, gig_grid_skeleton
from marketplace.components.layout import content_column
from marketplace.components.order_parts import empty_box
from marketplace.components.paging import pager
from marketplace.pages.routing import page
from marketplace.state.favorites import FavoritesPageState

S = FavoritesPageState


@page("/my/favorites", "Favourites · Gigworks", on_load=FavoritesPageState.load)
def favorites_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.hstack(
                rx.heading("Favourites", size="7", as_="h1"),
                rx.cond(
                    ~S.loading & (S.total > 0),
                    rx.text(
                        S.total,
                        rx.cond(S.total == 1, " saved gig", " saved gigs"),
                        size="2",
                        color_scheme="gray",
                    ),
                ),
                align="baseline",
                spacing="3",
                wrap="wrap",
            ),
            rx.cond(
                S.loading,
                gig_grid_skeleton(4),
                rx.cond(
                    S.total > 0,
                    rx.vstack(
                        gig_grid(S.cards),
                        pager(
                            page_number=S.page_number,
                            page_count=S.page_count,
                            go_to_page=S.go_to_page,
                        ),
                        spacing="5",
                        width="100%",
                    ),
                    empty_box(
                        "heart",
                        "No favourites yet",
                        "Tap the heart on any gig to keep it here.",
                        rx.link(rx.button("Browse gigs"), href="/search", underline="none"),
                        test_id="favorites-empty",
                    ),
                ),
            ),
            spacing="5",
            width="100%",
        ),
        padding_y="32px",
    )
