"""Vapi "Server URL" messages: parsing, authentication and answers.

Parsing is defensive because Vapi's own examples disagree (arguments as an
object or a JSON string; nested or flattened tool calls; legacy shapes).
"""

import dataclasses
import datetime
import hmac
import json

MAX_BODY_BYTES = 2 * 1024 * 1024
ANSWERED_TYPES = ("assistant-request", "tool-calls")


class PayloadError(ValueError):
    """The request body is not a Vapi message; the text says why."""


@dataclasses.dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict


@dataclasses.dataclass(frozen=True)
class Message:
    type: str
    call_id: str
    caller_number: str
    raw: dict
    tool_calls: tuple = ()

    @property
    def ended_reason(self):
        return self.raw.get("endedReason") or self.raw.get("call", {}).get("endedReason") or ""

    def duration_seconds(self):
        """``endedAt − startedAt`` of the message, else of the call; ``None`` if unknown."""
        call = self.raw.get("call") or {}
        started = _parse_time(self.raw.get("startedAt") or call.get("startedAt"))
        ended = _parse_time(self.raw.get("endedAt") or call.get("endedAt"))
        if started and ended and ended >= started:
            return round((ended - started).total_seconds())
        for key, scale in (("durationSeconds", 1), ("durationMs", 0.001)):
            if isinstance(self.raw.get(key), (int, float)):
                return round(self.raw[key] * scale)
        return None

    def started_at(self):
        call = self.raw.get("call") or {}
        return _parse_time(self.raw.get("startedAt") or call.get("startedAt"))

    @property
    def transcript(self):
        artifact = self.raw.get("artifact") or {}
        return artifact.get("transcript") or self.raw.get("transcript") or ""

    @property
    def summary(self):
        analysis = self.raw.get("analysis") or {}
        return analysis.get("summary") or self.raw.get("summary") or ""

    @property
    def structured_data(self):
        analysis = self.raw.get("analysis") or {}
        data = analysis.get("structuredData")
        return data if isinstance(data, dict) else {}


def _parse_time(value):
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment


def parse_body(body):
    """Parse raw request bytes into a :class:`Message` or raise :class:`PayloadError`."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError(f"body of {len(body)} bytes is over the {MAX_BODY_BYTES} byte limit")
    try:
        envelope = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError(f"body is not JSON: {error}") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("message"), dict):
        raise PayloadError('body must be an object with a "message" object')
    message = envelope["message"]
    kind = message.get("type")
    if not isinstance(kind, str) or not kind:
        raise PayloadError('message has no "type"')
    call = message.get("call") if isinstance(message.get("call"), dict) else {}
    customer = call.get("customer") or message.get("customer") or {}
    tool_calls = tuple(_tool_calls(message)) if kind in ("tool-calls", "function-call") else ()
    return Message(
        type=kind,
        call_id=str(call.get("id") or ""),
        caller_number=str(customer.get("number") or "") if isinstance(customer, dict) else "",
        raw=message,
        tool_calls=tool_calls,
    )


def _tool_calls(message):
    items = message.get("toolCallList") or message.get("toolCalls")
    if items is None and isinstance(message.get("toolWithToolCallList"), list):
        items = [item.get("toolCall") or {} for item in message["toolWithToolCallList"]]
    if items is None and isinstance(message.get("functionCall"), dict):  # legacy function-call
        items = [dict(message["functionCall"], id=message["functionCall"].get("id", "function-call"))]
    if not isinstance(items, list):
        raise PayloadError("tool-calls message has no toolCallList")
    for item in items:
        if not isinstance(item, dict):
            raise PayloadError("a tool call is not an object")
        function = item.get("function") if isinstance(item.get("function"), dict) else item
        name = function.get("name")
        if not name:
            raise PayloadError("a tool call has no function name")
        arguments = function.get("arguments", function.get("parameters", {}))
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError:
                raise PayloadError(f"arguments of {name} are not JSON") from None
        if not isinstance(arguments, dict):
            raise PayloadError(f"arguments of {name} must be an object")
        yield ToolCall(id=str(item.get("id") or ""), name=name, arguments=arguments)


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


def one_line(text):
    """Vapi wants tool results on one line."""
    return " ".join(str(text).split())


def tool_result(call, result=None, error=None):
    entry = {"name": call.name, "toolCallId": call.id}
    if error is not None:
        entry["error"] = one_line(error)
    else:
        entry["result"] = one_line(result if isinstance(result, str) else json.dumps(result, sort_keys=True))
    return entry
