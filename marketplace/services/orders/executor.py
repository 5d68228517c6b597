"""The order executor: the only code that moves an order along the process table.

`perform` checks the actor and the current state against `order_process.TRANSITIONS`, then:

* a transition without a Stripe call (deliver, accept, request a revision ...) is one
  transaction: lock the order row, check, write the OrderEvent, ledger rows, notifications and
  the new state, bump the version, commit;
* a transition with a Stripe call (hold, capture, void, refund, split) never holds a
  transaction open across it. Transaction 1 locks the row, checks, and *claims* the step
  (`Order.pending_action`, version + 1) and commits; then the Stripe call runs with an
  idempotency key derived from (order, step), after first asking Stripe whether the step
  already happened; transaction 2 locks the row again, re-checks the claim and the version,
  writes the ledger rows (unique keys), the event and the new state, and clears the claim.

A crash or timeout between the Stripe call and transaction 2 leaves the claim in place: the same
action by the same party, the worker, or `reconcile` re-runs the step with the same keys and
finishes it; any other action is refused meanwhile, so release and refund cannot both happen.
A definite refusal from Stripe (a declined card, a hold that expired) clears the claim and
raises a DomainError with a message for the user.

Completion (accept, auto-complete, dispute release or split) records the platform's commission
and service fee and what the seller is owed (`payout_cents`); `pay_out` then transfers it to the
seller's connected account, at once or, while their payouts are not enabled, later from the
worker (`pay_out_pending`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from marketplace.db import get_engine, session_scope, utcnow
from marketplace.models import (
    ActorRole,
    Delivery,
    Dispute,
    DisputeStatus,
    FreelancerProfile,
    GigRequirement,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderEvent,
    OrderStatus,
    User,
    UserStatus,
)
from marketplace.payments.gateway import PaymentProviderError, StripeGateway
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.notifications import notify
from marketplace.services.orders import files as order_files
from marketplace.services.orders import process
from marketplace.services.reviews import aggregates
from marketplace.settings import Settings, get_settings

STRIPE_STEPS = frozenset({"hold", "capture", "void", "refund", "split"})
COMPLETING = frozenset({"release", "split"})
MAX_TEXT = 2000
SERVICE_FEE_STEP = process.SERVICE_FEE_STEP
PAYOUT_EVENT = "payout"
CLAIM_STALE_AFTER = timedelta(seconds=60)


class Conflict(DomainError):
    """Someone else changed the order first; the user should look again."""


@dataclass(frozen=True)
class ActionView:
    name: str
    label: str
    input: str | None
    confirm: str
    style: str


@dataclass
class Context:
    """What the executor talks to; tests pass their own engine, gateway and clock."""

    engine: Engine
    gateway: StripeGateway
    settings: Settings
    now: Callable[[], datetime] = utcnow


def default_context(
    *,
    engine: Engine | None = None,
    gateway: StripeGateway | None = None,
    settings: Settings | None = None,
    now: Callable[[], datetime] | None = None,
) -> Context:
    settings = settings or get_settings()
    return Context(
        engine=engine or get_engine(),
        gateway=gateway or StripeGateway.from_settings(settings),
        settings=settings,
        now=now or utcnow,
    )


# -- keys ---------------------------------------------------------------------------------


def stripe_key(order: Order, step: str) -> str:
    """The idempotency key of one Stripe call: unique per order (code + creation time, so two
    databases sharing a Stripe account never collide) and step."""
    created_ms = int(order.created_at.timestamp() * 1000)
    return f"gigworks:{order.code}:{created_ms}:{step}"


def ledger_key(order_id: int, step: str) -> str:
    """The ledger row's unique key: each step moves money at most once per order."""
    return f"order:{order_id}:{step}"


# -- roles, guards, checks ----------------------------------------------------------------


def role_of(order: Order, actor: User | None, *, system: bool = False) -> str | None:
    """buyer / seller first, admin for other admins, system when asked; None = no part in it."""
    if system:
        return ActorRole.system.value
    if actor is None or actor.id is None or actor.status != UserStatus.active:
        return None
    if actor.id == order.buyer_id:
        return ActorRole.buyer.value
    if actor.id == order.seller_id:
        return ActorRole.seller.value
    if actor.is_admin:
        return ActorRole.admin.value
    return None


