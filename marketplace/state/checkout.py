"""`/checkout/<slug>`: the quote (services.checkout.quote), then the payment in three steps:
begin_payment on the server (one order and one hold per checkout key), confirmCardPayment in
the browser (card data goes from Stripe.js to Stripe, never to us), confirm_payment on the
server (which asks Stripe again rather than trusting the browser's word).

The checkout key is made once per page load and kept in the address bar (`key=`), so a double
click, a reload or a retry after a declined card all reach the same order. Choosing other
extras or another quantity makes a new key: that is a different purchase."""

import asyncio
import json
import re
import secrets
from urllib.parse import urlencode

import reflex as rx

from marketplace.db import session_scope
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.orders import checkout
from marketplace.services.orders.pricing import MAX_QUANTITY
from marketplace.state.base import AppState, SignInRequired
from marketplace.state.event_args import index_arg
from marketplace.state.order import ring_order_parties
from marketplace.state.order_models import CheckoutView

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")  # what _new_key makes
TIERS = ("basic", "standard", "premium")

# Loads Stripe.js from the address the server gave (the local Stripe server's fake, or
# js.stripe.com) and mounts the card element into #card-element once it is on the page.
MOUNT_CARD_JS = """
(async () => {
  const url = %(url)s, key = %(key)s;
  if (!window.Stripe) {
    await new Promise((resolve, reject) => {
      let tag = document.querySelector('script[data-gigworks-stripe]');
      if (!tag) {
        tag = document.createElement('script');
        tag.src = url;
        tag.dataset.gigworksStripe = '1';
        document.head.appendChild(tag);
      }
      tag.addEventListener('load', resolve);
      tag.addEventListener('error', () => reject(new Error('Stripe.js did not load.')));
    });
  }
  let box = null;
  for (let i = 0; i < 100 && !(box = document.getElementById('card-element')); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!box) return 'The card form could not be shown. Reload the page.';
  const gw = window.gigworksCheckout;
  if (gw && gw.box === box && box.childElementCount > 0) return '';
  const stripe = Stripe(key);
  const card = stripe.elements().create('card', {hidePostalCode: false});
  card.mount(box);
  window.gigworksCheckout = {stripe: stripe, card: card, box: box};
  return '';
})().catch((err) => String(err && err.message || err))
"""

# Confirms the PaymentIntent with the typed card; 3-D Secure opens Stripe's own dialog here.
CONFIRM_CARD_JS = """
(async () => {
  const gw = window.gigworksCheckout;
  if (!gw || !gw.stripe) {
    return {ok: false, message: 'The card form is not ready. Reload the page.'};
  }
  const result = await gw.stripe.confirmCardPayment(%(secret)s, {payment_method: {card: gw.card}});
  if (result.error) {
    return {ok: false, message: result.error.message || 'Your card was not accepted.'};
  }
  return {ok: true, message: ''};
})().catch((err) => ({ok: false, message: String(err && err.message || err)}))
"""


def _offer_from_path(path: str) -> int:
    """`/checkout/offer/<id>`: a custom offer's checkout (messaging); 0 otherwise."""
    parts = (path or "").rstrip("/").split("/")
    if len(parts) == 4 and parts[1:3] == ["checkout", "offer"] and parts[3].isdigit():
        return int(parts[3]) if len(parts[3]) < 10 else 0
    return 0


def _slug_from_path(path: str) -> str:
    parts = (path or "").rstrip("/").split("/")
    return parts[2] if len(parts) == 3 and parts[1] == "checkout" else ""


def _extra_ids(raw: object) -> list[int]:
    if not isinstance(raw, str):
        return []
    ids = [int(p) for p in raw.split(",")[:20] if p.strip().isdigit() and len(p.strip()) <= 9]
    return sorted(set(ids))


def _quantity(raw: object) -> int:
    if isinstance(raw, str) and raw.isdigit() and len(raw) <= 3:
        return max(1, min(int(raw), MAX_QUANTITY))
    return 1


def _new_key() -> str:
    return secrets.token_hex(16)


