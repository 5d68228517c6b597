"""`/admin/*`: moderation and the marketplace dashboard, for admins only (the states refuse
everyone else on load and in every handler; the services check the role again)."""

import reflex as rx

from marketplace.components.admin_parts import (
    admin_page,
    empty,
    filter_select,
    reason_dialog,
    search_form,
    status_badge,
    text_lines,
)
from marketplace.components.order_parts import money_panel, panel, timeline
from marketplace.components.paging import pager
from marketplace.pages.routing import page
from marketplace.state.admin import (
    REPORT_ACTION_LABELS,
    AdminAuditState,
    AdminDashboardState,
    AdminDisputesState,
    AdminDisputeView,
    AdminGigsState,
    AdminGigView,
    AdminReportsState,
    AdminReportView,
    AdminReviewsState,
    AdminReviewView,
    AdminUsersState,
    AdminUserView,
    AuditView,
    ChangeView,
    StatView,
)
from marketplace.state.order_models import DeliveryView

TITLE = "Moderation"
SUBTITLE = "Everything admins do here is recorded in the audit log."


def pagination(state) -> rx.Component:
    return pager(
        page_number=state.page_number, page_count=state.page_count, go_to_page=state.go_to_page
    )


def count_line(state) -> rx.Component:
    """ "1 gig", "9 gigs": the state words its count (format.plural)."""
    return rx.text(state.total_text, size="2", color_scheme="gray", data_testid="list-count")


# -- dashboard ------------------------------------------------------------------------------

D = AdminDashboardState


# The dashboard's charts hold dollars as numbers (recharts draws numbers); their tooltips
# show money as money and counts with thousands separators, and name each week.
MONEY_SERIES = ("gmv", "fees", "escrow")
TOOLTIP_VALUE = rx.Var(
    "((value, name, item) => ["
    + ", ".join(f"'{name}'" for name in MONEY_SERIES)
    + "].includes(item && item.dataKey)"
    " ? '$' + Number(value).toLocaleString('en-US', "
    "{minimumFractionDigits: 2, maximumFractionDigits: 2})"
    " : Number(value).toLocaleString('en-US'))"
)
TOOLTIP_LABEL = rx.Var("((label) => 'Week of ' + label)")
DOLLAR_TICK = rx.Var("((value) => '$' + Number(value).toLocaleString('en-US'))")


def chart_tooltip() -> rx.Component:
    return rx.recharts.tooltip(
        separator=": ",
        custom_attrs={"formatter": TOOLTIP_VALUE, "labelFormatter": TOOLTIP_LABEL},
    )


def stat_card(stat: StatView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(stat.label, size="2", color_scheme="gray"),
            rx.text(stat.value, size="6", weight="bold", data_testid="stat-value"),
            rx.recharts.area_chart(
                rx.recharts.area(
                    data_key=stat.series,
                    name=stat.series_label,
                    stroke=f"var(--{stat.color}-9)",
                    fill=f"var(--{stat.color}-a4)",
                    active_dot={"stroke": "var(--gray-1)", "fill": f"var(--{stat.color}-10)"},
                    type_="monotone",
                    is_animation_active=False,
                ),
                rx.recharts.x_axis(data_key="week", hide=True),
                chart_tooltip(),
                data=D.points,
                width="100%",
                height=80,
            ),
            rx.text(stat.hint, " · 12 weeks", size="1", color_scheme="gray"),
            spacing="1",
            width="100%",
        ),
        data_testid="stat-card",
    )


def orders_by_status() -> rx.Component:
    return panel(
        "Orders by status",
        rx.cond(
            D.status_rows.length() > 0,
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                rx.recharts.x_axis(data_key="status", font_size=11),
                rx.recharts.y_axis(font_size=11, width=40, allow_decimals=False),
                rx.recharts.tooltip(),
                rx.recharts.bar(
                    data_key="count",
                    name="Orders",
                    fill="var(--accent-9)",
                    radius=4,
                    is_animation_active=False,
                ),
                data=D.status_rows,
                width="100%",
                height=240,
            ),
            rx.text("No orders yet.", size="2", color_scheme="gray"),
        ),
        icon="chart-column",
    )


