"""Vapi "Server URL" messages: parsing, authentication and answers.

Parsing is defensive because Vapi's own examples disagree (arguments as an
object or a JSON string; nested or flattened tool calls; legacy shapes).
"""

import dataclasses
import datetime
import hmac

from . import payload, providers, tools
from .payload import KEPT_FOR_RETRY, MAX_CALL_SECONDS, ToolCall, ToolResult

MAX_BODY_BYTES = payload.MAX_BODY_BYTES
PayloadError = payload.PayloadError
TOOL_MESSAGES = ("tool-calls", "function-call")

@dataclasses.dataclass(frozen=True)
class Message(payload.Message):
    """One Vapi server message. ``raw`` is cleaned JSON (see ``payload``);
    every accessor answers for any shape of it."""

    @property
    def ended_reason(self):
        return payload.identifier(self.raw.get("endedReason") or self.call.get("endedReason"))

    def duration_seconds(self):
        """``endedAt − startedAt`` of the message, else of the call; ``None`` if unknown."""
        started = self.started_at()
        ended = _parse_time(self.raw.get("endedAt") or self.call.get("endedAt"))
        if started and ended and started <= ended <= started + datetime.timedelta(seconds=MAX_CALL_SECONDS):
            return round((ended - started).total_seconds())
        for key, scale in (("durationSeconds", 1), ("durationMs", 0.001)):
            seconds = payload.bounded_int(self.raw.get(key), 0, MAX_CALL_SECONDS / scale)
            if seconds is not None:
                return round(seconds * scale)
        return None

    def started_at(self):
        return _parse_time(self.raw.get("startedAt") or self.call.get("startedAt"))

    @property
    def transcript(self):
        return payload.text(payload.obj(self.raw.get("artifact")).get("transcript") or self.raw.get("transcript"))

    @property
    def summary(self):
        return payload.text(payload.obj(self.raw.get("analysis")).get("summary") or self.raw.get("summary"))


def _parse_time(value):
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo:
            moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment if 2000 <= moment.year <= 2200 else None


def parse_body(body):
    """Parse raw request bytes into a :class:`Message` or raise :class:`PayloadError`."""
    return parse_envelope(payload.load_json(body))


