"""`/login` and `/join`: password forms, plus a button per configured sign-in provider."""

import reflex as rx

from marketplace.components.forms import auth_card, field, submit_button
from marketplace.pages.routing import page
from marketplace.settings import get_settings
from marketplace.state.auth import JoinState, LoginState


def provider_buttons() -> rx.Component:
    """One button per OIDC provider in settings; each is a plain link to the server route."""
    providers = get_settings().oidc_providers
    if not providers:
        return rx.fragment()
    return rx.vstack(
        *[
            rx.button(
                rx.icon("key-round", size=16),
                f"Sign in with {provider.label}",
                variant="outline",
                size="3",
                width="100%",
                # A real page load: the browser leaves the app for the server route, taking
                # this page's ?next= along (the server keeps only a path of this site).
                on_click=rx.call_script(
                    f"window.location.assign('/auth/oidc/{provider.name}/start?next=' + "
                    "encodeURIComponent(new URLSearchParams(window.location.search)"
                    ".get('next') || '/'))"
                ),
            )
            for provider in providers
        ],
        rx.hstack(
            rx.separator(size="4"),
            rx.text("or", size="1", color_scheme="gray"),
            rx.separator(size="4"),
            align="center",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def two_factor_step() -> rx.Component:
    """After a right password or a provider's sign-in, when two-factor sign-in is on."""
    return rx.form(
        rx.vstack(
            rx.callout(
                "Enter the 6-digit code from your authenticator app. Lost your phone? Use one "
                "of your recovery codes instead.",
                icon="shield-check",
                size="1",
            ),
            field(
                "Code",
                "code",
                error=LoginState.code_error,
                placeholder="123456",
                auto_complete="one-time-code",
                input_mode="text",
                auto_focus=True,
            ),
            submit_button("Verify", loading=LoginState.submitting),
            rx.button(
                "Use another account",
                type="button",
                variant="ghost",
                size="2",
                on_click=LoginState.cancel_code,
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.submit_code,
        reset_on_submit=True,
        width="100%",
    )


@page(route="/login", title="Sign in · Gigworks", on_load=LoginState.load)
def login() -> rx.Component:
    return auth_card(
        "Sign in to Gigworks",
        "Welcome back.",
        rx.cond(
            LoginState.notice != "",
            rx.callout(LoginState.notice, icon="circle-check", color_scheme="green", size="1"),
        ),
        rx.cond(LoginState.needs_code, two_factor_step(), password_step()),
    )


def password_step() -> rx.Component:
    return rx.vstack(
        rx.cond(
            LoginState.link_ticket != "",
            rx.callout(
                "Enter your password once to link your external sign-in to this account.",
                icon="link",
                size="1",
            ),
        ),
        provider_buttons(),
        rx.form(
            rx.vstack(
                field(
                    "Email",
                    "email",
                    error=LoginState.email_error,
                    type_="email",
                    placeholder="you@example.com",
                    auto_complete="email",
                    on_change=lambda v: LoginState.recheck("email", v),
                ),
                field(
                    "Password",
                    "password",
                    error=LoginState.password_error,
                    type_="password",
                    auto_complete="current-password",
                    on_change=lambda v: LoginState.recheck("password", v),
                ),
                rx.cond(
                    LoginState.error != "",
                    rx.callout(
                        LoginState.error,
                        icon="circle-alert",
                        color_scheme="red",
                        size="1",
                        width="100%",
                        data_testid="login-error",
                    ),
                ),
                submit_button("Sign in", loading=LoginState.submitting),
                spacing="4",
                width="100%",
            ),
            on_submit=LoginState.submit,
            width="100%",
        ),
        rx.link("Forgot password?", href="/forgot-password", size="2"),
        rx.text(
            "New to Gigworks? ",
            rx.link("Join now", href="/join"),
            size="2",
            color_scheme="gray",
        ),
        spacing="4",
        width="100%",
    )


@page(route="/join", title="Join · Gigworks", on_load=JoinState.load)
def join() -> rx.Component:
    return auth_card(
        "Join Gigworks",
        "One account to buy services, and to sell your own when you're ready.",
        provider_buttons(),
        rx.form(
            rx.vstack(
                field(
                    "Your name",
                    "display_name",
                    error=JoinState.display_name_error,
                    placeholder="Ada Lovelace",
                    auto_complete="name",
                    on_change=lambda v: JoinState.recheck("display_name", v),
                ),
                field(
                    "Email",
                    "email",
                    error=JoinState.email_error,
                    type_="email",
                    placeholder="you@example.com",
                    auto_complete="email",
                    on_change=lambda v: JoinState.recheck("email", v),
                ),
                field(
                    "Password",
                    "password",
                    error=JoinState.password_error,
                    type_="password",
                    hint="At least 10 characters, not a common or repetitive password.",
                    auto_complete="new-password",
                    on_change=lambda v: JoinState.recheck("password", v),
                ),
                submit_button("Create account", loading=JoinState.submitting),
                spacing="4",
                width="100%",
            ),
            on_submit=JoinState.submit,
            width="100%",
        ),
        rx.text(
            "Already have an account? ",
            rx.link("Sign in", href="/login"),
            size="2",
            color_scheme="gray",
        ),
    )
