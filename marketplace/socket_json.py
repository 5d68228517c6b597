"""Socket.IO packets encoded and decoded with orjson instead of the standard library.

Every state update the browser receives is one JSON packet (a search's is about 10 KB of cards
and facets), and every event it sends is one to decode: the standard library's encoder was
about a twentieth of a search event's backend CPU (bench/event_cost.py, py-spy). The output is
the same JSON Reflex writes:
- The dataclasses Reflex registers a serializer for (the update itself, its events, the router
  data, whose headers leave the cookie out) are written through it, by a walk over the packet's
  dicts and lists before orjson sees it.
- Every other dataclass (the app's views) is written by orjson itself as the map of its fields,
  which is what Reflex's fallback writes, at a tenth of the cost of handing each card back to
  Python. No such view holds a dataclass with a registered serializer
  (tests/unit/test_socket_json.py walks every state var's type to check).
- Dates still go through Reflex's serializers, keys that are not strings become strings, and
  anything orjson refuses (an integer past 64 bits) goes to Reflex's encoder.
Reading, what orjson refuses (a number past a double's range) goes to the standard library; an
integer past 64 bits arrives as a float, which no handler takes for an id or a page (they check
for int).
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import orjson
from reflex_base.utils import format as reflex_format
from reflex_base.utils import serializers

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def registered(value: Any) -> Any:
    """`value` with every dataclass that has a serializer of Reflex's replaced by what that
    serializer returns; other dataclasses are left whole for orjson (their fields hold none)."""
    if isinstance(value, dict):
        return {key: registered(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [registered(item) for item in value]
    kind = type(value)
    if hasattr(kind, "__dataclass_fields__"):
        serializer = serializers.get_serializer(kind)
        return value if serializer is None else registered(serializer(value))
    return value


def dumps(obj: Any, **kwargs: Any) -> str:
    """python-socketio passes `separators=(',', ':')`, which is orjson's only layout."""
    try:
        return orjson.dumps(
            registered(obj), default=serializers.serialize, option=_OPTIONS
        ).decode()
    except orjson.JSONEncodeError:
        return reflex_format.json_dumps(obj, **kwargs)


def loads(data: str | bytes, **kwargs: Any) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)  # the same answer, or the same error, as before


CODEC = SimpleNamespace(dumps=dumps, loads=loads)


def install(app: Any) -> None:
    """Make the app's Socket.IO server use the codec (python-socketio keeps it on its packet
    class, which Reflex set when it built the server)."""
    app.sio.packet_class.json = CODEC
