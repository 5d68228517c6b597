"""Seller settings (`/settings/profile`, `/settings/payouts`) and the public profile `/u/<name>`."""

import reflex as rx

from marketplace.components.forms import (
    chip_input,
    field_message,
    live_field,
    row_input,
    row_select,
    section_card,
    select_field,
    select_items,
)
from marketplace.components.gig_card import gig_grid
from marketplace.components.layout import content_column
from marketplace.components.listing_report import report_button, report_dialog
from marketplace.components.not_found import not_found_panel
from marketplace.components.reviews import reviews_block
from marketplace.pages.routing import page
from marketplace.services.common.reference import LANGUAGE_LEVELS, LANGUAGES
from marketplace.state.base import AppState  # messaging
from marketplace.state.profile import (
    COUNTRY_OPTIONS,
    PayoutsState,
    ProfileEditorState,
    PublicProfileState,
)
from marketplace.state.view_models import ExperienceView, QualificationView

S = ProfileEditorState
SETTINGS_TABS = [
    ("Profile", "/settings/profile", "user-round"),
    ("Payouts", "/settings/payouts", "wallet"),
]


# --- shared settings frame --------------------------------------------------------------------


def settings_frame(active: str, *content: rx.Component) -> rx.Component:
    tabs = rx.flex(
        *[
            rx.link(
                rx.hstack(
                    rx.icon(icon, size=16), rx.text(label, size="2"), spacing="2", align="center"
                ),
                href=href,
                underline="none",
                color_scheme="gray" if label != active else "grass",
                weight="bold" if label == active else "regular",
                padding="8px 12px",
                border_radius="8px",
                background="var(--accent-a3)" if label == active else "transparent",
            )
            for label, _href, icon in SETTINGS_TABS
            for href in [_href]
        ],
        direction=rx.breakpoints(initial="row", md="column"),
        gap="4px",
        min_width="180px",
    )
    return content_column(
        rx.vstack(
            rx.heading("Settings", size="7"),
            rx.flex(
                tabs,
                rx.vstack(*content, spacing="5", width="100%", min_width="0"),
                direction=rx.breakpoints(initial="column", md="row"),
                gap="24px",
                width="100%",
            ),
            spacing="5",
            padding_y="32px",
            width="100%",
        )
    )


# --- /settings/profile ------------------------------------------------------------------------


def become_seller_card() -> rx.Component:
    points = [
        ("package", "Publish gigs with Basic, Standard and Premium packages."),
        ("shield-check", "Get paid safely: buyers pay into escrow before you start."),
        ("star", "Earn reviews, level up and apply for Pro."),
    ]
    return rx.card(
        rx.vstack(
            rx.heading("Start selling on Gigworks", size="5"),
            rx.text(
                "Your account can already buy. Turn on the seller side to build a profile "
                "buyers can trust and publish your services.",
                size="2",
                color_scheme="gray",
            ),
            *[
                rx.hstack(
                    rx.icon(icon, size=18, color="var(--accent-9)"),
                    rx.text(text, size="2"),
                    spacing="3",
                    align="center",
                )
                for icon, text in points
            ],
            rx.button("Become a seller", size="3", on_click=S.become_seller),
            spacing="4",
            align="start",
        ),
        size="4",
        width="100%",
    )


def avatar_block() -> rx.Component:
    return rx.hstack(
        rx.avatar(
            src=S.viewer_avatar_url,  # the header's copy, refreshed on upload
            fallback=S.viewer_initials,
            size="7",
            radius="full",
        ),
        rx.vstack(
            rx.upload(
                rx.button(rx.icon("upload", size=14), "Upload photo", variant="soft", size="2"),
                id="avatar",
                accept={
                    "image/png": [".png"],
                    "image/jpeg": [".jpg", ".jpeg"],
                    "image/webp": [".webp"],
                },
                max_files=1,
                multiple=False,
                no_drag=True,
                border="none",
                padding="0",
                on_drop=S.upload_avatar(rx.upload_files(upload_id="avatar")),
            ),
            field_message(S.avatar_error, "PNG, JPEG or WebP, up to 5 MB.", "avatar-error"),
            spacing="2",
            align="start",
        ),
        spacing="4",
        align="center",
    )


