"""`/pro/apply`: apply to become a vetted Pro seller."""

import reflex as rx

from marketplace.components.forms import section_card
from marketplace.components.layout import content_column
from marketplace.components.order_parts import page_skeleton
from marketplace.pages.routing import page
from marketplace.state.pro import ProApplyState

S = ProApplyState


def labelled(label: str, hint: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        control,
        *([rx.text(hint, size="1", color_scheme="gray")] if hint else []),
        spacing="1",
        width="100%",
    )


def application_form() -> rx.Component:
    return section_card(
        "Your application",
        "Tell our vetting team about your professional work.",
        rx.vstack(
            labelled(
                "Category",
                "",
                rx.select.root(
                    rx.select.trigger(
                        placeholder="Choose your category", width="100%", data_testid="pro-category"
                    ),
                    rx.select.content(
                        rx.foreach(
                            S.categories,
                            lambda c: rx.select.item(c["name"], value=c["id"]),
                        )
                    ),
                    value=S.category_id,
                    on_change=S.set_category,
                    disabled=~S.editable,
                ),
            ),
            labelled(
                "Portfolio links",
                "One web address per line (https://…), up to 10.",
                rx.text_area(
                    value=S.links_text,
                    on_change=S.set_links,
                    rows="3",
                    width="100%",
                    disabled=~S.editable,
                    data_testid="pro-links",
                ),
            ),
            labelled(
                "Credentials",
                "Degrees, certifications, awards, notable clients.",
                rx.text_area(
                    value=S.credentials,
                    on_change=S.set_credentials,
                    rows="3",
                    width="100%",
                    disabled=~S.editable,
                    data_testid="pro-credentials",
                ),
            ),
            labelled(
                "Years of professional experience",
                "",
                rx.input(
                    value=S.years,
                    on_change=S.set_years,
                    type="number",
                    min=0,
                    max=60,
                    width="120px",
                    disabled=~S.editable,
                    data_testid="pro-years",
                ),
            ),
            labelled(
                "Summary",
                "",
                rx.vstack(
                    rx.text_area(
                        value=S.summary,
                        on_change=S.set_summary,
                        rows="6",
                        width="100%",
                        disabled=~S.editable,
                        placeholder="What you do, for whom, and what sets your work apart.",
                        data_testid="pro-summary",
                    ),
                    rx.text(S.summary_count, size="1", color_scheme="gray"),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.cond(
                S.error != "",
                rx.callout(S.error, icon="triangle-alert", color_scheme="red", size="1"),
            ),
            rx.cond(
                S.saved_message != "",
                rx.callout(S.saved_message, icon="check", color_scheme="green", size="1"),
            ),
            rx.cond(
                S.editable,
                rx.hstack(
                    rx.button(
                        "Save draft",
                        variant="soft",
                        on_click=S.save_draft,
                        data_testid="pro-save-draft",
                    ),
                    rx.button("Submit application", on_click=S.submit, data_testid="pro-submit"),
                    spacing="3",
                    wrap="wrap",
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


def apply_body() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Become a Pro seller", size="7", as_="h1"),
            rx.badge("Pro", color_scheme="iris", variant="solid", size="2"),
            spacing="3",
            align="center",
        ),
        rx.text(
            "Pro sellers are vetted by our team for proven professional experience. Approved "
            "sellers get the Pro badge on their profile and gigs, and appear under the Pro "
            "filter in search.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            S.status_text != "",
            rx.callout(
                S.status_text,
                icon=rx.cond(S.status == "approved", "badge-check", "info"),
                color_scheme=rx.cond(S.status == "approved", "green", "blue"),
                data_testid="pro-status",
            ),
        ),
        rx.cond(
            (S.admin_note != "") & ((S.status == "needs_info") | (S.status == "rejected")),
            rx.callout(
                "From our team: " + S.admin_note,
                icon="message-square",
                color_scheme="amber",
                data_testid="pro-admin-note",
            ),
        ),
        rx.cond(
            S.is_seller,
            application_form(),
            rx.callout(
                rx.text(
                    "Set up your seller profile first: ",
                    rx.link("Become a seller", href="/settings/profile"),
                ),
                icon="store",
            ),
        ),
        spacing="4",
        width="100%",
        max_width="720px",
    )


@page("/pro/apply", "Apply for Pro · Gigworks", on_load=ProApplyState.load)
def pro_apply_page() -> rx.Component:
    return content_column(
        rx.cond(S.loading, page_skeleton(2), apply_body()),
        padding_y="32px",
    )
