"""`/checkout/<slug>`: the package as chosen, extras and quantity, the price breakdown, the card
in Stripe.js's card element, and "Pay". Test mode shows the local Stripe server's test cards."""

import reflex as rx

from marketplace.components.extras import extra_row
from marketplace.components.layout import content_column
from marketplace.components.order_parts import page_skeleton
from marketplace.pages.routing import page
from marketplace.state.checkout import CheckoutState
from marketplace.state.order_models import QuoteExtraView

S = CheckoutState
Q = CheckoutState.quote
SIDEBAR_WIDTH = "360px"
TEST_CARDS = [
    ("4242 4242 4242 4242", "Succeeds"),
    ("4000 0025 0000 3155", "3-D Secure"),
    ("4000 0000 0000 0002", "Declined"),
]


def cover() -> rx.Component:
    return rx.cond(
        Q.cover_url != "",
        rx.image(
            src=Q.cover_url,
            alt="",
            width="112px",
            height="72px",
            object_fit="cover",
            border_radius="8px",
            flex_shrink="0",
        ),
        rx.box(
            width="112px",
            height="72px",
            border_radius="8px",
            flex_shrink="0",
            background=(
                f"linear-gradient(135deg, hsl({Q.hue}, 55%, 45%), hsl({Q.hue + 40}, 60%, 35%))"
            ),
        ),
    )


