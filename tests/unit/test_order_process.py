"""The order process table: every transition allowed and refused, per actor and state; the
diagram in docs/orders.md is the table's."""

import ast
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from marketplace import settings as config
from marketplace.models import ActorRole, Order, OrderStatus, User
from marketplace.services.orders import process
from marketplace.services.orders.executor import available_actions, refusal
from marketplace.settings import Settings, load_settings

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ROLES = [r.value for r in ActorRole]
STATES = [s.value for s in OrderStatus]
DOC = Path(__file__).resolve().parents[2] / "docs" / "orders.md"


def order(status: str, **fields) -> Order:
    values = dict(
        id=1, code="GW-TEST", buyer_id=1, seller_id=2, status=status, title="t",
        subtotal_cents=2_000, service_fee_cents=110, total_cents=2_110, commission_cents=400,
        seller_earnings_cents=1_600, delivery_days=3, revisions_allowed=1, revisions_used=0,
        due_at=NOW - timedelta(hours=1), cancellation_requested_by="",
    )  # fmt: skip
    values.update(fields)
    return Order(**values)


def satisfying(t: process.Transition, status: str, role: str) -> Order:
    """An order in `status` on which t's guard holds for `role`."""
    other = "seller" if role == "buyer" else "buyer"
    requested = {
        "cancellation_requested_by_other": other,
        "cancellation_requested_by_self": role,
    }.get(t.guard or "", "")
    return order(status, cancellation_requested_by=requested)


CASES = [(t, s, r) for t in process.TRANSITIONS for s in STATES for r in ROLES]


@pytest.mark.parametrize(
    ("t", "status", "role"), CASES, ids=[f"{t.name}-{s}-{r}" for t, s, r in CASES]
)
def test_each_transition_is_allowed_exactly_for_its_actors_and_states(t, status, role):
    why = refusal(t, satisfying(t, status, role), role, NOW)
    if role in t.actors and status in t.from_states:
        assert why == ""
    else:
        assert why != ""


def test_no_actor_may_do_anything():
    for t in process.TRANSITIONS:
        assert refusal(t, order(next(iter(t.from_states))), None, NOW)


def test_guards_refuse_with_a_message():
    revise = process.transition("request_revision")
    spent = order("delivered", revisions_used=1, revisions_allowed=1)
    assert "No revisions" in refusal(revise, spent, "buyer", NOW)
    unlimited = order("delivered", revisions_used=9, revisions_allowed=-1)
    assert refusal(revise, unlimited, "buyer", NOW) == ""

    late = process.transition("cancel_late")
    on_time = order("in_progress", due_at=NOW + timedelta(days=1))
    assert "not late" in refusal(late, on_time, "buyer", NOW)

    ask = process.transition("request_cancellation")
    assert "already open" in refusal(
        ask, order("in_progress", cancellation_requested_by="seller"), "buyer", NOW
    )
    agree = process.transition("accept_cancellation")
    own = order("in_progress", cancellation_requested_by="buyer")
    assert "other side" in refusal(agree, own, "buyer", NOW)
    assert refusal(agree, own, "seller", NOW) == ""


def test_the_disputed_state_is_frozen_for_the_parties():
    for role in ("buyer", "seller", "system"):
        allowed = [
            t.name for t in process.TRANSITIONS
            if refusal(t, order("disputed"), role, NOW) == ""
        ]  # fmt: skip
        assert allowed == []
    assert {t.name for t in process.TRANSITIONS if "disputed" in t.from_states} == {
        "resolve_release", "resolve_refund", "resolve_split",
    }  # fmt: skip


def test_terminal_states_have_no_way_out():
    for t in process.TRANSITIONS:
        assert not (t.from_states & process.TERMINAL)


def test_every_state_is_reachable_and_money_steps_are_known():
    reached = {OrderStatus.pending_payment.value}
    for _ in STATES:
        for t in process.TRANSITIONS:
            if t.from_states & reached and t.to_state != process.STAY:
                reached.add(t.to_state)
    assert reached == set(STATES)
    assert {t.money for t in process.TRANSITIONS} <= {
        None, "hold", "capture", "release", "void", "refund", "split",
    }  # fmt: skip
    timed = {t.name for t in process.TIMED}
    assert timed == {
        "expire_unpaid", "remind_requirements", "expire_unstarted", "remind_auto_complete",
        "auto_complete",
    }  # fmt: skip
    assert all(t.actors == {"system"} for t in process.TIMED)