def series_line(key: str, name: str, color: str, **props) -> rx.Component:
    """One weekly series in its own Radix colour: line, dots and the hovered dot alike
    (recharts' defaults would draw every line's dots in the accent green)."""
    return rx.recharts.line(
        data_key=key,
        name=name,
        stroke=f"var(--{color}-9)",
        stroke_width=2,
        dot={"stroke": f"var(--{color}-9)", "fill": f"var(--{color}-3)"},
        active_dot={"stroke": f"var(--{color}-2)", "fill": f"var(--{color}-10)"},
        is_animation_active=False,
        **props,
    )


def gmv_chart() -> rx.Component:
    return panel(
        "GMV and fees per week",
        rx.recharts.line_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
            rx.recharts.x_axis(data_key="week", font_size=11),
            rx.recharts.y_axis(font_size=11, width=64, custom_attrs={"tickFormatter": DOLLAR_TICK}),
            chart_tooltip(),
            rx.recharts.legend(),
            # The stat cards' colours: GMV violet, fees teal (never the same line twice).
            series_line("gmv", "GMV", "violet"),
            series_line("fees", "Fees", "teal", stroke_dasharray="6 3"),
            data=D.points,
            width="100%",
            height=240,
        ),
        icon="trending-up",
        test_id="gmv-chart",
    )


