"""Idempotency keys, as Stripe keeps them.

`Idempotency-Key` on any POST /v1/...: the same key (per API key) with the same method, path and
parameters replays the stored response (header `Idempotent-Replayed: true`) without running the
action again; different parameters give 400 `idempotency_error`; a concurrent request with the
key in flight gives 409 (the SDK retries those). Saved like Stripe once the endpoint ran: 2xx,
402 card errors and 400s with an error code; plain validation errors and 5xx are not saved.
Kept 24 hours, in the state file.
"""

from __future__ import annotations

import hashlib
import json
import time

from aiohttp import web
from localstripe import server
from localstripe.resources import store

from .common import Handler

__all__ = ["middleware"]

_IDEM_PREFIX = "_idempotency:"
_IDEM_TTL = 24 * 3600
_PRUNE_EVERY = 60.0
_in_flight: dict[str, str] = {}
_last_prune = [0.0]


def _idempotency_response(status: int, message: str, key: str) -> web.Response:
    body = {"error": {"type": "idempotency_error", "message": message}}
    if status == 409:
        body["error"]["code"] = "idempotency_key_in_use"
    return server.json_response(body, status=status, headers={"Idempotency-Key": key})


def _prune_idempotency_records(now: float) -> None:
    if now - _last_prune[0] < _PRUNE_EVERY:
        return
    _last_prune[0] = now
    expired = [
        key
        for key, value in store.items()
        if key.startswith(_IDEM_PREFIX) and now - value["created"] > _IDEM_TTL
    ]
    for key in expired:
        dict.__delitem__(store, key)  # one dump below instead of one per key
    if expired:
        store.dump_to_disk()


def _worth_saving(response: web.StreamResponse) -> bool:
    status = response.status
    if 200 <= status < 300 or status == 402:
        return True
    if status != 400 or not isinstance(response, web.Response) or response.body is None:
        return False
    try:
        error = json.loads(bytes(response.body))["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(error.get("code")) and error.get("type") != "idempotency_error"


@web.middleware
async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or not request.path.startswith("/v1/"):
        return await handler(request)
    api_key = server.get_api_key(request)
    if api_key is None:
        return await handler(request)  # the auth middleware answers 401

    data = await server.get_post_data(request, remove_auth=False)
    fingerprint = hashlib.sha256(
        json.dumps(
            [request.method, request.path, request.query_string, dict(data) if data else {}],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    scope = hashlib.sha256(api_key.encode()).hexdigest()[:16]
    record_key = f"{_IDEM_PREFIX}{scope}:{key}"
    now = time.time()
    _prune_idempotency_records(now)

    mismatch = (
        f"Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request."
    )
    record = store.get(record_key)
    if record is not None:
        if record["fingerprint"] != fingerprint:
            return _idempotency_response(400, mismatch, key)
        return web.Response(
            body=record["body"],
            status=record["status"],
            content_type=record["content_type"],
            headers={"Idempotency-Key": key, "Idempotent-Replayed": "true"},
        )
    if record_key in _in_flight:
        if _in_flight[record_key] != fingerprint:
            return _idempotency_response(400, mismatch, key)
        return _idempotency_response(
            409,
            "There is currently another in-progress request using this Idempotency-Key "
            "(that probably means you submitted twice, and the other request is still going "
            f"through): {key}. Please try again later.",
            key,
        )

    _in_flight[record_key] = fingerprint
    try:
        response = await handler(request)
    finally:
        del _in_flight[record_key]
    if isinstance(response, web.Response) and _worth_saving(response):
        store[record_key] = {
            "fingerprint": fingerprint,
            "status": response.status,
            "body": bytes(response.body),
            "content_type": response.content_type,
            "created": now,
        }
    response.headers["Idempotency-Key"] = key
    return response
