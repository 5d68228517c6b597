"""The heart that saves a gig to the viewer's favourites (cards and the gig page)."""

import reflex as rx

from marketplace.state.favorites import FavoritesState


def heart_button(gig_id, size: str = "2", test_id: str = "favorite-button") -> rx.Component:
    saved = FavoritesState.saved_ids.contains(gig_id)
    return rx.icon_button(
        rx.icon(
            "heart",
            size=18 if size == "2" else 20,
            color=rx.cond(saved, "var(--red-9)", "var(--gray-11)"),
            fill=rx.cond(saved, "var(--red-9)", "none"),
        ),
        variant="surface",
        color_scheme="gray",
        radius="full",
        size=size,
        aria_label=rx.cond(saved, "Remove from favourites", "Save to favourites"),
        aria_pressed=saved,
        on_click=FavoritesState.toggle_favorite(gig_id).stop_propagation.prevent_default,
        data_testid=test_id,
        data_saved=rx.cond(saved, "true", "false"),
        cursor="pointer",
    )
