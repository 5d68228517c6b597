"""The one place that talks to Stripe: a thin wrapper over the official SDK's StripeClient.

Services call it with plain values and get plain values back, so no Stripe object leaks into the
domain. Every POST carries an idempotency key the caller derives from what it is doing (a user,
an order and a step), so a retry can never create a second account or move money twice.
"""

from dataclasses import dataclass

import stripe

from marketplace.settings import Settings


class PaymentProviderError(Exception):
    """Stripe refused or could not be reached; the message is safe to show.

    `retryable` is True when the outcome is unknown (network, timeout, 5xx, 409, rate limit):
    the call may have happened, so the caller re-runs it later with the same idempotency key.
    False means Stripe answered with a definite refusal (`code` says which)."""

    def __init__(self, message: str, *, retryable: bool = False, code: str = ""):
        super().__init__(message)
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True)
class ConnectedAccount:
    id: str
    payouts_enabled: bool
    details_submitted: bool


@dataclass(frozen=True)
class PaymentIntentInfo:
    id: str
    status: str
    amount: int
    amount_capturable: int
    amount_received: int
    currency: str
    client_secret: str
    latest_charge: str | None
    metadata: dict[str, str]
    error_code: str  # last_payment_error.code ("" when none)
    error_message: str  # last_payment_error.message, for the buyer
    transfer_group: str


@dataclass(frozen=True)
class RefundInfo:
    id: str
    amount: int
    status: str
    payment_intent: str | None
    metadata: dict[str, str]


@dataclass(frozen=True)
class TransferInfo:
    id: str
    amount: int
    amount_reversed: int
    destination: str
    source_transaction: str | None
    transfer_group: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class ReversalInfo:
    id: str
    amount: int
    transfer: str
    metadata: dict[str, str]


