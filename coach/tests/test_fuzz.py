"""Property tests: parsing and validation are total.

Whatever JSON (or bytes) a webhook receives, the pure package answers with a
Message or a PayloadError, never another exception, and what it hands to the
models is storable by PostgreSQL.
"""

import json
import math
import urllib.parse

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from shipped_flows import load_flows

from coach import flow as engine
from coach import payload, providers, retell, tools, vapi

FLOWS = load_flows()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NASTY_TEXT = st.one_of(st.text(), st.sampled_from(["\x00", "a\x00b", "\ud800", "+1\x00512", "NaN", "1e400",
                                                     "9" * 5000, "", " ", "yes\x00no"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**20, max_value=10**40),
                    st.floats(allow_nan=False, allow_infinity=False), NASTY_TEXT)
JSON_VALUES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(NASTY_TEXT, children, max_size=4)), max_leaves=20)
KNOWN_KEYS = ["type", "call", "customer", "toolCallList", "toolCalls", "toolWithToolCallList", "functionCall",
              "artifact", "analysis", "startedAt", "endedAt", "endedReason", "durationSeconds", "durationMs",
              "transcript", "summary", "id", "number", "function", "name", "arguments", "parameters"]
TYPES = st.sampled_from(["assistant-request", "tool-calls", "function-call", "end-of-call-report",
                         "status-update"])
# messages shaped like Vapi's, with any value at any known key
MESSAGES = st.fixed_dictionaries({"type": st.one_of(TYPES, JSON_VALUES)}, optional={
    key: st.one_of(JSON_VALUES, st.dictionaries(st.sampled_from(KNOWN_KEYS), JSON_VALUES, max_size=5),
                   st.lists(st.dictionaries(st.sampled_from(KNOWN_KEYS), JSON_VALUES, max_size=4), max_size=3))
    for key in KNOWN_KEYS if key != "type"})


def storable(value):
    """True when PostgreSQL can hold every string and number in ``value``."""
    if isinstance(value, str):
        return "\x00" not in value and value.encode("utf-8") is not None
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(storable(v) for v in value)
    return True


def exercise(message):
    """Touch every accessor the models use; none may raise."""
    assert isinstance(message.type, str) and message.type
    for text in (message.call_id, message.caller_number, message.ended_reason, message.transcript,
                 message.summary):
        assert isinstance(text, str) and storable(text)
    assert len(message.call_id) <= payload.MAX_ID_CHARS
    duration = message.duration_seconds()
    assert duration is None or 0 <= duration <= vapi.MAX_CALL_SECONDS
    started = message.started_at()
    assert started is None or 2000 <= started.year <= 2200
    for call in message.tool_calls:
        assert isinstance(call.name, str) and call.name and isinstance(call.arguments, dict)
        assert storable(call.arguments)
        vapi.tool_result(call, result="ok")
    vapi.failure_answer(message)


@SETTINGS
@given(st.binary(max_size=300))
@example(b"\xff\xfe")
@example(b'{"message": {"type": "tool-calls", "toolCallList": [' * 40)
@example(b"[" * 100000)
@example(b'{"message": {"type": "x", "n": 1e400}}')
@example(b'{"message": {"type": "x", "n": NaN}}')
@example(b'{"message": {"type": "x", "n": ' + b"9" * 5000 + b"}}")
def test_any_bytes_give_a_message_or_a_payload_error(body):
    try:
        message = vapi.parse_body(body)
    except vapi.PayloadError as error:
        assert str(error)
        return
    exercise(message)


@SETTINGS
@given(JSON_VALUES)
def test_any_json_value_as_the_body(value):
    try:
        message = vapi.parse_body(json.dumps(value).encode())
    except vapi.PayloadError:
        return
    exercise(message)


@SETTINGS
@given(MESSAGES)
@example({"type": "end-of-call-report", "call": "a string, not an object"})
@example({"type": "end-of-call-report", "call": {"id": "c\x00"}, "durationSeconds": 10**30,
          "artifact": {"transcript": ["not", "text"]}, "startedAt": "0001-01-01T00:00:00Z"})
@example({"type": "tool-calls", "toolCallList": [{"id": {"x": 1}, "function": {"name": ["x"]}}]})
@example({"type": "tool-calls", "toolCallList": [{"id": "t" * 10000, "function": {"name": "log_daily_checkin",
                                                                                  "arguments": "[1, 2]"}}]})
def test_any_vapi_shaped_message(message):
    try:
        parsed = vapi.parse_body(json.dumps({"message": message}).encode())
    except vapi.PayloadError as error:
        assert str(error)
        return
    exercise(parsed)


@SETTINGS
@given(st.sampled_from(sorted(FLOWS)), st.dictionaries(st.sampled_from(
    sorted({step.key for flow in FLOWS.values() for step in flow.steps} | {"call_type", "commitment"})),
    JSON_VALUES, max_size=12))