def identity_section() -> rx.Component:
    errors = S.visible_errors
    return section_card(
        "Public identity",
        "How buyers see you across Gigworks.",
        avatar_block(),
        rx.grid(
            live_field(
                "Display name",
                "display_name",
                value=S.display_name,
                on_change=lambda v: S.set_text("display_name", v),
                error=errors.get("display_name", ""),
            ),
            select_field(
                "Country",
                "country",
                select_items(COUNTRY_OPTIONS),
                value=S.country,
                on_change=lambda v: S.set_text("country", v),
                error=errors.get("country", ""),
                placeholder="Where you work from",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        live_field(
            "Headline",
            "headline",
            value=S.headline,
            on_change=lambda v: S.set_text("headline", v),
            error=errors.get("headline", ""),
            hint="One line under your name, e.g. “Brand designer for early-stage startups”.",
        ),
    )


def about_section() -> rx.Component:
    return section_card(
        "About you",
        "Tell buyers what you do best, how you work and what makes you different.",
        live_field(
            "About",
            "bio",
            value=S.bio,
            on_change=lambda v: S.set_text("bio", v),
            error=S.visible_errors.get("bio", ""),
            multiline=True,
        ),
        rx.text(
            S.bio_count,
            size="1",
            color_scheme=rx.cond(S.bio_too_long, "red", "gray"),
            align="right",
            width="100%",
            data_testid="bio-count",
        ),
    )


def skills_section() -> rx.Component:
    return section_card(
        "Skills",
        "Up to 15 skills buyers can find you by.",
        chip_input(
            S.skills,
            on_remove=S.remove_skill,
            draft_value=S.skill_draft,
            on_draft=S.set_skill_draft,
            on_key=S.skill_key,
            on_add=S.add_skill(""),
            placeholder="e.g. figma",
            label="New skill",
            error=S.skill_add_error,
            error_id="new-skill-error",
        ),
        field_message(S.visible_errors.get("skills", ""), "", "skills-error"),
    )


def _remove_button(list_name: str, index) -> rx.Component:
    return rx.icon_button(
        rx.icon("trash-2", size=14),
        variant="ghost",
        color_scheme="gray",
        on_click=S.remove_row(list_name, index),
        aria_label=f"Remove {list_name[:-1] if list_name != 'experience' else 'role'}",
    )


def _row_input(list_name: str, index, key: str, row, label: str, **props) -> rx.Component:
    return row_input(
        row[key],
        lambda v: S.set_row_field(list_name, index, key, v),
        row[f"{key}_error"],
        label,
        **props,
    )


def _row_select(list_name: str, index, key: str, row, label: str, options) -> rx.Component:
    return row_select(
        row[key],
        lambda v: S.set_row_field(list_name, index, key, v),
        row[f"{key}_error"],
        label,
        options,
    )


def _add_button(list_name: str, label: str) -> rx.Component:
    return rx.button(
        rx.icon("plus", size=14), label, variant="soft", size="2", on_click=S.add_row(list_name)
    )


def languages_section() -> rx.Component:
    def row(item, i):
        return rx.grid(
            _row_select("languages", i, "language", item, "Language", [(x, x) for x in LANGUAGES]),
            _row_select(
                "languages",
                i,
                "level",
                item,
                "Level",
                [(x, x.capitalize()) for x in LANGUAGE_LEVELS],
            ),
            _remove_button("languages", i),
            columns="1fr 1fr auto",
            spacing="3",
            width="100%",
            align="start",
        )

    return section_card(
        "Languages",
        "The languages you work in, and how well you speak each.",
        rx.foreach(S.language_rows, row),
        field_message(S.visible_errors.get("languages", ""), "", "languages-error"),
        _add_button("languages", "Add language"),
    )


def qualifications_section() -> rx.Component:
    kinds = [("education", "Education"), ("certification", "Certification")]

    def row(item, i):
        return rx.grid(
            _row_select("qualifications", i, "kind", item, "Type", kinds),
            _row_input("qualifications", i, "title", item, "Degree or certificate"),
            _row_input("qualifications", i, "institution", item, "Institution or issuer"),
            _row_input("qualifications", i, "year", item, "Year", input_mode="numeric"),
            _remove_button("qualifications", i),
            columns=rx.breakpoints(initial="1fr auto", md="140px 2fr 2fr 90px auto"),
            spacing="3",
            width="100%",
            align="start",
        )

    return section_card(
        "Education and certifications",
        "Degrees and certificates, with the year you earned them.",
        rx.foreach(S.qualification_rows, row),
        _add_button("qualifications", "Add qualification"),
    )


def experience_section() -> rx.Component:
    def row(item, i):
        return rx.card(
            rx.vstack(
                rx.grid(
                    _row_input("experience", i, "title", item, "Role"),
                    _row_input("experience", i, "company", item, "Company"),
                    _row_input("experience", i, "from_year", item, "From (year)"),
                    _row_input("experience", i, "to_year", item, "To (year, empty = now)"),
                    columns=rx.breakpoints(initial="1", sm="2", md="2fr 2fr 1fr 1fr"),
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    _row_input("experience", i, "description", item, "What you did"),
                    _remove_button("experience", i),
                    width="100%",
                    align="start",
                ),
                spacing="3",
                width="100%",
            ),
            variant="surface",
            width="100%",
        )

    return section_card(
        "Experience",
        "Roles you held, most recent first.",
        rx.foreach(S.experience_rows, row),
        _add_button("experience", "Add role"),
    )


def portfolio_section() -> rx.Component:
    def row(item, i):
        return rx.grid(
            _row_input("portfolio", i, "title", item, "Project title"),
            _row_input("portfolio", i, "url", item, "https://…", type="url"),
            _remove_button("portfolio", i),
            columns="1fr 2fr auto",
            spacing="3",
            width="100%",
            align="start",
        )

    return section_card(
        "Portfolio",
        "Links to work you are proud of.",
        rx.foreach(S.portfolio_rows, row),
        _add_button("portfolio", "Add link"),
    )


def save_problems() -> rx.Component:
    """After a save attempt, every problem on the page in one list (each field shows its own
    message too), so one pass fixes them all."""
    return rx.cond(
        S.save_problems.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.vstack(
                rx.text("Before you save, fix these:", size="2", weight="bold"),
                rx.foreach(
                    S.save_problems, lambda problem: rx.text(problem.label, size="2", as_="div")
                ),
                spacing="1",
            ),
            color_scheme="red",
            width="100%",
            max_height="30vh",
            overflow_y="auto",
            margin_bottom="12px",
            data_testid="save-problems",
        ),
    )


def save_bar() -> rx.Component:
    return rx.box(
        save_problems(),
        rx.hstack(
            rx.cond(
                S.errors.length() > 0,
                rx.text(
                    "Some fields still need attention.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.text("Everything looks good.", size="2", color_scheme="grass"),
            ),
            rx.spacer(),
            rx.link(
                rx.button("View public profile", variant="outline", size="3"),
                href="/u/" + S.own_username,
                underline="none",
            ),
            rx.button("Save profile", size="3", loading=S.saving, on_click=S.save),
            align="center",
            spacing="3",
            width="100%",
            wrap="wrap",
        ),
        position="sticky",
        bottom="0",
        background="var(--color-panel-solid)",
        border_top="1px solid var(--gray-a5)",
        padding="12px 0",
        width="100%",
        z_index="5",
    )


def profile_editor() -> rx.Component:
    return rx.vstack(
        identity_section(),
        about_section(),
        skills_section(),
        languages_section(),
        qualifications_section(),
        experience_section(),
        portfolio_section(),
        save_bar(),
        spacing="5",
        width="100%",
    )


def settings_skeleton() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(rx.box(height="160px", width="100%"), loading=True) for _ in range(3)],
        spacing="4",
        width="100%",
    )