@page("/admin", "Dashboard · Admin · Gigworks", on_load=AdminDashboardState.load)
def admin_dashboard_page() -> rx.Component:
    return admin_page(
        "dashboard",
        TITLE,
        SUBTITLE,
        D,
        rx.grid(
            rx.foreach(D.stats, stat_card),
            columns=rx.breakpoints(initial="1", sm="2", md="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            orders_by_status(),
            gmv_chart(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


# -- gig review -----------------------------------------------------------------------------

G = AdminGigsState
QUEUES = [
    ("pending", "Waiting for review"),
    ("edited", "Edited since approval"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("rejected", "Rejected"),
]


def change_row(change: ChangeView) -> rx.Component:
    return rx.grid(
        rx.text(change.label, size="1", weight="bold"),
        rx.text(
            change.before,
            size="1",
            color="var(--red-11)",
            text_decoration="line-through",
            word_break="break-word",
        ),
        rx.text(change.after, size="1", color="var(--green-11)", word_break="break-word"),
        columns="90px 1fr 1fr",
        spacing="2",
        width="100%",
    )


def gig_actions(row: AdminGigView) -> rx.Component:
    button = {"size": "2"}
    return rx.flex(
        rx.link(
            rx.button(
                rx.icon("external-link", size=14),
                "View page",
                variant="soft",
                color_scheme="gray",
                **button,
            ),
            href=row.page_url,
            target="_blank",
            underline="none",
        ),
        rx.cond(
            row.status == "pending_review",
            rx.fragment(
                rx.button("Approve", color_scheme="green", on_click=G.approve(row.id), **button),
                rx.button(
                    "Reject",
                    color_scheme="red",
                    variant="soft",
                    on_click=G.open_dialog("reject", row.id),
                    **button,
                ),
            ),
        ),
        rx.cond(
            G.queue == "edited",
            rx.button(
                "Accept edits", color_scheme="green", on_click=G.accept_edit(row.id), **button
            ),
        ),
        rx.cond(
            row.can_suspend,
            rx.button(
                "Suspend",
                color_scheme="red",
                variant="outline",
                on_click=G.open_dialog("suspend", row.id),
                **button,
            ),
        ),
        rx.cond(
            row.status == "suspended",
            rx.button(
                "Reinstate", variant="soft", on_click=G.open_dialog("reinstate", row.id), **button
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def gig_card(row: AdminGigView) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.hstack(
                rx.cond(
                    G.queue == "pending",
                    rx.checkbox(
                        checked=G.selected.contains(row.id),
                        on_change=lambda _checked: G.toggle(row.id),
                        aria_label="Select " + row.title,
                    ),
                ),
                rx.cond(
                    row.cover_url != "",
                    rx.image(
                        src=row.cover_url,
                        width="160px",
                        height="100px",
                        object_fit="cover",
                        border_radius="8px",
                        alt="Cover image",
                        overflow="hidden",
                        background="var(--gray-a3)",
                        font_size="12px",
                    ),
                    rx.box(
                        width="160px",
                        height="100px",
                        background="var(--gray-a3)",
                        border_radius="8px",
                    ),
                ),
                align="start",
                spacing="3",
                flex_shrink="0",
            ),
            rx.vstack(
                rx.hstack(
                    status_badge(row.status, row.status_label),
                    rx.text("from ", row.price_from, size="2"),
                    spacing="2",
                    align="center",
                ),
                rx.heading(row.title, size="4", as_="h3"),
                rx.text(
                    "by ", row.seller, " · updated ", row.updated, size="1", color_scheme="gray"
                ),
                rx.text(
                    row.description,
                    size="2",
                    white_space="pre-wrap",
                    max_height="7.5em",
                    overflow="hidden",
                ),
                rx.cond(row.tags != "", rx.text("Tags: ", row.tags, size="1", color_scheme="gray")),
                rx.cond(
                    row.reason != "",
                    rx.callout(row.reason, icon="info", size="1", color_scheme="gray"),
                ),
                rx.cond(
                    row.changes.length() > 0,
                    rx.vstack(
                        rx.text("Changed since the last approval", size="1", weight="bold"),
                        rx.foreach(row.changes, change_row),
                        spacing="1",
                        width="100%",
                        padding="8px",
                        background="var(--gray-a2)",
                        border_radius="8px",
                        data_testid="gig-changes",
                    ),
                ),
                gig_actions(row),
                spacing="2",
                width="100%",
                min_width="0",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="4",
            width="100%",
        ),
        width="100%",
        data_testid="admin-gig",
    )


def gig_dialog() -> rx.Component:
    return reason_dialog(
        open_=G.dialog_action != "",
        title=rx.match(
            G.dialog_action,
            ("reject", "Reject this gig?"),
            ("suspend", "Suspend this gig?"),
            "Reinstate this gig?",
        ),
        description=rx.text("“", G.dialog_title, "”. The seller is notified with your reason."),
        reason=G.dialog_reason,
        on_reason=G.set_dialog_reason,
        error=G.dialog_error,
        on_close=G.close_dialog,
        on_confirm=G.confirm_dialog,
        confirm_label=rx.match(
            G.dialog_action, ("reject", "Reject gig"), ("suspend", "Suspend gig"), "Reinstate"
        ),
        danger=G.dialog_action != "reinstate",
    )


@page("/admin/gigs", "Gig review · Admin · Gigworks", on_load=AdminGigsState.load)
def admin_gigs_page() -> rx.Component:
    return admin_page(
        "gigs",
        TITLE,
        SUBTITLE,
        G,
        rx.hstack(
            count_line(G),
            rx.spacer(),
            rx.cond(
                (G.queue == "pending") & (G.selected.length() > 0),
                rx.button(
                    rx.icon("check-check", size=15),
                    "Approve ",
                    G.selected.length(),
                    " selected",
                    color_scheme="green",
                    on_click=G.approve_selected,
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            G.rows.length() > 0,
            rx.vstack(rx.foreach(G.rows, gig_card), spacing="3", width="100%"),
            empty("inbox", "Nothing here", "No gigs in this queue right now.", "empty-queue"),
        ),
        pagination(G),
        gig_dialog(),
        toolbar=rx.flex(
            filter_select(QUEUES, G.queue, G.change_queue, "Queue"),
            search_form(G.search, "Search titles or sellers", G.query),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
    )


# -- users ----------------------------------------------------------------------------------

U = AdminUsersState
WIDE_ONLY = rx.breakpoints(initial="none", md="table-cell")
WIDE_ONLY_NOT = rx.breakpoints(initial="block", md="none")
USER_FILTERS = [
    ("all", "Everyone"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("banned", "Banned"),
    ("admin", "Admins"),
]


def user_row(row: AdminUserView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.button(
                row.name,
                variant="ghost",
                on_click=U.open_user(row.id),
                padding="0",
                data_testid="open-user",
            ),
            rx.text("@", row.username, size="1", color_scheme="gray"),
            # On phones the email column is hidden: the email goes under the name.
            rx.text(
                row.email,
                size="1",
                color_scheme="gray",
                word_break="break-all",
                display=WIDE_ONLY_NOT,
            ),
        ),
        rx.table.cell(rx.text(row.email, size="2", word_break="break-all"), display=WIDE_ONLY),
        rx.table.cell(row.role),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(row.joined, white_space="nowrap", display=WIDE_ONLY),
        data_testid="user-row",
    )


def user_list() -> rx.Component:
    return rx.cond(
        U.rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(
                                h, display=WIDE_ONLY if h in ("Email", "Joined") else None
                            )
                            for h in ("Name", "Email", "Role", "Status", "Joined")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(U.rows, user_row)),
                width="100%",
                size="1",
            ),
            width="100%",
            overflow_x="auto",
        ),
        empty("user-search", "No one found", "Try another name or email.", "empty-users"),
    )


def user_detail() -> rx.Component:
    section = {"spacing": "2", "width": "100%"}
    return rx.cond(
        U.user_id != 0,
        panel(
            "Account",
            rx.hstack(
                rx.heading(U.detail.name, size="5"),
                status_badge(U.detail.status),
                rx.spacer(),
                rx.button(
                    rx.icon("x", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    on_click=U.close_user,
                    aria_label="Close",
                ),
                width="100%",
                align="center",
            ),
            rx.flex(
                rx.cond(
                    U.detail.role != "Admin",
                    rx.fragment(
                        rx.button("Warn", variant="soft", on_click=U.open_dialog("warn")),
                        rx.cond(
                            U.detail.status == "active",
                            rx.button(
                                "Suspend",
                                color_scheme="red",
                                variant="soft",
                                on_click=U.open_dialog("suspend"),
                            ),
                            rx.button(
                                "Reinstate",
                                color_scheme="green",
                                variant="soft",
                                on_click=U.open_dialog("reinstate"),
                            ),
                        ),
                        rx.cond(
                            U.detail.status != "banned",
                            rx.button("Ban", color_scheme="red", on_click=U.open_dialog("ban")),
                        ),
                    ),
                    rx.text("Admins are not moderated here.", size="2", color_scheme="gray"),
                ),
                spacing="2",
                wrap="wrap",
            ),
            text_lines(U.detail_lines),
            rx.vstack(
                rx.heading("Gigs", size="3"),
                rx.cond(
                    U.detail_gigs.length() > 0,
                    text_lines(U.detail_gigs),
                    rx.text("None.", size="2", color_scheme="gray"),
                ),
                **section,
            ),
            rx.vstack(
                rx.heading("Orders", size="3"),
                rx.cond(
                    U.detail_orders.length() > 0,
                    text_lines(U.detail_orders),
                    rx.text("None.", size="2", color_scheme="gray"),
                ),
                **section,
            ),
            rx.vstack(
                rx.heading("Reports about this user", size="3"),
                rx.cond(
                    U.detail_reports.length() > 0,
                    text_lines(U.detail_reports),
                    rx.text("None.", size="2", color_scheme="gray"),
                ),
                **section,
            ),
            rx.vstack(
                rx.heading("Moderation history", size="3"),
                rx.cond(
                    U.detail_actions.length() > 0,
                    text_lines(U.detail_actions),
                    rx.text("None.", size="2", color_scheme="gray"),
                ),
                **section,
            ),
            icon="user-round",
            test_id="user-detail",
        ),
    )


def user_dialog() -> rx.Component:
    return reason_dialog(
        open_=U.dialog_action != "",
        title=rx.match(
            U.dialog_action,
            ("warn", "Warn this user"),
            ("suspend", "Suspend account"),
            ("ban", "Ban account"),
            "Reinstate account",
        ),
        description=rx.match(
            U.dialog_action,
            ("warn", "They receive your message as a notification."),
            ("reinstate", "The account can sign in again; gigs the suspension took down go live."),
            "Every session is signed out now, their gigs leave search and their open orders are "
            "flagged for an admin.",
        ),
        reason=U.dialog_reason,
        on_reason=U.set_dialog_reason,
        error=U.dialog_error,
        on_close=U.close_dialog,
        on_confirm=U.confirm_dialog,
        confirm_label=rx.match(
            U.dialog_action,
            ("warn", "Send warning"),
            ("suspend", "Suspend"),
            ("ban", "Ban"),
            "Reinstate",
        ),
        danger=U.dialog_action != "reinstate",
    )


@page("/admin/users", "Users · Admin · Gigworks", on_load=AdminUsersState.load)
def admin_users_page() -> rx.Component:
    return admin_page(
        "users",
        TITLE,
        SUBTITLE,
        U,
        count_line(U),
        rx.grid(
            rx.vstack(user_list(), pagination(U), spacing="3", width="100%", min_width="0"),
            user_detail(),
            columns=rx.breakpoints(initial="1", lg=rx.cond(U.user_id != 0, "3fr 2fr", "1fr")),
            spacing="4",
            width="100%",
        ),
        user_dialog(),
        toolbar=rx.flex(
            search_form(U.search, "Search by name or email", U.query),
            filter_select(
                USER_FILTERS, rx.cond(U.status == "", "all", U.status), U.change_status, "Status"
            ),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
    )


# -- reports --------------------------------------------------------------------------------

R = AdminReportsState
REPORT_FILTERS = [
    ("open", "Open"),
    ("resolved", "Resolved"),
    ("dismissed", "Dismissed"),
    ("all", "All"),
]
TARGET_FILTERS = [
    ("all", "Everything"),
    ("gig", "Gigs"),
    ("user", "Users"),
    ("review", "Reviews"),
    ("message", "Messages"),
]


def report_card(row: AdminReportView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(row.target_type, variant="outline"),
                status_badge(row.status),
                rx.cond(row.outcome != "", rx.badge(row.outcome, variant="soft")),
                rx.spacer(),
                rx.text(row.at, size="1", color_scheme="gray"),
                width="100%",
                wrap="wrap",
            ),
            rx.text(row.target, weight="bold", size="2"),
            rx.text(row.reason, " — reported by ", row.reporter, size="2", color_scheme="gray"),
            rx.button(
                "Look into it",
                variant="soft",
                size="1",
                on_click=R.open_report(row.id),
                data_testid="open-report",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="report-row",
    )


def report_detail() -> rx.Component:
    return rx.cond(
        R.report_id != 0,
        panel(
            "Reported",
            rx.hstack(
                rx.text(R.detail.target, weight="bold"),
                rx.spacer(),
                rx.button(
                    rx.icon("x", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    on_click=R.close_report,
                    aria_label="Close",
                ),
                width="100%",
            ),
            rx.text("Reason: ", R.detail.reason, size="2"),
            rx.cond(
                R.detail.details != "", rx.text(R.detail.details, size="2", white_space="pre-wrap")
            ),
            rx.box(
                text_lines(R.context, test_id="report-context"),
                padding="12px",
                background="var(--gray-a2)",
                border_radius="8px",
                width="100%",
            ),
            rx.cond(
                R.actions.length() > 0,
                rx.flex(
                    rx.foreach(
                        R.actions,
                        lambda a: rx.button(
                            rx.match(a, *REPORT_ACTION_LABELS.items(), a),
                            variant=rx.cond(a == "dismiss", "soft", "solid"),
                            color_scheme=rx.cond(a == "dismiss", "gray", "red"),
                            on_click=R.open_dialog(a),
                        ),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text("Closed: ", R.detail.outcome, size="2", color_scheme="gray"),
            ),
            icon="flag",
            test_id="report-detail",
        ),
    )


def report_dialog() -> rx.Component:
    return reason_dialog(
        open_=R.dialog_action != "",
        title=rx.match(R.dialog_action, *REPORT_ACTION_LABELS.items(), ""),
        description="The reporter is told the outcome; your note goes to the audit log.",
        reason=R.dialog_reason,
        on_reason=R.set_dialog_reason,
        error=R.dialog_error,
        on_close=R.close_dialog,
        on_confirm=R.confirm_dialog,
        confirm_label="Confirm",
        danger=R.dialog_action != "dismiss",
        placeholder="A note for the reporter and the audit log.",
    )


@page("/admin/reports", "Reports · Admin · Gigworks", on_load=AdminReportsState.load)
def admin_reports_page() -> rx.Component:
    return admin_page(
        "reports",
        TITLE,
        SUBTITLE,
        R,
        rx.flex(
            filter_select(
                REPORT_FILTERS, rx.cond(R.status == "", "all", R.status), R.change_status, "Status"
            ),
            filter_select(
                TARGET_FILTERS,
                rx.cond(R.target_type == "", "all", R.target_type),
                R.change_target,
                "Reported",
            ),
            count_line(R),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        rx.grid(
            rx.vstack(
                rx.cond(
                    R.rows.length() > 0,
                    rx.vstack(rx.foreach(R.rows, report_card), spacing="3", width="100%"),
                    empty("flag", "No reports", "Nothing matches these filters.", "empty-reports"),
                ),
                pagination(R),
                spacing="3",
                width="100%",
                min_width="0",
            ),
            report_detail(),
            columns=rx.breakpoints(initial="1", md=rx.cond(R.report_id != 0, "1fr 1fr", "1fr")),
            spacing="4",
            width="100%",
        ),
        report_dialog(),
    )


# -- disputes -------------------------------------------------------------------------------

P = AdminDisputesState


def dispute_card(row: AdminDisputeView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.code(row.code),
                status_badge(row.status),
                rx.cond(row.resolution != "", rx.badge(row.resolution, variant="soft")),
                rx.spacer(),
                rx.text(row.total, weight="bold", size="2"),
                width="100%",
                wrap="wrap",
            ),
            rx.text(row.title, weight="bold", size="2"),
            rx.text(
                row.buyer,
                " (buyer) · ",
                row.seller,
                " (seller) · opened ",
                row.opened,
                size="1",
                color_scheme="gray",
            ),
            rx.text(row.reason, size="2", max_height="4.5em", overflow="hidden"),
            rx.button(
                "Open",
                size="1",
                variant="soft",
                on_click=P.open_dispute(row.code),
                data_testid="open-dispute",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="dispute-row",
    )


def delivery_item(d: DeliveryView) -> rx.Component:
    return rx.vstack(
        rx.text("Delivery ", d.number, " · ", d.at, size="1", color_scheme="gray"),
        rx.text(d.message, size="2", white_space="pre-wrap"),
        rx.foreach(d.files, lambda f: rx.link(f.name, href=f.url, size="2")),
        spacing="1",
        width="100%",
    )


def dispute_detail() -> rx.Component:
    return rx.cond(
        P.code != "",
        rx.vstack(
            rx.hstack(
                rx.heading("Dispute on ", P.detail.code, size="5"),
                rx.spacer(),
                rx.link("Order page", href="/orders/" + P.detail.code, size="2"),
                rx.button(
                    rx.icon("x", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    on_click=P.close_dispute,
                    aria_label="Close",
                ),
                width="100%",
                align="center",
            ),
            rx.callout(
                P.detail.reason, icon="message-square-warning", color_scheme="amber", width="100%"
            ),
            rx.grid(
                rx.vstack(
                    timeline(P.order.events),
                    panel(
                        "Deliveries",
                        rx.cond(
                            P.order.deliveries.length() > 0,
                            rx.vstack(
                                rx.foreach(P.order.deliveries, delivery_item),
                                spacing="3",
                                width="100%",
                            ),
                            rx.text("Nothing delivered.", size="2", color_scheme="gray"),
                        ),
                        icon="package",
                    ),
                    panel(
                        "Messages",
                        rx.cond(
                            P.messages.length() > 0,
                            text_lines(P.messages),
                            rx.text("No messages between them.", size="2", color_scheme="gray"),
                        ),
                        icon="messages-square",
                    ),
                    spacing="4",
                    width="100%",
                    min_width="0",
                ),
                rx.vstack(
                    money_panel(P.order.money, P.order.ledger),
                    rx.cond(
                        P.detail.status == "open",
                        panel(
                            "Resolve",
                            rx.text(
                                "Subtotal ",
                                P.detail.subtotal,
                                " · paid ",
                                P.detail.total,
                                size="2",
                                color_scheme="gray",
                            ),
                            rx.flex(
                                rx.button(
                                    "Pay the seller",
                                    color_scheme="green",
                                    on_click=P.open_resolve("release"),
                                ),
                                rx.button(
                                    "Refund the buyer",
                                    color_scheme="red",
                                    on_click=P.open_resolve("refund"),
                                ),
                                rx.button(
                                    "Split", variant="soft", on_click=P.open_resolve("split")
                                ),
                                spacing="2",
                                wrap="wrap",
                            ),
                            icon="scale",
                            test_id="resolve-panel",
                        ),
                    ),
                    spacing="4",
                    width="100%",
                    min_width="0",
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            spacing="4",
            width="100%",
            data_testid="dispute-detail",
        ),
    )


def resolve_dialog() -> rx.Component:
    return reason_dialog(
        open_=P.resolution != "",
        title=rx.match(
            P.resolution,
            ("release", "Pay the seller"),
            ("refund", "Refund the buyer in full"),
            "Split the money",
        ),
        description=rx.match(
            P.resolution,
            ("release", "The order completes and the seller is paid; both parties are told."),
            ("refund", "The order is cancelled and the buyer refunded; both parties are told."),
            "Refund part of the subtotal to the buyer; the seller is paid the rest (minus "
            "commission). Both parties are told.",
        ),
        reason=P.note,
        on_reason=P.set_note,
        error=P.dialog_error,
        on_close=P.close_resolve,
        on_confirm=P.confirm_resolve,
        confirm_label=rx.cond(P.working, "Working…", "Resolve"),
        danger=P.resolution == "refund",
        placeholder="A note for both parties (optional).",
        extra=rx.cond(
            P.resolution == "split",
            rx.vstack(
                rx.text("Refund to the buyer (dollars)", size="2", weight="medium"),
                rx.input(
                    value=P.amount,
                    on_change=P.set_amount,
                    placeholder="e.g. 10.00",
                    aria_label="Refund to the buyer",
                    data_testid="split-amount",
                ),
                spacing="1",
                width="100%",
            ),
        ),
    )


@page("/admin/disputes", "Disputes · Admin · Gigworks", on_load=AdminDisputesState.load)
def admin_disputes_page() -> rx.Component:
    return admin_page(
        "disputes",
        TITLE,
        SUBTITLE,
        P,
        rx.cond(
            P.code != "",
            dispute_detail(),
            rx.vstack(
                rx.flex(
                    filter_select(
                        [("open", "Open"), ("resolved", "Resolved")],
                        P.status,
                        P.change_status,
                        "Status",
                    ),
                    count_line(P),
                    spacing="3",
                    align="center",
                ),
                rx.cond(
                    P.rows.length() > 0,
                    rx.vstack(rx.foreach(P.rows, dispute_card), spacing="3", width="100%"),
                    empty("scale", "No disputes", "Nothing to resolve.", "empty-disputes"),
                ),
                pagination(P),
                rx.cond(
                    P.flags.length() > 0,
                    panel(
                        "Orders flagged for an admin",
                        rx.foreach(
                            P.flags,
                            lambda f: rx.hstack(
                                rx.vstack(
                                    rx.link(f.label, href=f.link, size="2"),
                                    rx.text(f.text, size="1", color_scheme="gray"),
                                    spacing="0",
                                ),
                                rx.spacer(),
                                rx.button(
                                    "Clear",
                                    size="1",
                                    variant="soft",
                                    on_click=P.clear_flag(f.label),
                                ),
                                width="100%",
                            ),
                        ),
                        icon="flag-triangle-right",
                        test_id="flagged-orders",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        resolve_dialog(),
    )


# -- reviews --------------------------------------------------------------------------------

V = AdminReviewsState


def review_card(row: AdminReviewView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row.rating, "★", weight="bold"),
                rx.cond(row.hidden, rx.badge("hidden", color_scheme="red", variant="soft")),
                rx.spacer(),
                rx.text(row.at, size="1", color_scheme="gray"),
                width="100%",
            ),
            rx.text(row.body, size="2", white_space="pre-wrap"),
            rx.text(
                row.buyer, " on “", row.gig, "” by ", row.seller, size="1", color_scheme="gray"
            ),
            rx.button(
                rx.cond(row.hidden, "Restore", "Hide"),
                size="1",
                variant="soft",
                color_scheme=rx.cond(row.hidden, "green", "red"),
                on_click=V.open_dialog(row.id),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


@page("/admin/reviews", "Reviews · Admin · Gigworks", on_load=AdminReviewsState.load)
def admin_reviews_page() -> rx.Component:
    return admin_page(
        "reviews",
        TITLE,
        SUBTITLE,
        V,
        count_line(V),
        rx.cond(
            V.rows.length() > 0,
            rx.grid(
                rx.foreach(V.rows, review_card),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
            ),
            empty("star", "No reviews", "Nothing matches.", "empty-reviews"),
        ),
        pagination(V),
        reason_dialog(
            open_=V.dialog_review != 0,
            title=rx.cond(V.dialog_hide, "Hide this review?", "Restore this review?"),
            description="It disappears from (or returns to) the gig and profile pages.",
            reason=V.dialog_reason,
            on_reason=V.set_dialog_reason,
            error=V.dialog_error,
            on_close=V.close_dialog,
            on_confirm=V.confirm_dialog,
            confirm_label=rx.cond(V.dialog_hide, "Hide", "Restore"),
            danger=V.dialog_hide,
        ),
        toolbar=rx.flex(
            filter_select(
                [("all", "All"), ("visible", "Visible"), ("hidden", "Hidden")],
                V.shown,
                V.change_shown,
                "Shown",
            ),
            search_form(V.search, "Search review text", V.query),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
    )


# -- audit log ------------------------------------------------------------------------------

A = AdminAuditState
AUDIT_TARGETS = [
    ("all", "Everything"),
    ("gig", "Gigs"),
    ("user", "Users"),
    ("report", "Reports"),
    ("review", "Reviews"),
    ("order", "Orders"),
    ("message", "Messages"),
]


def audit_target(row: AuditView, **props) -> rx.Component:
    """What was acted on, by its name or code; a link where it can be seen."""
    return rx.cond(
        row.target_link != "",
        rx.link(row.target, href=row.target_link, **props),
        rx.text(row.target, as_="span", **props),
    )


def audit_row(row: AuditView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.at, white_space="nowrap"),
        rx.table.cell(row.admin),
        rx.table.cell(rx.text(row.action, weight="medium"), white_space="nowrap"),
        rx.table.cell(audit_target(row, size="2", word_break="break-word")),
        rx.table.cell(rx.text(row.reason, size="2", word_break="break-word")),
        data_testid="audit-row",
    )


def audit_card(row: AuditView) -> rx.Component:
    """The same line on a phone, where five columns don't fit."""
    return rx.vstack(
        rx.text(row.action, size="2", weight="medium"),
        audit_target(row, size="2", word_break="break-word"),
        rx.text(row.reason, size="2", color_scheme="gray", word_break="break-word"),
        rx.text(row.admin, " · ", row.at, size="1", color_scheme="gray"),
        spacing="1",
        width="100%",
        padding_y="10px",
        border_bottom="1px solid var(--gray-a4)",
        data_testid="audit-card",
    )


@page("/admin/audit", "Audit log · Admin · Gigworks", on_load=AdminAuditState.load)
def admin_audit_page() -> rx.Component:
    return admin_page(
        "audit",
        TITLE,
        "Every admin action: who, when, what and why. Nothing here can be edited or deleted.",
        A,
        count_line(A),
        rx.cond(
            A.rows.length() > 0,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("When", "Admin", "Action", "Target", "Why")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(A.rows, audit_row)),
                    width="100%",
                    size="1",
                ),
                width="100%",
                overflow_x="auto",
                display=rx.breakpoints(initial="none", md="block"),
            ),
            empty("scroll-text", "No actions", "Nothing matches these filters.", "empty-audit"),
        ),
        rx.cond(
            A.rows.length() > 0,
            rx.vstack(
                rx.foreach(A.rows, audit_card),
                spacing="0",
                width="100%",
                display=rx.breakpoints(initial="flex", md="none"),
            ),
        ),
        pagination(A),
        toolbar=rx.flex(
            filter_select(
                AUDIT_TARGETS,
                rx.cond(A.target_type == "", "all", A.target_type),
                A.change_target,
                "Target",
            ),
            rx.select.root(
                rx.select.trigger(placeholder="Any action", aria_label="Action", min_width="180px"),
                rx.select.content(
                    rx.foreach(
                        A.action_options,
                        lambda option: rx.select.item(option.words, value=option.code),
                    )
                ),
                value=A.action,
                on_change=A.change_action,
            ),
            rx.cond(
                A.action != "",
                rx.button("Any action", variant="ghost", on_click=A.change_action("all")),
            ),
            search_form(A.search, "Search reasons or admins", A.query),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
    )