def is_late(order: Order, now: datetime) -> bool:
    return (
        order.status in process.AWAITING_DELIVERY
        and order.due_at is not None
        and now > order.due_at
    )


def _revisions_left(order: Order, role: str, now: datetime) -> str:
    if order.revisions_allowed == -1 or order.revisions_used < order.revisions_allowed:
        return ""
    return "No revisions are left in this package."


_GUARDS: dict[str, Callable[[Order, str, datetime], str]] = {
    "revisions_left": _revisions_left,
    "no_cancellation_request": lambda o, r, n: (
        "" if not o.cancellation_requested_by else "A cancellation request is already open."
    ),
    "cancellation_requested_by_other": lambda o, r, n: (
        ""
        if o.cancellation_requested_by and o.cancellation_requested_by != r
        else "There is no cancellation request from the other side."
    ),
    "cancellation_requested_by_self": lambda o, r, n: (
        "" if o.cancellation_requested_by == r else "You have not asked to cancel."
    ),
    "late": lambda o, r, n: "" if is_late(o, n) else "The order is not late yet.",
}


def refusal(t: process.Transition, order: Order, role: str | None, now: datetime) -> str:
    """Why `role` may not take `t` on `order` now ("" = allowed). Pure: the unit tests use it."""
    if role is None or role not in t.actors:
        return "You can't do that on this order."
    if order.status not in t.from_states:
        label = process.STATE_LABELS.get(order.status, order.status)
        return f"That is not possible now: the order is {label.lower()}."
    if t.guard:
        return _GUARDS[t.guard](order, role, now)
    return ""


def available_actions(session: Session, *, order: Order, actor: User | None) -> list[ActionView]:
    """The transitions this user may take now, as the page shows them (none while a money step
    is still being processed, except retrying that same step)."""
    role = role_of(order, actor)
    if role is None:
        return []
    now = utcnow()
    views = []
    for t in process.TRANSITIONS:
        if t.after is not None or t.actors == {ActorRole.system.value}:
            continue
        if order.pending_action and order.pending_action != t.name:
            continue
        if refusal(t, order, role, now):
            continue
        views.append(ActionView(t.name, t.label, t.input, t.confirm, t.style))
    return views


# -- payload validation -------------------------------------------------------------------


def _text(payload: Mapping[str, Any], *, required: str = "") -> str:
    value = payload.get("message", "")
    if not isinstance(value, str):
        raise DomainError("The message must be text.")
    value = value.strip()
    if required and not value:
        raise DomainError(required)
    if len(value) > MAX_TEXT:
        raise DomainError(f"Keep the message under {MAX_TEXT:,} characters.")
    return value


_REQUIRED_TEXT = {
    "request_revision": "Tell the seller what to change.",
    "request_cancellation": "Say why you want to cancel.",
    "open_dispute": "Describe the problem for the admin who will resolve it.",
}


def _answers(session: Session, order: Order, payload: Mapping[str, Any]) -> list[dict]:
    given = payload.get("answers", [])
    if not isinstance(given, list):
        raise DomainError("The answers could not be read. Reload the page and try again.")
    by_id: dict[int, dict] = {}
    for item in given:
        if isinstance(item, dict) and isinstance(item.get("requirement_id"), int):
            by_id[item["requirement_id"]] = item
    questions = (
        session.exec(
            select(GigRequirement)
            .where(GigRequirement.gig_id == order.gig_id)
            .order_by(col(GigRequirement.position), col(GigRequirement.id))
        ).all()
        if order.gig_id
        else []
    )
    answers = []
    for q in questions:
        item = by_id.get(q.id, {})
        answer = item.get("answer", "")
        if not isinstance(answer, str):
            raise DomainError(f"The answer to “{q.question}” must be text.")
        answer = answer.strip()
        file = order_files.valid_file(item["file"]) if item.get("file") else None
        if q.kind == "choice" and answer and answer not in q.choices:
            raise DomainError(f"Choose one of the options for “{q.question}”.")
        if len(answer) > MAX_TEXT:
            raise DomainError(f"Keep the answer to “{q.question}” under {MAX_TEXT:,} characters.")
        if q.required and not answer and file is None:
            raise DomainError(f"Answer “{q.question}” to start the order.")
        answers.append(
            {
                "requirement_id": q.id,
                "question": q.question,
                "kind": q.kind,
                "answer": answer,
                "file": file,
            }
        )
    return answers


