"""The orjson codec for Socket.IO packets writes what Reflex's own encoder writes.

The browser parses every state update; a codec that wrote a dataclass, a date or a non-string
key differently would change what pages show, so the codec is compared with Reflex's encoder
on the shapes the app's deltas hold (its view dataclasses, the update and its events, the
router data whose serializer leaves the cookie out).
"""

import dataclasses
import enum
import json
import typing
from datetime import UTC, date, datetime
from types import SimpleNamespace

from reflex.istate.data import HeaderData, PageData, URLData
from reflex.state import State, StateUpdate
from reflex_base.event import Event
from reflex_base.utils import format as reflex_format
from reflex_base.utils import serializers
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


def test_an_update_with_events_and_router_data_is_written_as_reflex_writes_it():
    headers = HeaderData.from_router_data(
        {"headers": {"cookie": "gw_session=secret", "origin": "http://x", "host": "x"}}
    )
    update = StateUpdate(
        delta={
            "state": {
                "rx_router_headers_rx_state_": headers,
                "rx_router_page_rx_state_": PageData(),
                "rx_router_url_rx_state_": URLData(),
                "slug_rx_state_": "logo",
            },
            **a_delta(),
        },
        events=[Event(name="_redirect", payload={"path": "/search?q=logo"})],
    )
    packet_data = ["event", update]
    written = socket_json.dumps(packet_data, separators=(",", ":"))
    assert written == reflex_json(packet_data)
    assert "secret" not in written  # the headers' own serializer ran
    assert '"final"' not in written  # so did the update's (empty fields left out)


def _dataclasses_in(kind, into: set) -> None:
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if kind not in into:
            into.add(kind)
            for name, field_type in typing.get_type_hints(kind).items():
                if name in {f.name for f in dataclasses.fields(kind)}:
                    _dataclasses_in(field_type, into)
        return
    for argument in typing.get_args(kind):
        _dataclasses_in(argument, into)


def _state_classes(state=State):
    for substate in state.get_substates():
        yield substate
        yield from _state_classes(substate)


def test_no_view_dataclass_holds_one_that_reflex_serializes_its_own_way():
    """orjson writes the app's view dataclasses field by field; a field holding a dataclass
    with a serializer of Reflex's (HeaderData leaves the cookie out) would skip it."""
    import marketplace.marketplace  # noqa: F401  (every state class)

    held = set()
    for state in _state_classes():
        for field in state.__fields__.values():
            _dataclasses_in(field.annotated_type, held)
        for var in state.computed_vars.values():
            _dataclasses_in(var._var_type, held)
    views = {kind for kind in held if serializers.get_serializer(kind) is None}
    assert SearchCardView in views and GigCardView in views  # the walk reached the app's views
    inside_views = set()
    for view in views:
        for field_type in typing.get_type_hints(view).values():
            _dataclasses_in(field_type, inside_views)
    own_way = {kind for kind in inside_views if serializers.get_serializer(kind) is not None}
    assert not own_way, own_way


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