def test_intervals_follow_the_settings():
    auto = process.transition("auto_complete")
    remind = process.transition("remind_auto_complete")
    expire = process.transition("expire_unstarted")
    kw = SimpleNamespace(auto_complete_days=5, order_start_deadline_days=4)
    assert process.effective_after(auto, kw) == timedelta(days=5)
    assert process.effective_after(remind, kw) == timedelta(days=4)
    assert process.effective_after(expire, kw) == timedelta(days=4)
    one = SimpleNamespace(auto_complete_days=1, order_start_deadline_days=1)
    assert process.effective_after(remind, one) == timedelta(hours=12)


def test_the_delays_have_one_source_the_settings_module():
    """Issue 23: the 3 and 6 days were written in the process table and twice in settings, and
    a timed transition named its setting by a string such as "AUTO_COMPLETE_DAYS - 1"."""
    fields = {f.name for f in dataclasses.fields(Settings)}
    for t in process.TIMED:
        assert t.delay is not None, t.name
        assert t.delay.setting in fields | {""}, t.name  # a real Settings field, by name
    from_env = load_settings({})
    defaults = SimpleNamespace(
        auto_complete_days=config.AUTO_COMPLETE_DAYS_DEFAULT,
        order_start_deadline_days=config.ORDER_START_DEADLINE_DAYS_DEFAULT,
    )
    assert from_env.auto_complete_days == config.AUTO_COMPLETE_DAYS_DEFAULT
    assert from_env.order_start_deadline_days == config.ORDER_START_DEADLINE_DAYS_DEFAULT
    assert config.DOCUMENTED["AUTO_COMPLETE_DAYS"][0] == str(config.AUTO_COMPLETE_DAYS_DEFAULT)
    assert config.DOCUMENTED["ORDER_START_DEADLINE_DAYS"][0] == str(
        config.ORDER_START_DEADLINE_DAYS_DEFAULT
    )
    for t in process.TIMED:  # the table's default is the settings' default
        assert t.after == process.effective_after(t, defaults), t.name


def test_available_actions_are_what_the_viewer_may_press():
    buyer = User(id=1, email="b@x", username="b", display_name="B")
    seller = User(id=2, email="s@x", username="s", display_name="S")
    delivered = order("delivered")
    assert [a.name for a in available_actions(None, order=delivered, actor=buyer)] == [
        "request_revision", "accept", "request_cancellation", "open_dispute",
    ]  # fmt: skip
    assert [a.name for a in available_actions(None, order=delivered, actor=seller)] == [
        "request_cancellation", "open_dispute",
    ]  # fmt: skip
    asked = order("in_progress", cancellation_requested_by="buyer", due_at=None)
    assert [a.name for a in available_actions(None, order=asked, actor=seller)] == [
        "deliver", "accept_cancellation", "decline_cancellation", "open_dispute",
    ]  # fmt: skip
    busy = order("delivered", pending_action="accept")
    assert [a.name for a in available_actions(None, order=busy, actor=seller)] == []


def test_the_document_carries_the_tables_diagram():
    text = DOC.read_text(encoding="utf-8")
    start = text.index("```mermaid\n") + len("```mermaid\n")
    end = text.index("```", start)
    assert text[start:end] == process.mermaid(), (
        "docs/orders.md and the process table disagree: paste `python -m marketplace "
        "order-process` into the mermaid block"
    )


def _order_status_members(node) -> int:
    """How many elements of a literal tuple/set/list name an OrderStatus member."""

    def names_status(elt) -> bool:
        while isinstance(elt, ast.Attribute) and elt.attr == "value":
            elt = elt.value
        return (
            isinstance(elt, ast.Attribute)
            and isinstance(elt.value, ast.Name)
            and elt.value.id == "OrderStatus"
        )

    return sum(names_status(e) for e in node.elts)


def test_order_status_groups_have_one_home():
    """Issue 23: open / active / terminal / started were written in six places with two
    meanings of "open". The groups live in services/orders/process.py; no other module of the
    app writes a literal group of two or more statuses."""
    root = Path(__file__).resolve().parents[2] / "marketplace"
    home = root / "services" / "orders" / "process.py"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == home or "demo" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple | ast.Set | ast.List) and _order_status_members(node) > 1:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not found, found
    g = process
    assert g.OPEN == g.ALL - g.TERMINAL and g.ACTIVE == g.OPEN - g.UNPAID
    assert g.PLACED == g.ALL - g.UNPAID and g.STARTED | {"disputed"} == g.IN_ESCROW
    assert g.AWAITING_DELIVERY < g.STARTED
