"""The order process as data: every transition an order can take, in one table.

Modelled on Sharetribe's `process.edn`: a transition names its from-states, its to-state, who
may take it, its money step, who is told, and for timed ones how long after the order entered
its from-state it fires. The executor (services/orders/executor.py) is the only reader that changes
orders; the pages show exactly the transitions the executor offers; the demo seed walks the same
table; docs/orders.md carries `mermaid()` (a unit test keeps them equal).

`STAY` as a to-state means the status does not change (a reminder, or a cancellation request,
which sets `Order.cancellation_requested_by` instead of a sub-state). `guard` names an extra
condition the executor checks (see orders._GUARDS).
"""

from dataclasses import dataclass
from datetime import timedelta

from marketplace import settings as config
from marketplace.models import ActorRole, OrderStatus

STAY = "="
# The buyer's service fee is kept by the platform in a "commission" ledger row under this step.
SERVICE_FEE_STEP = "service_fee"

S = OrderStatus
BUYER, SELLER, ADMIN, SYSTEM = (
    ActorRole.buyer.value,
    ActorRole.seller.value,
    ActorRole.admin.value,
    ActorRole.system.value,
)


@dataclass(frozen=True)
class Delay:
    """How long after entering its from-state a timed transition fires.

    `setting` names the Settings field that holds the number of days (its default lives in
    marketplace/settings.py only); "" means a fixed `days`. A `reminder` fires a day before
    that deadline (half a day before a one-day deadline)."""

    setting: str = ""
    days: int = 0
    reminder: bool = False

    def default_days(self) -> int:
        if not self.setting:
            return self.days
        return _SETTING_DEFAULTS[self.setting]

    def length(self, days: int) -> timedelta:
        if not self.reminder:
            return timedelta(days=days)
        return timedelta(days=days) - (DAY if days > 1 else timedelta(hours=12))

    def describe(self) -> str:
        if not self.setting:
            return f"{self.days} day" + ("" if self.days == 1 else "s")
        name = self.setting.upper()
        return f"{name} - 1" if self.reminder else name


DAY = timedelta(days=1)
# Settings field -> its default, both from marketplace/settings.py.
_SETTING_DEFAULTS = {
    "auto_complete_days": config.AUTO_COMPLETE_DAYS_DEFAULT,
    "order_start_deadline_days": config.ORDER_START_DEADLINE_DAYS_DEFAULT,
}
AUTO_COMPLETE = Delay(setting="auto_complete_days")
START_DEADLINE = Delay(setting="order_start_deadline_days")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # button text
    from_states: frozenset[str]
    to_state: str  # STAY = unchanged
    actors: frozenset[str]  # ActorRole values
    money: str | None  # None | "hold" | "capture" | "release" | "void" | "refund" | "split"
    notify: tuple[str, ...]  # "buyer", "seller"
    after: timedelta | None  # timed: fires this long after entering from_state (the default)
    input: str | None  # None | "requirements" | "delivery" | "message" | "reason" | "amount"
    confirm: str  # confirm-dialog text, "" = none
    style: str  # "primary" | "secondary" | "danger"
    guard: str | None = None  # extra condition, see orders._GUARDS
    delay: Delay | None = None  # timed transitions: the delay and the setting that changes it
    event_label: str = ""  # how the timeline says it happened


def _t(
    name: str,
    label: str,
    from_states: tuple[str, ...],
    to_state: str,
    actors: tuple[str, ...],
    *,
    money: str | None = None,
    notify: tuple[str, ...] = (),
    after: Delay | None = None,
    input: str | None = None,
    confirm: str = "",
    style: str = "secondary",
    guard: str | None = None,
    event_label: str = "",
) -> Transition:
    return Transition(
        name=name,
        label=label,
        from_states=frozenset(str(s) for s in from_states),
        to_state=str(to_state),
        actors=frozenset(actors),
        money=money,
        notify=notify,
        after=after.length(after.default_days()) if after else None,
        input=input,
        confirm=confirm,
        style=style,
        guard=guard,
        delay=after,
        event_label=event_label or label,
    )


# -- status groups: the one home of each (docs/orders.md "Status groups" says what each means) --
ALL = frozenset(s.value for s in S)
UNPAID = frozenset({S.pending_payment.value})
TERMINAL = frozenset({S.completed.value, S.cancelled.value})
OPEN = ALL - TERMINAL
ACTIVE = OPEN - UNPAID
PLACED = ALL - UNPAID
STARTED = frozenset({S.in_progress.value, S.delivered.value, S.revision_requested.value})
IN_ESCROW = STARTED | {S.disputed.value}
AWAITING_DELIVERY = frozenset({S.in_progress.value, S.revision_requested.value})

