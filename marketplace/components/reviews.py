"""The reviews block shared by the seller profile and the gig page (state/reviews.py)."""

import reflex as rx


def star(size: int = 14) -> rx.Component:
    return rx.icon("star", size=size, fill="var(--amber-9)", color="var(--amber-9)")


# --- the reviews block of the gig page and the profile (state/reviews.ReviewListState) -------

SORT_LABELS = {"relevant": "Most relevant", "newest": "Newest"}


def _list_state():
    from marketplace.state.reviews import ReviewListState

    return ReviewListState


def stars_row(rating, size: int = 14) -> rx.Component:
    """Five stars, the first `rating` filled (rating as text is beside them for readers)."""
    return rx.hstack(
        *[
            rx.icon(
                "star",
                size=size,
                color="var(--amber-9)",
                fill=rx.cond(rating >= n, "var(--amber-9)", "none"),
            )
            for n in range(1, 6)
        ],
        spacing="0",
        aria_label=rating.to_string() + " out of 5 stars",
    )


def histogram_bar(item) -> rx.Component:
    """One star count, clickable: it filters the list to that rating."""
    S = _list_state()
    chosen = S.stars == item.stars
    return rx.hstack(
        rx.text(
            item.stars,
            rx.cond(item.stars == 1, " star", " stars"),
            size="2",
            width="56px",
            flex_shrink="0",
            weight=rx.cond(chosen, "bold", "regular"),
        ),
        rx.box(
            rx.box(
                height="8px", width=item.percent, background="var(--amber-9)", border_radius="4px"
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
        cursor="pointer",
        padding="2px 4px",
        border_radius="4px",
        background=rx.cond(chosen, "var(--amber-a3)", "transparent"),
        _hover={"background": "var(--gray-a3)"},
        on_click=S.filter_stars(item.stars),
        role="button",
        aria_label=item.stars.to_string() + " stars: show only these reviews",
        data_testid="histogram-bar",
    )


def sub_rating(label: str, value) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.spacer(),
        star(12),
        rx.text(value, size="2", weight="bold"),
        spacing="1",
        align="center",
        width="100%",
    )


def review_summary() -> rx.Component:
    S = _list_state()
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.heading(S.average, size="8", data_testid="review-average"),
                rx.vstack(
                    star(20),
                    rx.text(
                        S.count,
                        rx.cond(S.count == 1, " review", " reviews"),
                        size="2",
                        color_scheme="gray",
                        data_testid="review-count",
                    ),
                    spacing="1",
                ),
                spacing="3",
                align="center",
            ),
            sub_rating("Seller communication", S.communication),
            sub_rating("Service as described", S.as_described),
            rx.hstack(
                rx.text("Would recommend", size="2", color_scheme="gray"),
                rx.spacer(),
                rx.text(S.recommend_percent, "%", size="2", weight="bold"),
                width="100%",
            ),
            spacing="2",
            min_width="220px",
            width=rx.breakpoints(initial="100%", sm="240px"),
        ),
        rx.vstack(
            rx.foreach(S.bars, histogram_bar),
            spacing="1",
            width="100%",
            max_width="420px",
            data_testid="rating-breakdown",
        ),
        gap="24px",
        direction=rx.breakpoints(initial="column", sm="row"),
        align=rx.breakpoints(initial="start", sm="center"),
        width="100%",
    )