class StripeGateway:
    def __init__(self, client: stripe.StripeClient):
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> "StripeGateway":
        base = {"api": settings.stripe_api_base} if settings.stripe_api_base else {}
        return cls(
            stripe.StripeClient(
                settings.stripe_secret_key, base_addresses=base, max_network_retries=2
            )
        )

    @staticmethod
    def _account(account: stripe.Account) -> ConnectedAccount:
        return ConnectedAccount(
            id=account.id,
            payouts_enabled=bool(account.payouts_enabled),
            details_submitted=bool(account.details_submitted),
        )

    def create_express_account(
        self, *, email: str, country: str, idempotency_key: str
    ) -> ConnectedAccount:
        try:
            account = self.client.v1.accounts.create(
                params={
                    "type": "express",
                    "country": country,
                    "email": email,
                    "capabilities": {"transfers": {"requested": True}},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise PaymentProviderError(_message(exc)) from exc
        return self._account(account)

    def retrieve_account(self, account_id: str) -> ConnectedAccount:
        try:
            return self._account(self.client.v1.accounts.retrieve(account_id))
        except stripe.StripeError as exc:
            raise PaymentProviderError(_message(exc)) from exc

    def onboarding_link(self, account_id: str, *, return_url: str, refresh_url: str) -> str:
        try:
            link = self.client.v1.account_links.create(
                params={
                    "account": account_id,
                    "return_url": return_url,
                    "refresh_url": refresh_url,
                    "type": "account_onboarding",
                }
            )
        except stripe.StripeError as exc:
            raise PaymentProviderError(_message(exc)) from exc
        return link.url

    # -- payments (orders and escrow) -------------------------------------------------------
    # Every POST takes the caller's idempotency key, derived from (order, step).

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except stripe.StripeError as exc:
            raise _error(exc) from exc

    def create_payment_intent(
        self,
        *,
        amount_cents: int,
        currency: str,
        order_id: int,
        order_code: str,
        description: str,
        idempotency_key: str,
    ) -> PaymentIntentInfo:
        """A manual-capture PaymentIntent: confirming it in the browser places a hold."""
        pi = self._call(
            self.client.v1.payment_intents.create,
            params={
                "amount": amount_cents,
                "currency": currency,
                "capture_method": "manual",
                "payment_method_types": ["card"],
                "metadata": {"order_id": str(order_id), "order_code": order_code},
                "transfer_group": order_code,
                "description": description[:200],
            },
            options={"idempotency_key": idempotency_key},
        )
        return _payment_intent(pi)

    def retrieve_payment_intent(self, payment_intent_id: str) -> PaymentIntentInfo:
        return _payment_intent(
            self._call(self.client.v1.payment_intents.retrieve, payment_intent_id)
        )

    def capture_payment_intent(
        self, payment_intent_id: str, *, idempotency_key: str
    ) -> PaymentIntentInfo:
        pi = self._call(
            self.client.v1.payment_intents.capture,
            payment_intent_id,
            options={"idempotency_key": idempotency_key},
        )
        return _payment_intent(pi)

    def cancel_payment_intent(
        self, payment_intent_id: str, *, idempotency_key: str
    ) -> PaymentIntentInfo:
        pi = self._call(
            self.client.v1.payment_intents.cancel,
            payment_intent_id,
            params={"cancellation_reason": "abandoned"},
            options={"idempotency_key": idempotency_key},
        )
        return _payment_intent(pi)

    def find_payment_intent(self, *, order_code: str) -> PaymentIntentInfo | None:
        """The order's PaymentIntent by metadata, for repairs older than Stripe's 24 h of
        idempotency keys. Real Stripe: the search API; the local server: a paged list scan."""
        try:
            found = self.client.v1.payment_intents.search(
                params={"query": f"metadata['order_code']:'{order_code}'", "limit": 10}
            )
            matches = list(found.data)
        except stripe.InvalidRequestError:
            matches = []
            page = self._call(self.client.v1.payment_intents.list, params={"limit": 100})
            for pi in page.auto_paging_iter():
                if _meta(pi).get("order_code") == order_code:
                    matches.append(pi)
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        matches.sort(key=lambda pi: pi.created or 0)
        return _payment_intent(matches[0]) if matches else None

    def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount_cents: int,
        order_code: str,
        step: str,
        idempotency_key: str,
    ) -> RefundInfo:
        refund = self._call(
            self.client.v1.refunds.create,
            params={
                "payment_intent": payment_intent_id,
                "amount": amount_cents,
                "reason": "requested_by_customer",
                "metadata": {"order_code": order_code, "step": step},
            },
            options={"idempotency_key": idempotency_key},
        )
        return _refund(refund)

    def list_refunds(self, *, payment_intent_id: str) -> list[RefundInfo]:
        page = self._call(
            self.client.v1.refunds.list,
            params={"payment_intent": payment_intent_id, "limit": 100},
        )
        return [_refund(r) for r in page.auto_paging_iter()]

    def create_transfer(
        self,
        *,
        amount_cents: int,
        currency: str,
        destination: str,
        source_transaction: str,
        transfer_group: str,
        order_code: str,
        step: str,
        idempotency_key: str,
    ) -> TransferInfo:
        """Seller earnings to their connected account, from the order's charge."""
        transfer = self._call(
            self.client.v1.transfers.create,
            params={
                "amount": amount_cents,
                "currency": currency,
                "destination": destination,
                "source_transaction": source_transaction,
                "transfer_group": transfer_group,
                "metadata": {"order_code": order_code, "step": step},
            },
            options={"idempotency_key": idempotency_key},
        )
        return _transfer(transfer)

    def list_transfers(self, *, transfer_group: str) -> list[TransferInfo]:
        page = self._call(
            self.client.v1.transfers.list,
            params={"transfer_group": transfer_group, "limit": 100},
        )
        return [_transfer(t) for t in page.auto_paging_iter()]

    def reverse_transfer(
        self, transfer_id: str, *, amount_cents: int, order_code: str, idempotency_key: str
    ) -> ReversalInfo:
        reversal = self._call(
            self.client.v1.transfers.reversals.create,
            transfer_id,
            params={"amount": amount_cents, "metadata": {"order_code": order_code}},
            options={"idempotency_key": idempotency_key},
        )
        return _reversal(reversal)

    def list_reversals(self, transfer_id: str) -> list[ReversalInfo]:
        page = self._call(
            self.client.v1.transfers.reversals.list, transfer_id, params={"limit": 100}
        )
        return [_reversal(r) for r in page.auto_paging_iter()]


def _meta(obj) -> dict[str, str]:
    metadata = getattr(obj, "metadata", None)
    if not metadata:
        return {}
    return {str(k): str(v) for k, v in metadata.to_dict().items()}


def _id(value) -> str | None:
    """An expandable field: an id, or the object when expanded."""
    if value is None or isinstance(value, str):
        return value
    return value.id


def _payment_intent(pi: stripe.PaymentIntent) -> PaymentIntentInfo:
    error = getattr(pi, "last_payment_error", None)
    return PaymentIntentInfo(
        id=pi.id,
        status=pi.status,
        amount=int(pi.amount),
        amount_capturable=int(getattr(pi, "amount_capturable", 0) or 0),
        amount_received=int(getattr(pi, "amount_received", 0) or 0),
        currency=pi.currency,
        client_secret=getattr(pi, "client_secret", "") or "",
        latest_charge=_id(getattr(pi, "latest_charge", None)),
        metadata=_meta(pi),
        error_code=(getattr(error, "code", None) or "") if error else "",
        error_message=(getattr(error, "message", None) or "") if error else "",
        transfer_group=getattr(pi, "transfer_group", None) or "",
    )


def _refund(refund: stripe.Refund) -> RefundInfo:
    return RefundInfo(
        id=refund.id,
        amount=int(refund.amount),
        status=getattr(refund, "status", "") or "",
        payment_intent=_id(getattr(refund, "payment_intent", None)),
        metadata=_meta(refund),
    )


def _transfer(transfer: stripe.Transfer) -> TransferInfo:
    return TransferInfo(
        id=transfer.id,
        amount=int(transfer.amount),
        amount_reversed=int(getattr(transfer, "amount_reversed", 0) or 0),
        destination=_id(transfer.destination) or "",
        source_transaction=_id(getattr(transfer, "source_transaction", None)),
        transfer_group=getattr(transfer, "transfer_group", None) or "",
        metadata=_meta(transfer),
    )


def _reversal(reversal: stripe.TransferReversal) -> ReversalInfo:
    return ReversalInfo(
        id=reversal.id,
        amount=int(reversal.amount),
        transfer=_id(reversal.transfer) or "",
        metadata=_meta(reversal),
    )


def _error(exc: stripe.StripeError) -> PaymentProviderError:
    status = exc.http_status or 0
    retryable = isinstance(
        exc, stripe.APIConnectionError | stripe.APIError | stripe.RateLimitError
    ) or (status >= 500 or status == 409)
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, stripe.CardError):
        message = exc.user_message or "Your card was declined."
    else:
        message = _message(exc)
    return PaymentProviderError(message, retryable=retryable, code=code)


def _message(exc: stripe.StripeError) -> str:
    if isinstance(exc, stripe.APIConnectionError):
        return "The payment provider cannot be reached right now. Please try again shortly."
    return "The payment provider refused the request. Please try again or contact support."
