"""`/orders/<code>`: one order for its buyer, its seller and admins. The page shows exactly the
actions services.orders.available_actions lists for the viewer; each button only collects the
input its action asks for and hands it to services.orders.perform, which checks everything; a
step the viewer takes as an admin (resolving a dispute) goes through the moderation service
instead (services/moderation/disputes.act_on_order), which writes the audit row."""

import asyncio
import logging

import reflex as rx

from marketplace.db import session_scope
from marketplace.models import User
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.gigs import rules as gig_rules
from marketplace.services.moderation import disputes as admin_orders
from marketplace.services.orders import executor as orders
from marketplace.services.orders import files as order_files
from marketplace.services.orders import views as order_views
from marketplace.settings import get_settings
from marketplace.state.base import AppState
from marketplace.state.event_args import bounded_text, index_arg
from marketplace.state.order_models import ActionButton, OrderView

MESSAGE_LIMIT = 5000
ANSWER_LIMIT = 5000


def _code_from_path(path: str) -> str:
    parts = (path or "").rstrip("/").split("/")
    return parts[2][:20] if len(parts) == 3 and parts[1] == "orders" else ""


log = logging.getLogger(__name__)


class OrderPageState(AppState):
    loading: bool = True
    found: bool = True
    order: OrderView = OrderView()
    acting: bool = False
    # requirements form
    answers: dict[str, str] = {}
    answer_files: dict[str, str] = {}  # requirement key -> file name shown
    requirements_error: str = ""
    _answer_file_data: dict[str, dict] = {}
    # delivery form
    delivery_message: str = ""
    delivery_files: list[str] = []  # names shown
    delivery_error: str = ""
    _delivery_file_data: list[dict] = []
    _job: dict = {}  # the step an ordered handler queued for run_step
    # the dialog of the action being taken
    dialog_name: str = ""
    dialog_label: str = ""
    dialog_input: str = ""
    dialog_confirm: str = ""
    dialog_style: str = ""
    dialog_message: str = ""
    dialog_amount: str = ""
    dialog_error: str = ""

    @rx.var
    def page_title(self) -> str:
        return f"Order {self.order.code} · Gigworks" if self.order.code else "Order · Gigworks"

    @rx.var
    def requirements_action(self) -> str:
        return next((a.label for a in self.order.actions if a.input == "requirements"), "")

    @rx.var
    def can_deliver(self) -> bool:
        return any(a.input == "delivery" for a in self.order.actions)

    @rx.var
    def deliver_label(self) -> str:
        return next((a.label for a in self.order.actions if a.input == "delivery"), "Deliver")

    @rx.var
    def button_actions(self) -> list[ActionButton]:
        """The actions that are buttons (the forms carry requirements and delivery)."""
        return [a for a in self.order.actions if a.input not in ("requirements", "delivery")]

    def _action(self, kind: str = "", name: str = "") -> ActionButton | None:
        for action in self.order.actions:
            if (name and action.name == name) or (kind and action.input == kind):
                return action
        return None

    def _reload(self, user: User) -> None:
        self._show(_read_order(user, _code_from_path(self.router.url.path)))

    def _show(self, view: OrderView | None) -> None:
        self.found = view is not None
        self.order = view or OrderView()

    def _reset_forms(self) -> None:
        self.answers, self.answer_files, self._answer_file_data = {}, {}, {}
        self.requirements_error = ""
        self.delivery_message, self.delivery_files, self._delivery_file_data = "", [], []
        self.delivery_error = ""
        self._close_dialog()

    @rx.event
    def load(self):
        user = self._require_user()
        if self.order.code != _code_from_path(self.router.url.path):
            self.loading = True
            self.order = OrderView()
        self._reset_forms()
        self.acting = False
        yield
        self._reload(user)
        self.loading = False
        yield rx.call_script(COUNTDOWN_JS)

    async def _perform(
        self, user: User, code: str, name: str, payload: dict | None, as_admin: bool = False
    ) -> str:
        """Run one action through the executor off the state lock (it may call Stripe), then
        show the order as it now is; "" on success, else the message to show. Called from
        background events, outside `async with self`."""
        message = await asyncio.to_thread(_perform_action, user, code, name, payload, as_admin)
        view = await asyncio.to_thread(_read_order, user, code)
        async with self:
            self._show(view)
        if not message:
            await ring_order_parties(code)
        return message

    # --- requirements --------------------------------------------------------------------------

    @rx.event
    def set_answer(self, key: str, value: str):
        self._require_user()
        if isinstance(key, str) and any(r.key == key for r in self.order.requirements):
            self.answers = {**self.answers, key: bounded_text(value, ANSWER_LIMIT)}

    @rx.event
    async def upload_answer_file(self, files: list[rx.UploadFile], key: str = ""):
        _, refuse = self._upload_guard()
        if refuse:
            return refuse
        requirement = next((r for r in self.order.requirements if r.key == key), None)
        if requirement is None or requirement.kind != "file":
            return
        if not isinstance(files, list) or len(files) != 1:
            self.requirements_error = "Choose one file."
            return
        stored, message = await _store(files[0])
        if message:
            self.requirements_error = message
            return
        self._answer_file_data = {**self._answer_file_data, key: stored}
        self.answer_files = {**self.answer_files, key: stored["name"]}
        self.requirements_error = ""

    @rx.event
    def submit_requirements(self):
        user = self._require_user()
        action = self._action(kind="requirements")
        if action is None or self.acting:
            return
        answers = []
        for r in self.order.requirements:
            text = self.answers.get(r.key, "").strip()
            file = self._answer_file_data.get(r.key) if r.kind == "file" else None
            answers.append({"requirement_id": r.id, "answer": text, "file": file})
        return self._queue("requirements", action, {"answers": answers}, user)

    # --- delivery ------------------------------------------------------------------------------

    @rx.event
    def set_delivery_message(self, value: str):
        self._require_user()
        self.delivery_message = bounded_text(value, MESSAGE_LIMIT)

    @rx.event
    async def upload_delivery_files(self, files: list[rx.UploadFile]):
        _, refuse = self._upload_guard()
        if refuse:
            return refuse
        if not isinstance(files, list) or not files:
            return
        room = order_files.MAX_FILES_PER_DELIVERY - len(self._delivery_file_data)
        if len(files) > room:
            self.delivery_error = (
                f"A delivery has at most {order_files.MAX_FILES_PER_DELIVERY} files."
            )
            return
        stored_files = []
        for upload in files:
            stored, message = await _store(upload)
            if message:
                self.delivery_error = message
                return
            stored_files.append(stored)
        self._delivery_file_data = self._delivery_file_data + stored_files
        self.delivery_files = [f["name"] for f in self._delivery_file_data]
        self.delivery_error = ""

    @rx.event
    def remove_delivery_file(self, index: int):
        self._require_user()
        index = index_arg(index)
        if 0 <= index < len(self._delivery_file_data):
            data = list(self._delivery_file_data)
            data.pop(index)
            self._delivery_file_data = data
            self.delivery_files = [f["name"] for f in data]

    @rx.event
    def submit_delivery(self):
        user = self._require_user()
        action = self._action(kind="delivery")
        if action is None or self.acting:
            return
        payload = {
            "message": self.delivery_message.strip(),
            "files": list(self._delivery_file_data),
        }
        return self._queue("delivery", action, payload, user)

    # --- the other actions ---------------------------------------------------------------------

    def _close_dialog(self) -> None:
        self.dialog_name = self.dialog_label = self.dialog_input = ""
        self.dialog_confirm = self.dialog_style = ""
        self.dialog_message = self.dialog_amount = self.dialog_error = ""

    @rx.event
    def start_action(self, name: str):
        """A button was pressed: act at once, or open the dialog that collects its input."""
        user = self._require_user()
        action = self._action(name=name) if isinstance(name, str) and name else None
        if action is None or self.acting:
            return
        if action.input not in ("", None) or action.confirm:
            self.dialog_name, self.dialog_label = action.name, action.label
            self.dialog_input, self.dialog_confirm = action.input or "", action.confirm
            self.dialog_style = action.style
            self.dialog_message = self.dialog_amount = self.dialog_error = ""
            return
        return self._queue("button", action, None, user)

    @rx.event
    def set_dialog_message(self, value: str):
        self._require_user()
        self.dialog_message = bounded_text(value, MESSAGE_LIMIT)

    @rx.event
    def set_dialog_amount(self, value: str):
        self._require_user()
        self.dialog_amount = bounded_text(value, 20)

    @rx.event
    def close_dialog(self, still_open: bool = False):
        self._require_user()
        if still_open is not True and not self.acting:
            self._close_dialog()

    @rx.event
    def confirm_dialog(self):
        user = self._require_user()
        action = self._action(name=self.dialog_name) if self.dialog_name else None
        if action is None or self.acting:
            self._close_dialog()
            return
        payload: dict | None = None
        text = self.dialog_message.strip()
        if action.input in ("message", "reason"):
            if action.input == "reason" and not text:
                self.dialog_error = "Please say why."
                return
            payload = {"message": text}
        elif action.input == "amount":
            cents, _ = gig_rules.parse_dollars(self.dialog_amount)
            if cents is None:
                self.dialog_error = "Enter the amount to refund, e.g. 25 or 25.50."
                return
            payload = {"refund_cents": cents, "message": text}
        return self._queue("dialog", action, payload, user)

    # --- running a step off the lock ------------------------------------------------------------

    def _queue(self, form: str, action: ActionButton, payload: dict | None, user: User):
        """Read the forms in this (ordered) event, then run the step in `run_step`, a
        background event queued after it: the executor may call Stripe, and the tab's lock is
        free meanwhile. Background events skip the per-tab queue, so they never read the
        forms themselves (a keystroke still in flight would be missed)."""
        self.acting = True
        self._job = {
            "form": form,
            "name": action.name,
            "label": action.label,
            "payload": payload,
            "code": self.order.code,
            "user_id": user.id,
            # the role the executor gave this viewer when the page loaded the order
            "as_admin": self.order.viewer_role == "admin",
        }
        return OrderPageState.run_step

    @rx.event(background=True)
    async def run_step(self):
        """The queued step (takes no arguments: a client calling it directly runs only what
        this tab's own ordered handler queued, as the signed-in user)."""
        async with self:
            user = self._require_user()
            job, self._job = self._job, {}
            if not job or job.get("user_id") != user.id:
                self.acting = False
                return
        message = await self._perform(
            user, job["code"], job["name"], job["payload"], job.get("as_admin", False)
        )
        form = job["form"]
        async with self:
            self.acting = False
            if form == "requirements":
                if message:
                    self.requirements_error = message
                    return
                self.answers, self.answer_files, self._answer_file_data = {}, {}, {}
                self.requirements_error = ""
            elif form == "delivery":
                if message:
                    self.delivery_error = message
                    return
                self.delivery_message, self.delivery_files = "", []
                self._delivery_file_data = []
                self.delivery_error = ""
            elif form == "dialog":
                if message:
                    self.dialog_error = message
                    return
                self._close_dialog()
        if form == "requirements":
            yield rx.toast.success("Requirements sent. The seller's clock has started.")
        elif form == "delivery":
            yield rx.toast.success("Delivered. The buyer has been told.")
        else:
            yield _result_toast(message, job["label"])