def gig_summary() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                cover(),
                rx.vstack(
                    rx.link(
                        Q.gig_title,
                        href=Q.gig_url,
                        weight="bold",
                        size="3",
                        color_scheme="gray",
                        high_contrast=True,
                        data_testid="checkout-gig-title",
                    ),
                    rx.text("by ", Q.seller_name, size="2", color_scheme="gray"),
                    spacing="1",
                    min_width="0",
                ),
                gap="16px",
                align="center",
            ),
            rx.separator(size="4"),
            rx.hstack(
                rx.badge(Q.tier_label, variant="soft"),
                rx.cond(
                    Q.package_name != "",
                    rx.text(
                        Q.package_name, weight="bold", size="3", data_testid="checkout-package"
                    ),
                ),
                rx.spacer(),
                rx.cond(S.offer_id == 0, rx.link("Change package", href=Q.gig_url, size="2")),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            rx.cond(
                Q.package_description != "",
                rx.text(Q.package_description, size="2", color_scheme="gray"),
            ),
            rx.hstack(
                rx.hstack(
                    rx.icon("clock", size=16),
                    rx.text(Q.delivery, size="2", weight="medium", data_testid="checkout-delivery"),
                    spacing="1",
                    align="center",
                ),
                rx.hstack(
                    rx.icon("refresh-cw", size=16),
                    rx.text(Q.revisions, size="2", weight="medium"),
                    spacing="1",
                    align="center",
                ),
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(
                Q.features.length() > 0,
                rx.vstack(
                    rx.foreach(
                        Q.features,
                        lambda f: rx.hstack(
                            rx.icon("check", size=16, color="var(--accent-9)"),
                            rx.text(f, size="2"),
                            spacing="2",
                            align="center",
                        ),
                    ),
                    spacing="2",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def extra_toggle(extra: QuoteExtraView) -> rx.Component:
    return extra_row(
        extra,
        checked=extra.chosen,
        on_change=lambda checked: S.toggle_extra(extra.id, checked),
        disabled=S.paying | S.quoting,
        test_id="checkout-extra",
    )


def quantity_stepper() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text("Quantity", size="2", weight="bold"),
            rx.text("Order the package more than once", size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.hstack(
            rx.icon_button(
                rx.icon("minus", size=14),
                variant="soft",
                color_scheme="gray",
                on_click=S.change_quantity(-1),
                disabled=(S.quantity <= 1) | S.paying | S.quoting,
                aria_label="One fewer",
            ),
            rx.text(
                S.quantity,
                size="3",
                weight="bold",
                min_width="24px",
                text_align="center",
                data_testid="quantity",
            ),
            rx.icon_button(
                rx.icon("plus", size=14),
                variant="soft",
                color_scheme="gray",
                on_click=S.change_quantity(1),
                disabled=(S.quantity >= S.max_quantity) | S.paying | S.quoting,
                aria_label="One more",
            ),
            spacing="3",
            align="center",
        ),
        align="center",
        width="100%",
    )


def options_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.cond(
                Q.extras.length() > 0,
                rx.vstack(
                    rx.heading("Upgrade your order", size="4", as_="h2"),
                    rx.foreach(Q.extras, extra_toggle),
                    rx.separator(size="4"),
                    spacing="3",
                    width="100%",
                ),
            ),
            quantity_stepper(),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def test_mode_notice() -> rx.Component:
    return rx.cond(
        S.test_mode,
        rx.callout.root(
            rx.callout.icon(rx.icon("flask-conical", size=18)),
            rx.vstack(
                rx.text("Test mode: no real card is charged.", weight="bold", size="2"),
                rx.text(
                    "Use any future expiry date (e.g. 12 / 34), any CVC and any postal code.",
                    size="2",
                ),
                rx.vstack(
                    *[
                        rx.hstack(
                            rx.code(number, size="2", white_space="nowrap"),
                            rx.text(what, size="2"),
                            spacing="2",
                            align="center",
                            wrap="wrap",
                        )
                        for number, what in TEST_CARDS
                    ],
                    spacing="1",
                ),
                spacing="2",
            ),
            color_scheme="amber",
            width="100%",
            data_testid="test-mode",
        ),
    )


def card_box() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("credit-card", size=18, color="var(--gray-10)"),
                rx.heading("Pay by card", size="4", as_="h2"),
                rx.spacer(),
                rx.hstack(
                    rx.icon("lock", size=14, color="var(--gray-10)"),
                    rx.text("Secured by Stripe", size="1", color_scheme="gray"),
                    spacing="1",
                    align="center",
                ),
                align="center",
                width="100%",
            ),
            test_mode_notice(),
            rx.box(
                id="card-element",
                width="100%",
                min_height="44px",
                padding="12px",
                border="1px solid var(--gray-a7)",
                border_radius="8px",
                background="var(--color-surface)",
                # The local fake Stripe.js puts bare inputs here: give them our inputs' look.
                style={
                    "& input": {
                        "font": "inherit",
                        "fontSize": "14px",
                        "padding": "6px 8px",
                        "margin": "2px 6px 2px 0",
                        "border": "1px solid var(--gray-a6)",
                        "borderRadius": "6px",
                        "maxWidth": "100%",
                    },
                    "& > span": {"display": "none"},
                },
                data_testid="card-element",
            ),
            rx.cond(
                S.card_error != "",
                rx.text(S.card_error, size="2", color_scheme="red", data_testid="card-error"),
            ),
            rx.text(
                "Your card details go straight to Stripe; Gigworks never sees them. The amount is "
                "held on your card now and charged when the seller starts; the seller is paid "
                "only after you accept the delivery.",
                size="1",
                color_scheme="gray",
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def price_line(label, value, test_id: str, strong: bool = False) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="3" if strong else "2", weight="bold" if strong else "regular"),
        rx.spacer(),
        rx.text(
            value,
            size="5" if strong else "2",
            weight="bold" if strong else "medium",
            data_testid=test_id,
        ),
        width="100%",
        align="baseline",
    )


def summary_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Price summary", size="4", as_="h2"),
            price_line("Subtotal", Q.subtotal, "subtotal"),
            price_line("Service fee", Q.service_fee, "service-fee"),
            rx.separator(size="4"),
            price_line("Total", Q.total, "total", strong=True),
            rx.cond(
                S.pay_error != "",
                rx.callout(
                    S.pay_error,
                    icon="circle-alert",
                    color_scheme="red",
                    width="100%",
                    role="alert",
                    data_testid="pay-error",
                ),
            ),
            rx.button(
                rx.cond(S.paying, S.pay_step, "Pay " + Q.total),
                size="4",
                width="100%",
                loading=S.paying,
                disabled=S.quoting | (S.card_error != ""),
                on_click=S.pay,
                data_testid="pay-button",
            ),
            rx.hstack(
                rx.icon("shield-check", size=16, color="var(--accent-9)"),
                rx.text(
                    "Held in escrow until you approve the work.", size="1", color_scheme="gray"
                ),
                spacing="2",
                align="center",
            ),
            rx.cond(
                Q.requirements_count > 0,
                rx.text(
                    "After paying you answer the seller's ",
                    Q.questions,
                    "; the delivery clock starts then.",
                    size="1",
                    color_scheme="gray",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid="price-summary",
    )


def checkout_body() -> rx.Component:
    return rx.box(
        rx.vstack(
            gig_summary(),
            rx.cond(S.offer_id == 0, options_card()),  # an offer has no extras or quantity
            card_box(),
            spacing="4",
            width="100%",
        ),
        rx.box(summary_panel(), position=rx.breakpoints(md="sticky"), top="88px"),
        display="grid",
        grid_template_columns=rx.breakpoints(
            initial="minmax(0, 1fr)", md=f"minmax(0, 1fr) {SIDEBAR_WIDTH}"
        ),
        align_items="start",
        gap=rx.breakpoints(initial="16px", md="32px"),
        width="100%",
    )


def refused() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(rx.cond(S.found, "ban", "search-x"), size=40, color="var(--gray-9)"),
            rx.heading(rx.cond(S.found, "You can't order this", "Gig not found"), size="6"),
            rx.text(
                rx.cond(S.found, S.load_error, "This gig doesn't exist or isn't on sale now."),
                color_scheme="gray",
                text_align="center",
                data_testid="checkout-refused",
            ),
            rx.link(rx.button("Browse services"), href="/search", underline="none"),
            align="center",
            spacing="3",
        ),
        padding_y="80px",
    )


def checkout_content() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.heading("Checkout", size="7", as_="h1"),
            rx.cond(
                S.loading,
                page_skeleton(3),
                rx.cond(S.found & (S.load_error == ""), checkout_body(), refused()),
            ),
            spacing="5",
            width="100%",
        ),
        padding_y="32px",
    )


@page("/checkout/[slug]", "Checkout · Gigworks", on_load=CheckoutState.load)
def checkout_page() -> rx.Component:
    return checkout_content()


# messaging: a custom offer accepted in a conversation is paid on the same page.
@page("/checkout/offer/[offer_id]", "Checkout · Gigworks", on_load=CheckoutState.load)
def offer_checkout_page() -> rx.Component:
    return checkout_content()