def validate(
    session: Session, t: process.Transition, order: Order, payload: Mapping[str, Any] | None
) -> dict:
    """The payload reduced to what the transition keeps; DomainError with a message if bad."""
    payload = payload or {}
    if not isinstance(payload, Mapping):
        raise DomainError("The form could not be read. Reload the page and try again.")
    if t.input == "requirements":
        return {"answers": _answers(session, order, payload)}
    if t.input == "delivery":
        message = _text(payload, required="Write a message to go with the delivery.")
        files = payload.get("files", [])
        if not isinstance(files, list):
            raise DomainError("The files could not be read. Upload them again.")
        if len(files) > order_files.MAX_FILES_PER_DELIVERY:
            raise DomainError(
                f"Attach at most {order_files.MAX_FILES_PER_DELIVERY} files to a delivery."
            )
        return {"message": message, "files": [order_files.valid_file(f) for f in files]}
    if t.input in ("message", "reason"):
        return {"message": _text(payload, required=_REQUIRED_TEXT.get(t.name, ""))}
    if t.input == "amount":
        refund = payload.get("refund_cents")
        if isinstance(refund, bool) or not isinstance(refund, int):
            raise DomainError("Enter the amount to refund.")
        if not 0 < refund < order.subtotal_cents:
            raise DomainError(
                "A split refunds more than nothing and less than the order's subtotal; "
                "use the full refund or the release instead."
            )
        return {"refund_cents": refund, "message": _text(payload)}
    return {}


# -- locking ------------------------------------------------------------------------------


