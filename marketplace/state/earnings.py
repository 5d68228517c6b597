"""`/my/earnings`: the seller's money from the ledger (services.order_views.earnings): the
balances, a chart per week, and the ledger lines behind them, one page at a time."""

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.accounts import members as accounts
from marketplace.services.orders import views as order_views
from marketplace.state.base import AppState
from marketplace.state.format import money
from marketplace.state.order_models import LedgerLineView, MoneyRow, ledger_line


def _page(value: object) -> int:
    return max(1, min(int(value), 10_000)) if isinstance(value, str) and value.isdigit() else 1


class EarningsState(AppState):
    loading: bool = True
    is_seller: bool = True
    summary: list[MoneyRow] = []
    pending_payout: str = ""
    has_pending_payout: bool = False
    payouts_enabled: bool = True
    weeks: list[dict[str, str | float]] = []  # recharts wants plain rows
    has_earnings: bool = False
    lines: list[LedgerLineView] = []
    page_number: int = 1
    page_count: int = 1

    @rx.event
    def load(self):
        user = self._require_user()
        self.page_number = _page(self.router.url.query_parameters.get("page", "1"))
        self.loading = True
        yield
        with session_scope() as session:
            self.is_seller = accounts.has_seller_profile(session, user_id=user.id)
            if not self.is_seller:
                self.loading = False
                return
            found = order_views.earnings(session, seller=user, page=self.page_number)
        self.summary = [
            MoneyRow("Earned", money(found.available_cents), "on accepted orders, all time"),
            MoneyRow("In escrow", money(found.in_escrow_cents), "paid by buyers, work open"),
            MoneyRow("Paid out", money(found.paid_out_cents), "sent to your Stripe account"),
            MoneyRow("Refunded", money(found.refunded_cents), "returned to buyers"),
            MoneyRow("Fees", money(found.fees_cents), "platform commission"),
        ]
        self.pending_payout = money(found.pending_payout_cents)
        self.has_pending_payout = found.pending_payout_cents > 0
        self.payouts_enabled = found.payouts_enabled
        self.weeks = [
            {"week": day.strftime("%b %d"), "amount": cents / 100, "label": money(cents)}
            for day, cents in found.weekly
        ]
        self.has_earnings = any(cents for _, cents in found.weekly)
        self.lines = [ledger_line(line, signed=True) for line in found.lines]
        self.page_number, self.page_count = found.page, max(1, found.pages)
        self.loading = False

    @rx.event
    def go_to_page(self, page: int):
        self._require_user()
        if isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= self.page_count:
            return rx.redirect(f"/my/earnings?page={page}")
