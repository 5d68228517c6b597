"""Gigworks' extension of localstripe: Connect, real Stripe rules, idempotency, own state file.

localstripe (PyPI) is a stateful fake of the Stripe API, but it lacks what a marketplace needs
and is more lenient than Stripe where our escrow logic must be tested. `install()` loads it and,
before its aiohttp app starts, adds one module per Stripe resource (each module's docstring
lists its exact rules and error codes; tests/integration/stripe_ext/ has one test module each):

  accounts         Connect accounts, account links, login links, the platform account
  transfers        transfers funded by a captured charge, and transfer reversals
  payment_intents  capture / cancel / confirm as Stripe's state machine allows; charge fields
  refunds          refunds bounded by what was captured and not yet refunded
  idempotency      Idempotency-Key replay, mismatch and in-flight answers, kept 24 hours
  stripe_js        the fake Stripe.js that confirms with the card the user typed
  state            the state file (instead of /tmp/localstripe.pickle), written atomically

Everything that touches localstripe's internals (its classes, store, server module and app)
lives in these modules, so after an upgrade of localstripe the failing test module names the
resource that broke. Binding to 127.0.0.1 is done by `devservices.stripe_server`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from aiohttp import web
from localstripe import server

from . import accounts, idempotency, payment_intents, refunds, state, stripe_js, transfers
from .accounts import Account
from .common import Handler, Override
from .state import load_state, state_path
from .transfers import Transfer, TransferReversal

__all__ = [
    "Account",
    "Transfer",
    "TransferReversal",
    "install",
    "load_state",
    "state_path",
]

_installed = False

_OVERRIDES: dict[tuple[str, str], Override] = {
    **payment_intents.overrides(),
    **refunds.overrides(),
    **stripe_js.overrides(),
}

# Reached by a browser without a secret key; the handlers check what they need.
_PUBLIC_ROUTES: Iterable[tuple[str, re.Pattern[str]]] = (
    *stripe_js.PUBLIC_PATHS,
    *accounts.PUBLIC_PATHS,
)


@web.middleware
async def _override_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else None
    override = _OVERRIDES.get((request.method, canonical or ""))
    if override is None:
        return await handler(request)
    return await override(request, handler)


@web.middleware
async def _auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if any(request.method == m and p.match(request.path) for m, p in _PUBLIC_ROUTES):
        return await handler(request)
    return await server.auth_middleware(request, handler)


def install(state_file: Path | None) -> web.Application:
    """Patch localstripe and return its aiohttp app, ready for `web.run_app`.

    `state_file` replaces /tmp/localstripe.pickle (None keeps the state in memory).
    Call `load_state()` afterwards to resume from the file.
    """
    global _installed
    state.configure(state_file)
    if _installed:
        return server.app
    state.patch_store()
    payment_intents.patch()
    refunds.patch()
    app = server.app
    middlewares = app.middlewares
    middlewares[middlewares.index(server.auth_middleware)] = _auth_middleware
    middlewares.insert(0, idempotency.middleware)
    middlewares.append(_override_middleware)
    for method, path, handler in (
        *stripe_js.routes(),
        *accounts.routes(),
        *transfers.routes(),
    ):
        app.router.add_route(method, path, handler)
    _installed = True
    return app
