"""`/admin/*`: the moderation page's states, one per tab. Thin: every rule, permission check and
write is in services/moderation/ (one module per thing moderated, and dashboard.py); these hold
one page of rows.

The role is checked on load and again in every handler (`_admin()`): a visitor is sent to sign
in (`_require_user` raises), a signed-in non-admin is refused with `refuse()` (the not-found
page) before anything is read or written; the services check the role once more.
"""

import asyncio
import dataclasses
from datetime import datetime

import reflex as rx

from marketplace.db import session_scope
from marketplace.labels import GIG_STATUS_LABELS
from marketplace.models import User
from marketplace.services.common.errors import DomainError
from marketplace.services.gigs import rules as gig_rules
from marketplace.services.moderation import audit_log, disputes, reports, reviews
from marketplace.services.moderation import dashboard as admin_dashboard
from marketplace.services.moderation import gigs as gig_moderation
from marketplace.services.moderation import users as user_moderation
from marketplace.services.moderation.common import Paged
from marketplace.services.orders.process import STATE_LABELS
from marketplace.state.base import AppState
from marketplace.state.event_args import bounded_text
from marketplace.state.format import media_url, money, plural
from marketplace.state.order_models import OrderView

DENIED_PATH = "/404"  # a non-admin sees the marketplace's not-found page
REASON_LIMIT = 2000
QUERY_LIMIT = 200
REPORT_ACTION_LABELS = {
    "hide": "Hide it",
    "suspend": "Suspend",
    "warn": "Warn the author",
    "dismiss": "Dismiss",
}


def refuse():
    return rx.redirect(DENIED_PATH)


def when(value: datetime | None) -> str:
    return value.strftime("%b %-d, %Y %H:%M UTC") if value else "—"


def day(value: datetime | None) -> str:
    return value.strftime("%b %-d, %Y") if value else "—"


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# -- display rows ---------------------------------------------------------------------------


@dataclasses.dataclass
class ChangeView:
    label: str = ""
    before: str = ""
    after: str = ""


@dataclasses.dataclass
class AdminGigView:
    id: int = 0
    title: str = ""
    seller: str = ""
    seller_id: int = 0
    status: str = ""
    status_label: str = ""
    reason: str = ""
    price_from: str = ""
    cover_url: str = ""
    description: str = ""
    tags: str = ""
    updated: str = ""
    page_url: str = ""
    changes: list[ChangeView] = dataclasses.field(default_factory=list)
    can_suspend: bool = False  # the service's answer (moderation/gigs.can_suspend)


@dataclasses.dataclass
class AdminUserView:
    id: int = 0
    name: str = ""
    username: str = ""
    email: str = ""
    status: str = ""
    role: str = ""
    joined: str = ""


@dataclasses.dataclass
class TextLine:
    label: str = ""
    text: str = ""
    link: str = ""


@dataclasses.dataclass
class AdminReportView:
    id: int = 0
    target_type: str = ""
    target: str = ""
    target_link: str = ""
    reason: str = ""
    details: str = ""
    status: str = ""
    outcome: str = ""
    reporter: str = ""
    at: str = ""


@dataclasses.dataclass
class AdminDisputeView:
    code: str = ""
    title: str = ""
    buyer: str = ""
    seller: str = ""
    reason: str = ""
    opened: str = ""
    status: str = ""
    resolution: str = ""
    total: str = ""
    subtotal: str = ""


@dataclasses.dataclass
class AdminReviewView:
    id: int = 0
    gig: str = ""
    buyer: str = ""
    seller: str = ""
    rating: int = 0
    body: str = ""
    hidden: bool = False
    at: str = ""


@dataclasses.dataclass
class AuditView:
    id: int = 0
    at: str = ""
    admin: str = ""
    action: str = ""  # in words: "Approved gig"
    target: str = ""  # "Order GW-…", "Gig “…”", "Member … (@…)"
    reason: str = ""
    target_link: str = ""


@dataclasses.dataclass
class ActionOption:
    code: str = ""  # the stored action ("approve_gig"), the filter's value
    words: str = ""  # what the menu shows ("Approved gig")


@dataclasses.dataclass
class StatView:
    label: str = ""
    value: str = ""
    series: str = ""  # the key of the chart's points
    color: str = "indigo"  # a Radix colour: the card's chart line
    hint: str = ""
    series_label: str = ""  # the chart's tooltip names the series with it ("GMV")


