"""The page shell: header with search and category menu, content column, footer."""

import reflex as rx

from marketplace.components.live import live_items  # messaging
from marketplace.components.search_suggest import suggest_input_props, suggestion_list
from marketplace.components.theme import CONTENT_MAX_WIDTH, PAGE_PADDING_X
from marketplace.state.account_links import VerificationBannerState
from marketplace.state.base import AppState
from marketplace.state.nav import NavState
from marketplace.state.suggestions import SuggestState


def logo() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(
                rx.icon("briefcase-business", size=18, color="white"),
                background="var(--accent-9)",
                border_radius="8px",
                padding="6px",
                display="flex",
            ),
            rx.text("gigworks", weight="bold", size="6", color="var(--gray-12)"),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        aria_label="Gigworks home",
    )


def search_box(
    size: str = "2",
    width: str = "100%",
    query: rx.Var[str] | None = None,
    suggest: bool = False,
) -> rx.Component:
    """A search form to /search (Reflex cancels a form's own GET, so AppState.go_to_search
    sends the browser there).

    `query` (a state var) fills the box with the current search; the box stays uncontrolled
    (a plain form field), so it is keyed by the query to show a new one when it loads."""
    filled = {} if query is None else {"default_value": query, "key": query}
    # suggest=True (the header's box): suggestions as you type, components/search_suggest.py
    suggesting = suggest_input_props() if suggest else {}
    form = rx.el.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                name="q",
                **filled,
                placeholder="What service are you looking for today?",
                size=size,
                width="100%",
                aria_label="Search services",
                max_length=200,
                **suggesting,
            ),
            rx.button("Search", type="submit", size=size),
            spacing="2",
            width="100%",
        ),
        action="/search",
        method="get",
        on_submit=SuggestState.suggest_submit if suggest else AppState.go_to_search,
        width=width,
    )
    if not suggest:
        return form
    return rx.box(form, suggestion_list(), position="relative", width=width)


# Reflex forms always cancel the browser's own submit, so sign-out builds a plain POST form.
SIGN_OUT_SCRIPT = (
    "const f = document.createElement('form'); f.method = 'post'; f.action = '/auth/logout';"
    " document.body.appendChild(f); f.submit();"
)


def sign_out_button() -> rx.Component:
    """A POST (not a link): an image or link on another site cannot sign anyone out."""
    return rx.button(
        rx.icon("log-out", size=14),
        "Sign out",
        variant="ghost",
        color_scheme="gray",
        size="2",
        width="100%",
        justify_content="flex-start",
        padding_x="0",
        on_click=rx.call_script(SIGN_OUT_SCRIPT),
    )


def menu_link(icon: str, label: str, href) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=14), rx.text(label, size="2"), spacing="2", align="center"),
        href=href,
        color_scheme="gray",
        underline="none",
        padding="4px 0",
        width="100%",
    )


def focus_first_item(panel_test_id: str) -> rx.event.EventSpec:
    """For a popover's on_open_auto_focus: Radix skips links when it picks what to focus, so a
    menu of links would focus its first button (or nothing); focus its first item instead."""
    first = f"[data-testid={panel_test_id}] :is(a, button)"
    return rx.call_script(f"document.querySelector('{first}')?.focus()").prevent_default


