"""Socket.IO packets encoded and decoded with orjson instead of the standard library.

Every state update the browser receives is one JSON packet (a search's is about 10 KB of cards
and facets), and every event it sends is one to decode: the standard library's encoder was
about a twentieth of a search event's backend CPU (bench/event_cost.py, py-spy). The output is
the same JSON Reflex writes: dataclasses and dates still go through Reflex's own serializers
(orjson hands them back, as the standard library's encoder does), keys that are not strings
become strings, and anything orjson refuses (an integer past 64 bits) goes to Reflex's encoder.
Reading, what orjson refuses (a number past a double's range) goes to the standard library;
an integer past 64 bits arrives as a float, which no handler takes for an id or a page (they
check for int).
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import orjson
from reflex_base.utils import format as reflex_format
from reflex_base.utils import serializers

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)


def dumps(obj: Any, **kwargs: Any) -> str:
    """python-socketio passes `separators=(',', ':')`, which is orjson's only layout."""
    try:
        return orjson.dumps(obj, default=serializers.serialize, option=_OPTIONS).decode()
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
