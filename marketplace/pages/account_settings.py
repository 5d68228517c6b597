"""`/settings/account`: name, email, password, two-factor sign-in, linked providers, mail,
sessions. One column of cards; every list is small (sessions: the 20 most recent)."""

import reflex as rx

from marketplace.components.forms import field, section_card
from marketplace.components.layout import content_column
from marketplace.pages.routing import page
from marketplace.services.common.reference import COUNTRIES
from marketplace.state.account_settings import (
    NO_COUNTRY,
    MailKindRow,
    ProviderRow,
    SessionRow,
)
from marketplace.state.account_settings import (
    AccountSettingsState as S,
)


def _submit(label: str, **props) -> rx.Component:
    return rx.button(label, type="submit", size="2", **props)


def profile_card() -> rx.Component:
    return section_card(
        "Your name and country",
        "Your name is shown on your profile, gigs, orders and messages; your country with the "
        "reviews you write.",
        rx.form(
            rx.vstack(
                field(
                    "Display name",
                    "display_name",
                    error=S.name_error,
                    default_value=S.display_name,
                    key=S.display_name,
                ),
                rx.vstack(
                    rx.text("Country", size="2", weight="medium", id="country-label"),
                    rx.select.root(
                        rx.select.trigger(width="100%", aria_labelledby="country-label"),
                        rx.select.content(
                            rx.select.item("Not shown", value=NO_COUNTRY),
                            *[
                                rx.select.item(name, value=code)
                                for code, name in sorted(COUNTRIES.items(), key=lambda i: i[1])
                            ],
                        ),
                        value=S.country,
                        on_change=S.choose_country,
                        size="2",
                    ),
                    spacing="1",
                    width="100%",
                    align="start",
                ),
                _submit("Save"),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=S.save_name,
            width="100%",
        ),
    )


def email_card() -> rx.Component:
    return section_card(
        "Email",
        "Where we send order updates and security mails. A new address is confirmed first.",
        rx.hstack(
            rx.text(S.email, weight="medium", size="2", data_testid="account-email"),
            rx.cond(
                S.email_verified,
                rx.badge("Confirmed", color_scheme="green"),
                rx.badge("Not confirmed yet", color_scheme="amber"),
            ),
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.pending_email != "",
            rx.callout(
                "Waiting for you to click the link we sent to " + S.pending_email + ".",
                icon="mail",
                size="1",
            ),
        ),
        rx.form(
            rx.vstack(
                field(
                    "New email",
                    "new_email",
                    error=S.email_error,
                    type_="email",
                    auto_complete="email",
                ),
                rx.cond(
                    S.has_password,
                    field(
                        "Current password",
                        "email_password",
                        error=S.email_password_error,
                        type_="password",
                        auto_complete="current-password",
                    ),
                ),
                _submit("Send confirmation link"),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=S.change_email,
            reset_on_submit=True,
            width="100%",
        ),
    )


def password_card() -> rx.Component:
    return section_card(
        "Password",
        "Changing it signs you out on every other device.",
        rx.cond(
            S.has_password,
            rx.form(
                rx.vstack(
                    field(
                        "Current password",
                        "current_password",
                        error=S.current_password_error,
                        type_="password",
                        auto_complete="current-password",
                    ),
                    field(
                        "New password",
                        "new_password",
                        error=S.new_password_error,
                        type_="password",
                        hint="At least 10 characters, not a common or repetitive password.",
                        auto_complete="new-password",
                        on_change=S.check_new_password,
                    ),
                    _submit("Change password"),
                    spacing="3",
                    width="100%",
                    align="start",
                ),
                on_submit=S.change_password,
                reset_on_submit=True,
                width="100%",
            ),
            rx.text(
                "You sign in through a provider. To add a password, use “Forgot password?” on "
                "the sign-in page.",
                size="2",
                color_scheme="gray",
            ),
        ),
    )


def recovery_codes_panel() -> rx.Component:
    return rx.cond(
        S.recovery_codes.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text(
                    "Your recovery codes. Each works once if you lose your phone. Save them "
                    "now: they are shown only this once.",
                    size="2",
                    weight="medium",
                ),
                rx.grid(
                    rx.foreach(
                        S.recovery_codes,
                        lambda code: rx.code(code, size="3", data_testid="recovery-code"),
                    ),
                    columns=rx.breakpoints(initial="2", sm="5"),
                    gap="8px",
                ),
                rx.button("I saved them", size="1", variant="soft", on_click=S.hide_recovery_codes),
                spacing="3",
            ),
            icon="key-round",
            color_scheme="amber",
            width="100%",
        ),
    )


