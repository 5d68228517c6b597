"""`/gig/<slug>`: gallery, title, seller, description, packages with extras and a running total,
the comparison table, FAQ, reviews and tags. Everything users wrote is rendered as text."""

import reflex as rx

from marketplace.components.extras import extra_row
from marketplace.components.favorites import heart_button
from marketplace.components.layout import content_column
from marketplace.components.listing_report import report_button, report_dialog
from marketplace.components.not_found import not_found_panel
from marketplace.components.reviews import reviews_block, star
from marketplace.components.theme import CARD_RADIUS
from marketplace.pages.routing import page
from marketplace.state.gig import GigPageState
from marketplace.state.view_models import (
    CompareRow,
    ExtraOptionView,
    FAQItemView,
    FeatureRow,
    PackageCardView,
)

S = GigPageState
G = GigPageState.gig
SIDEBAR_WIDTH = "380px"


# --- header: breadcrumbs, title, seller line ---------------------------------------------------


def breadcrumbs() -> rx.Component:
    chevron = rx.icon("chevron-right", size=14, color="var(--gray-9)")
    return rx.flex(
        rx.link(
            rx.icon("house", size=14, color="var(--gray-9)"),
            href="/",
            aria_label="Home",
            display="flex",
        ),
        rx.cond(
            G.parent_name != "",
            rx.fragment(
                chevron,
                rx.link(G.parent_name, href=G.parent_url, size="2", color_scheme="gray"),
            ),
        ),
        rx.cond(
            G.category_name != "",
            rx.fragment(
                chevron,
                rx.link(G.category_name, href=G.category_url, size="2", color_scheme="gray"),
            ),
        ),
        align="center",
        gap="6px",
        wrap="wrap",
        as_="nav",
        aria_label="Breadcrumb",
        data_testid="breadcrumbs",
    )


def rating_inline(rating, count, size: str = "2") -> rx.Component:
    return rx.cond(
        count > 0,
        rx.hstack(
            star(),
            rx.text(rating, weight="bold", size=size),
            rx.text("(", count, ")", size=size, color_scheme="gray"),
            spacing="1",
            align="center",
        ),
        rx.text("No reviews yet", size=size, color_scheme="gray"),
    )


def pro_badge(is_pro) -> rx.Component:
    return rx.cond(
        is_pro, rx.badge("Pro", color_scheme="iris", variant="solid", data_testid="pro-badge")
    )


def seller_line() -> rx.Component:
    seller = G.seller
    return rx.flex(
        rx.avatar(src=seller.avatar_url, fallback=seller.initials, size="3", radius="full"),
        rx.vstack(
            rx.hstack(
                rx.link(
                    seller.display_name,
                    href=seller.profile_url,
                    weight="bold",
                    size="2",
                    color_scheme="gray",
                    high_contrast=True,
                ),
                rx.badge(seller.level, variant="soft", size="1"),
                pro_badge(seller.is_pro),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.hstack(
                rating_inline(G.rating, G.rating_count),
                rx.cond(
                    G.orders_completed > 0,
                    rx.text("· ", G.orders_label, size="2", color_scheme="gray"),
                ),
                spacing="2",
                align="center",
            ),
            spacing="1",
        ),
        gap="12px",
        align="center",
    )


def heading_block() -> rx.Component:
    return rx.vstack(
        breadcrumbs(),
        rx.hstack(
            rx.heading(
                G.title,
                as_="h1",
                size=rx.breakpoints(initial="6", md="7"),
                line_height="1.25",
                data_testid="gig-title",
                flex="1",
                min_width="0",
            ),
            rx.cond(
                ~G.is_owner & (G.status == "active"),
                heart_button(G.id, size="3", test_id="gig-favorite-button"),
            ),
            align="start",
            spacing="3",
            width="100%",
        ),
        seller_line(),
        spacing="3",
        width="100%",
    )


# --- gallery -----------------------------------------------------------------------------------


def placeholder_cover() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(G.icon, size=64, color="white", stroke_width=1.25),
            rx.text(G.category_name, size="3", color="white", weight="medium", opacity="0.9"),
            align="center",
            spacing="3",
        ),
        width="100%",
        aspect_ratio="16 / 9",
        background=f"linear-gradient(135deg, hsl({G.hue}, 55%, 45%), hsl({G.hue + 40}, 60%, 35%))",
        border_radius=CARD_RADIUS,
        data_testid="gig-cover",
    )