TRANSITIONS: tuple[Transition, ...] = (
    # -- payment and start ------------------------------------------------------------------
    _t(
        "pay",
        "Pay",
        (S.pending_payment,),
        S.awaiting_requirements,
        (BUYER, SYSTEM),
        money="hold",
        notify=("buyer", "seller"),
        event_label="Payment authorised (held on the card)",
    ),
    _t(
        "expire_unpaid",
        "Expire unpaid checkout",
        (S.pending_payment,),
        S.cancelled,
        (SYSTEM,),
        money="void",
        after=Delay(days=1),
        event_label="Checkout abandoned",
    ),
    _t(
        "submit_requirements",
        "Submit requirements and start",
        (S.awaiting_requirements,),
        S.in_progress,
        (BUYER, SYSTEM),
        money="capture",
        notify=("seller",),
        input="requirements",
        style="primary",
        event_label="Requirements submitted; the order started",
    ),
    _t(
        "cancel_unstarted",
        "Cancel order",
        (S.awaiting_requirements,),
        S.cancelled,
        (BUYER, SELLER),
        money="void",
        notify=("buyer", "seller"),
        input="reason",
        confirm="Cancel this order? The hold on the card is released and nothing is charged.",
        style="danger",
        event_label="Cancelled before it started",
    ),
    _t(
        "remind_requirements",
        "Remind to submit requirements",
        (S.awaiting_requirements,),
        STAY,
        (SYSTEM,),
        notify=("buyer",),
        after=Delay(setting="order_start_deadline_days", reminder=True),
        event_label="Reminder: submit the requirements or the order is cancelled tomorrow",
    ),
    _t(
        "expire_unstarted",
        "Cancel unstarted order",
        (S.awaiting_requirements,),
        S.cancelled,
        (SYSTEM,),
        money="void",
        notify=("buyer", "seller"),
        after=START_DEADLINE,
        event_label="Cancelled: never started, the card hold was released",
    ),
    # -- work -------------------------------------------------------------------------------
    _t(
        "deliver",
        "Deliver work",
        AWAITING_DELIVERY,
        S.delivered,
        (SELLER,),
        notify=("buyer",),
        input="delivery",
        style="primary",
        event_label="Delivered",
    ),
    _t(
        "request_revision",
        "Request a revision",
        (S.delivered,),
        S.revision_requested,
        (BUYER,),
        notify=("seller",),
        input="message",
        guard="revisions_left",
        event_label="Revision requested",
    ),
    _t(
        "accept",
        "Accept delivery",
        (S.delivered,),
        S.completed,
        (BUYER,),
        money="release",
        notify=("buyer", "seller"),
        confirm="Accept the delivery? The seller is paid and the order completes.",
        style="primary",
        event_label="Delivery accepted; the seller is paid",
    ),
    _t(
        "remind_auto_complete",
        "Remind before auto-complete",
        (S.delivered,),
        STAY,
        (SYSTEM,),
        notify=("buyer",),
        after=Delay(setting="auto_complete_days", reminder=True),
        event_label="Reminder: the order completes by itself tomorrow",
    ),
    _t(
        "auto_complete",
        "Complete automatically",
        (S.delivered,),
        S.completed,
        (SYSTEM,),
        money="release",
        notify=("buyer", "seller"),
        after=AUTO_COMPLETE,
        event_label="Completed automatically; the seller is paid",
    ),
    # -- cancellation -----------------------------------------------------------------------
    _t(
        "request_cancellation",
        "Ask to cancel",
        STARTED,
        STAY,
        (BUYER, SELLER),
        notify=("buyer", "seller"),
        input="reason",
        guard="no_cancellation_request",
        event_label="Cancellation requested",
    ),
    _t(
        "accept_cancellation",
        "Agree to cancel",
        STARTED,
        S.cancelled,
        (BUYER, SELLER),
        money="refund",
        notify=("buyer", "seller"),
        confirm="Agree to cancel? The buyer is refunded in full.",
        style="danger",
        guard="cancellation_requested_by_other",
        event_label="Cancelled by agreement; the buyer was refunded",
    ),
    _t(
        "decline_cancellation",
        "Decline cancellation",
        STARTED,
        STAY,
        (BUYER, SELLER),
        notify=("buyer", "seller"),
        input="message",
        guard="cancellation_requested_by_other",
        event_label="Cancellation declined",
    ),
    _t(
        "withdraw_cancellation",
        "Withdraw cancellation request",
        STARTED,
        STAY,
        (BUYER, SELLER),
        notify=("buyer", "seller"),
        guard="cancellation_requested_by_self",
        event_label="Cancellation request withdrawn",
    ),
    _t(
        "cancel_late",
        "Cancel late order",
        AWAITING_DELIVERY,
        S.cancelled,
        (BUYER,),
        money="refund",
        notify=("buyer", "seller"),
        input="reason",
        confirm="The order is late. Cancel it now? You are refunded in full.",
        style="danger",
        guard="late",
        event_label="Cancelled because it was late; the buyer was refunded",
    ),
    # -- disputes ---------------------------------------------------------------------------
    _t(
        "open_dispute",
        "Open a dispute",
        STARTED,
        S.disputed,
        (BUYER, SELLER),
        notify=("buyer", "seller"),
        input="reason",
        confirm="Open a dispute? The order is frozen until an admin resolves it.",
        style="danger",
        event_label="Dispute opened; the order is frozen",
    ),
    _t(
        "resolve_release",
        "Resolve: pay the seller",
        (S.disputed,),
        S.completed,
        (ADMIN,),
        money="release",
        notify=("buyer", "seller"),
        input="message",
        confirm="Release the money to the seller and complete the order?",
        style="primary",
        event_label="Dispute resolved: the seller was paid",
    ),
    _t(
        "resolve_refund",
        "Resolve: refund the buyer",
        (S.disputed,),
        S.cancelled,
        (ADMIN,),
        money="refund",
        notify=("buyer", "seller"),
        input="message",
        confirm="Refund the buyer in full and cancel the order?",
        style="danger",
        event_label="Dispute resolved: the buyer was refunded",
    ),
    _t(
        "resolve_split",
        "Resolve: split",
        (S.disputed,),
        S.completed,
        (ADMIN,),
        money="split",
        notify=("buyer", "seller"),
        input="amount",
        confirm="Refund this part to the buyer and pay the seller the rest?",
        event_label="Dispute resolved by a split",
    ),
)