# -- the base -------------------------------------------------------------------------------


class AdminState(AppState):
    """Shared by the tabs: the admin check and the paging numbers."""

    denied: bool = False
    loading: bool = True
    page_number: int = 1
    page_count: int = 1
    total: int = 0
    total_text: str = ""  # "1 gig", "9 gigs"
    error: str = ""

    def _admin(self) -> User | None:
        """The signed-in admin, or None for a signed-in non-admin (visitors are sent to sign
        in by `_require_user`)."""
        user = self._require_user()
        return user if user.is_admin else None

    def _deny(self):
        self.denied = True
        self.loading = False
        return refuse()

    def _paged(self, found: Paged, noun: str) -> list:
        """Keep the page's place and count ("9 gigs": `noun` is the singular)."""
        self.page_number, self.page_count, self.total = found.page, found.pages, found.total
        self.total_text = plural(found.total, noun)
        return found.rows


# -- dashboard ------------------------------------------------------------------------------


class AdminDashboardState(AdminState):
    stats: list[StatView] = []
    points: list[dict[str, str | float]] = []  # one row per week, one key per series
    status_rows: list[dict[str, str | int]] = []

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.loading = True
        yield
        with session_scope() as session:
            d = admin_dashboard.dashboard(session, admin=admin)
        self.stats = [
            StatView("Users", f"{d.users:,}", "users", "indigo", "new per week", "New users"),
            StatView(
                "Active gigs",
                f"{d.active_gigs:,}",
                "gigs",
                "green",
                "published per week",
                "Gigs published",
            ),
            StatView(
                "Orders",
                f"{sum(d.orders_by_status.values()):,}",
                "orders",
                "blue",
                "placed per week",
                "Orders placed",
            ),
            StatView(
                "GMV this week",
                money(d.gmv_week_cents),
                "gmv",
                "violet",
                f"{money(d.gmv_month_cents)} in the last 30 days",
                "GMV",
            ),
            StatView(
                "Fees this week",
                money(d.fees_week_cents),
                "fees",
                "teal",
                f"{money(d.fees_month_cents)} in the last 30 days",
                "Fees",
            ),
            StatView(
                "Held in escrow",
                money(d.escrow_cents),
                "escrow",
                "amber",
                "at week's end",
                "Held in escrow",
            ),
            StatView(
                "Open reports",
                f"{d.open_reports:,}",
                "reports",
                "red",
                "filed per week",
                "Reports filed",
            ),
            StatView(
                "Open disputes",
                f"{d.open_disputes:,}",
                "disputes",
                "orange",
                "opened per week",
                "Disputes opened",
            ),
        ]
        money_series = {"gmv", "fees", "escrow"}
        self.points = [
            {
                "week": week.strftime("%b %-d"),
                **{
                    name: (values[i] / 100 if name in money_series else float(values[i]))
                    for name, values in d.series.items()
                },
            }
            for i, week in enumerate(d.weeks)
        ]
        self.status_rows = [
            {"status": STATE_LABELS.get(k, k), "count": v}
            for k, v in sorted(d.orders_by_status.items())
        ]
        self.denied, self.loading = False, False


# -- gig review -----------------------------------------------------------------------------


