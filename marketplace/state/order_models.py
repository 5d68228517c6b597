"""Display shapes of the order read models (services.checkout / services.order_views), used as
Reflex state vars. Money and times become text here and nowhere else; the state keeps only
what one page shows."""

import dataclasses
from datetime import UTC, datetime

from marketplace.labels import TIER_LABELS, package_name_shown, revisions_count, revisions_used
from marketplace.state.format import media_url, money, plural

STATUS_COLORS = {
    "pending_payment": "gray",
    "awaiting_requirements": "amber",
    "in_progress": "blue",
    "delivered": "iris",
    "revision_requested": "orange",
    "completed": "grass",
    "cancelled": "gray",
    "disputed": "red",
}

# The ledger's words are services/orders/views.py's LEDGER_LABELS (each line carries its label).
LEDGER_COLORS = {
    "hold": "gray",
    "void": "gray",
    "capture": "blue",
    "release": "grass",
    "commission": "amber",
    "refund": "orange",
    "reversal": "red",
}


def _when(at: datetime | None) -> str:
    return at.strftime("%b %d, %Y %H:%M UTC") if at else ""


def _day(at: datetime | None) -> str:
    return at.strftime("%b %d, %Y") if at else ""


def _iso(at: datetime | None) -> str:
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.isoformat()


def _days_note(extra_days: int) -> str:
    if extra_days < 0:
        return f"{plural(-extra_days, 'day')} faster"
    return f"+{plural(extra_days, 'day')}" if extra_days > 0 else ""


def cover_hue(seed: int) -> int:
    return (int(seed) * 47) % 360


# --- checkout ------------------------------------------------------------------------------------


@dataclasses.dataclass
class QuoteExtraView:
    id: int = 0
    title: str = ""
    description: str = ""
    price: str = ""
    days_note: str = ""
    chosen: bool = False


@dataclasses.dataclass
class CheckoutView:
    gig_slug: str = ""
    gig_title: str = ""
    gig_url: str = ""
    cover_url: str = ""
    hue: int = 0
    seller_name: str = ""
    seller_username: str = ""
    tier: str = ""
    tier_label: str = ""
    package_name: str = ""
    package_description: str = ""
    features: list[str] = dataclasses.field(default_factory=list)
    extras: list[QuoteExtraView] = dataclasses.field(default_factory=list)
    quantity: int = 1
    subtotal: str = ""
    service_fee: str = ""
    total: str = ""
    delivery: str = ""
    revisions: str = ""
    requirements_count: int = 0
    questions: str = ""  # "1 question", "3 questions"

    @classmethod
    def from_quote(cls, q) -> "CheckoutView":
        p = q.price
        cur = q.currency
        return cls(
            gig_slug=q.gig_slug,
            gig_title=q.gig_title,
            gig_url=f"/gig/{q.gig_slug}",
            cover_url=media_url(q.cover_path),
            hue=cover_hue(q.gig_id),
            seller_name=q.seller_name,
            seller_username=q.seller_username,
            tier=q.tier,
            tier_label=TIER_LABELS.get(q.tier, q.tier.title()),
            package_name=package_name_shown(q.tier, q.package_name),
            package_description=q.package_description,
            features=list(q.package_features),
            extras=[
                QuoteExtraView(
                    id=e.id,
                    title=e.title,
                    description=e.description,
                    price=f"+{money(e.price_cents, cur)}",
                    days_note=_days_note(e.extra_days),
                    chosen=e.chosen,
                )
                for e in q.extras
            ],
            quantity=q.quantity,
            subtotal=money(p.subtotal_cents, cur),
            service_fee=money(p.service_fee_cents, cur),
            total=money(p.total_cents, cur),
            delivery=plural(p.delivery_days, "day") + " delivery",
            revisions=revisions_count(p.revisions),
            requirements_count=q.requirements_count,
            questions=plural(q.requirements_count, "question"),
        )


# --- one order -----------------------------------------------------------------------------------


@dataclasses.dataclass
class ActionButton:
    name: str = ""
    label: str = ""
    input: str = ""  # "" | requirements | delivery | message | reason | amount
    confirm: str = ""
    style: str = "secondary"


@dataclasses.dataclass
class RequirementField:
    id: int = 0
    key: str = ""  # str(id), the key of the answer maps
    question: str = ""
    kind: str = "text"
    choices: list[str] = dataclasses.field(default_factory=list)
    required: bool = False


@dataclasses.dataclass
class AnswerView:
    question: str = ""
    answer: str = ""
    file_name: str = ""
    file_url: str = ""