async def ring_order_parties(code: str) -> None:
    """A step notified the buyer or the seller: their open tabs' bells update now (best
    effort; the bell also catches up from the database every 30 s and on reconnect)."""
    from marketplace.state.live import push

    def parties() -> list[int]:
        with session_scope() as session:
            return order_views.party_ids(session, code=code)

    try:
        await push(await asyncio.to_thread(parties))
    except Exception:  # noqa: BLE001  (live delivery is best effort; the rows are written)
        log.warning("live push for order %s failed", code, exc_info=True)


def _read_order(user: User, code: str) -> OrderView | None:
    """The order page's read model for this viewer, or None when it is not theirs to see."""
    try:
        with session_scope() as session:
            return OrderView.from_page(order_views.order_page(session, code=code, viewer=user))
    except NotFound:
        return None


def _perform_action(
    user: User, code: str, name: str, payload: dict | None, as_admin: bool = False
) -> str:
    """One executor step (it may call Stripe): "" on success, else the message to show. A
    viewer who is on the order as an admin (not its buyer or seller) acts through the
    moderation service, so the step is in the audit log whichever page it started from."""
    try:
        if as_admin:
            admin_orders.act_on_order(admin=user, order_code=code, action=name, payload=payload)
        else:
            orders.perform(order_code=code, action=name, actor=user, payload=payload)
    except NotFound:
        return "This order is no longer available to you."
    except DomainError as exc:
        return str(exc) or "That can't be done now."
    return ""