@page("/settings/profile", "Your seller profile · Gigworks", on_load=ProfileEditorState.load)
def profile_settings_page() -> rx.Component:
    return settings_frame(
        "Profile",
        rx.cond(
            S.loading,
            settings_skeleton(),
            rx.cond(S.is_seller, profile_editor(), become_seller_card()),
        ),
    )


# --- /settings/payouts ------------------------------------------------------------------------


def payouts_card() -> rx.Component:
    P = PayoutsState
    status = rx.cond(
        P.payouts_enabled,
        rx.badge(
            rx.icon("circle-check", size=14), "Payouts enabled", color_scheme="grass", size="3"
        ),
        rx.cond(
            P.has_account,
            rx.badge("Onboarding not finished", color_scheme="amber", size="3"),
            rx.badge("Not set up", color_scheme="gray", size="3"),
        ),
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Payouts", size="5"), rx.spacer(), status, width="100%", align="center"
            ),
            rx.text(
                "Buyers pay into escrow when they order. When an order completes, your earnings "
                "(the order price minus the platform commission) are transferred to your Stripe "
                "account, and Stripe pays them out to your bank.",
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                P.payouts_enabled,
                rx.callout(
                    "Your Stripe account can receive transfers. "
                    "Released orders are paid out automatically.",
                    icon="banknote",
                    color_scheme="grass",
                    width="100%",
                ),
                rx.button(
                    rx.cond(P.has_account, "Finish payouts setup", "Set up payouts"),
                    size="3",
                    loading=P.working,
                    on_click=P.start,
                ),
            ),
            rx.cond(
                P.error != "",
                rx.callout(P.error, icon="triangle-alert", color_scheme="red", width="100%"),
            ),
            spacing="4",
            align="start",
            width="100%",
        ),
        size="4",
        width="100%",
    )


