import hashlib
import hmac
import json

import pytest

from coach import retell


def signed(body, key, stamp):
    return f"v={stamp},d=" + hmac.new(key.encode(), body + str(stamp).encode(), hashlib.sha256).hexdigest()


def test_signature_is_hmac_of_body_and_timestamp_within_five_minutes():
    body = b'{"event": "call_started"}'
    now = 1795525201500
    assert retell.signature_matches("key", body, signed(body, "key", now), now_ms=now)
    assert retell.signature_matches("key", body, signed(body, "key", now - 299_000), now_ms=now)
    assert not retell.signature_matches("key", body, signed(body, "key", now - 301_000), now_ms=now)
    assert not retell.signature_matches("key", body + b" ", signed(body, "key", now), now_ms=now)
    assert not retell.signature_matches("", body, signed(body, "", now), now_ms=now)
    assert not retell.signature_matches("key", body, None, now_ms=now)


@pytest.mark.parametrize(("envelope", "kind", "call_id", "number"), [
    ({"event": "call_inbound", "call_inbound": {"from_number": "+1555", "to_number": "+1666"}},
     "call_inbound", "", "+1555"),
    ({"event": "call_ended", "call": {"call_id": "c1", "from_number": "+1555"}}, "call_ended", "c1", "+1555"),
    ({"name": "log_daily_checkin", "call": {"call_id": "c1", "from_number": "+1555"}, "args": {"a": 1}},
     "function", "c1", "+1555"),
])
def test_the_three_kinds_of_request(envelope, kind, call_id, number):
    message = retell.parse_body(json.dumps(envelope).encode())
    assert (message.type, message.call_id, message.caller_number) == (kind, call_id, number)


def test_a_function_call_is_one_tool_call_keyed_by_call_name_and_arguments():
    first = retell.parse_body(json.dumps({"name": "x", "call": {"call_id": "c"}, "args": {"a": 1}}).encode())
    again = retell.parse_body(json.dumps({"name": "x", "call": {"call_id": "c"}, "args": {"a": 1}}).encode())
    other = retell.parse_body(json.dumps({"name": "x", "call": {"call_id": "c"}, "args": {"a": 2}}).encode())
    assert first.tool_calls == again.tool_calls
    assert first.tool_calls[0].id != other.tool_calls[0].id
    assert first.tool_calls[0].arguments == {"a": 1}


def test_call_object_accessors():
    message = retell.parse_body(json.dumps({"event": "call_analyzed", "call": {
        "call_id": "c", "start_timestamp": 1795525201500, "end_timestamp": 1795525327900,
        "disconnection_reason": "user_hangup", "transcript": "t",
        "call_analysis": {"call_summary": "s", "custom_analysis_data": {"energy": 4}}}}).encode())
    assert message.duration_seconds() == 126
    assert (message.ended_reason, message.transcript, message.summary) == ("user_hangup", "t", "s")


@pytest.mark.parametrize("body", [b"[]", b'{"call": {}}', b'{"name": "x", "args": [1]}', b"nope"])
def test_unreadable_bodies_say_why(body):
    with pytest.raises(retell.PayloadError):
        retell.parse_body(body)
