"""CTI protocol messages: parsing, validation errors, command shapes."""

from datetime import timedelta

import pytest

from kefu.contactcenter.cti import protocol as p


def test_every_event_type_parses_with_its_fields():
    ev = p.parse_event({"type": "call.incoming", "call_id": "1712345678.42", "caller": "13900000001",
                        "called": "10086", "channel": "PJSIP/trunk-0001", "id": "m1", "extra": "ignored"})
    assert (ev.call_id, ev.caller, ev.called, ev.channel, ev.id) == (
        "1712345678.42", "13900000001", "10086", "PJSIP/trunk-0001", "m1")
    assert p.parse_event({"type": "call.dtmf", "call_id": "c", "digits": "12#"}).digits == "12#"
    assert p.parse_event({"type": "call.timeout", "call_id": "c"}).type == "call.timeout"
    assert p.parse_event({"type": "call.answered", "call_id": "c", "extension": "8001"}).extension == "8001"
    assert p.parse_event({"type": "call.held", "call_id": "c"}).type == "call.held"
    assert p.parse_event({"type": "call.unheld", "call_id": "c"}).type == "call.unheld"
    assert p.parse_event({"type": "call.transferred", "call_id": "c", "to": "13800000000"}).to == "13800000000"
    assert p.parse_event({"type": "call.ended", "call_id": "c"}).cause == "normal_clearing"
    assert p.parse_event({"type": "call.incoming", "call_id": "a-b_c:1", "caller": ""}).caller == ""


@pytest.mark.parametrize("message, field", [
    ({"type": "call.incoming"}, "call_id"),
    ({"type": "call.incoming", "call_id": ""}, "call_id"),
    ({"type": "call.incoming", "call_id": "x" * 65}, "call_id"),
    ({"type": "call.incoming", "call_id": "bad id"}, "call_id"),
    ({"type": "call.incoming", "call_id": "c", "caller": "1" * 33}, "caller"),
    ({"type": "call.incoming", "call_id": "c", "caller": "<script>"}, "caller"),
    ({"type": "call.dtmf", "call_id": "c", "digits": ""}, "digits"),
    ({"type": "call.dtmf", "call_id": "c", "digits": "12x"}, "digits"),
    ({"type": "call.dtmf", "call_id": "c"}, "digits"),
    ({"type": "call.answered", "call_id": "c"}, "extension"),
    ({"type": "call.answered", "call_id": "c", "extension": "1" * 17}, "extension"),
    ({"type": "call.transferred", "call_id": "c"}, "to"),
    ({"type": "call.ended", "call_id": "c", "cause": "x" * 33}, "cause"),
    ({"type": "call.incoming", "call_id": 42}, "call_id"),
])
def test_invalid_events_name_the_bad_field(message, field):
    with pytest.raises(p.ProtocolError) as exc:
        p.parse_event(message)
    assert exc.value.code == "invalid_message"
    assert [d["field"] for d in exc.value.details] == [field]


def test_unknown_types_and_non_objects_are_refused_with_codes():
    with pytest.raises(p.ProtocolError) as exc:
        p.parse_event({"type": "call.exploded", "call_id": "c"})
    assert exc.value.code == "unknown_type" and "call.incoming" in exc.value.details["known"]
    with pytest.raises(p.ProtocolError) as exc:
        p.parse_event(["call.incoming"])
    assert exc.value.code == "invalid_message"
    with pytest.raises(p.ProtocolError) as exc:
        p.loads("{not json")
    assert exc.value.code == "bad_json"
    with pytest.raises(p.ProtocolError):
        p.loads("[1, 2]")
    assert p.loads('{"type": "hello", "token": "t"}')["type"] == "hello"


def test_hello_needs_a_token():
    with pytest.raises(p.ProtocolError):
        p.parse_hello({"type": "hello"})
    assert p.parse_hello({"type": "hello", "token": "kefu_x", "switch": "pbx-1"}).switch == "pbx-1"


def test_ivr_commands_get_the_call_id_and_typed_fields():
    out = p.commands_from_ivr([
        {"type": "play", "text": "您好"},
        {"type": "collect", "max_digits": 6, "timeout": timedelta(seconds=10), "terminator": "#"},
        {"type": "queue", "queue": "VIP", "priority": 0},
        {"type": "hangup"},
        {"type": "dance"},
    ], "c1")
    assert out == [
        {"type": "play", "call_id": "c1", "text": "您好"},
        {"type": "collect", "call_id": "c1", "max_digits": 6, "timeout": 10, "terminator": "#"},
        {"type": "queue", "call_id": "c1", "queue": "VIP", "priority": 0},
        {"type": "hangup", "call_id": "c1"},
    ]


def test_core_pushes_become_commands_with_call_id_and_contacts_without_a_call_are_dropped():
    assert p.command_from_core({"type": "route", "call": "c1", "extension": "8001"}) == {
        "type": "route", "call_id": "c1", "extension": "8001"}
    assert p.command_from_core({"type": "transfer", "call": "c1", "to": "queue:GEN"})["to"] == "queue:GEN"
    assert p.command_from_core({"type": "hangup", "call": ""}) is None  # a chat contact
    assert p.command_from_core({"type": "contact.arrived", "call": "c1"}) is None


def test_error_messages_carry_code_message_and_the_correlation_id():
    assert p.error("unknown_call", "no such call", re="m7") == {
        "type": "error", "code": "unknown_call", "message": "no such call", "re": "m7"}
    assert p.message_id({"id": "x" * 65}) is None and p.message_id({"id": "a1"}) == "a1"
