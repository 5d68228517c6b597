"""Helpers shared by the resources: Stripe-shaped errors, parameter checks, lists, events."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import Event, List, store, try_convert_to_int
from localstripe.webhooks import schedule_webhook

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Override = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]


def error(
    status: int,
    message: str,
    code: str | None = None,
    param: str | None = None,
    **extra: Any,
) -> UserError:
    contents: dict[str, Any] = dict(extra)
    if code:
        contents["code"] = code
    if param:
        contents["param"] = param
    return UserError(status, message, contents)


def reject_unknown(kwargs: dict[str, Any]) -> None:
    if kwargs:
        name = sorted(kwargs)[0]
        raise error(400, f"Received unknown parameter: {name}", "parameter_unknown", name)


def as_int(value: Any, param: str, minimum: int = 1) -> int:
    converted = try_convert_to_int(value)
    if type(converted) is not int or converted < minimum:
        raise error(400, f"Invalid integer: {value}", "parameter_invalid_integer", param)
    return converted


def opt_str(value: Any, param: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise error(400, f"Invalid string: {value!r}", "parameter_invalid_string", param)
    return value


def as_currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value):
        raise error(400, "Missing or invalid currency", "parameter_missing", "currency")
    return value.lower()


def merge_metadata(value: Any, current: dict[str, str] | None = None) -> dict[str, str]:
    """Stripe semantics: merge into `current`; an empty value deletes the key."""
    result = dict(current or {})
    if value is None or value == "":
        return result
    if not isinstance(value, dict):
        raise error(400, "Invalid metadata: must be a hash", "parameter_invalid", "metadata")
    for key, item in value.items():
        if item in ("", None):
            result.pop(key, None)
        else:
            result[str(key)] = str(item)
    return result


def as_dict(value: Any, param: str) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise error(400, f"Invalid {param}: must be a hash", "parameter_invalid", param)
    return value


def enum(value: Any, param: str, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise error(
            400,
            f"Invalid {param}: must be one of {', '.join(allowed)}",
            "parameter_invalid_string",
            param,
        )
    return value


def newest_first(items: list[Any]) -> list[Any]:
    # The store keeps insertion order; `created` has one-second resolution.
    items = list(reversed(items))
    items.sort(key=lambda obj: obj.created, reverse=True)
    return items


def stripe_list(url: str, items: list[Any], limit: Any, starting_after: Any) -> List:
    li = List(url, limit=limit, starting_after=starting_after)
    li._list = newest_first(items)
    return li


def emit(event_type: str, obj: Any) -> None:
    schedule_webhook(Event(event_type, obj))


def objects(prefix: str) -> list[Any]:
    return [value for key, value in store.items() if key.startswith(prefix + ":")]


async def post_data(request: web.Request) -> dict[str, Any]:
    return dict(await server.get_post_data(request) or {})


class Missing:
    """Mixin for Stripe's 404 body (`resource_missing`) instead of localstripe's bare one.

    Not a StripeObject itself: localstripe finds classes for `expand` among the direct
    subclasses of StripeObject, so resources must list StripeObject as a direct base.
    """

    object: str

    @classmethod
    def _api_retrieve(cls, id):
        obj = store.get(f"{cls.object}:{id}")
        if obj is None:
            raise error(404, f"No such {cls.object}: '{id}'", "resource_missing", "id")
        return obj


def route(func: Callable[..., Any]) -> Handler:
    """Adapt a `func(**params)` returning a Stripe object to an aiohttp handler."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.method == "POST":
            data = dict(await server.get_post_data(request) or {})
        else:
            data = dict(server.unflatten_data(request.query))
        expand = data.pop("expand", None)
        data.update(request.match_info)
        return server.json_response(func(**data)._export(expand=expand))

    return handle


def crud_routes(cls: type) -> list[Route]:
    """localstripe's create/list/retrieve/update handlers for one of our resources."""
    plural = f"/v1/{cls.object}s"
    return [
        ("POST", plural, server.api_create(cls, plural)),
        ("GET", plural, server.api_list_all(cls, plural)),
        ("GET", plural + "/{id}", server.api_retrieve(cls, plural)),
        ("POST", plural + "/{id}", server.api_update(cls, plural)),
    ]
