"""The review panel of a completed order: the form for the buyer (overall, communication, as
described, would recommend, text) or for the seller (the buyer's rating and text), then both
reviews once the double-blind rule lets them show, and the seller's public reply."""

import reflex as rx

from marketplace.components.order_parts import panel
from marketplace.components.reviews import stars_row
from marketplace.state.reviews import OrderReviewState

R = OrderReviewState


def star_picker(label: str, which: str, value, test_id: str) -> rx.Component:
    """Five stars as a named radio group: a screen reader hears "Overall rating, radio group,
    4 stars, checked" rather than five unnamed "n stars" buttons."""
    label_id = f"{test_id}-label"
    return rx.vstack(
        rx.text(label, size="2", weight="medium", id=label_id),
        rx.hstack(
            *[
                rx.icon_button(
                    rx.icon(
                        "star",
                        size=22,
                        color="var(--amber-9)",
                        fill=rx.cond(value >= n, "var(--amber-9)", "none"),
                    ),
                    variant="ghost",
                    size="2",
                    on_click=R.set_stars(which, n),
                    role="radio",
                    aria_checked=rx.cond(value == n, "true", "false"),
                    aria_label=f"{n} star{'s' if n > 1 else ''}",
                    data_testid=f"{test_id}-{n}",
                )
                for n in range(1, 6)
            ],
            spacing="1",
            role="radiogroup",
            aria_labelledby=label_id,
        ),
        spacing="1",
    )


def buyer_fields() -> rx.Component:
    return rx.vstack(
        star_picker("Overall rating", "rating", R.rating, "stars-rating"),
        rx.flex(
            star_picker(
                "Communication with the seller",
                "communication",
                R.communication,
                "stars-communication",
            ),
            star_picker("Service as described", "as_described", R.as_described, "stars-described"),
            gap="16px",
            wrap="wrap",
        ),
        rx.vstack(
            rx.text(
                "Would you recommend this seller?",
                size="2",
                weight="medium",
                id="recommend-label",
            ),
            rx.radio_group.root(
                rx.hstack(
                    rx.radio_group.item("Yes", value="yes", data_testid="recommend-yes"),
                    rx.radio_group.item("No", value="no", data_testid="recommend-no"),
                    spacing="4",
                ),
                value=R.recommend,
                on_change=R.set_recommend,
                aria_labelledby="recommend-label",
            ),
            spacing="1",
        ),
        spacing="3",
        width="100%",
    )


def review_form() -> rx.Component:
    return rx.vstack(
        rx.text(
            rx.cond(
                R.role == "buyer",
                "How did it go? Your review becomes public when the seller has reviewed you "
                "too, or when the review period ends on ",
                "Rate working with this buyer. Your review becomes public when the buyer has "
                "reviewed you too, or when the review period ends on ",
            ),
            R.closes_at,
            ".",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            R.role == "buyer",
            buyer_fields(),
            star_picker("The buyer", "rating", R.rating, "stars-rating"),
        ),
        rx.vstack(
            rx.el.label(
                rx.cond(R.role == "buyer", "Your review of the seller", "Your review of the buyer"),
                html_for="review-text",
                style={"font_size": "var(--font-size-2)", "font_weight": "500"},
            ),
            rx.text_area(
                id="review-text",
                value=R.body,
                on_change=R.set_body,
                placeholder=rx.cond(
                    R.role == "buyer",
                    "What was it like to work with this seller?",
                    "What was it like to work with this buyer?",
                ),
                rows="4",
                width="100%",
                data_testid="review-text",
            ),
            rx.text(R.body_count, size="1", color_scheme="gray", align="right", width="100%"),
            spacing="1",
            width="100%",
        ),
        rx.cond(
            R.form_error != "",
            rx.callout(R.form_error, icon="triangle-alert", color_scheme="red", size="1"),
        ),
        rx.button("Submit review", on_click=R.submit_review, data_testid="submit-review"),
        spacing="3",
        width="100%",
    )