def two_factor_card() -> rx.Component:
    enrol = rx.cond(
        S.enrol_qr != "",
        rx.flex(
            rx.image(
                src=S.enrol_qr,
                alt="QR code for your authenticator app",
                width="200px",
                height="200px",
                data_testid="totp-qr",
            ),
            rx.vstack(
                rx.text(
                    "1. Scan the code with an authenticator app (or type the key).",
                    size="2",
                ),
                rx.code(S.enrol_secret_shown, data_testid="totp-secret"),
                rx.text("2. Enter the 6-digit code it shows.", size="2"),
                rx.form(
                    rx.hstack(
                        rx.input(
                            name="code",
                            placeholder="123456",
                            aria_label="Code from the app",
                            auto_complete="one-time-code",
                            size="2",
                            max_length=10,
                        ),
                        _submit("Turn on"),
                        spacing="2",
                    ),
                    on_submit=S.confirm_enrolment,
                    reset_on_submit=True,
                ),
                rx.cond(
                    S.enrol_error != "",
                    rx.text(S.enrol_error, size="1", color_scheme="red", data_testid="enrol-error"),
                ),
                spacing="2",
                align="start",
            ),
            gap="20px",
            direction=rx.breakpoints(initial="column", sm="row"),
            align=rx.breakpoints(initial="start", sm="center"),
        ),
        rx.button("Set up two-factor sign-in", size="2", on_click=S.start_enrolment),
    )
    on = rx.vstack(
        rx.hstack(
            rx.badge("On", color_scheme="green", size="2"),
            rx.text(S.recovery_left, " recovery codes left", size="2", color_scheme="gray"),
            align="center",
        ),
        rx.hstack(
            rx.button(
                "New recovery codes", size="2", variant="soft", on_click=S.new_recovery_codes
            ),
            wrap="wrap",
        ),
        rx.form(
            rx.hstack(
                rx.cond(
                    S.has_password,
                    rx.input(
                        name="disable_password",
                        type="password",
                        placeholder="Current password",
                        aria_label="Current password to turn two-factor off",
                        size="2",
                    ),
                ),
                rx.button("Turn off", type="submit", size="2", variant="soft", color_scheme="red"),
                spacing="2",
                wrap="wrap",
            ),
            on_submit=S.disable_two_factor,
            reset_on_submit=True,
        ),
        rx.cond(S.disable_error != "", rx.text(S.disable_error, size="1", color_scheme="red")),
        spacing="3",
        align="start",
    )
    return section_card(
        "Two-factor sign-in",
        "After your password, a code from an authenticator app on your phone.",
        rx.cond(
            S.required_2fa,
            rx.callout(
                "Admin accounts must use two-factor sign-in. Set it up to continue.",
                icon="shield-alert",
                color_scheme="red",
                size="1",
            ),
        ),
        recovery_codes_panel(),
        rx.cond(S.totp_on, on, enrol),
        id="two-factor",
    )