_BY_NAME = {t.name: t for t in TRANSITIONS}
assert len(_BY_NAME) == len(TRANSITIONS), "transition names must be unique"

TIMED: tuple[Transition, ...] = tuple(t for t in TRANSITIONS if t.after is not None)
STATE_LABELS = {
    S.pending_payment: "Awaiting payment",
    S.awaiting_requirements: "Awaiting requirements",
    S.in_progress: "In progress",
    S.delivered: "Delivered",
    S.revision_requested: "Revision requested",
    S.completed: "Completed",
    S.cancelled: "Cancelled",
    S.disputed: "In dispute",
}


def transition(name: str) -> Transition:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no transition named {name!r}") from None


def said(t: Transition, from_status: str | None) -> str:
    """How the timeline and the notifications say that `t` happened from `from_status`: a
    delivery after a revision request is a revision delivery, so the two read differently."""
    if t.name == "deliver" and from_status == S.revision_requested.value:
        return "Revision delivered"
    return t.event_label


def target(t: Transition, current: str) -> str:
    """The status after taking `t` from `current`."""
    return current if t.to_state == STAY else t.to_state


def effective_after(t: Transition, settings: config.Settings) -> timedelta:
    """A timed transition's delay with the configured number of days (`t.after` is the
    default's)."""
    if t.delay is None:
        raise ValueError(f"{t.name} is not timed")
    d = t.delay
    return d.length(getattr(settings, d.setting) if d.setting else d.days)


def _describe(t: Transition) -> str:
    who = "/".join(sorted(t.actors))
    parts = [t.name, who]
    if t.delay is not None:
        parts.append(f"after {t.delay.describe()}")
    if t.money:
        parts.append(f"money: {t.money}")
    return " · ".join(parts)


def mermaid() -> str:
    """The process as a Mermaid state diagram (one edge per from-state)."""
    lines = ["stateDiagram-v2", "    [*] --> pending_payment: place (buyer)"]
    for t in TRANSITIONS:
        for source in sorted(t.from_states):
            lines.append(f"    {source} --> {target(t, source)}: {_describe(t)}")
    lines += ["    completed --> [*]", "    cancelled --> [*]"]
    return "\n".join(lines) + "\n"