class CheckoutState(AppState):
    loading: bool = True
    found: bool = True
    load_error: str = ""
    quote: CheckoutView = CheckoutView()
    slug: str = ""
    tier: str = ""
    extra_ids: list[int] = []
    quantity: int = 1
    checkout_key: str = ""
    quoting: bool = False
    publishable_key: str = ""
    stripe_js_url: str = ""
    test_mode: bool = False
    card_error: str = ""
    paying: bool = False
    pay_step: str = ""  # what the button says while paying
    pay_error: str = ""
    _order_code: str = ""
    _selection: dict = {}  # what `pay` chose, for start_payment
    offer_id: int = 0  # a custom offer's checkout (messaging)

    @rx.var
    def max_quantity(self) -> int:
        return MAX_QUANTITY

    def _path(self) -> str:
        if self.offer_id:
            return f"/checkout/offer/{self.offer_id}?" + urlencode({"key": self.checkout_key})
        params = {"package": self.tier, "qty": str(self.quantity), "key": self.checkout_key}
        if self.extra_ids:
            params["extras"] = ",".join(str(i) for i in self.extra_ids)
        return f"/checkout/{self.slug}?" + urlencode(params)

    def _guard(self):
        """The sign-in guard, sending a visitor back to this very selection afterwards."""
        try:
            return self._require_user()
        except SignInRequired:
            query = self.router.url.query_parameters
            if _offer_from_path(self.router.url.path):
                raise SignInRequired(self.router.url.path) from None
            raise SignInRequired(
                f"/checkout/{_slug_from_path(self.router.url.path)}?{urlencode(dict(query))}"
            ) from None

    def _quote(self, user) -> bool:
        """Ask the service for the price of the current selection; False when it refused."""
        try:
            with session_scope() as session:
                if self.offer_id:
                    found = checkout.offer_quote(session, offer_id=self.offer_id, viewer=user)
                else:
                    found = checkout.quote(
                        session,
                        gig_slug=self.slug,
                        tier=self.tier,
                        extra_ids=self.extra_ids,
                        quantity=self.quantity,
                        viewer=user,
                    )
        except NotFound:
            self.found = False
            return False
        except DomainError as exc:
            self.load_error = str(exc)
            return False
        self.quote = CheckoutView.from_quote(found)
        self.tier = found.tier
        self.quantity = found.quantity
        self.extra_ids = sorted(e.id for e in found.extras if e.chosen)
        self.publishable_key = found.publishable_key
        self.stripe_js_url = found.stripe_js_url
        self.test_mode = found.test_mode
        return True

    def _show_url(self):
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(self._path())})")

    @rx.event
    def load(self):
        user = self._guard()
        params = self.router.url.query_parameters
        self.offer_id = _offer_from_path(self.router.url.path)
        self.slug = _slug_from_path(self.router.url.path)
        tier = params.get("package", "")
        self.tier = tier if tier in TIERS else "basic"
        self.extra_ids = _extra_ids(params.get("extras", ""))
        self.quantity = _quantity(params.get("qty", "1"))
        key = params.get("key", "")
        self.checkout_key = key if isinstance(key, str) and KEY_PATTERN.match(key) else _new_key()
        self.loading, self.found, self.load_error = True, True, ""
        self.paying, self.pay_error, self.pay_step, self.card_error = False, "", "", ""
        self._order_code = ""
        yield
        ok = self._quote(user)
        if ok and self.offer_id:
            self.slug = self.quote.gig_slug
        self.loading = False
        if not ok:
            return
        yield self._show_url()
        yield self._mount_card()

    def _mount_card(self):
        script = MOUNT_CARD_JS % {
            "url": json.dumps(self.stripe_js_url),
            "key": json.dumps(self.publishable_key),
        }
        return rx.call_script(script, callback=CheckoutState.card_mounted)

    @rx.event
    def card_mounted(self, message: str):
        self._require_user()
        self.card_error = message[:200] if isinstance(message, str) else ""

    def _requote(self, user):
        self.quoting = True
        yield
        before = self.quote
        if self._quote(user):
            self.checkout_key = _new_key()  # another selection is another purchase
            self.pay_error = ""
            yield self._show_url()
        else:
            self.quote, self.load_error, self.found = before, "", True
            yield rx.toast.error("That choice is not available.")
        self.quoting = False

    @rx.event
    def toggle_extra(self, extra_id: int, checked: bool):
        user = self._require_user()
        extra_id = index_arg(extra_id)
        if self.paying or self.offer_id or not isinstance(checked, bool):
            return
        if extra_id not in {e.id for e in self.quote.extras}:
            return
        chosen = set(self.extra_ids) - {extra_id}
        if checked:
            chosen.add(extra_id)
        self.extra_ids = sorted(chosen)
        yield from self._requote(user)

    @rx.event
    def change_quantity(self, step: int):
        user = self._require_user()
        if self.paying or self.offer_id or isinstance(step, bool) or step not in (-1, 1):
            return
        wanted = self.quantity + step
        if not 1 <= wanted <= MAX_QUANTITY:
            return
        self.quantity = wanted
        yield from self._requote(user)

    @rx.event
    def pay(self):
        """Pay: the selection is read here, in order after every click on extras or quantity,
        and `start_payment` (a background event, queued after this one) asks Stripe while
        the tab's state lock is free."""
        self._require_user()
        if self.paying or self.quoting or self.loading or not self.quote.gig_slug:
            return
        self.paying, self.pay_error, self.pay_step = True, "", "Starting payment…"
        self._selection = {
            "gig_slug": self.slug,
            "tier": self.tier,
            "extra_ids": list(self.extra_ids),
            "quantity": self.quantity,
            "checkout_key": self.checkout_key,
            "offer_id": self.offer_id or None,
        }
        return CheckoutState.start_payment

    @rx.event(background=True)
    async def start_payment(self):
        """Takes no arguments: a client calling it directly pays only for what this tab's own
        `pay` chose (and the service checks everything again)."""
        async with self:
            user = self._require_user()
            selection, self._selection = self._selection, {}
            if not selection or not self.paying:
                return
        try:
            start = await asyncio.to_thread(checkout.begin_payment, actor=user, **selection)
        except (DomainError, NotFound) as exc:
            async with self:
                self.paying, self.pay_step = False, ""
                self.pay_error = str(exc) or "This order can't be paid right now."
            return
        async with self:
            self._order_code = start.order_code
            self.pay_step = "Confirming with your bank…"
        yield rx.call_script(
            CONFIRM_CARD_JS % {"secret": json.dumps(start.client_secret)},
            callback=CheckoutState.card_confirmed,
        )

    @rx.event(background=True)
    async def card_confirmed(self, result: dict):
        """The browser's answer is only a hint for the message; the server asks Stripe (off
        the state lock, like `pay`)."""
        async with self:
            user = self._require_user()
            if not self.paying or not self._order_code:
                return
            order_code = self._order_code
            self.pay_step = "Checking the payment…"
        browser_message = ""
        if isinstance(result, dict) and result.get("ok") is not True:
            browser_message = str(result.get("message") or "")[:300]
        try:
            outcome = await asyncio.to_thread(
                checkout.confirm_payment, actor=user, order_code=order_code
            )
        except (DomainError, NotFound) as exc:
            async with self:
                self.paying, self.pay_step, self.pay_error = False, "", str(exc)
            return
        if outcome.status == "held":
            async with self:
                self.pay_step = "Payment held. Opening your order…"
            await ring_order_parties(order_code)  # "new order" on the seller's bell
            yield rx.redirect(f"/orders/{order_code}")
            return
        async with self:
            self.paying, self.pay_step = False, ""
            if outcome.status == "processing":
                self.pay_error = outcome.message or "Your bank is still processing the payment."
            elif outcome.status == "requires_action":
                self.pay_error = (
                    outcome.message
                    or "Your bank needs you to confirm this payment. Press Pay again."
                )
            else:
                self.pay_error = (
                    outcome.message
                    or browser_message
                    or "Your card was declined. Nothing was charged."
                )