def payouts_need_profile() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Payouts are for sellers", size="5"),
            rx.text("Become a seller first; then set up where your earnings go.", size="2"),
            rx.link(
                rx.button("Become a seller", size="3"), href="/settings/profile", underline="none"
            ),
            spacing="3",
            align="start",
        ),
        size="4",
        width="100%",
    )


@page("/settings/payouts", "Payouts · Gigworks", on_load=PayoutsState.load)
def payouts_settings_page() -> rx.Component:
    return settings_frame(
        "Payouts",
        rx.cond(
            PayoutsState.loading,
            settings_skeleton(),
            rx.cond(PayoutsState.is_seller, payouts_card(), payouts_need_profile()),
        ),
    )


# --- /u/<username> ----------------------------------------------------------------------------

P = PublicProfileState.profile


def stat(icon: str, label: str, value) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color="var(--gray-10)"),
        rx.text(label, size="2", color_scheme="gray"),
        rx.spacer(),
        rx.text(value, size="2", weight="bold"),
        width="100%",
        align="center",
    )


def seller_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.avatar(src=P.avatar_url, fallback=P.initials, size="8", radius="full"),
            rx.heading(P.display_name, size="6", text_align="center"),
            rx.text("@", P.username, size="2", color_scheme="gray"),
            # messaging: "Contact me" opens (or reuses) the conversation
            rx.cond(
                AppState.viewer_username != P.username,
                rx.link(
                    rx.button(rx.icon("message-circle", size=16), "Contact me", variant="outline"),
                    href="/contact?to=" + P.username,
                    underline="none",
                    data_testid="contact-seller",
                ),
            ),
            rx.cond(
                AppState.viewer_username != P.username,
                report_button("member", P.username, label="Report this member"),
            ),
            report_dialog(),
            rx.hstack(
                rx.badge(P.level, variant="soft", size="2"),
                rx.cond(
                    P.is_pro,
                    rx.badge(
                        "Pro",
                        color_scheme="iris",
                        variant="solid",
                        size="2",
                        data_testid="pro-badge",
                    ),
                ),
                spacing="2",
            ),
            rx.cond(
                P.rating_count > 0,
                rx.hstack(
                    rx.icon("star", size=16, fill="var(--amber-9)", color="var(--amber-9)"),
                    rx.text(P.rating, weight="bold"),
                    rx.text("(", P.rating_count_label, ")", size="2", color_scheme="gray"),
                    spacing="1",
                    align="center",
                ),
                rx.text("No reviews yet", size="2", color_scheme="gray"),
            ),
            rx.text(P.headline, size="2", text_align="center"),
            rx.separator(size="4"),
            stat("map-pin", "From", P.country),
            stat("calendar", "Member since", P.member_since),
            rx.cond(P.response_time != "", stat("clock", "Avg. response time", P.response_time)),
            stat("package-check", "Orders completed", P.orders_completed),
            rx.separator(size="4"),
            rx.text("Languages", size="2", weight="bold", width="100%"),
            rx.foreach(
                P.languages,
                lambda lang: rx.hstack(
                    rx.text(lang.language, size="2"),
                    rx.spacer(),
                    rx.text(lang.level, size="2", color_scheme="gray"),
                    width="100%",
                ),
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def profile_section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(rx.heading(title, size="5"), *children, spacing="3", width="100%", **props)


def qualification_item(q: QualificationView) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(q.kind == "Education", "graduation-cap", "award"), size=18),
        rx.vstack(
            rx.text(q.title, weight="bold", size="2"),
            rx.text(q.institution, " · ", q.year, size="2", color_scheme="gray"),
            spacing="0",
        ),
        spacing="3",
        align="start",
    )


