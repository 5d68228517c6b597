"""`/my/level`: the seller's level and progress bars towards the next one (docs/levels.md)."""

import reflex as rx

from marketplace.components.layout import content_column
from marketplace.components.order_parts import page_skeleton, panel
from marketplace.pages.routing import page
from marketplace.state.levels import LevelState, MetricRowView

S = LevelState


def metric_row(row: MetricRowView) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon(
                rx.cond(row.met, "circle-check", "circle"),
                size=16,
                color=rx.cond(row.met, "var(--green-9)", "var(--gray-8)"),
            ),
            rx.text(row.label, size="2", weight="medium"),
            rx.spacer(),
            rx.text(row.value, size="2", weight="bold"),
            rx.text(" / ", row.target, size="2", color_scheme="gray"),
            spacing="2",
            align="center",
            width="100%",
        ),
        rx.progress(
            value=row.percent,
            color_scheme=rx.cond(row.met, "green", "amber"),
            aria_label=row.label,
            width="100%",
        ),
        spacing="2",
        width="100%",
        data_testid="level-metric",
    )


def level_body() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Your seller level", size="7", as_="h1"),
            rx.badge(S.level, size="3", variant="soft", data_testid="current-level"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.text(
            "Completed orders, clients and earnings count from your first order; rating, "
            "on-time delivery and response rate from the last ",
            S.window_days,
            " days.",
            rx.cond(S.evaluated != "", " Last evaluated " + S.evaluated + ".", ""),
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            S.at_risk != "",
            rx.callout(
                S.at_risk,
                icon="triangle-alert",
                color_scheme="amber",
                width="100%",
                data_testid="level-at-risk",
            ),
        ),
        rx.callout(
            S.gig_limit_note,
            icon="layout-grid",
            color_scheme=rx.cond(S.active_gigs > S.gig_limit, "amber", "gray"),
            width="100%",
            data_testid="level-gig-limit",
        ),
        rx.cond(
            S.warnings > 0,
            rx.callout(
                "A moderation warning in this period keeps your level at New seller.",
                icon="triangle-alert",
                color_scheme="red",
            ),
        ),
        panel(
            rx.cond(S.next_level != "", "Towards " + S.next_level, "You are at the top level"),
            rx.cond(
                S.next_level != "",
                rx.text(
                    "Meet every target to reach ",
                    S.next_level,
                    " (up to ",
                    S.next_gig_limit,
                    " active gigs).",
                    size="2",
                    color_scheme="gray",
                ),
                rx.text("Keep these up to stay Top Rated.", size="2", color_scheme="gray"),
            ),
            rx.vstack(rx.foreach(S.rows, metric_row), spacing="4", width="100%"),
            icon="trending-up",
        ),
        spacing="4",
        width="100%",
        max_width="720px",
    )


@page("/my/level", "Seller level · Gigworks", on_load=LevelState.load)
def level_page() -> rx.Component:
    return content_column(
        rx.cond(
            S.loading,
            page_skeleton(2),
            rx.cond(
                S.error != "",
                rx.callout(S.error, icon="info", data_testid="level-error"),
                level_body(),
            ),
        ),
        padding_y="32px",
    )