def review_row(review, show_gig: bool = False) -> rx.Component:
    """One public review, as text (never HTML), with the seller's reply under it."""
    S = _list_state()
    return rx.vstack(
        rx.hstack(
            rx.avatar(fallback=review.buyer_initials, size="2", radius="full"),
            rx.vstack(
                rx.text(review.buyer, weight="bold", size="2"),
                rx.cond(
                    review.country != "",
                    rx.hstack(
                        rx.icon("map-pin", size=12, color="var(--gray-9)"),
                        rx.text(review.country, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                ),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.text(review.date, size="1", color_scheme="gray", white_space="nowrap"),
            width="100%",
            align="center",
        ),
        rx.hstack(
            stars_row(review.rating),
            rx.text(review.rating, size="2", weight="bold"),
            rx.cond(
                review.package != "",
                rx.badge(review.package, variant="soft", color_scheme="gray"),
            ),
            *(
                [
                    rx.cond(
                        review.gig_title != "",
                        rx.text(review.gig_title, size="1", color_scheme="gray"),
                    )
                ]
                if show_gig
                else []
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(review.body, size="2", white_space="pre-wrap", data_testid="review-body"),
        rx.cond(
            review.reply != "",
            rx.box(
                rx.text("Seller's response", size="1", weight="bold"),
                rx.text(review.reply, size="2", white_space="pre-wrap", data_testid="review-reply"),
                padding_left="12px",
                border_left="3px solid var(--gray-a6)",
            ),
        ),
        rx.hstack(
            rx.cond(
                review.can_reply,
                rx.button(
                    rx.icon("reply", size=14),
                    "Reply",
                    size="1",
                    variant="soft",
                    on_click=S.open_reply(review.id),
                    data_testid="reply-button",
                ),
            ),
            rx.button(
                rx.icon("flag", size=12),
                "Report",
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=S.open_report(review.id),
            ),
            spacing="3",
        ),
        rx.separator(size="4"),
        spacing="2",
        width="100%",
        data_testid="review",
    )


def review_controls() -> rx.Component:
    S = _list_state()
    return rx.flex(
        rx.select.root(
            rx.select.trigger(aria_label="Sort reviews"),
            rx.select.content(
                *[rx.select.item(label, value=value) for value, label in SORT_LABELS.items()]
            ),
            value=S.sort,
            on_change=S.set_sort,
            size="2",
        ),
        rx.select.root(
            rx.select.trigger(aria_label="Filter by rating"),
            rx.select.content(
                rx.select.item("All ratings", value="0"),
                *[
                    rx.select.item(f"{n} stars" if n > 1 else "1 star", value=str(n))
                    for n in range(5, 0, -1)
                ],
            ),
            value=S.stars.to_string(),
            on_change=lambda value: S.filter_stars(value.to(int)),
            size="2",
        ),
        rx.spacer(),
        rx.text(
            S.matching,
            rx.cond(S.matching == 1, " review", " reviews"),
            rx.cond(
                S.stars > 0,
                " with " + S.stars.to_string() + rx.cond(S.stars == 1, " star", " stars"),
                "",
            ),
            size="2",
            color_scheme="gray",
        ),
        gap="12px",
        align="center",
        wrap="wrap",
        width="100%",
    )


def reply_dialog() -> rx.Component:
    S = _list_state()
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Reply publicly"),
            rx.dialog.description(
                "Your reply shows under the review for everyone. You can reply once.",
                size="2",
            ),
            rx.vstack(
                rx.text_area(
                    value=S.reply_text,
                    on_change=S.set_reply_text,
                    placeholder="Thank the buyer or explain what happened",
                    aria_label="Your public reply",
                    rows="5",
                    width="100%",
                    data_testid="reply-text",
                ),
                rx.cond(S.reply_error != "", rx.text(S.reply_error, color_scheme="red", size="2")),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    rx.button("Post reply", on_click=S.send_reply, data_testid="send-reply"),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="12px",
            ),
            max_width="480px",
        ),
        open=S.reply_review_id > 0,
        on_open_change=S.close_dialogs,
    )


def report_dialog() -> rx.Component:
    from marketplace.components.report_dialog import reason_items
    from marketplace.components.report_dialog import report_dialog as shared_report_dialog
    from marketplace.services.reviews.order_reviews import REPORT_REASONS

    S = _list_state()
    return shared_report_dialog(
        title="Report this review",
        reasons=reason_items(REPORT_REASONS),
        reason=S.report_reason,
        on_reason=S.set_report_reason,
        details=S.report_details,
        on_details=S.set_report_details,
        error=S.report_error,
        done=S.report_done,
        on_send=S.send_report,
        is_open=S.report_review_id > 0,
        on_open_change=S.close_dialogs,
    )


def reviews_block(show_gig: bool = False) -> rx.Component:
    """Summary, controls, the list with "See more", and the reply/report dialogs."""
    S = _list_state()
    return rx.cond(
        S.reviews_loading,
        rx.vstack(
            rx.skeleton(rx.box(height="96px", width="100%"), loading=True),
            rx.skeleton(rx.box(height="120px", width="100%"), loading=True),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            S.count > 0,
            rx.vstack(
                review_summary(),
                review_controls(),
                rx.cond(
                    S.rows.length() > 0,
                    rx.vstack(
                        rx.foreach(S.rows, lambda row: review_row(row, show_gig)),
                        spacing="4",
                        width="100%",
                        data_testid="review-list",
                    ),
                    rx.text("No reviews with this rating.", size="2", color_scheme="gray"),
                ),
                rx.cond(
                    S.has_more,
                    rx.button(
                        "See more reviews",
                        variant="outline",
                        on_click=S.see_more,
                        data_testid="see-more-reviews",
                    ),
                ),
                reply_dialog(),
                report_dialog(),
                spacing="5",
                width="100%",
            ),
            rx.text("No reviews yet.", size="2", color_scheme="gray", data_testid="no-reviews"),
        ),
    )
