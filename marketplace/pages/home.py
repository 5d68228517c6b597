"""`/`: hero with search, category tiles, popular gigs, how escrow protects both sides."""

import reflex as rx

from marketplace.components.gig_card import gig_grid, gig_grid_skeleton
from marketplace.components.layout import content_column, search_box
from marketplace.components.theme import CARD_RADIUS, SECTION_GAP
from marketplace.pages.routing import page
from marketplace.state.home import HomeState
from marketplace.state.view_models import CategoryView

POPULAR_SEARCHES = ["logo design", "wordpress", "voice over", "seo", "video editing"]


def hero() -> rx.Component:
    return rx.box(
        content_column(
            rx.vstack(
                rx.heading(
                    "Find the right freelance service, right away",
                    size=rx.breakpoints(initial="7", md="9"),
                    color="white",
                    max_width="720px",
                    line_height="1.1",
                ),
                rx.text(
                    "Fixed-price services from vetted freelancers. Your payment is held in "
                    "escrow and released only when you approve the delivery.",
                    size=rx.breakpoints(initial="3", md="4"),
                    color="rgba(255,255,255,0.85)",
                    max_width="620px",
                ),
                rx.box(search_box(size="3"), width="100%", max_width="640px"),
                rx.flex(
                    rx.text("Popular:", size="2", color="rgba(255,255,255,0.8)"),
                    *[
                        rx.link(
                            rx.badge(
                                term,
                                variant="outline",
                                color_scheme="gray",
                                size="2",
                                style={"color": "white", "border-color": "rgba(255,255,255,.5)"},
                            ),
                            href=f"/search?q={term.replace(' ', '+')}",
                            underline="none",
                        )
                        for term in POPULAR_SEARCHES
                    ],
                    gap="8px",
                    wrap="wrap",
                    align="center",
                ),
                spacing="5",
                padding_y=rx.breakpoints(initial="48px", md="88px"),
            )
        ),
        background=(
            "radial-gradient(circle at 85% 20%, rgba(255,255,255,0.12), transparent 40%),"
            " linear-gradient(120deg, #0d3b2e 0%, #14532d 45%, #166534 100%)"
        ),
    )


def category_tile(category: CategoryView) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.box(
                    rx.icon(category.icon, size=22, color="var(--accent-11)"),
                    background="var(--accent-3)",
                    border_radius="10px",
                    padding="10px",
                    display="flex",
                ),
                rx.text(category.name, weight="bold", size="3"),
                rx.text(category.subcategories, size="1", color_scheme="gray"),
                rx.text(category.gig_count_label, size="1", color_scheme="grass"),
                spacing="2",
            ),
            height="100%",
            class_name="category-tile",
            data_testid="category-tile",
        ),
        href="/categories/" + category.slug,
        underline="none",
        color="inherit",
    )


def section(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.heading(title, size="6"),
            rx.text(subtitle, size="2", color_scheme="gray"),
            spacing="1",
        ),
        *children,
        spacing="5",
        width="100%",
        padding_top=SECTION_GAP,
    )


def how_it_works() -> rx.Component:
    steps = [
        ("search", "Find a service", "Compare packages, delivery times and reviews."),
        (
            "shield-check",
            "Pay into escrow",
            "Your card is charged, the seller is paid on approval.",
        ),
        ("package-check", "Receive your work", "Ask for revisions, then approve and review."),
    ]
    return rx.grid(
        *[
            rx.hstack(
                rx.box(
                    rx.icon(icon, size=20, color="white"),
                    background="var(--accent-9)",
                    border_radius="999px",
                    padding="10px",
                    display="flex",
                ),
                rx.vstack(
                    rx.text(title, weight="bold", size="3"),
                    rx.text(body, size="2", color_scheme="gray"),
                    spacing="1",
                ),
                spacing="4",
                align="start",
                padding="20px",
                border="1px solid var(--gray-a5)",
                border_radius=CARD_RADIUS,
                background="var(--color-panel-solid)",
            )
            for icon, title, body in steps
        ],
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="4",
        width="100%",
    )


def empty_catalogue() -> rx.Component:
    return rx.callout(
        "No services are published yet. Run `python -m marketplace seed` to load the demo "
        "marketplace.",
        icon="info",
        width="100%",
    )


@page(route="/", title="Gigworks · Freelance services, paid through escrow", on_load=HomeState.load)
def home() -> rx.Component:
    return rx.box(
        hero(),
        content_column(
            rx.cond(
                HomeState.load_error != "",
                rx.callout(
                    HomeState.load_error,
                    icon="triangle-alert",
                    color_scheme="red",
                    margin_top="24px",
                ),
            ),
            section(
                "Explore categories",
                "Every kind of work, from logos to machine learning.",
                rx.cond(
                    HomeState.loaded,
                    rx.grid(
                        rx.foreach(HomeState.categories, category_tile),
                        columns=rx.breakpoints(initial="1", xs="2", md="3", lg="5"),
                        spacing="4",
                        width="100%",
                    ),
                    rx.skeleton(rx.box(height="160px", width="100%"), loading=True),
                ),
            ),
            section(
                "Popular services",
                "The most ordered gigs on Gigworks right now.",
                rx.cond(
                    HomeState.loaded,
                    rx.cond(
                        HomeState.popular.length() > 0,
                        gig_grid(HomeState.popular),
                        empty_catalogue(),
                    ),
                    gig_grid_skeleton(),
                ),
            ),
            section(
                "How Gigworks works",
                "Money only moves when the work is done.",
                how_it_works(),
            ),
        ),
    )