def test_validation_of_any_arguments_is_total_and_storable(code, arguments):
    arguments = payload.clean(tools.canonical_arguments(arguments))
    values, problems = engine.validate_arguments(FLOWS[code], arguments)
    assert all(isinstance(problem, str) and problem for problem in problems)
    for key, value in values.items():
        assert isinstance(value, (str, bool, int, float)), (key, value)
        assert storable(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert abs(value) <= 1e9


def test_nesting_is_bounded_without_exhausting_the_stack():
    deep = b'{"message": ' * 10000 + b"{}" + b"}" * 10000
    with pytest.raises(vapi.PayloadError, match="nested"):
        vapi.parse_body(deep)
    shallow = json.dumps({"message": {"type": "x", "a": [[[[1]]]]}}).encode()
    assert vapi.parse_body(shallow).type == "x"


def test_nul_and_lone_surrogates_are_cleaned_and_the_journal_text_says_so():
    body = b'{"message": {"type": "tool-calls", "call": {"id": "c\\u0000"}, "toolCallList": [' \
           b'{"id": "t1", "function": {"name": "log", "arguments": {"note": "a\\u0000b\\ud800"}}}]}}'
    message = vapi.parse_body(body)
    assert message.call_id == "c"
    assert message.tool_calls[0].arguments == {"note": "ab?"}
    assert payload.storable_body(b'{"a": "x\x00"}') == ('{"a": "x\\x00"}', False)
    assert payload.storable_body(b"\xffok") == ("\\xffok", False)
    assert payload.storable_body('{"é": 1}'.encode()) == ('{"é": 1}', True)


def test_long_ids_make_short_dedupe_keys():
    key = payload.short_key("tool-calls", ["t" * 5000, "u"])
    assert len(key) <= payload.MAX_ID_CHARS and key.startswith("tool-calls:sha256:")
    assert payload.short_key("tool-calls", ["b", "a"]) == "tool-calls:a,b"


RETELL_KEYS = ["event", "call", "call_inbound", "name", "args", "call_id", "from_number", "start_timestamp",
               "end_timestamp", "duration_ms", "disconnection_reason", "transcript", "call_analysis"]
RETELL_BODIES = st.dictionaries(st.sampled_from(RETELL_KEYS), st.one_of(
    JSON_VALUES, st.dictionaries(st.sampled_from(RETELL_KEYS), JSON_VALUES, max_size=6)), max_size=6)


@SETTINGS
@given(st.one_of(RETELL_BODIES, JSON_VALUES))
@example({"event": "call_ended", "call": {"call_id": ["x"], "duration_ms": 10**30, "start_timestamp": -1}})
@example({"name": "log_daily_checkin", "call": "not an object", "args": "not an object"})
def test_any_retell_body(value):
    try:
        message = retell.parse_body(json.dumps(value).encode())
    except retell.PayloadError as error:
        assert str(error)
        return
    for text in (message.call_id, message.caller_number, message.ended_reason, message.transcript,
                 message.summary):
        assert isinstance(text, str) and storable(text)
    duration = message.duration_seconds()
    assert duration is None or 0 <= duration <= vapi.MAX_CALL_SECONDS
    for call in message.tool_calls:
        assert isinstance(call.arguments, dict) and storable(call.arguments)
    retell.failure_answer(message)


# ------------------------------------------------------------ every provider
ADAPTERS = sorted(providers.ADAPTERS.values(), key=lambda adapter: adapter.code)
TWILIO_FORMS = st.dictionaries(st.sampled_from(["CallSid", "From", "SpeechResult", "Digits", "CallStatus",
                                                "CallDuration", "To", "\x00"]), NASTY_TEXT, max_size=6)


def exercise_adapter(adapter, message):
    """What the journal and the line read of any message the adapter parsed."""
    assert isinstance(message, payload.Message) and storable(message.raw)
    assert isinstance(message.call_id, str) and isinstance(message.caller_number, str)
    duration = message.duration_seconds()
    assert duration is None or 0 <= duration <= payload.MAX_CALL_SECONDS
    assert isinstance(message.transcript, str) and isinstance(message.summary, str)
    started = message.started_at()
    assert started is None or 2000 <= started.year <= 2200
    adapter.starts_call(message), adapter.ends_call(message)  # pylint: disable=expression-not-assigned
    if adapter.is_tool(message) and message.tool_calls:
        adapter.tool_answer([payload.ToolResult(call, "ok") for call in message.tool_calls[:1]])
    status, body = adapter.failure_answer(message)
    assert status == 200 and isinstance(body, dict)


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda adapter: adapter.code)
@SETTINGS
@given(body=st.one_of(st.binary(max_size=300), JSON_VALUES.map(lambda value: json.dumps(value).encode()),
                      TWILIO_FORMS.map(lambda form: urllib.parse.urlencode(form, errors="surrogatepass").encode())),
       kind=st.sampled_from(["voice", "gather", "status", None, "other"]))
@example(body=b"CallSid=CA1&From=%2B15125550191&SpeechResult=yes%00no", kind="gather")
@example(body=b"CallSid=&From=x", kind="voice")
@example(body=b"CallSid=CA1&CallStatus=completed&CallDuration=" + b"9" * 4301, kind="status")
@example(body=b'{"event": "call_ended", "call": "not an object"}', kind=None)
def test_every_adapter_parses_any_body_to_a_message_or_a_payload_error(adapter, body, kind):
    try:
        message = adapter.parse(body, kind)
    except payload.PayloadError as error:
        assert str(error)
        return
    exercise_adapter(adapter, message)


def test_the_registry_holds_every_provider_once_with_its_parts():
    assert {adapter.code for adapter in ADAPTERS} == {"vapi", "retell", "twilio"}
    assert [code for code, _label in providers.line_providers()] == ["retell", "twilio", "vapi", "test"]
    for adapter in ADAPTERS:
        assert adapter.credential.startswith("ops_coach.")
        assert not adapter.authorized("", providers.SignedRequest(b"{}", {})), "no credential, no entry"
    with pytest.raises(ValueError, match="registered twice"):
        providers.register(providers.ADAPTERS["vapi"])
