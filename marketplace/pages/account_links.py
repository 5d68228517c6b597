"""`/verify-email`, `/forgot-password`, `/reset-password`: where the mailed links lead."""

import reflex as rx

from marketplace.components.forms import auth_card, field, submit_button
from marketplace.pages.routing import page
from marketplace.state.account_links import (
    ForgotPasswordState,
    ResetPasswordState,
    VerifyEmailState,
)


@page(route="/verify-email", title="Confirm your email · Gigworks", on_load=VerifyEmailState.load)
def verify_email() -> rx.Component:
    verified = VerifyEmailState.outcome == "verified"
    return auth_card(
        rx.cond(verified, "Email confirmed", "Confirm your email"),
        rx.cond(
            verified,
            "Thanks: that was the last step before publishing and ordering.",
            "The link from our mail brings you here.",
        ),
        rx.match(
            VerifyEmailState.outcome,
            (
                "verified",
                rx.vstack(
                    rx.callout(
                        VerifyEmailState.message,
                        icon="circle-check",
                        color_scheme="green",
                        data_testid="verify-result",
                        width="100%",
                    ),
                    rx.cond(
                        VerifyEmailState.gig_path != "",
                        rx.vstack(
                            rx.text(
                                "Your gig is waiting: ",
                                rx.text.strong(VerifyEmailState.gig_title),
                                size="2",
                            ),
                            rx.hstack(
                                rx.link(
                                    rx.button("Back to your gig", size="3"),
                                    href=VerifyEmailState.gig_path,
                                    underline="none",
                                ),
                                rx.link(
                                    rx.button("Find services", size="3", variant="outline"),
                                    href="/search",
                                    underline="none",
                                ),
                                spacing="3",
                                wrap="wrap",
                            ),
                            spacing="3",
                            width="100%",
                        ),
                        rx.link(rx.button("Find services", size="3"), href="/search"),
                    ),
                    spacing="4",
                    width="100%",
                ),
            ),
            (
                "failed",
                rx.vstack(
                    rx.callout(
                        VerifyEmailState.message,
                        icon="circle-alert",
                        color_scheme="red",
                        data_testid="verify-result",
                        width="100%",
                    ),
                    rx.text(
                        "Signed in? The banner at the top of each page sends a new link.",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.hstack(rx.spinner(), rx.text("Checking your link…", size="2"), align="center"),
        ),
    )


@page(
    route="/forgot-password", title="Forgot password · Gigworks", on_load=ForgotPasswordState.load
)
def forgot_password() -> rx.Component:
    return auth_card(
        "Forgot your password?",
        "Enter your account's email and we'll send you a link to choose a new one.",
        rx.cond(
            ForgotPasswordState.sent_message != "",
            rx.callout(
                ForgotPasswordState.sent_message,
                icon="mail-check",
                color_scheme="green",
                data_testid="reset-sent",
                width="100%",
            ),
            rx.form(
                rx.vstack(
                    field(
                        "Email",
                        "email",
                        error=ForgotPasswordState.email_error,
                        type_="email",
                        placeholder="you@example.com",
                        auto_complete="email",
                    ),
                    submit_button("Send the link", loading=ForgotPasswordState.submitting),
                    spacing="4",
                    width="100%",
                ),
                on_submit=ForgotPasswordState.submit,
                width="100%",
            ),
        ),
        rx.link("Back to sign in", href="/login", size="2"),
    )


@page(route="/reset-password", title="New password · Gigworks", on_load=ResetPasswordState.load)
def reset_password() -> rx.Component:
    return auth_card(
        "Choose a new password",
        "Setting it signs you out on every other device.",
        rx.cond(
            ResetPasswordState.link_error != "",
            rx.vstack(
                rx.callout(
                    ResetPasswordState.link_error,
                    icon="circle-alert",
                    color_scheme="red",
                    data_testid="reset-link-error",
                    width="100%",
                ),
                rx.link(rx.button("Send a new link", size="3"), href="/forgot-password"),
                spacing="4",
                width="100%",
            ),
            rx.form(
                rx.vstack(
                    field(
                        "New password",
                        "password",
                        error=ResetPasswordState.password_error,
                        type_="password",
                        hint="At least 10 characters, not a common or repetitive password.",
                        auto_complete="new-password",
                        on_change=ResetPasswordState.recheck,
                    ),
                    submit_button("Set new password", loading=ResetPasswordState.submitting),
                    spacing="4",
                    width="100%",
                ),
                on_submit=ResetPasswordState.submit,
                width="100%",
            ),
        ),
    )