def _result_toast(message: str, label: str):
    if message:
        return rx.toast.error(message)
    return rx.toast.success(f"{label}: done.")


async def _store(upload) -> tuple[dict, str]:
    """Check and store one uploaded file; (stored file, "") or ({}, message)."""
    limit = get_settings().max_upload_bytes
    if upload.size is not None and upload.size > limit:
        return {}, f"Files can be at most {limit // 2**20} MB."
    data = await upload.read(limit + 1)
    try:
        stored = await asyncio.to_thread(
            order_files.store_order_file, data=data, filename=upload.filename or "file"
        )
    except DomainError as exc:
        return {}, str(exc)
    return stored, ""


# Ticks every element with data-due once a second ("2d 4h 10m 5s left" / "late by …"); the
# elements are rendered empty, so React never writes over the text.
COUNTDOWN_JS = """
(() => {
  if (window.gigworksCountdown) return;
  const part = (n, unit) => n + unit;
  const tick = () => {
    document.querySelectorAll('[data-due]').forEach((el) => {
      const due = Date.parse(el.dataset.due);
      if (!due) { el.textContent = ''; return; }
      let left = Math.round((due - Date.now()) / 1000);
      const late = left < 0; left = Math.abs(left);
      const d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      const m = Math.floor(left % 3600 / 60), s = left % 60;
      const text = (d ? part(d, 'd ') : '') + part(h, 'h ') + part(m, 'm ') + part(s, 's');
      el.textContent = late ? 'Late by ' + text : text + ' left';
    });
  };
  tick();
  window.gigworksCountdown = setInterval(tick, 1000);
})()
"""
