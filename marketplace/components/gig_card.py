"""The gig card used in lists: cover, seller, title, rating and starting price."""

import reflex as rx

from marketplace.components.favorites import heart_button
from marketplace.components.theme import CARD_RADIUS
from marketplace.state.view_models import GigCardView


def stars_summary(rating: rx.Var[str], count: rx.Var[int]) -> rx.Component:
    return rx.cond(
        count > 0,
        rx.hstack(
            rx.icon("star", size=14, fill="var(--amber-9)", color="var(--amber-9)"),
            rx.text(rating, weight="bold", size="2"),
            rx.text(f"({count})", size="2", color_scheme="gray"),
            spacing="1",
            align="center",
        ),
        rx.text("No reviews yet", size="2", color_scheme="gray"),
    )


def cover(gig: GigCardView) -> rx.Component:
    """The gallery's first image; a category-coloured placeholder until there is one."""
    return rx.cond(
        gig.cover_url != "",
        rx.image(
            src=gig.cover_url,
            alt="",  # the card's title names the gig; the image adds nothing for a screen reader
            height="160px",
            width="100%",
            object_fit="cover",
            loading="lazy",
            border_radius=f"{CARD_RADIUS} {CARD_RADIUS} 0 0",
            data_testid="gig-card-cover",
        ),
        placeholder_cover(gig),
    )


def placeholder_cover(gig: GigCardView) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(gig.icon, size=36, color="white", stroke_width=1.5),
            rx.text(gig.category, size="1", color="white", weight="medium", opacity="0.9"),
            align="center",
            spacing="2",
        ),
        height="160px",
        width="100%",
        background=(
            f"linear-gradient(135deg, hsl({gig.hue}, 55%, 45%), hsl({gig.hue + 40}, 60%, 35%))"
        ),
        border_radius=f"{CARD_RADIUS} {CARD_RADIUS} 0 0",
    )


def gig_card(gig: GigCardView) -> rx.Component:
    """The whole card is one link to the gig page."""
    return titled_gig_card(gig, None)


def titled_gig_card(gig: GigCardView, title: rx.Component | None) -> rx.Component:
    """A gig card whose title is `title` (search passes one with the matched words marked)."""
    return rx.link(
        gig_card_body(gig, title),
        href="/gig/" + gig.slug,
        underline="none",
        color="inherit",
        display="block",
        height="100%",
        border_radius=CARD_RADIUS,
    )


def gig_card_body(gig: GigCardView, title: rx.Component | None = None) -> rx.Component:
    return rx.card(
        rx.inset(
            rx.box(
                cover(gig),
                rx.box(heart_button(gig.id, size="1"), position="absolute", top="8px", right="8px"),
                position="relative",
            ),
            side="top",
            pb="current",
        ),
        rx.vstack(
            rx.hstack(
                rx.avatar(fallback=gig.seller_initials, size="2", radius="full"),
                rx.vstack(
                    rx.text(gig.seller_name, size="2", weight="bold", trim="both"),
                    rx.text(gig.seller_level, size="1", color_scheme="gray", trim="both"),
                    spacing="1",
                ),
                rx.spacer(),
                rx.cond(
                    gig.is_pro,
                    rx.badge("Pro", color_scheme="iris", variant="solid", data_testid="pro-badge"),
                ),
                align="center",
                width="100%",
                spacing="2",
            ),
            rx.text(
                title if title is not None else gig.title,
                size="2",
                weight="medium",
                style={
                    "display": "-webkit-box",
                    "-webkit-line-clamp": "2",
                    "-webkit-box-orient": "vertical",
                    "overflow": "hidden",
                },
                min_height="2.8em",
            ),
            stars_summary(gig.rating, gig.rating_count),
            rx.separator(size="4"),
            rx.hstack(
                rx.text("From", size="1", color_scheme="gray", weight="medium"),
                rx.text(gig.price_from, size="4", weight="bold"),
                align="baseline",
                justify="end",
                spacing="2",
                width="100%",
            ),
            spacing="3",
            padding_top="12px",
        ),
        size="1",
        class_name="gig-card",
        data_testid="gig-card",
        height="100%",
        transition="box-shadow 120ms ease",
        _hover={"box_shadow": "var(--shadow-4)"},
    )


def gig_grid(gigs: rx.Var[list[GigCardView]]) -> rx.Component:
    return rx.grid(
        rx.foreach(gigs, gig_card),
        columns=rx.breakpoints(initial="1", xs="2", md="3", lg="4"),
        spacing="5",
        width="100%",
    )


def gig_grid_skeleton(count: int = 8) -> rx.Component:
    return rx.grid(
        *[rx.skeleton(rx.box(height="300px", width="100%"), loading=True) for _ in range(count)],
        columns=rx.breakpoints(initial="1", xs="2", md="3", lg="4"),
        spacing="5",
        width="100%",
    )