def _lock(session: Session, code: str) -> Order:
    """Lock the order's row for this transaction and read it fresh.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite: a no-op UPDATE as the transaction's first
    statement takes the database's write lock before anything is read, so two writers queue
    (busy timeout) instead of failing on a stale snapshot.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().execute(
            update(Order.__table__)
            .where(Order.__table__.c.code == code)
            .values(version=Order.__table__.c.version)
        )
        statement = select(Order).where(Order.code == code)
    else:
        statement = select(Order).where(Order.code == code).with_for_update()
    order = session.exec(statement).first()
    if order is None:
        raise NotFound("Order not found.")
    return order


def _ledger_rows(session: Session, order_id: int) -> list[LedgerEntry]:
    return list(
        session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.order_id == order_id)
            .order_by(col(LedgerEntry.id))
        ).all()
    )


# -- Stripe steps (run with no transaction open) ------------------------------------------


@dataclass
class Snapshot:
    """What a Stripe step needs, copied out of the claiming transaction."""

    id: int
    code: str
    created_at: datetime
    status: str
    total_cents: int
    subtotal_cents: int
    currency: str
    payment_intent_id: str | None
    charge_id: str | None
    ledger: dict[str, int]  # step key suffix -> amount, of rows already written

    @classmethod
    def of(cls, order: Order, rows: list[LedgerEntry]) -> Snapshot:
        prefix = f"order:{order.id}:"
        return cls(
            id=order.id,
            code=order.code,
            created_at=order.created_at,
            status=order.status,
            total_cents=order.total_cents,
            subtotal_cents=order.subtotal_cents,
            currency=order.currency,
            payment_intent_id=order.payment_intent_id,
            charge_id=order.charge_id,
            ledger={r.idempotency_key.removeprefix(prefix): r.amount_cents for r in rows},
        )

    def key(self, step: str) -> str:
        return stripe_key(self, step)  # type: ignore[arg-type]


@dataclass
class StepResult:
    ledger: list[tuple[str, str, int, str | None, str]] = field(default_factory=list)
    # (step key, LedgerKind, amount, stripe object id, note)
    updates: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


_CANCELLABLE = ("requires_payment_method", "requires_confirmation", "requires_action")


def _payment_intent(gateway: StripeGateway, snap: Snapshot):
    if snap.payment_intent_id:
        return gateway.retrieve_payment_intent(snap.payment_intent_id)
    return gateway.find_payment_intent(order_code=snap.code)


def _step_hold(ctx: Context, snap: Snapshot, payload: dict) -> StepResult:
    pi = _payment_intent(ctx.gateway, snap)
    if pi is None or pi.status != "requires_capture":
        raise PaymentProviderError("The card has not been authorised for this order yet.")
    if pi.amount != snap.total_cents or pi.currency != snap.currency:
        raise PaymentProviderError("The authorised amount does not match the order.")
    return StepResult(
        ledger=[("hold", LedgerKind.hold, pi.amount_capturable or pi.amount, pi.id, "")],
        updates={"payment_intent_id": pi.id, "paid_at": ctx.now()},
    )


def _step_capture(ctx: Context, snap: Snapshot, payload: dict) -> StepResult:
    pi = _payment_intent(ctx.gateway, snap)
    if pi is None:
        raise PaymentProviderError("This order has no card payment to capture.")
    if pi.status == "requires_capture":
        pi = ctx.gateway.capture_payment_intent(pi.id, idempotency_key=snap.key("capture"))
    if pi.status != "succeeded":
        raise PaymentProviderError(
            "The card hold has expired or was released, so the order cannot start."
        )
    return StepResult(
        ledger=[("capture", LedgerKind.capture, pi.amount_received, pi.latest_charge, "")],
        updates={"charge_id": pi.latest_charge},
    )


def _step_void(ctx: Context, snap: Snapshot, payload: dict) -> StepResult:
    result = StepResult()
    pi = _payment_intent(ctx.gateway, snap)
    if pi is None:
        return result  # checkout never reached Stripe: nothing to release
    was_held = pi.status == "requires_capture"
    if pi.status in (*_CANCELLABLE, "requires_capture"):
        pi = ctx.gateway.cancel_payment_intent(pi.id, idempotency_key=snap.key("void"))
    if pi.status != "canceled":
        raise PaymentProviderError("The payment was already captured; it must be refunded.")
    held = snap.ledger.get("hold")
    if held is None and was_held:
        # The buyer authorised but the hold was never recorded (a crash): record both.
        result.ledger.append(("hold", LedgerKind.hold, pi.amount, pi.id, "recorded on repair"))
        held = pi.amount
    if held:
        result.ledger.append(("void", LedgerKind.void, held, pi.id, "hold released"))
    result.updates["payment_intent_id"] = pi.id
    return result


def _refund(ctx: Context, snap: Snapshot, amount: int) -> StepResult:
    if not snap.payment_intent_id or "capture" not in snap.ledger:
        raise PaymentProviderError("Nothing was captured on this order, so nothing is refunded.")
    existing = [
        r
        for r in ctx.gateway.list_refunds(payment_intent_id=snap.payment_intent_id)
        if r.metadata.get("step") == "refund" and r.metadata.get("order_code") == snap.code
    ]
    refund = existing[0] if existing else None
    if refund is None:
        refund = ctx.gateway.create_refund(
            payment_intent_id=snap.payment_intent_id,
            amount_cents=amount,
            order_code=snap.code,
            step="refund",
            idempotency_key=snap.key(f"refund-{amount}"),
        )
    return StepResult(ledger=[("refund", LedgerKind.refund, refund.amount, refund.id, "")])


def _step_refund(ctx: Context, snap: Snapshot, payload: dict) -> StepResult:
    return _refund(ctx, snap, snap.ledger.get("capture", snap.total_cents))


def _step_split(ctx: Context, snap: Snapshot, payload: dict) -> StepResult:
    return _refund(ctx, snap, payload["refund_cents"])


_STEPS = {
    "hold": _step_hold,
    "capture": _step_capture,
    "void": _step_void,
    "refund": _step_refund,
    "split": _step_split,
}


# -- applying a transition (inside a transaction) -----------------------------------------


def _add_ledger(
    session: Session,
    order: Order,
    step: str,
    kind: str,
    amount: int,
    stripe_id: str | None,
    note: str,
    *,
    seller: bool = False,
    at: datetime,
) -> None:
    key = ledger_key(order.id, step)
    if session.exec(select(LedgerEntry.id).where(LedgerEntry.idempotency_key == key)).first():
        return  # written by an earlier run of the same step
    session.add(
        LedgerEntry(
            order_id=order.id,
            kind=str(kind),
            amount_cents=amount,
            currency=order.currency,
            idempotency_key=key,
            stripe_object_id=stripe_id,
            seller_id=order.seller_id if seller else None,
            note=note,
            created_at=at,
        )
    )


def _notify(
    session: Session, order: Order, t: process.Transition, actor_id: int | None, at, from_status
):
    for who in t.notify:
        user_id = order.buyer_id if who == "buyer" else order.seller_id
        if user_id == actor_id:
            continue
        notify(
            session,
            user_id=user_id,
            kind=f"order.{t.name}",
            title=f"{process.said(t, from_status)} · {order.code}",
            body=order.title,
            link=f"/orders/{order.code}",
            at=at,
        )


def _complete(session: Session, order: Order, now: datetime, *, refund_cents: int = 0) -> dict:
    """The platform keeps its commission and the fee; the seller is owed the rest."""
    if refund_cents:
        remaining = order.subtotal_cents - refund_cents
        # Commission on what is left, in proportion, rounded half up.
        commission = (2 * order.commission_cents * remaining + order.subtotal_cents) // (
            2 * order.subtotal_cents
        )
        payout = remaining - commission
    else:
        commission, payout = order.commission_cents, order.seller_earnings_cents
    _add_ledger(
        session, order, "commission", LedgerKind.commission, commission, None,
        "Platform commission", seller=True, at=now,
    )  # fmt: skip
    _add_ledger(
        session, order, SERVICE_FEE_STEP, LedgerKind.commission, order.service_fee_cents, None,
        "Buyer service fee", at=now,
    )  # fmt: skip
    order.payout_cents = payout
    order.completed_at = now
    return {"payout_cents": payout, "commission_cents": commission}


def _apply(
    session: Session,
    order: Order,
    t: process.Transition,
    role: str,
    actor_id: int | None,
    payload: dict,
    step: StepResult | None,
    now: datetime,
) -> None:
    """Write everything the transition does, in the caller's transaction."""
    data: dict[str, Any] = dict(step.data) if step else {}
    if step:
        for suffix, kind, amount, stripe_id, note in step.ledger:
            _add_ledger(session, order, suffix, kind, amount, stripe_id, note, at=now)
            data[f"{kind}_cents"] = amount
        for name, value in step.updates.items():
            setattr(order, name, value)
    message = payload.get("message", "")
    name = t.name
    if name == "submit_requirements":
        order.requirement_answers = payload.get("answers", [])
        order.started_at = now
        order.due_at = now + timedelta(days=order.delivery_days)
    elif name == "deliver":
        delivery = Delivery(
            order_id=order.id,
            seller_id=order.seller_id,
            message=message,
            files=payload.get("files", []),
            created_at=now,
        )
        session.add(delivery)
        session.flush()
        order.delivered_at = now
        data["delivery_id"] = delivery.id
    elif name == "request_revision":
        order.revisions_used += 1
    elif name == "request_cancellation":
        order.cancellation_requested_by = role
    elif name in ("decline_cancellation", "withdraw_cancellation"):
        order.cancellation_requested_by = ""
    elif name == "open_dispute":
        order.cancellation_requested_by = ""
        session.add(
            Dispute(order_id=order.id, opened_by_id=actor_id, reason=message, opened_at=now)
        )
    if t.money in COMPLETING:
        data.update(_complete(session, order, now, refund_cents=payload.get("refund_cents", 0)))
    if name.startswith("resolve_"):
        dispute = session.exec(
            select(Dispute).where(
                Dispute.order_id == order.id, Dispute.status == DisputeStatus.open
            )
        ).first()
        if dispute is not None:
            dispute.status = DisputeStatus.resolved
            dispute.resolution = name.removeprefix("resolve_")
            dispute.refund_cents = payload.get("refund_cents") or (
                order.total_cents if name == "resolve_refund" else None
            )
            dispute.resolved_by_id = actor_id
            dispute.resolved_at = now
            session.add(dispute)
    new_status = process.target(t, order.status)
    if new_status == OrderStatus.cancelled:
        order.cancelled_at = now
        order.cancellation_requested_by = ""
    session.add(
        OrderEvent(
            order_id=order.id,
            at=now,
            actor_id=actor_id,
            actor_role=role,
            transition=name,
            from_status=order.status,
            to_status=new_status,
            message=message,
            data=data,
        )
    )
    from_status = order.status
    if new_status != order.status:
        order.state_entered_at = now
    order.status = new_status
    order.pending_action = None
    order.pending_data = {}
    order.version += 1
    order.updated_at = now
    session.add(order)
    _notify(session, order, t, actor_id, now, from_status)
    if new_status == OrderStatus.completed:
        # orders completed on the gig and the profile, and the gig's search document
        aggregates.refresh_for_order(session, gig_id=order.gig_id, seller_id=order.seller_id)