def thumbnail(url: rx.Var[str], index: rx.Var[int]) -> rx.Component:
    selected = S.image_index == index
    return rx.el.button(
        rx.image(src=url, alt="", width="100%", height="100%", object_fit="cover"),
        on_click=S.show_image(index),
        aria_label="Show image " + (index + 1).to_string(),
        aria_pressed=rx.cond(selected, "true", "false"),
        width="96px",
        height="60px",
        padding="0",
        overflow="hidden",
        cursor="pointer",
        border_radius="8px",
        border=rx.cond(selected, "2px solid var(--accent-9)", "2px solid transparent"),
        opacity=rx.cond(selected, "1", "0.7"),
        background="var(--gray-3)",
        flex_shrink="0",
    )


def gallery() -> rx.Component:
    return rx.cond(
        G.images.length() > 0,
        rx.vstack(
            rx.image(
                src=S.current_image,
                alt=G.title,
                width="100%",
                aspect_ratio="16 / 9",
                object_fit="cover",
                border_radius=CARD_RADIUS,
                background="var(--gray-3)",
                data_testid="gallery-image",
            ),
            rx.cond(
                G.images.length() > 1,
                rx.hstack(rx.foreach(G.images, thumbnail), spacing="2", overflow_x="auto"),
            ),
            spacing="3",
            width="100%",
        ),
        placeholder_cover(),
    )


# --- packages, extras and the total ------------------------------------------------------------


def feature_row(feature: FeatureRow) -> rx.Component:
    return rx.hstack(
        rx.cond(
            feature.included,
            rx.icon("check", size=16, color="var(--accent-9)", aria_label="Included"),
            rx.icon("x", size=16, color="var(--gray-8)", aria_label="Not included"),
        ),
        rx.text(
            feature.name,
            size="2",
            color=rx.cond(feature.included, "var(--gray-12)", "var(--gray-9)"),
        ),
        spacing="2",
        align="center",
    )


def package_body(package: PackageCardView) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(package.name, weight="bold", size="3"),
            rx.spacer(),
            rx.text(package.price, weight="bold", size="6", data_testid="package-price"),
            width="100%",
            align="baseline",
        ),
        rx.cond(
            package.description != "",
            rx.text(package.description, size="2", color_scheme="gray"),
        ),
        rx.hstack(
            rx.hstack(
                rx.icon("clock", size=16),
                rx.text(package.delivery, size="2", weight="medium"),
                spacing="1",
                align="center",
            ),
            rx.hstack(
                rx.icon("refresh-cw", size=16),
                rx.text(package.revisions_label, size="2", weight="medium"),
                spacing="1",
                align="center",
            ),
            spacing="4",
            wrap="wrap",
        ),
        rx.vstack(rx.foreach(package.features, feature_row), spacing="2"),
        spacing="3",
        width="100%",
        padding_top="16px",
    )


def extra_option(extra: ExtraOptionView, index: rx.Var[int]) -> rx.Component:
    """An extra to tick; one the selected package already includes is ticked, greyed and
    "Included", so it is never paid for twice."""
    included = extra.included_in.contains(S.selected_tier)
    return extra_row(
        extra,
        checked=S.chosen_extras.contains(index) | included,
        on_change=lambda checked: S.toggle_extra(index, checked),
        test_id="gig-extra",
        price=rx.cond(included, "Included", extra.price),
        days_note=rx.cond(included, "", extra.days_note),
        disabled=included,
    )