def account_menu() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.avatar(
                    src=AppState.viewer_avatar_url,
                    fallback=AppState.viewer_initials,
                    size="2",
                    radius="full",
                ),
                variant="ghost",
                radius="full",
                aria_label="Account menu",
                data_testid="account-menu",
                padding="0",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.text(AppState.viewer_name, weight="bold", size="2"),
                rx.text("@", AppState.viewer_username, size="1", color_scheme="gray"),
                rx.separator(size="4"),
                menu_link("shopping-bag", "Orders", "/orders"),
                menu_link("lock", "Account & security", "/settings/account"),
                # --- reviews, levels, Pro, favourites (issue 12) ---
                menu_link("heart", "Favourites", "/my/favorites"),
                menu_link("mail", "Inbox", "/inbox"),  # messaging
                rx.cond(
                    AppState.viewer_is_seller,
                    rx.fragment(
                        menu_link("chart-column", "Earnings", "/my/earnings"),
                        menu_link("layout-grid", "My gigs", "/my/gigs"),
                        menu_link("trending-up", "Seller level", "/my/level"),
                        menu_link("badge-check", "Pro programme", "/pro/apply"),
                        menu_link("user-round", "Public profile", "/u/" + AppState.viewer_username),
                        menu_link("settings", "Edit profile", "/settings/profile"),
                        menu_link("wallet", "Payouts", "/settings/payouts"),
                    ),
                    menu_link("store", "Become a seller", "/settings/profile"),
                ),
                # admin: the moderation page
                rx.cond(AppState.viewer_is_admin, menu_link("shield-check", "Admin", "/admin")),
                rx.separator(size="4"),
                sign_out_button(),
                spacing="2",
                min_width="200px",
            ),
            align="end",
            # Radix focuses the first item that is not a link, which here was "Sign out" (a
            # second Enter signed the member out): focus the first item, "Orders", instead.
            on_open_auto_focus=focus_first_item("account-menu-panel"),
            data_testid="account-menu-panel",
        ),
    )


def account_links() -> rx.Component:
    return rx.cond(
        AppState.viewer_signed_in,
        # messaging: the live Inbox link and notification bell (components/live.py)
        rx.hstack(live_items(), account_menu(), spacing="4", align="center"),
        rx.hstack(
            rx.link(
                "Sign in",
                href="/login",
                size="2",
                weight="medium",
                color_scheme="gray",
                white_space="nowrap",
            ),
            rx.link(rx.button("Join", size="2"), href="/join", underline="none"),
            spacing="4",
            align="center",
        ),
    )


def _nav_link(icon, label, href) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(label, size="3"), spacing="3", align="center"),
        href=href,
        color_scheme="gray",
        high_contrast=True,
        underline="none",
        padding="8px 0",
        width="100%",
        on_click=NavState.close_nav,
    )


def phone_menu() -> rx.Component:
    """At phone width, a menu button left of the logo (as on Fiverr's mobile site): Explore and
    the categories, which the header has no room for there."""
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.icon_button(
                    rx.icon("menu", size=20),
                    variant="ghost",
                    color_scheme="gray",
                    size="2",
                    aria_label="Menu",
                    data_testid="phone-menu",
                ),
            ),
            rx.popover.content(
                rx.vstack(
                    _nav_link("compass", "Explore all services", "/search"),
                    rx.separator(size="4"),
                    rx.text("Categories", size="1", weight="bold", color_scheme="gray"),
                    rx.cond(
                        NavState.nav_categories.length() > 0,
                        rx.foreach(
                            NavState.nav_categories,
                            lambda c: _nav_link(c.icon, c.name, c.href),
                        ),
                        rx.spinner(size="2"),
                    ),
                    spacing="1",
                    width="100%",
                ),
                align="start",
                width="calc(100vw - 24px)",
                max_width="360px",
                max_height="calc(100vh - 80px)",
                overflow_y="auto",
                aria_label="Menu",
                on_open_auto_focus=focus_first_item("phone-menu-panel"),
                data_testid="phone-menu-panel",
            ),
            open=NavState.nav_open,
            on_open_change=NavState.set_nav_open,
        ),
        display=["flex", "none"],
    )


def header(query: rx.Var[str] | None = None, search: bool = True) -> rx.Component:
    """`search=False` (the search and category pages, which have their own box): no box."""
    # A real <header> element (Radix's Box ignores `as_`), the page's banner landmark.
    return rx.el.header(
        rx.hstack(
            rx.hstack(phone_menu(), logo(), spacing="2", align="center"),
            rx.box(
                search_box(query=query, suggest=True) if search else rx.fragment(),
                flex="1",
                max_width="560px",
                display=["none", "none", "block"],
            ),
            rx.spacer(),
            rx.hstack(
                rx.link(
                    "Explore",
                    href="/search",
                    size="2",
                    weight="medium",
                    color_scheme="gray",
                    white_space="nowrap",
                    # On phones the menu left of the logo leads there (and to the categories).
                    display=["none", "inline"],
                ),
                account_links(),
                spacing=rx.breakpoints(initial="3", sm="5"),
                align="center",
            ),
            align="center",
            spacing=rx.breakpoints(initial="3", md="6"),
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_x=PAGE_PADDING_X,
            height="64px",
        ),
        rx.box(
            search_box(size="2", query=query, suggest=True),
            display=["block", "block", "none"],
            padding="0 16px 12px",
        )
        if search
        else rx.fragment(),
        position="sticky",
        top="0",
        z_index="10",
        background="var(--color-panel-solid)",
        border_bottom="1px solid var(--gray-a5)",
    )