def parse_envelope(envelope):
    """A cleaned JSON value into a :class:`Message`, or :class:`PayloadError`."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("message"), dict):
        raise PayloadError('body must be an object with a "message" object')
    message = envelope["message"]
    kind = message.get("type")
    if not isinstance(kind, str) or not kind.strip():
        raise PayloadError('message has no "type"')
    call = payload.obj(message.get("call"))
    customer = payload.obj(call.get("customer") or message.get("customer"))
    tool_calls = tuple(_tool_calls(message)) if kind in TOOL_MESSAGES else ()
    return Message(
        type=payload.identifier(kind),
        call_id=payload.identifier(call.get("id")),
        caller_number=payload.identifier(customer.get("number")),
        raw=message,
        tool_calls=tool_calls,
    )


def _tool_items(message):
    items = message.get("toolCallList") or message.get("toolCalls")
    if items is None and isinstance(message.get("toolWithToolCallList"), list):
        items = [payload.obj(item).get("toolCall") for item in message["toolWithToolCallList"]]
    if items is None and isinstance(message.get("functionCall"), dict):  # legacy function-call
        items = [dict(message["functionCall"], id=message["functionCall"].get("id") or "function-call")]
    if not isinstance(items, list):
        raise PayloadError("tool-calls message has no toolCallList")
    return items


def _tool_calls(message):
    for item in _tool_items(message):
        if not isinstance(item, dict):
            raise PayloadError("a tool call is not an object")
        function = item.get("function") if isinstance(item.get("function"), dict) else item
        name = function.get("name")
        if not isinstance(name, str) or not name.strip():
            raise PayloadError("a tool call has no function name")
        arguments = function.get("arguments", function.get("parameters", {}))
        if isinstance(arguments, str):
            try:
                arguments = payload.load_json(arguments.encode("utf-8")) if arguments.strip() else {}
            except PayloadError:
                raise PayloadError(f"arguments of {name[:60]} are not JSON") from None
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, dict):
            raise PayloadError(f"arguments of {name[:60]} must be an object")
        yield ToolCall(id=payload.identifier(item.get("id")), name=name.strip()[:100], arguments=arguments)


def authorized(secret, request):
    return secret_matches(request.headers, secret)


def secret_matches(headers, secret):
    """True when the request carries ``secret`` as ``X-Vapi-Secret`` or as
    ``Authorization: Bearer``; constant-time, and never true without a secret."""
    if not secret:
        return False
    expected = secret.encode()
    sent = []
    if headers.get("X-Vapi-Secret"):
        sent.append(headers["X-Vapi-Secret"])
    authorization = headers.get("Authorization") or ""
    if authorization[:7].lower() == "bearer ":
        sent.append(authorization[7:].strip())
    # compare every candidate so timing does not tell which header was tried
    matches = [hmac.compare_digest(value.encode(), expected) for value in sent]
    return any(matches)


def result_entry(answer):
    """One :class:`~payload.ToolResult` as Vapi reads it (one line)."""
    key = "error" if answer.error is not None else "result"
    return {"name": answer.call.name, "toolCallId": answer.call.id, key: answer.text}


def tool_result(call, result=None, error=None):
    return result_entry(ToolResult(call, result, error))


def tool_answer(results):
    return {"results": [result_entry(answer) for answer in results]}


def start_answer(script):
    """A transient assistant whose tools and messages come back to the line."""
    server = script.settings["server"]
    assistant = {
        "name": script.name,
        "firstMessage": script.first_message,
        "model": {
            "provider": script.settings.get("model_provider") or "openai",
            "model": script.settings.get("model") or "gpt-4o",
            "messages": [{"role": "system", "content": script.system_prompt}],
            "tools": tools.function_tools(server, script.tool_names),
        },
        "maxDurationSeconds": script.max_seconds,
        "serverMessages": ["end-of-call-report", "status-update", "tool-calls"],
        "server": server,
    }
    for part in ("transcriber", "voice"):  # the caller's language: Vapi's defaults are English
        if script.settings.get(part):
            assistant[part] = script.settings[part]
    if script.metadata:
        assistant["metadata"] = script.metadata
    return {"assistant": assistant}


FALLBACK_GREETING = ("Ops line. I can't open your check-in right now. Tell me how you're doing and "
                     "any blockers; I'll pass it on.")


def failure_answer(message):
    """What Vapi is told when processing failed: the request is journaled and
    will be retried, so the caller hears that it is kept, never an error."""
    if message.type in TOOL_MESSAGES:
        return 200, tool_answer([ToolResult(call, KEPT_FOR_RETRY) for call in message.tool_calls])
    if message.type == "assistant-request":
        # no tools: the end-of-call report keeps the transcript for a person to read
        return 200, {"assistant": {
            "name": "Ops Coach (fallback)", "firstMessage": FALLBACK_GREETING, "maxDurationSeconds": 180,
            "model": {"provider": "openai", "model": "gpt-4o", "messages": [{"role": "system", "content": (
                "You are the company's Ops line. Odoo is briefly unavailable. Listen, ask whether the "
                "caller is ready to work and about any blocker or safety issue, thank them and end.")}]},
            "serverMessages": ["end-of-call-report"],
        }}
    return 200, {}


ADAPTER = providers.register(providers.Adapter(
    code="vapi", label="Vapi", credential="ops_coach.vapi_secret",
    parse=lambda body, _kind: parse_body(body), authorized=authorized,
    start_messages=("assistant-request",), start_answer=start_answer,
    tool_messages=TOOL_MESSAGES, tool_answer=tool_answer,
    end_of_call_messages=("end-of-call-report",), failure_answer=failure_answer))