def continue_button() -> rx.Component:
    """To checkout with the chosen package and extras; the seller of the gig sees none."""
    return rx.cond(
        S.checkout_url != "",
        rx.vstack(
            rx.link(
                rx.button(
                    "Continue",
                    rx.icon("arrow-right", size=16),
                    size="3",
                    width="100%",
                ),
                href=S.checkout_url,
                underline="none",
                width="100%",
                data_testid="continue",
            ),
            rx.text(
                "You pay now; the seller is paid when you accept the delivery.",
                size="1",
                color_scheme="gray",
                text_align="center",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
    )


def package_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.tabs.root(
                rx.cond(
                    ~G.single_package,
                    rx.tabs.list(
                        rx.foreach(
                            G.packages,
                            lambda p: rx.tabs.trigger(p.label, value=p.tier, flex="1"),
                        ),
                        width="100%",
                    ),
                ),
                rx.foreach(
                    G.packages,
                    lambda p: rx.tabs.content(package_body(p), value=p.tier),
                ),
                value=S.selected_tier,
                on_change=S.select_package,
                width="100%",
            ),
            rx.cond(
                G.extras.length() > 0,
                rx.vstack(
                    rx.separator(size="4"),
                    rx.text("Add extras", size="2", weight="bold"),
                    rx.foreach(G.extras, extra_option),
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.separator(size="4"),
            rx.vstack(
                rx.hstack(
                    rx.text("Total", size="3", weight="bold"),
                    rx.cond(
                        S.extras_text != "",
                        rx.text("incl. ", S.extras_text, size="1", color_scheme="gray"),
                    ),
                    rx.spacer(),
                    rx.text(S.total_text, size="6", weight="bold", data_testid="order-total"),
                    width="100%",
                    align="baseline",
                    spacing="2",
                ),
                rx.hstack(
                    rx.icon("calendar-clock", size=16, color="var(--gray-10)"),
                    rx.text("Delivery in ", S.delivery_text, size="2", color_scheme="gray"),
                    spacing="2",
                    align="center",
                ),
                spacing="2",
                width="100%",
            ),
            continue_button(),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid="package-panel",
    )


def no_packages() -> rx.Component:
    return rx.card(
        rx.text("This gig has no packages yet.", size="2", color_scheme="gray"),
        size="3",
        width="100%",
    )


# --- details: description, comparison, FAQ, seller, reviews, tags -----------------------------


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="5", as_="h2"), *children, spacing="4", width="100%", **props
    )


def compare_cell(row: CompareRow, cell: rx.Var[str]) -> rx.Component:
    return rx.table.cell(
        rx.cond(
            row.checks,
            # The icon is a block-level SVG, which the cell's text-align leaves at the left
            # of its column (65 px off the header's centre): a flex box centres it.
            rx.flex(
                rx.cond(
                    cell == "yes",
                    rx.icon("check", size=18, color="var(--accent-9)", aria_label="Included"),
                    rx.icon("x", size=18, color="var(--gray-8)", aria_label="Not included"),
                ),
                justify="center",
                align="center",
                data_testid="compare-mark",
            ),
            rx.text(cell, size="2", weight=rx.cond(row.label == "Total", "bold", "regular")),
        ),
        text_align="center",
    )


def compare_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(
                        "Package", min_width=rx.breakpoints(initial="96px", sm="140px")
                    ),
                    rx.foreach(
                        G.packages,
                        lambda p: rx.table.column_header_cell(
                            rx.vstack(
                                rx.text(p.label, size="2", weight="bold"),
                                rx.cond(
                                    p.subtitle != "",
                                    rx.text(p.subtitle, size="1", color_scheme="gray"),
                                ),
                                rx.text(p.price, size="3", weight="bold"),
                                spacing="1",
                                align="center",
                            ),
                            text_align="center",
                            min_width=rx.breakpoints(initial="84px", sm="120px"),
                        ),
                    ),
                )
            ),
            rx.table.body(
                rx.foreach(
                    G.compare,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(rx.text(row.label, size="2")),
                        rx.foreach(row.cells, lambda cell: compare_cell(row, cell)),
                    ),
                )
            ),
            variant="surface",
            width="100%",
        ),
        width="100%",
        overflow_x="auto",
        data_testid="compare-table",
    )


def faq_item(faq: FAQItemView, index: rx.Var[int]) -> rx.Component:
    return rx.accordion.item(
        header=rx.text(faq.question, size="2", weight="medium", text_align="left"),
        content=rx.text(faq.answer, size="2", white_space="pre-wrap", color_scheme="gray"),
        value="faq-" + index.to_string(),
    )


def seller_fact(label: str, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="2", weight="medium"),
        spacing="1",
        min_width="0",
    )


def about_seller() -> rx.Component:
    seller = G.seller
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.avatar(src=seller.avatar_url, fallback=seller.initials, size="6", radius="full"),
                rx.vstack(
                    rx.link(
                        seller.display_name,
                        href=seller.profile_url,
                        weight="bold",
                        size="4",
                        color_scheme="gray",
                        high_contrast=True,
                        data_testid="seller-link",
                    ),
                    rx.cond(seller.headline != "", rx.text(seller.headline, size="2")),
                    rx.hstack(
                        rx.badge(seller.level, variant="soft"),
                        pro_badge(seller.is_pro),
                        rating_inline(seller.rating, seller.rating_count),
                        spacing="2",
                        align="center",
                        wrap="wrap",
                    ),
                    spacing="2",
                    min_width="0",
                ),
                gap="16px",
                align="center",
            ),
            rx.separator(size="4"),
            rx.grid(
                seller_fact("From", rx.cond(seller.country != "", seller.country, "—")),
                seller_fact("Member since", seller.member_since),
                rx.cond(
                    seller.response_time != "",
                    seller_fact("Avg. response time", seller.response_time),
                ),
                seller_fact("Orders completed", seller.orders_completed),
                seller_fact("Languages", rx.cond(seller.languages != "", seller.languages, "—")),
                columns=rx.breakpoints(initial="2", sm="3"),
                spacing="4",
                width="100%",
            ),
            # messaging: opens (or reuses) the conversation, with this gig as its context
            rx.cond(
                ~G.is_owner,
                rx.link(
                    rx.button(
                        rx.icon("message-circle", size=16), "Contact seller", variant="outline"
                    ),
                    href="/contact?to=" + seller.username + "&gig=" + G.id.to_string(),
                    underline="none",
                    data_testid="contact-seller",
                ),
            ),
            rx.cond(~G.is_owner, report_button("gig", S.slug, label="Report this gig")),
            report_dialog(),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid="seller-card",
    )