def experience_item(e: ExperienceView) -> rx.Component:
    return rx.vstack(
        rx.text(e.title, " · ", e.company, weight="bold", size="2"),
        rx.text(e.years, size="1", color_scheme="gray"),
        rx.text(e.description, size="2"),
        spacing="1",
        width="100%",
    )


def public_profile_body() -> rx.Component:
    return rx.grid(
        rx.box(seller_card()),
        rx.vstack(
            profile_section("About", rx.text(P.bio, size="3", white_space="pre-wrap")),
            profile_section(
                "Skills",
                rx.flex(
                    rx.foreach(
                        P.skills, lambda s: rx.badge(s, variant="soft", radius="full", size="2")
                    ),
                    gap="8px",
                    wrap="wrap",
                ),
            ),
            profile_section(
                rx.text("Gigs by ", P.display_name),
                rx.cond(
                    PublicProfileState.gigs.length() > 0,
                    gig_grid(PublicProfileState.gigs),
                    rx.text("No active gigs right now.", color_scheme="gray", size="2"),
                ),
            ),
            profile_section("Reviews", reviews_block(show_gig=True), id="reviews"),
            rx.cond(
                P.qualifications.length() > 0,
                profile_section(
                    "Education and certifications", rx.foreach(P.qualifications, qualification_item)
                ),
            ),
            rx.cond(
                P.experience.length() > 0,
                profile_section("Experience", rx.foreach(P.experience, experience_item)),
            ),
            rx.cond(
                P.portfolio.length() > 0,
                profile_section(
                    "Portfolio",
                    rx.foreach(
                        P.portfolio,
                        lambda link: rx.link(
                            rx.hstack(
                                rx.icon("external-link", size=14),
                                link.title,
                                spacing="2",
                                align="center",
                            ),
                            href=link.url,
                            is_external=True,
                            rel="nofollow noopener noreferrer",
                            size="2",
                        ),
                    ),
                ),
            ),
            spacing="7",
            width="100%",
            min_width="0",
        ),
        columns=rx.breakpoints(initial="1", md="320px 1fr"),
        spacing="6",
        width="100%",
        align_items="start",
    )


def not_found() -> rx.Component:
    return not_found_panel(
        "user-x",
        "Seller not found",
        "There is no seller with that name, or the profile is not public.",
        "seller-not-found",
    )


@page(
    "/u/[username]",
    PublicProfileState.page_title,
    on_load=PublicProfileState.load,  # the reviews block loads with it
)
def public_profile_page() -> rx.Component:
    return content_column(
        rx.cond(
            PublicProfileState.loading,
            rx.grid(
                rx.skeleton(rx.box(height="520px"), loading=True),
                rx.skeleton(rx.box(height="520px"), loading=True),
                columns=rx.breakpoints(initial="1", md="320px 1fr"),
                spacing="6",
            ),
            rx.cond(PublicProfileState.found, public_profile_body(), not_found()),
        ),
        padding_y="32px",
    )
