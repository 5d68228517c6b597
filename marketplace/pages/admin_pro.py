"""`/admin/pro`: the moderation page's Pro applications tab, where admins vet applications."""

import reflex as rx

from marketplace.components.admin_parts import tab_bar
from marketplace.components.layout import content_column
from marketplace.components.order_parts import page_skeleton
from marketplace.components.pro_applications import pro_applications_panel
from marketplace.pages.routing import page
from marketplace.state.admin_pro import AdminProState


@page("/admin/pro", "Pro applications · Admin · Gigworks", on_load=AdminProState.load)
def admin_pro_page() -> rx.Component:
    return content_column(
        rx.vstack(
            rx.hstack(
                rx.icon("shield-check", size=22, color="var(--accent-9)"),
                rx.heading("Moderation", size="7", as_="h1"),
                spacing="2",
                align="center",
                padding_top="28px",
            ),
            tab_bar("pro"),
            rx.cond(
                AdminProState.loading,
                page_skeleton(2),
                rx.cond(
                    AdminProState.allowed,
                    pro_applications_panel(),
                    rx.callout(
                        "This page is for admins.",
                        icon="shield-alert",
                        color_scheme="red",
                        data_testid="admin-only",
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        padding_y="32px",
    )