def _footer_column(title: str, *links: tuple[str, str]) -> rx.Component:
    return rx.vstack(
        rx.text(title, weight="bold", size="2"),
        *[
            rx.link(label, href=href, size="2", color_scheme="gray", underline="hover")
            for label, href in links
        ],
        spacing="2",
        min_width="160px",
    )


def footer() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.vstack(
                logo(),
                rx.text(
                    "An open-source freelance services marketplace, written in Python.",
                    size="2",
                    color_scheme="gray",
                    max_width="300px",
                ),
                spacing="3",
            ),
            rx.spacer(),
            _footer_column("Explore", ("All services", "/search")),
            _footer_column("Gigworks", ("Home", "/"), ("Service status", "/status")),
            wrap="wrap",
            gap="32px",
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_x=PAGE_PADDING_X,
            padding_y="40px",
        ),
        rx.box(
            rx.text(
                "© 2026 Gigworks contributors · Payments are held in escrow until you approve.",
                size="1",
                color_scheme="gray",
            ),
            max_width=CONTENT_MAX_WIDTH,
            margin_x="auto",
            padding_x=PAGE_PADDING_X,
            padding_bottom="24px",
        ),
        border_top="1px solid var(--gray-a5)",
        background="var(--gray-2)",
        margin_top="64px",
        as_="footer",
    )


def page_shell(
    content: rx.Component, search_query: rx.Var[str] | None = None, header_search: bool = True
) -> rx.Component:
    """`search_query`: the page's current search, shown in the header's box.
    `header_search=False`: the page has its own search box, so the header shows none."""
    return rx.box(
        header(search_query, search=header_search),
        verification_banner(),  # issue 14
        rx.box(content, as_="main", min_height="70vh"),
        footer(),
        width="100%",
    )


def content_column(*children: rx.Component, **props) -> rx.Component:
    return rx.box(
        *children,
        max_width=CONTENT_MAX_WIDTH,
        margin_x="auto",
        padding_x=PAGE_PADDING_X,
        width="100%",
        **props,
    )


# --- account security (issue 14) ---------------------------------------------------------------


def verification_banner() -> rx.Component:
    """For a signed-in account whose email is not confirmed yet: why, and "send it again"."""
    return rx.cond(
        AppState.viewer_signed_in & ~AppState.viewer_email_verified,
        rx.box(
            rx.flex(
                rx.icon("mail-warning", size=18, flex_shrink="0"),
                rx.text(
                    "Confirm your email address: we sent a link to ",
                    rx.text.strong(AppState.viewer_email),
                    ". You can browse and message now; publishing a gig and checking out "
                    "need a confirmed address.",
                    size="2",
                ),
                rx.spacer(),
                rx.cond(
                    VerificationBannerState.banner_message != "",
                    rx.text(
                        VerificationBannerState.banner_message,
                        size="2",
                        weight="medium",
                        data_testid="verification-banner-message",
                    ),
                    rx.button(
                        "Send the link again",
                        size="1",
                        variant="surface",
                        color_scheme="amber",
                        loading=VerificationBannerState.sending,
                        on_click=VerificationBannerState.resend,
                    ),
                ),
                gap="12px",
                align=rx.breakpoints(initial="start", sm="center"),
                direction=rx.breakpoints(initial="column", sm="row"),
                max_width=CONTENT_MAX_WIDTH,
                margin_x="auto",
                padding_x=PAGE_PADDING_X,
                padding_y="10px",
            ),
            background="var(--amber-3)",
            color="var(--amber-12)",
            border_bottom="1px solid var(--amber-6)",
            data_testid="verification-banner",
        ),
    )
