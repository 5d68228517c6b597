"""Review blocks shared by the seller profile and the gig page: star breakdown and one review."""

import reflex as rx

from marketplace.state.view_models import RatingBar, ReviewView


def star(size: int = 14) -> rx.Component:
    return rx.icon("star", size=size, fill="var(--amber-9)", color="var(--amber-9)")


def rating_chart(bars: rx.Var[list[RatingBar]]) -> rx.Component:
    """One bar per star count, 5 down to 1, as a share of all reviews."""

    def bar(item: RatingBar) -> rx.Component:
        return rx.hstack(
            rx.text(
                item.stars,
                rx.cond(item.stars == 1, " star", " stars"),
                size="2",
                width="56px",
                flex_shrink="0",
            ),
            rx.box(
                rx.box(
                    height="8px",
                    width=item.percent,
                    background="var(--amber-9)",
                    border_radius="4px",
                ),
                flex="1",
                height="8px",
                background="var(--gray-a4)",
                border_radius="4px",
            ),
            rx.text(item.count, size="2", color_scheme="gray", width="40px", text_align="right"),
            width="100%",
            align="center",
            spacing="3",
        )

    return rx.vstack(
        rx.foreach(bars, bar),
        spacing="2",
        width="100%",
        max_width="420px",
        data_testid="rating-breakdown",
    )


def review_item(review: ReviewView) -> rx.Component:
    """A review as text (never HTML), with the seller's reply under it."""
    return rx.vstack(
        rx.hstack(
            rx.avatar(fallback=review.buyer_initials, size="2", radius="full"),
            rx.vstack(
                rx.text(review.buyer, weight="bold", size="2"),
                rx.cond(
                    review.country != "",
                    rx.text(review.country, size="1", color_scheme="gray"),
                ),
                spacing="0",
            ),
            rx.spacer(),
            rx.hstack(
                star(),
                rx.text(review.rating, size="2", weight="bold"),
                spacing="1",
                align="center",
            ),
            rx.text(review.date, size="1", color_scheme="gray"),
            width="100%",
            align="center",
        ),
        rx.text(review.body, size="2", white_space="pre-wrap"),
        rx.cond(
            review.reply != "",
            rx.box(
                rx.text("Seller's response", size="1", weight="bold"),
                rx.text(review.reply, size="2", white_space="pre-wrap"),
                padding_left="12px",
                border_left="3px solid var(--gray-a6)",
            ),
        ),
        rx.separator(size="4"),
        spacing="2",
        width="100%",
        data_testid="review",
    )