@dataclasses.dataclass
class EventView:
    at: str = ""
    actor: str = ""
    role: str = ""
    label: str = ""
    message: str = ""
    transition: str = ""


@dataclasses.dataclass
class FileView:
    name: str = ""
    url: str = ""
    size: str = ""


@dataclasses.dataclass
class DeliveryView:
    number: int = 0
    at: str = ""
    message: str = ""
    files: list[FileView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class LedgerLineView:
    at: str = ""
    kind: str = ""
    what: str = ""
    color: str = "gray"
    amount: str = ""
    amount_color: str = "inherit"  # signed lines: green in, red out
    stripe_id: str = ""
    note: str = ""
    order_code: str = ""


@dataclasses.dataclass
class MoneyRow:
    label: str = ""
    amount: str = ""
    hint: str = ""


@dataclasses.dataclass
class OrderView:
    code: str = ""
    title: str = ""
    gig_url: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    viewer_role: str = ""
    buyer_name: str = ""
    buyer_username: str = ""
    seller_name: str = ""
    seller_username: str = ""
    other_label: str = ""  # "Seller" / "Buyer"
    other_name: str = ""
    other_url: str = ""
    package_name: str = ""
    package_tier: str = ""
    package_description: str = ""
    package_features: list[str] = dataclasses.field(default_factory=list)
    extras: list[MoneyRow] = dataclasses.field(default_factory=list)
    quantity: int = 1
    subtotal: str = ""
    service_fee: str = ""
    total: str = ""
    commission: str = ""
    seller_earnings: str = ""
    ordered_at: str = ""
    due_at: str = ""
    due_iso: str = ""
    auto_complete_at: str = ""
    completed_at: str = ""
    late: bool = False
    revisions: str = ""
    requirements: list[RequirementField] = dataclasses.field(default_factory=list)
    answers: list[AnswerView] = dataclasses.field(default_factory=list)
    events: list[EventView] = dataclasses.field(default_factory=list)
    deliveries: list[DeliveryView] = dataclasses.field(default_factory=list)
    ledger: list[LedgerLineView] = dataclasses.field(default_factory=list)
    money: list[MoneyRow] = dataclasses.field(default_factory=list)
    cancellation_note: str = ""
    dispute_open: bool = False
    payout_pending: bool = False
    processing: bool = False
    actions: list[ActionButton] = dataclasses.field(default_factory=list)

    @classmethod
    def from_page(cls, o) -> "OrderView":
        cur = o.currency
        m = o.money
        is_buyer = o.viewer_role == "buyer"
        other_name, other_user = (
            (o.seller_name, o.seller_username) if is_buyer else (o.buyer_name, o.buyer_username)
        )
        used, allowed = o.revisions_used, o.revisions_allowed
        cancel_by = o.cancellation_requested_by
        return cls(
            code=o.code,
            title=o.title,
            gig_url=f"/gig/{o.gig_slug}" if o.gig_slug else "",
            status=o.status,
            status_label=o.status_label,
            status_color=STATUS_COLORS.get(o.status, "gray"),
            viewer_role=o.viewer_role,
            buyer_name=o.buyer_name,
            buyer_username=o.buyer_username,
            seller_name=o.seller_name,
            seller_username=o.seller_username,
            other_label=(
                "Buyer · Seller" if o.viewer_role == "admin" else "Seller" if is_buyer else "Buyer"
            ),
            other_name=(
                f"{o.buyer_name} · {o.seller_name}" if o.viewer_role == "admin" else other_name
            ),
            other_url=f"/u/{o.seller_username}" if is_buyer else "",  # buyers have no public page
            package_name=package_name_shown(o.package_tier, o.package_name),
            package_tier=TIER_LABELS.get(o.package_tier, o.package_tier.title()),
            package_description=o.package_description,
            package_features=list(o.package_features),
            extras=[
                MoneyRow(
                    str(e.get("title", "")),
                    f"+{money(int(e.get('price_cents', 0)), cur)}",
                    _days_note(int(e.get("extra_days", 0))),
                )
                for e in o.extras
            ],
            quantity=o.quantity,
            subtotal=money(o.subtotal_cents, cur),
            service_fee=money(o.service_fee_cents, cur),
            total=money(o.total_cents, cur),
            commission=money(o.commission_cents, cur),
            seller_earnings=money(o.seller_earnings_cents, cur),
            ordered_at=_day(o.created_at),
            due_at=_when(o.due_at),
            due_iso=_iso(o.due_at) if o.status in ACTIVE_CLOCK_STATES else "",
            auto_complete_at=_when(o.auto_complete_at) if o.status == "delivered" else "",
            completed_at=_when(o.completed_at),
            late=o.late,
            revisions=revisions_used(used, allowed),
            requirements=[
                RequirementField(
                    id=int(r["id"]),
                    key=str(r["id"]),
                    question=str(r.get("question", "")),
                    kind=str(r.get("kind", "text")),
                    choices=[str(c) for c in r.get("choices") or []],
                    required=bool(r.get("required")),
                )
                for r in o.requirements
            ],
            answers=[_answer(a, o.requirements) for a in o.answers],
            events=[
                EventView(
                    at=_when(e.at),
                    actor=e.actor_name or "Gigworks",
                    role=e.actor_role,
                    label=e.label,
                    message=e.message or "",
                    transition=e.transition,
                )
                for e in o.events
            ],
            deliveries=[
                DeliveryView(
                    number=i + 1,
                    at=_when(d.at),
                    message=d.message,
                    files=[
                        FileView(str(f["name"]), str(f["url"]), _size(int(f.get("size", 0))))
                        for f in d.files
                    ],
                )
                for i, d in enumerate(o.deliveries)
            ],
            ledger=[ledger_line(line, cur) for line in o.ledger],
            money=[
                MoneyRow("Held on the card", money(m.held_cents, cur), "authorised, not charged"),
                MoneyRow("In escrow", money(m.in_escrow_cents, cur), "charged, held by Gigworks"),
                MoneyRow("Released to the seller", money(m.released_cents, cur), ""),
                MoneyRow("Refunded to the buyer", money(m.refunded_cents, cur), ""),
                MoneyRow("Platform fees", money(m.platform_fee_cents, cur), ""),
            ],
            cancellation_note=(
                ""
                if not cancel_by
                else "You asked to cancel this order; waiting for the other side."
                if cancel_by == o.viewer_role
                else f"The {cancel_by} asked to cancel this order."
            ),
            dispute_open=o.dispute_open,
            payout_pending=o.payout_pending,
            processing=o.processing,
            actions=[
                ActionButton(a.name, a.label, a.input or "", a.confirm or "", a.style or "")
                for a in o.actions
            ],
        )


ACTIVE_CLOCK_STATES = ("in_progress", "revision_requested")
FINISHED = ("completed", "cancelled")


def _answer(a: dict, requirements: list[dict]) -> AnswerView:
    questions = {r.get("id"): str(r.get("question", "")) for r in requirements}
    file = a.get("file") or {}
    return AnswerView(
        question=str(a.get("question") or questions.get(a.get("requirement_id"), "")),
        answer=str(a.get("answer") or ""),
        file_name=str(file.get("name", "")) if isinstance(file, dict) else "",
        file_url=str(a.get("file_url") or ""),
    )


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    return f"{max(1, round(size / 1024))} KB" if size else ""


def ledger_line(line, currency: str = "usd", *, signed: bool = False) -> LedgerLineView:
    """A ledger line for the page; `signed` (the seller's earnings) writes money in as "+$…" in
    green and money out of their earnings as "−$…" in red."""
    what = line.label or line.kind.title()
    amount, amount_color = money(line.amount_cents, currency), "inherit"
    if signed and line.direction > 0:
        amount, amount_color = f"+{amount}", "var(--grass-11)"
    elif signed and line.direction < 0:
        amount, amount_color = f"\u2212{amount}", "var(--red-11)"
    return LedgerLineView(
        at=_when(line.at),
        kind=line.kind,
        what=what,
        color=LEDGER_COLORS.get(line.kind, "gray"),
        amount=amount,
        amount_color=amount_color,
        stripe_id=line.stripe_object_id or "",
        note="" if (line.note or "").strip().lower() in ("", what.lower()) else line.note,
        order_code=str(getattr(line, "order_code", "") or ""),
    )


# --- lists ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class OrderRowView:
    code: str = ""
    url: str = ""
    title: str = ""
    other_name: str = ""
    other_username: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    amount: str = ""
    due: str = ""
    late: bool = False
    ordered: str = ""

    @classmethod
    def from_row(cls, r, role: str) -> "OrderRowView":
        return cls(
            code=r.code,
            url=f"/orders/{r.code}",
            title=r.title,
            other_name=r.other_name,
            other_username=r.other_username,
            status=r.status,
            status_label=r.status_label,
            status_color=STATUS_COLORS.get(r.status, "gray"),
            amount=money(r.seller_earnings_cents if role == "selling" else r.total_cents),
            due=_day(r.due_at) if r.due_at and r.status not in FINISHED else "—",
            late=r.late,
            ordered=_day(r.created_at),
        )
