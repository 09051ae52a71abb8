import json

import pytest
from shipped_flows import load_flows

from coach import prompt, vapi


def body(message):
    return json.dumps({"message": message}).encode()


def test_tool_calls_with_object_or_string_arguments():
    for arguments in ({"energy": 4}, json.dumps({"energy": 4})):
        message = vapi.parse_body(body({"type": "tool-calls", "call": {"id": "c1", "customer": {"number": "+1"}},
                                        "toolCallList": [{"id": "t1", "type": "function",
                                                          "function": {"name": "log", "arguments": arguments}}]}))
        assert message.tool_calls == (vapi.ToolCall("t1", "log", {"energy": 4}),)
        assert (message.call_id, message.caller_number) == ("c1", "+1")


def test_flattened_nested_and_legacy_tool_calls():
    flat = vapi.parse_body(body({"type": "tool-calls", "toolCallList": [{"id": "a", "name": "x", "parameters": {}}]}))
    nested = vapi.parse_body(body({"type": "tool-calls", "toolWithToolCallList": [
        {"toolCall": {"id": "b", "function": {"name": "y", "arguments": "{}"}}}]}))
    legacy = vapi.parse_body(body({"type": "function-call", "functionCall": {"name": "z", "parameters": {"a": 1}}}))
    assert [c.name for c in flat.tool_calls + nested.tool_calls + legacy.tool_calls] == ["x", "y", "z"]
    assert legacy.tool_calls[0].arguments == {"a": 1}


@pytest.mark.parametrize(("raw", "error"), [
    (b"not json", "not JSON"), (b"[]", '"message" object'), (body({"call": {}}), 'no "type"'),
    (body({"type": "tool-calls"}), "no toolCallList"),
    (body({"type": "tool-calls", "toolCallList": [{"id": "a", "function": {"name": "x", "arguments": "{bad"}}]}),
     "not JSON"),
    (b"x" * (vapi.MAX_BODY_BYTES + 1), "over the"),
])
def test_bad_bodies_say_why(raw, error):
    with pytest.raises(vapi.PayloadError, match=error):
        vapi.parse_body(raw)


def test_end_of_call_report_fields():
    message = vapi.parse_body(body({
        "type": "end-of-call-report", "endedReason": "customer-ended-call",
        "startedAt": "2025-11-21T10:00:01.500Z", "endedAt": "2025-11-21T10:02:07.900Z",
        "analysis": {"summary": "Energy 4", "structuredData": {"energy": 4}},
        "artifact": {"transcript": "AI: Hi"}}))
    assert message.duration_seconds() == 126
    assert (message.ended_reason, message.summary, message.transcript) == ("customer-ended-call", "Energy 4", "AI: Hi")
    assert vapi.parse_body(body({"type": "end-of-call-report"})).duration_seconds() is None


def test_secret_header_or_bearer_and_never_without_a_secret():
    assert vapi.secret_matches({"X-Vapi-Secret": "s3"}, "s3")
    assert vapi.secret_matches({"Authorization": "Bearer s3"}, "s3")
    assert vapi.secret_matches({"Authorization": "bearer  s3 "}, "s3")
    assert not vapi.secret_matches({"X-Vapi-Secret": "s4"}, "s3")
    assert not vapi.secret_matches({"Authorization": "Basic s3"}, "s3")
    assert not vapi.secret_matches({"X-Vapi-Secret": ""}, "")
    assert not vapi.secret_matches({}, None)


def test_tool_results_are_one_line_strings():
    call = vapi.ToolCall("t1", "log", {})
    assert vapi.tool_result(call, result="a\nb") == {"name": "log", "toolCallId": "t1", "result": "a b"}
    assert vapi.tool_result(call, result={"b": 1, "a": 2})["result"] == '{"a": 2, "b": 1}'
    assert vapi.tool_result(call, error="energy\nmust be 1 to 5")["error"] == "energy must be 1 to 5"


def test_prompt_names_the_caller_flows_kill_switch_and_conditions():
    flows = load_flows()
    context = {"name": "Ana Ruiz", "first_name": "Ana", "roles": "Technician", "primary_kpi": "Callback %",
               "goal_90d": "NATE", "strength": "Learner", "coaching_line": "Learn one thing."}
    text = prompt.system_prompt(context, [flows["tech_am"], flows["tech_eod"]], flows["ops_only"],
                                lambda call_type: "log_daily_checkin")
    assert "Ana Ruiz (Technician)" in text
    assert "Learn one thing. Repeat your focus in five words or less." in text
    assert '"skip", "busy", "ops only", "not doing this"' in text
    assert "only if ready_status is not_ready" in text
    assert "ask first which one: Technician AM pulse and coaching or End-of-day close-out" in text
    assert prompt.fill("Hi {first_name}, {unknown}", context) == "Hi Ana, {unknown}"