def provider_row(row: ProviderRow) -> rx.Component:
    return rx.hstack(
        rx.icon("key-round", size=16),
        rx.vstack(
            rx.text(row.label, size="2", weight="medium"),
            rx.text(row.email, size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(
            row.can_unlink,
            rx.button(
                "Unlink",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=S.unlink_provider(row.provider),
            ),
            rx.text("Your only sign-in", size="1", color_scheme="gray"),
        ),
        align="center",
        width="100%",
    )


def providers_card() -> rx.Component:
    return section_card(
        "Sign-in providers",
        "Sign in with an external account as well as (or instead of) a password.",
        rx.cond(
            S.providers.length() > 0,
            rx.vstack(rx.foreach(S.providers, provider_row), spacing="3", width="100%"),
            rx.text("No provider is linked.", size="2", color_scheme="gray"),
        ),
        rx.hstack(
            rx.foreach(
                S.available_providers,
                lambda row: rx.button(
                    "Link ",
                    row.label,
                    size="2",
                    variant="outline",
                    on_click=S.link_provider(row.provider),
                ),
            ),
            wrap="wrap",
        ),
    )


def mail_row(row: MailKindRow) -> rx.Component:
    return rx.hstack(
        rx.switch(
            checked=row.on,
            on_change=lambda on: S.set_mail_kind(row.kind, on),
            aria_label=row.label,
        ),
        rx.text(row.label, size="2"),
        align="center",
        spacing="3",
    )


def mail_card() -> rx.Component:
    return section_card(
        "Mail",
        "Confirmation and password mails always go; these you can switch off.",
        rx.vstack(rx.foreach(S.mail_kinds, mail_row), spacing="3"),
    )


def session_row(row: SessionRow) -> rx.Component:
    return rx.flex(
        rx.icon("monitor-smartphone", size=18, flex_shrink="0"),
        rx.vstack(
            rx.hstack(
                rx.text(row.device, size="2", weight="medium"),
                rx.cond(row.current, rx.badge("This device", color_scheme="green")),
                align="center",
                wrap="wrap",
            ),
            rx.text(
                "Address ", row.ip, " · last used ", row.last_used, size="1", color_scheme="gray"
            ),
            rx.text("Signed in ", row.started, size="1", color_scheme="gray"),
            spacing="1",
            flex="1",
        ),
        rx.cond(
            row.current,
            rx.fragment(),
            rx.button(
                "Sign out",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=S.sign_out_session(row.id),
            ),
        ),
        gap="12px",
        align="center",
        width="100%",
        padding_y="8px",
        border_bottom="1px solid var(--gray-a4)",
        data_testid="session-row",
    )


def sessions_card() -> rx.Component:
    return section_card(
        "Where you're signed in",
        "Sign out a device you don't recognise; it is signed out at its next click.",
        rx.vstack(rx.foreach(S.sessions, session_row), spacing="0", width="100%"),
        rx.button(
            "Sign out everywhere",
            size="2",
            variant="soft",
            color_scheme="red",
            on_click=S.sign_out_everywhere,
        ),
    )


def leaving_card() -> rx.Component:
    return section_card(
        "Your data and leaving",
        "Download everything we hold about you, or delete your account.",
        rx.button(
            rx.icon("download", size=14),
            "Download my data (JSON)",
            variant="soft",
            # The server route answers with the file (an attachment), not a client-side page.
            on_click=rx.download(url="/my/data.json", filename="gigworks-my-data.json"),
        ),
        rx.separator(size="4"),
        rx.text(
            "Deleting removes your name, email, profile and gigs. Orders, reviews and payment "
            "records stay for the other people in them, without your name.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            S.can_delete,
            rx.form(
                rx.vstack(
                    rx.cond(
                        S.has_password,
                        field(
                            "Your password",
                            "delete_password",
                            type_="password",
                            auto_complete="current-password",
                        ),
                    ),
                    field("Type DELETE to confirm", "confirm", auto_complete="off"),
                    rx.cond(
                        S.delete_error != "",
                        rx.text(S.delete_error, size="1", color_scheme="red"),
                    ),
                    rx.button("Delete my account", type="submit", color_scheme="red", size="2"),
                    spacing="3",
                    width="100%",
                    align="start",
                ),
                on_submit=S.delete_account,
                width="100%",
            ),
            rx.callout(
                S.delete_blocked_reason, icon="lock", color_scheme="amber", size="1", width="100%"
            ),
        ),
    )


@page(route="/settings/account", title="Account & security · Gigworks", on_load=S.load)
def account_settings() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.heading("Account & security", size="7"),
            rx.cond(
                S.notice != "",
                rx.callout(
                    S.notice,
                    icon="circle-check",
                    color_scheme="green",
                    width="100%",
                    data_testid="account-notice",
                ),
            ),
            rx.cond(
                S.error != "",
                rx.callout(S.error, icon="circle-alert", color_scheme="red", width="100%"),
            ),
            rx.cond(
                S.loading,
                rx.hstack(rx.spinner(), rx.text("Loading your account…"), align="center"),
                rx.vstack(
                    profile_card(),
                    email_card(),
                    password_card(),
                    two_factor_card(),
                    sessions_card(),
                    providers_card(),
                    mail_card(),
                    leaving_card(),
                    spacing="5",
                    width="100%",
                ),
            ),
            spacing="5",
            width="100%",
            max_width="760px",
            margin_x="auto",
        ),
        padding_y="32px",
    )