# -- the executor -------------------------------------------------------------------------


ADMIN_THROUGH_MODERATION = (
    "An admin's step on an order goes through the moderation service, which audits it."
)


def perform(
    *,
    order_code: str,
    action: str,
    actor: User | None,
    payload: Mapping[str, Any] | None = None,
    system: bool = False,
    moderated: bool = False,
    context: Context | None = None,
) -> Order:
    """Take transition `action` on the order as `actor` (or as the system, for the worker and
    webhooks). Raises NotFound / PermissionDenied / DomainError with a message to show.

    An admin who is not a party acts only with `moderated=True`, which only the moderation
    service passes (services/moderation/disputes.act_on_order writes the audit row), so no
    page can move an order as an admin without leaving a row in the audit log."""
    ctx = context or default_context()
    try:
        t = process.transition(action)
    except KeyError:
        raise DomainError("That action does not exist.") from None
    if not system:
        require_active_user(actor)
    actor_id = None if system or actor is None else actor.id
    now = ctx.now()

    with session_scope(ctx.engine) as session:
        order = _lock(session, str(order_code or ""))
        role = role_of(order, actor, system=system)
        if role is None:
            raise NotFound("Order not found.")
        if order.pending_action:
            claim = order.pending_data
            if order.pending_action != action or role not in (claim.get("role"), "system"):
                raise Conflict(
                    "Another change to this order is still being processed. Try again in a moment."
                )
            clean = claim.get("payload", {})
            role, actor_id = claim.get("role", role), claim.get("actor_id")
        else:
            if role == ActorRole.admin.value and not moderated:
                raise PermissionDenied(ADMIN_THROUGH_MODERATION)
            why = refusal(t, order, role, now)
            if why:
                if role in t.actors:
                    raise DomainError(why)
                raise PermissionDenied(why)
            clean = validate(session, t, order, payload)
            if t.money not in STRIPE_STEPS:
                _apply(session, order, t, role, actor_id, clean, None, now)
                result = order
            else:
                order.pending_action = action
                order.pending_data = {
                    "role": role,
                    "actor_id": actor_id,
                    "payload": clean,
                    "since": now.isoformat(),
                }
                order.version += 1
                session.add(order)
        if t.money in STRIPE_STEPS:
            claimed_version = order.version
            snap = Snapshot.of(order, _ledger_rows(session, order.id))
    if t.money not in STRIPE_STEPS:
        if t.money == "release":
            pay_out(order_id=result.id, context=ctx)
        return result
    order = _finish_step(ctx, t, snap, claimed_version, role, actor_id, clean)
    if t.name == "pay":
        order = start_if_nothing_to_ask(order_code=order.code, context=ctx) or order
    return order


