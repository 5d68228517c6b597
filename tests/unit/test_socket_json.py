"""The orjson codec for Socket.IO packets writes what Reflex's own encoder writes.

The browser parses every state update; a codec that wrote a dataclass, a date or a non-string
key differently would change what pages show, so the codec is compared with Reflex's encoder
on the shapes the app's deltas hold (its view dataclasses included).
"""

import enum
import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

from reflex_base.utils import format as reflex_format
from socketio import packet

from marketplace import socket_json
from marketplace.state.search_views import FacetOption, SearchCardView, TitleSegment
from marketplace.state.view_models import GigCardView


class Tier(enum.Enum):
    BASIC = "basic"


def reflex_json(obj) -> str:
    return reflex_format.json_dumps(obj, separators=(",", ":"))


def a_delta() -> dict:
    card = SearchCardView(
        card=GigCardView(
            id=7, title="I will design a logo — «fast»", price_from="$50", rating="4.9"
        ),
        title_segments=[TitleSegment("I will ", False), TitleSegment("logo", True)],
        country="Deutschland",
    )
    return {
        "search_state": {
            "results_rx_state_": [card, card],
            "categories_rx_state_": [FacetOption("cat", "design", "Design", 12, True)],
            "total_rx_state_": 1_204,
            "rating_rx_state_": 4.8,
            "loading_rx_state_": False,
            "query_rx_state_": 'say "hi" \\ 😀',
            "nothing_rx_state_": None,
        },
        "times": {"at": datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC), "on": date(2026, 12, 7)},
        "tier": Tier.BASIC,
        "ids": (1, 2, 3),
        3: "a key that is not a string",
    }


def test_the_codec_writes_the_same_json_as_reflex_for_a_search_delta():
    delta = a_delta()
    assert socket_json.dumps(delta, separators=(",", ":")) == reflex_json(delta)


def test_values_orjson_refuses_fall_back_to_reflex_encoder():
    huge = {"n": 2**70, "m": [10**30]}
    assert socket_json.dumps(huge, separators=(",", ":")) == reflex_json(huge)
    assert json.loads(socket_json.dumps(huge)) == huge


def test_what_orjson_cannot_read_is_read_or_refused_as_before():
    assert socket_json.loads('{"x": 1e400}') == json.loads('{"x": 1e400}')
    for broken in ("{", '{"a": NaN', "[1,]"):
        try:
            json.loads(broken)
        except ValueError as expected:
            try:
                socket_json.loads(broken)
            except ValueError as got:
                assert type(got) is type(expected)
            else:
                raise AssertionError(f"{broken!r} was read")


def test_a_packet_survives_the_round_trip_through_the_codec():
    class OwnPacket(packet.Packet):  # the app's packet class is global: not changed here
        pass

    socket_json.install(SimpleNamespace(sio=SimpleNamespace(packet_class=OwnPacket)))
    assert OwnPacket.json is socket_json.CODEC
    sent = OwnPacket(packet.EVENT, data=["event", {"delta": {"s": {"x": "ü", "n": 2**70}}}])
    received = OwnPacket(encoded_packet=sent.encode())
    assert received.data == ["event", {"delta": {"s": {"x": "ü", "n": 2**70}}}]


def test_the_app_sends_its_updates_through_the_codec():
    import marketplace.marketplace as built

    assert built.app.sio.packet_class.json is socket_json.CODEC