def written(title: str, rating, body, *children, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(title, size="2", weight="bold"),
        rx.hstack(stars_row(rating), rx.text(rating, size="2", weight="bold"), spacing="2"),
        rx.text(body, size="2", white_space="pre-wrap"),
        *children,
        spacing="1",
        width="100%",
        padding="12px",
        border="1px solid var(--gray-a5)",
        border_radius="8px",
        data_testid=test_id,
    )


def reply_form() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            "Reply publicly to the buyer's review (once)",
            html_for="order-reply-text",
            style={"font_size": "var(--font-size-2)", "font_weight": "500"},
        ),
        rx.text_area(
            id="order-reply-text",
            value=R.reply_text,
            on_change=R.set_order_reply_text,
            rows="3",
            width="100%",
            data_testid="order-reply-text",
        ),
        rx.cond(R.reply_error != "", rx.text(R.reply_error, color_scheme="red", size="2")),
        rx.button(
            "Post reply", variant="soft", on_click=R.submit_reply, data_testid="order-send-reply"
        ),
        spacing="2",
        width="100%",
    )


def order_review_panel() -> rx.Component:
    their_label = rx.cond(R.role == "buyer", "The seller's review of you", "The buyer's review")
    return rx.cond(
        R.review_loaded & (R.role != ""),
        panel(
            rx.cond(R.can_review, "Leave a review", "Reviews"),
            rx.cond(R.can_review, review_form()),
            rx.cond(
                R.mine_rating > 0,
                written(
                    "Your review",
                    R.mine_rating,
                    R.mine_body,
                    rx.cond(
                        ~R.mine_published,
                        rx.text(
                            "Not public yet: it shows when the other side has reviewed too, or on ",
                            R.closes_at,
                            ".",
                            size="1",
                            color_scheme="gray",
                        ),
                    ),
                    test_id="my-review",
                ),
            ),
            rx.cond(
                R.theirs_rating > 0,
                written(
                    their_label,
                    R.theirs_rating,
                    R.theirs_body,
                    rx.cond(
                        R.theirs_reply != "",
                        rx.text("Your reply: ", R.theirs_reply, size="2", color_scheme="gray"),
                    ),
                    test_id="their-review",
                ),
                rx.cond(
                    R.other_side_waiting,
                    rx.text(
                        "The other side has reviewed; it shows once you have reviewed too.",
                        size="2",
                        color_scheme="gray",
                    ),
                ),
            ),
            rx.cond(R.can_reply, reply_form()),
            rx.cond(
                ~R.can_review & (R.mine_rating == 0) & (R.theirs_rating == 0),
                rx.text(
                    "The review period for this order has ended.", size="2", color_scheme="gray"
                ),
            ),
            icon="star",
            test_id="order-reviews",
            id="review",
        ),
    )


def reviews_to_write_callout() -> rx.Component:
    """On /orders: a link to each completed order the viewer has not reviewed yet, named by
    what was bought; the order code beside it never breaks at its hyphen."""
    from marketplace.state.reviews import ReviewsToWriteState as W

    return rx.cond(
        W.waiting.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("star")),
            rx.vstack(
                rx.text("Leave a review", weight="bold", size="2"),
                rx.el.ul(
                    rx.foreach(
                        W.waiting,
                        lambda row: rx.el.li(
                            rx.link(row.title, href="/orders/" + row.code + "#review"),
                            rx.text(
                                " · ",
                                row.code,
                                as_="span",
                                color_scheme="gray",
                                white_space="nowrap",
                            ),
                            data_testid="review-to-write",
                        ),
                    ),
                    style={"margin": 0, "padding_left": "18px", "list_style": "disc"},
                ),
                spacing="1",
                width="100%",
            ),
            color_scheme="amber",
            width="100%",
            data_testid="reviews-to-write",
        ),
    )