def start_if_nothing_to_ask(*, order_code: str, context: Context | None = None) -> Order | None:
    """An order whose gig asks no requirements starts as soon as its hold is recorded, whoever
    recorded it (checkout, the webhook, reconcile, the worker): the system submits the empty
    answers, which captures the hold. Returns the started order, or None when it does not apply
    (requirements exist, the order is not awaiting them, or another path is starting it)."""
    ctx = context or default_context()
    with session_scope(ctx.engine) as session:
        order = session.exec(select(Order).where(Order.code == str(order_code or ""))).first()
        if (
            order is None
            or order.status != OrderStatus.awaiting_requirements
            or order.pending_action
        ):
            return None
        asks = order.gig_id is not None and (
            session.exec(
                select(GigRequirement.id).where(GigRequirement.gig_id == order.gig_id)
            ).first()
            is not None
        )
    if asks:
        return None
    try:
        return perform(
            order_code=order_code, action="submit_requirements", actor=None, system=True,
            payload={"answers": []}, context=ctx,
        )  # fmt: skip
    except Conflict:
        return None  # another path is starting it right now


def _finish_step(
    ctx: Context,
    t: process.Transition,
    snap: Snapshot,
    claimed_version: int,
    role: str,
    actor_id: int | None,
    payload: dict,
) -> Order:
    try:
        step = _STEPS[t.money](ctx, snap, payload)
    except PaymentProviderError as exc:
        if exc.retryable:
            # The outcome is unknown: keep the claim; a retry re-runs the step with the same key.
            raise DomainError(
                "The payment provider did not answer in time. Nothing was lost: "
                "try again in a moment."
            ) from exc
        _release_claim(ctx, snap.code, claimed_version)
        raise DomainError(str(exc)) from exc
    now = ctx.now()
    with session_scope(ctx.engine) as session:
        order = _lock(session, snap.code)
        if order.pending_action != t.name or order.version != claimed_version:
            return order  # finished meanwhile by a retry, the worker or reconcile
        _apply(session, order, t, role, actor_id, payload, step, now)
    if t.money in COMPLETING:
        pay_out(order_id=order.id, context=ctx)
    return order