class AdminGigsState(AdminState):
    queue: str = "pending"
    query: str = ""
    rows: list[AdminGigView] = []
    selected: list[int] = []
    dialog_action: str = ""  # reject | suspend | reinstate
    dialog_gig: int = 0
    dialog_title: str = ""
    dialog_reason: str = ""
    dialog_error: str = ""

    def _reload(self, admin: User) -> None:
        with session_scope() as session:
            found = gig_moderation.gig_queue(
                session, admin=admin, queue=self.queue, query=self.query, page=self.page_number
            )
        self.rows = [
            AdminGigView(
                id=r.id,
                title=r.title,
                seller=r.seller_name,
                seller_id=r.seller_id,
                status=r.status,
                status_label=GIG_STATUS_LABELS.get(r.status, r.status),
                reason=r.status_reason,
                price_from=money(r.price_from_cents) if r.price_from_cents else "—",
                cover_url=media_url(r.cover),
                description=r.description,
                tags=", ".join(r.tags),
                updated=when(r.updated_at),
                page_url=f"/gig/{r.slug}",
                changes=[ChangeView(c["label"], c["before"], c["after"]) for c in r.changes],
                can_suspend=r.can_suspend,
            )
            for r in self._paged(found, "gig")
        ]
        visible = {r.id for r in self.rows}
        self.selected = [i for i in self.selected if i in visible]

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        queue = self.router.url.query_parameters.get("queue", "pending")
        self.queue = queue if queue in gig_moderation.GIG_QUEUES else "pending"
        self.page_number, self.selected, self.loading = 1, [], True
        yield
        self._reload(admin)
        self.denied, self.loading = False, False

    @rx.event
    def change_queue(self, queue: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        if isinstance(queue, str) and queue in gig_moderation.GIG_QUEUES:
            self.queue, self.page_number, self.selected = queue, 1, []
            self._reload(admin)

    @rx.event
    def search(self, form: dict):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.query = bounded_text(form.get("q") if isinstance(form, dict) else "", QUERY_LIMIT)
        self.page_number = 1
        self._reload(admin)

    @rx.event
    def go_to_page(self, page: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number = max(1, _int(page))
        self._reload(admin)

    @rx.event
    def toggle(self, gig_id: int):
        if self._admin() is None:
            return self._deny()
        gig_id = _int(gig_id)
        if gig_id in self.selected:
            self.selected = [i for i in self.selected if i != gig_id]
        elif any(r.id == gig_id for r in self.rows):
            self.selected = [*self.selected, gig_id]

    def _run(self, admin: User, action, **kwargs) -> str:
        """Run one moderation service; its refusal message, or "" when done."""
        try:
            with session_scope() as session:
                action(session, admin=admin, **kwargs)
        except DomainError as exc:
            return str(exc)
        self._reload(admin)
        return ""

    @rx.event
    def approve(self, gig_id: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        problem = self._run(admin, gig_moderation.approve_gig, gig_id=_int(gig_id))
        return (
            rx.toast.error(problem) if problem else rx.toast.success("Approved: the gig is live.")
        )

    @rx.event
    def approve_selected(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        count = len(self.selected)
        problem = self._run(admin, gig_moderation.approve_gigs, gig_ids=list(self.selected))
        if problem:
            return rx.toast.error(problem)
        self.selected = []
        return rx.toast.success(f"Approved {plural(count, 'gig')}.")

    @rx.event
    def accept_edit(self, gig_id: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        problem = self._run(admin, gig_moderation.accept_gig_edit, gig_id=_int(gig_id))
        return rx.toast.error(problem) if problem else rx.toast.success("Edits accepted.")

    @rx.event
    def open_dialog(self, action: str, gig_id: int):
        if self._admin() is None:
            return self._deny()
        row = next((r for r in self.rows if r.id == _int(gig_id)), None)
        if row is None or action not in ("reject", "suspend", "reinstate"):
            return
        self.dialog_action, self.dialog_gig, self.dialog_title = action, row.id, row.title
        self.dialog_reason, self.dialog_error = "", ""

    @rx.event
    def set_dialog_reason(self, value: str):
        if self._admin() is None:
            return self._deny()
        self.dialog_reason = bounded_text(value, REASON_LIMIT)

    @rx.event
    def close_dialog(self, _open: bool = False):
        if self._admin() is None:
            return self._deny()
        self.dialog_action, self.dialog_gig, self.dialog_error = "", 0, ""

    @rx.event
    def confirm_dialog(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        action = {
            "reject": gig_moderation.reject_gig,
            "suspend": gig_moderation.suspend_gig,
            "reinstate": gig_moderation.reinstate_gig,
        }.get(self.dialog_action)
        if action is None:
            return
        problem = self._run(admin, action, gig_id=self.dialog_gig, reason=self.dialog_reason)
        if problem:
            self.dialog_error = problem
            return
        done = {"reject": "Rejected", "suspend": "Suspended", "reinstate": "Reinstated"}
        message = f"{done[self.dialog_action]}: the seller was told."
        self.dialog_action, self.dialog_gig = "", 0
        return rx.toast.success(message)


# -- users ----------------------------------------------------------------------------------


class AdminUsersState(AdminState):
    query: str = ""
    status: str = ""
    rows: list[AdminUserView] = []
    user_id: int = 0
    detail: AdminUserView = AdminUserView()
    detail_lines: list[TextLine] = []
    detail_gigs: list[TextLine] = []
    detail_orders: list[TextLine] = []
    detail_reports: list[TextLine] = []
    detail_actions: list[TextLine] = []
    dialog_action: str = ""  # warn | suspend | ban | reinstate
    dialog_reason: str = ""
    dialog_error: str = ""

    def _reload(self, admin: User) -> None:
        with session_scope() as session:
            found = user_moderation.search_users(
                session, admin=admin, query=self.query, status=self.status, page=self.page_number
            )
            self.rows = [self._row(r) for r in self._paged(found, "account")]
            if self.user_id:
                self._load_detail(session, admin)

    @staticmethod
    def _row(r: user_moderation.UserRow) -> AdminUserView:
        role = "Admin" if r.is_admin else "Seller" if r.is_seller else "Buyer"
        return AdminUserView(
            r.id, r.display_name, r.username, r.email, r.status, role, day(r.created_at)
        )

    def _load_detail(self, session, admin: User) -> None:
        d = user_moderation.user_detail(session, admin=admin, user_id=self.user_id)
        self.detail = self._row(d.user)
        self.detail_lines = [
            TextLine("Email", d.user.email),
            TextLine("Status", d.user.status),
            TextLine("Joined", day(d.user.created_at)),
            TextLine("Last sign-in", when(d.last_login_at)),
            TextLine("Headline", d.headline or "—"),
            TextLine("Country · level", f"{d.country or '—'} · {d.level or '—'}"),
            TextLine("Open orders", str(d.open_orders)),
        ]
        self.detail_gigs = [
            TextLine(
                GIG_STATUS_LABELS.get(g["status"], g["status"]), g["title"], f"/gig/{g['slug']}"
            )
            for g in d.gigs
        ]
        self.detail_orders = [
            TextLine(
                f"{o['code']} · {o['role']} · {o['status']}"
                + (" · flagged" if o["flagged"] else ""),
                f"{o['title']} ({money(o['total_cents'])})",
                f"/orders/{o['code']}",
            )
            for o in d.orders
        ]
        self.detail_reports = [
            TextLine(f"{day(r['created_at'])} · {r['status']}", r["reason"])
            for r in d.reports_against
        ]
        self.detail_actions = [
            TextLine(f"{when(a['at'])} · {a['action']} by {a['admin']}", a["reason"] or "—")
            for a in d.actions
        ]

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number, self.user_id, self.loading = 1, 0, True
        yield
        self._reload(admin)
        self.denied, self.loading = False, False

    @rx.event
    def search(self, form: dict):
        admin = self._admin()
        if admin is None:
            return self._deny()
        form = form if isinstance(form, dict) else {}
        self.query = bounded_text(form.get("q"), QUERY_LIMIT)
        self.page_number = 1
        self._reload(admin)

    @rx.event
    def change_status(self, status: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        value = "" if status == "all" else status
        if value in user_moderation.USER_STATUSES:
            self.status, self.page_number = value, 1
            self._reload(admin)

    @rx.event
    def go_to_page(self, page: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number = max(1, _int(page))
        self._reload(admin)

    @rx.event
    def open_user(self, user_id: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.user_id = _int(user_id)
        try:
            with session_scope() as session:
                self._load_detail(session, admin)
        except DomainError as exc:
            self.user_id = 0
            return rx.toast.error(str(exc))

    @rx.event
    def close_user(self):
        if self._admin() is None:
            return self._deny()
        self.user_id = 0

    @rx.event
    def open_dialog(self, action: str):
        if self._admin() is None:
            return self._deny()
        if self.user_id and action in ("warn", "suspend", "ban", "reinstate"):
            self.dialog_action, self.dialog_reason, self.dialog_error = action, "", ""

    @rx.event
    def set_dialog_reason(self, value: str):
        if self._admin() is None:
            return self._deny()
        self.dialog_reason = bounded_text(value, REASON_LIMIT)

    @rx.event
    def close_dialog(self, _open: bool = False):
        if self._admin() is None:
            return self._deny()
        self.dialog_action, self.dialog_error = "", ""

    @rx.event
    def confirm_dialog(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        action = {
            "warn": user_moderation.warn_user,
            "suspend": user_moderation.suspend_user,
            "ban": user_moderation.ban_user,
            "reinstate": user_moderation.reinstate_user,
        }.get(self.dialog_action)
        if action is None:
            return
        try:
            with session_scope() as session:
                action(session, admin=admin, user_id=self.user_id, reason=self.dialog_reason)
        except DomainError as exc:
            self.dialog_error = str(exc)
            return
        done = {
            "warn": "Warning sent.",
            "suspend": "Suspended: signed out everywhere, gigs taken down, open orders flagged.",
            "ban": "Banned: signed out everywhere, gigs taken down, open orders flagged.",
            "reinstate": "Reinstated.",
        }[self.dialog_action]
        self.dialog_action = ""
        self._reload(admin)
        return rx.toast.success(done)


# -- reports --------------------------------------------------------------------------------


class AdminReportsState(AdminState):
    status: str = "open"
    target_type: str = ""
    rows: list[AdminReportView] = []
    report_id: int = 0
    detail: AdminReportView = AdminReportView()
    context: list[TextLine] = []
    actions: list[str] = []
    dialog_action: str = ""  # hide | suspend | warn | dismiss
    dialog_reason: str = ""
    dialog_error: str = ""

    @staticmethod
    def _row(r: reports.ReportRow) -> AdminReportView:
        return AdminReportView(
            r.id,
            r.target_type,
            r.target_title,
            r.target_link,
            r.reason,
            r.details,
            r.status,
            r.outcome,
            r.reporter_name,
            when(r.created_at),
        )

    def _reload(self, admin: User) -> None:
        with session_scope() as session:
            found = reports.list_reports(
                session,
                admin=admin,
                status=self.status,
                target_type=self.target_type,
                page=self.page_number,
            )
            self.rows = [self._row(r) for r in self._paged(found, "report")]
            if self.report_id:
                self._load_detail(session, admin)

    def _load_detail(self, session, admin: User) -> None:
        d = reports.report_detail(session, admin=admin, report_id=self.report_id)
        self.detail = self._row(d.report)
        self.context = [TextLine(c["label"], c["text"]) for c in d.context]
        self.actions = [*d.actions, "dismiss"] if d.report.status == "open" else []

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number, self.report_id, self.loading = 1, 0, True
        yield
        self._reload(admin)
        self.denied, self.loading = False, False

    @rx.event
    def change_status(self, status: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        value = "" if status == "all" else status
        if value in reports.REPORT_STATUSES:
            self.status, self.page_number, self.report_id = value, 1, 0
            self._reload(admin)

    @rx.event
    def change_target(self, target_type: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        value = "" if target_type == "all" else target_type
        if value in reports.REPORT_TARGETS:
            self.target_type, self.page_number, self.report_id = value, 1, 0
            self._reload(admin)

    @rx.event
    def go_to_page(self, page: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number = max(1, _int(page))
        self._reload(admin)

    @rx.event
    def open_report(self, report_id: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.report_id = _int(report_id)
        try:
            with session_scope() as session:
                self._load_detail(session, admin)
        except DomainError as exc:
            self.report_id = 0
            return rx.toast.error(str(exc))

    @rx.event
    def close_report(self):
        if self._admin() is None:
            return self._deny()
        self.report_id = 0

    @rx.event
    def open_dialog(self, action: str):
        if self._admin() is None:
            return self._deny()
        if self.report_id and action in self.actions:
            self.dialog_action, self.dialog_reason, self.dialog_error = action, "", ""

    @rx.event
    def set_dialog_reason(self, value: str):
        if self._admin() is None:
            return self._deny()
        self.dialog_reason = bounded_text(value, REASON_LIMIT)

    @rx.event
    def close_dialog(self, _open: bool = False):
        if self._admin() is None:
            return self._deny()
        self.dialog_action, self.dialog_error = "", ""

    @rx.event
    def confirm_dialog(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        if not self.dialog_action:
            return
        try:
            with session_scope() as session:
                if self.dialog_action == "dismiss":
                    reports.dismiss_report(
                        session, admin=admin, report_id=self.report_id, note=self.dialog_reason
                    )
                else:
                    reports.act_on_report(
                        session,
                        admin=admin,
                        report_id=self.report_id,
                        action=self.dialog_action,
                        note=self.dialog_reason,
                    )
        except DomainError as exc:
            self.dialog_error = str(exc)
            return
        self.dialog_action = ""
        self._reload(admin)
        return rx.toast.success("Report closed; the reporter was told the outcome.")


# -- disputes -------------------------------------------------------------------------------


class AdminDisputesState(AdminState):
    status: str = "open"
    rows: list[AdminDisputeView] = []
    flags: list[TextLine] = []
    code: str = ""
    detail: AdminDisputeView = AdminDisputeView()
    order: OrderView = OrderView()
    messages: list[TextLine] = []
    resolution: str = ""  # the resolve dialog: release | refund | split
    amount: str = ""
    note: str = ""
    dialog_error: str = ""
    working: bool = False

    @staticmethod
    def _row(r: disputes.DisputeRow) -> AdminDisputeView:
        return AdminDisputeView(
            r.order_code,
            r.title,
            r.buyer_name,
            r.seller_name,
            r.reason,
            when(r.opened_at),
            r.status,
            r.resolution,
            money(r.total_cents),
            money(r.subtotal_cents),
        )

    def _reload(self, admin: User) -> None:
        with session_scope() as session:
            found = disputes.list_disputes(
                session, admin=admin, status=self.status, page=self.page_number
            )
            self.rows = [self._row(r) for r in self._paged(found, "dispute")]
            flagged = disputes.flagged_orders(session, admin=admin)
            self.flags = [
                TextLine(
                    f["code"],
                    f"{f['status']} · {f['title']} — {f['reason']}",
                    f"/orders/{f['code']}",
                )
                for f in flagged.rows
            ]
            if self.code:
                self._load_detail(session, admin)

    def _load_detail(self, session, admin: User) -> None:
        d = disputes.dispute_detail(session, admin=admin, order_code=self.code)
        self.detail = self._row(d.dispute)
        self.order = OrderView.from_page(d.order)
        self.messages = [
            TextLine(f"{m['sender']} · {when(m['at'])}", m["body"]) for m in d.messages
        ]

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number, self.loading = 1, True
        self.code = bounded_text(self.router.url.query_parameters.get("order", ""), 20)
        yield
        try:
            self._reload(admin)
        except DomainError:
            self.code = ""
            self._reload(admin)
        self.denied, self.loading = False, False

    @rx.event
    def change_status(self, status: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        if status in disputes.DISPUTE_STATUSES:
            self.status, self.page_number, self.code = status, 1, ""
            self._reload(admin)

    @rx.event
    def go_to_page(self, page: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number = max(1, _int(page))
        self._reload(admin)

    @rx.event
    def open_dispute(self, code: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.code = bounded_text(code, 20)
        try:
            with session_scope() as session:
                self._load_detail(session, admin)
        except DomainError as exc:
            self.code = ""
            return rx.toast.error(str(exc))

    @rx.event
    def close_dispute(self):
        if self._admin() is None:
            return self._deny()
        self.code = ""

    @rx.event
    def open_resolve(self, resolution: str):
        if self._admin() is None:
            return self._deny()
        if self.code and resolution in disputes.RESOLUTIONS and self.detail.status == "open":
            self.resolution, self.amount, self.note, self.dialog_error = resolution, "", "", ""

    @rx.event
    def set_amount(self, value: str):
        if self._admin() is None:
            return self._deny()
        self.amount = bounded_text(value, 32)

    @rx.event
    def set_note(self, value: str):
        if self._admin() is None:
            return self._deny()
        self.note = bounded_text(value, REASON_LIMIT)

    @rx.event
    def close_resolve(self, _open: bool = False):
        if self._admin() is None:
            return self._deny()
        self.resolution, self.dialog_error = "", ""

    @rx.event(background=True)
    async def confirm_resolve(self):
        """In the background: the executor calls Stripe, which must not hold the state lock."""
        async with self:
            admin = self._admin()
            if admin is None:
                return self._deny()
            if not self.resolution or self.working:
                return
            resolution, code, note = self.resolution, self.code, self.note
            refund_cents = None
            if resolution == "split":
                refund_cents, problem = gig_rules.parse_dollars(self.amount)
                if refund_cents is None:
                    self.dialog_error = problem.replace("a price", "the amount to refund")
                    return
            self.working, self.dialog_error = True, ""
        try:
            await asyncio.to_thread(
                disputes.resolve_dispute,
                admin=admin,
                order_code=code,
                resolution=resolution,
                refund_cents=refund_cents,
                note=note,
            )
            problem = ""
        except DomainError as exc:
            problem = str(exc)
        async with self:
            self.working = False
            if problem:
                self.dialog_error = problem
                return
            self.resolution = ""
            self._reload(admin)
            return rx.toast.success("Dispute resolved: both parties were notified.")

    @rx.event
    def clear_flag(self, code: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        with session_scope() as session:
            found = disputes.flagged_orders(session, admin=admin)
            flag = next((f for f in found.rows if f["code"] == code), None)
            if flag is None:
                return
            disputes.clear_order_flag(session, admin=admin, flag_id=flag["id"])
        self._reload(admin)


# -- reviews --------------------------------------------------------------------------------


class AdminReviewsState(AdminState):
    shown: str = "all"
    query: str = ""
    rows: list[AdminReviewView] = []
    dialog_review: int = 0
    dialog_hide: bool = True
    dialog_reason: str = ""
    dialog_error: str = ""

    def _reload(self, admin: User) -> None:
        with session_scope() as session:
            found = reviews.list_reviews(
                session, admin=admin, shown=self.shown, query=self.query, page=self.page_number
            )
        self.rows = [
            AdminReviewView(
                r.id,
                r.gig_title,
                r.buyer_name,
                r.seller_name,
                r.rating,
                r.body,
                r.hidden,
                day(r.created_at),
            )
            for r in self._paged(found, "review")
        ]

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number, self.loading = 1, True
        yield
        self._reload(admin)
        self.denied, self.loading = False, False

    @rx.event
    def change_shown(self, shown: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        if shown in reviews.REVIEW_FILTERS:
            self.shown, self.page_number = shown, 1
            self._reload(admin)

    @rx.event
    def search(self, form: dict):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.query = bounded_text(form.get("q") if isinstance(form, dict) else "", QUERY_LIMIT)
        self.page_number = 1
        self._reload(admin)

    @rx.event
    def go_to_page(self, page: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number = max(1, _int(page))
        self._reload(admin)

    @rx.event
    def open_dialog(self, review_id: int):
        if self._admin() is None:
            return self._deny()
        row = next((r for r in self.rows if r.id == _int(review_id)), None)
        if row is not None:
            self.dialog_review, self.dialog_hide = row.id, not row.hidden
            self.dialog_reason, self.dialog_error = "", ""

    @rx.event
    def set_dialog_reason(self, value: str):
        if self._admin() is None:
            return self._deny()
        self.dialog_reason = bounded_text(value, REASON_LIMIT)

    @rx.event
    def close_dialog(self, _open: bool = False):
        if self._admin() is None:
            return self._deny()
        self.dialog_review, self.dialog_error = 0, ""

    @rx.event
    def confirm_dialog(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        try:
            with session_scope() as session:
                reviews.set_review_hidden(
                    session,
                    admin=admin,
                    review_id=self.dialog_review,
                    hidden=self.dialog_hide,
                    reason=self.dialog_reason,
                )
        except DomainError as exc:
            self.dialog_error = str(exc)
            return
        self.dialog_review = 0
        self._reload(admin)
        return rx.toast.success("Review hidden." if self.dialog_hide else "Review restored.")


# -- the audit log --------------------------------------------------------------------------


class AdminAuditState(AdminState):
    action: str = ""
    target_type: str = ""
    query: str = ""
    action_options: list[ActionOption] = []
    rows: list[AuditView] = []

    def _reload(self, admin: User) -> None:
        with session_scope() as session:
            found = audit_log.audit_log(
                session,
                admin=admin,
                action=self.action,
                target_type=self.target_type,
                query=self.query,
                page=self.page_number,
            )
            self.action_options = [
                ActionOption(code, words)
                for code, words in audit_log.audit_actions(session, admin=admin)
            ]
        self.rows = [
            AuditView(
                r.id,
                when(r.at),
                r.admin_name,
                r.action_label,
                r.target_label,
                r.reason or "—",
                r.target_link,
            )
            for r in self._paged(found, "action")
        ]

    @rx.event
    def load(self):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number, self.loading = 1, True
        yield
        self._reload(admin)
        self.denied, self.loading = False, False

    @rx.event
    def change_action(self, action: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.action = "" if action == "all" else bounded_text(action, 40)
        self.page_number = 1
        self._reload(admin)

    @rx.event
    def change_target(self, target_type: str):
        admin = self._admin()
        if admin is None:
            return self._deny()
        value = "" if target_type == "all" else target_type
        if value in audit_log.AUDIT_TARGETS:
            self.target_type, self.page_number = value, 1
            self._reload(admin)

    @rx.event
    def search(self, form: dict):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.query = bounded_text(form.get("q") if isinstance(form, dict) else "", QUERY_LIMIT)
        self.page_number = 1
        self._reload(admin)

    @rx.event
    def go_to_page(self, page: int):
        admin = self._admin()
        if admin is None:
            return self._deny()
        self.page_number = max(1, _int(page))
        self._reload(admin)