def reviews_section() -> rx.Component:
    return section("Reviews", reviews_block(), id="reviews")


def details() -> rx.Component:
    return rx.vstack(
        section(
            "About this gig",
            rx.text(G.description, size="3", white_space="pre-wrap", data_testid="gig-description"),
        ),
        rx.cond(
            ~G.single_package & (G.packages.length() > 1),
            section("Compare packages", compare_table()),
        ),
        rx.cond(
            G.faqs.length() > 0,
            section(
                "FAQ",
                rx.accordion.root(
                    rx.foreach(G.faqs, faq_item),
                    type="multiple",
                    variant="ghost",
                    width="100%",
                ),
            ),
        ),
        section("About the seller", about_seller()),
        reviews_section(),
        rx.cond(
            G.tags.length() > 0,
            section(
                "Tags",
                rx.flex(
                    rx.foreach(
                        G.tags,
                        lambda tag: rx.link(
                            rx.badge(tag, variant="soft", color_scheme="gray", radius="full"),
                            href="/search?q=" + tag.to(str),
                            underline="none",
                        ),
                    ),
                    gap="8px",
                    wrap="wrap",
                ),
            ),
        ),
        spacing="8",
        width="100%",
    )


# --- the page ----------------------------------------------------------------------------------


def status_notice() -> rx.Component:
    return rx.cond(
        G.notice != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("eye-off", size=18)),
            rx.callout.text(G.notice),
            color_scheme=rx.cond(
                (G.status == "rejected") | (G.status == "suspended"), "red", "amber"
            ),
            width="100%",
            data_testid="visibility-notice",
        ),
    )


def owner_bar() -> rx.Component:
    return rx.cond(
        G.is_owner,
        rx.flex(
            rx.text("This is your gig.", size="2", color_scheme="gray"),
            rx.spacer(),
            rx.link(
                rx.button(rx.icon("pencil", size=14), "Edit gig", variant="soft", size="2"),
                href=G.edit_url,
                underline="none",
            ),
            rx.link(
                rx.button("My gigs", variant="outline", size="2", color_scheme="gray"),
                href="/my/gigs",
                underline="none",
            ),
            gap="8px",
            align="center",
            width="100%",
            wrap="wrap",
        ),
    )


def gig_body() -> rx.Component:
    return rx.vstack(
        status_notice(),
        owner_bar(),
        rx.box(
            rx.box(heading_block(), grid_area="head", min_width="0"),
            rx.box(gallery(), grid_area="gallery", min_width="0"),
            rx.box(
                rx.box(
                    rx.cond(G.packages.length() > 0, package_panel(), no_packages()),
                    position=rx.breakpoints(md="sticky"),
                    top="88px",
                ),
                grid_area="panel",
                min_width="0",
            ),
            rx.box(details(), grid_area="details", min_width="0", padding_top="16px"),
            display="grid",
            grid_template_columns=rx.breakpoints(
                initial="minmax(0, 1fr)", md=f"minmax(0, 1fr) {SIDEBAR_WIDTH}"
            ),
            grid_template_rows=rx.breakpoints(md="auto auto 1fr"),
            grid_template_areas=rx.breakpoints(
                initial='"head" "gallery" "panel" "details"',
                md='"head panel" "gallery panel" "details panel"',
            ),
            column_gap="40px",
            row_gap="24px",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def gig_skeleton() -> rx.Component:
    return rx.grid(
        rx.vstack(
            rx.skeleton(rx.box(height="32px", width="70%"), loading=True),
            rx.skeleton(rx.box(height="40px", width="40%"), loading=True),
            rx.skeleton(rx.box(height="360px", width="100%"), loading=True),
            spacing="4",
            width="100%",
        ),
        rx.skeleton(rx.box(height="420px", width="100%"), loading=True),
        columns=rx.breakpoints(initial="1", md=f"1fr {SIDEBAR_WIDTH}"),
        spacing="6",
        width="100%",
    )


def gig_not_found() -> rx.Component:
    return not_found_panel(
        "search-x",
        "Gig not found",
        "This gig doesn't exist or isn't available right now. Search for a similar service.",
        "gig-not-found",
    )


@page(
    "/gig/[slug]",
    GigPageState.page_title,
    on_load=GigPageState.load,  # the reviews block, the viewer and the hearts load with it
    loads_viewer=True,
)
def gig_page() -> rx.Component:
    return content_column(
        rx.cond(
            S.loading,
            gig_skeleton(),
            rx.cond(S.found, gig_body(), gig_not_found()),
        ),
        padding_y="24px",
    )