def _release_claim(ctx: Context, code: str, claimed_version: int) -> None:
    with session_scope(ctx.engine) as session:
        order = _lock(session, code)
        if order.version == claimed_version and order.pending_action:
            order.pending_action = None
            order.pending_data = {}
            order.version += 1
            session.add(order)


def resume_stale_claims(*, context: Context | None = None, older_than=CLAIM_STALE_AFTER) -> int:
    """Finish money steps whose process died or timed out after claiming them (same keys)."""
    ctx = context or default_context()
    cutoff = ctx.now() - older_than
    with session_scope(ctx.engine) as session:
        claims = session.exec(
            select(Order.code, Order.pending_action, Order.pending_data).where(
                col(Order.pending_action).is_not(None)
            )
        ).all()
    finished = 0
    for code, action, data in claims:
        since = data.get("since")
        if since and datetime.fromisoformat(since) > cutoff:
            continue
        try:
            perform(order_code=code, action=action, actor=None, system=True, context=ctx)
            finished += 1
        except DomainError:
            continue
    return finished


# -- payouts ------------------------------------------------------------------------------


def pay_out(*, order_id: int, context: Context | None = None) -> str:
    """Transfer what a completed order owes its seller, once. Returns "paid", "already paid",
    "waiting" (payouts not enabled yet: the balance accrues) or "retry" (Stripe failed)."""
    ctx = context or default_context()
    with session_scope(ctx.engine) as session:
        order = session.get(Order, order_id)
        if order is None or not order.payout_cents:
            return "nothing owed"
        key = ledger_key(order.id, "release")
        if session.exec(select(LedgerEntry.id).where(LedgerEntry.idempotency_key == key)).first():
            return "already paid"
        profile = session.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == order.seller_id)
        ).first()
        if profile is None or not (profile.stripe_account_id and profile.payouts_enabled):
            return "waiting"
        if not order.charge_id:
            return "waiting"
        snap = Snapshot.of(order, [])
        destination, amount = profile.stripe_account_id, order.payout_cents
    try:
        existing = [
            t
            for t in ctx.gateway.list_transfers(transfer_group=snap.code)
            if t.metadata.get("step") == "release"
        ]
        transfer = existing[0] if existing else None
        if transfer is None:
            transfer = ctx.gateway.create_transfer(
                amount_cents=amount,
                currency=snap.currency,
                destination=destination,
                source_transaction=snap.charge_id,
                transfer_group=snap.code,
                order_code=snap.code,
                step="release",
                idempotency_key=snap.key("release"),
            )
    except PaymentProviderError:
        return "retry"
    now = ctx.now()
    with session_scope(ctx.engine) as session:
        order = _lock(session, snap.code)
        if session.exec(select(LedgerEntry.id).where(LedgerEntry.idempotency_key == key)).first():
            return "already paid"
        _add_ledger(
            session, order, "release", LedgerKind.release, transfer.amount, transfer.id,
            "Transferred to the seller", seller=True, at=now,
        )  # fmt: skip
        session.add(
            OrderEvent(
                order_id=order.id,
                at=now,
                actor_role=ActorRole.system.value,
                transition=PAYOUT_EVENT,
                from_status=order.status,
                to_status=order.status,
                message="",
                data={"transfer_id": transfer.id, "amount_cents": transfer.amount},
            )
        )
        notify(
            session,
            user_id=order.seller_id,
            kind="order.payout",
            title=f"You were paid for {order.code}",
            body=order.title,
            link="/my/earnings",
            at=now,
        )
    return "paid"


def pay_out_pending(*, context: Context | None = None, refresh_accounts: bool = True) -> dict:
    """Pay every completed order still owed to its seller; first ask Stripe again about sellers
    whose payouts were not enabled (onboarding may have finished since)."""
    ctx = context or default_context()
    with session_scope(ctx.engine) as session:
        paid_keys = select(LedgerEntry.order_id).where(LedgerEntry.kind == LedgerKind.release)
        owed = session.exec(
            select(Order.id, Order.seller_id).where(
                col(Order.payout_cents) > 0, col(Order.id).not_in(paid_keys)
            )
        ).all()
        sellers = {seller_id for _, seller_id in owed}
        profiles = (
            session.exec(
                select(FreelancerProfile).where(col(FreelancerProfile.user_id).in_(sellers))
            ).all()
            if sellers
            else []
        )
        if refresh_accounts:
            for profile in profiles:
                if profile.stripe_account_id and not profile.payouts_enabled:
                    try:
                        account = ctx.gateway.retrieve_account(profile.stripe_account_id)
                    except PaymentProviderError:
                        continue
                    profile.payouts_enabled = account.payouts_enabled
                    session.add(profile)
    outcome: dict[str, int] = {}
    for order_id, _seller in owed:
        result = pay_out(order_id=order_id, context=ctx)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


# -- timed transitions --------------------------------------------------------------------


def run_due(*, context: Context | None = None, limit: int = 200) -> dict[str, int]:
    """Fire the timed transitions that are due (auto-complete, expiry, reminders)."""
    ctx = context or default_context()
    now = ctx.now()
    fired: dict[str, int] = {}
    for t in process.TIMED:
        delay = process.effective_after(t, ctx.settings)
        with session_scope(ctx.engine) as session:
            query = select(Order.code, Order.state_entered_at).where(
                col(Order.status).in_(t.from_states),
                col(Order.pending_action).is_(None),
                col(Order.state_entered_at) <= now - delay,
            )
            candidates = session.exec(query.limit(limit)).all()
            due = []
            for code, entered in candidates:
                if t.to_state == process.STAY:
                    done = session.exec(
                        select(OrderEvent.id)
                        .join(Order, col(Order.id) == OrderEvent.order_id)
                        .where(
                            Order.code == code,
                            OrderEvent.transition == t.name,
                            col(OrderEvent.at) >= entered,
                        )
                    ).first()
                    if done:
                        continue
                due.append(code)
        for code in due:
            try:
                perform(order_code=code, action=t.name, actor=None, system=True, context=ctx)
            except DomainError:
                continue
            fired[t.name] = fired.get(t.name, 0) + 1
    return fired


def order_by_code(session: Session, code: str) -> Order:
    order = session.exec(select(Order).where(Order.code == code)).first()
    if order is None:
        raise NotFound("Order not found.")
    return order


__all__ = [
    "ActionView",
    "Conflict",
    "Context",
    "available_actions",
    "default_context",
    "pay_out",
    "pay_out_pending",
    "perform",
    "refusal",
    "resume_stale_claims",
    "run_due",
    "start_if_nothing_to_ask",
]
