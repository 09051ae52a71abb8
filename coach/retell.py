"""Retell AI webhooks: one URL takes the inbound-call webhook, custom function
calls and call events. Parsing is total (see ``payload``); the messages offer
the same interface as Vapi's, so ``ops.line`` handles both alike.
"""

import dataclasses
import datetime
import hashlib
import hmac
import json
import re
import time

from . import payload, providers
from .payload import KEPT_FOR_RETRY, MAX_CALL_SECONDS, ToolCall

PayloadError = payload.PayloadError
SIGNATURE = re.compile(r"v=(\d{1,16}),d=([0-9a-fA-F]{64})")
SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000  # what retell-sdk's verify allows
FUNCTION = "function"
INBOUND = "call_inbound"
# Retell's events mapped onto the line's message types
END_OF_CALL_EVENTS = ("call_ended", "call_analyzed")


def signature_matches(api_key, body, header, now_ms=None):
    """``x-retell-signature`` (``v=<ms>,d=<hex>``): HMAC-SHA256 of the raw body
    followed by the timestamp, keyed with the API key, within five minutes."""
    if not api_key or not isinstance(header, str):
        return False
    match = SIGNATURE.fullmatch(header.strip())
    if not match:
        return False
    stamp, digest = match.groups()
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now_ms - int(stamp)) > SIGNATURE_TOLERANCE_MS:
        return False
    expected = hmac.new(api_key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), digest.lower().encode())


@dataclasses.dataclass(frozen=True)
class Message(payload.Message):
    """One Retell request, with the accessors ``ops.line`` reads."""

    @property
    def ended_reason(self):
        return payload.identifier(self.call.get("disconnection_reason"))

    def started_at(self):
        return _from_ms(self.call.get("start_timestamp"))

    def duration_seconds(self):
        duration = payload.bounded_int(self.call.get("duration_ms"), 0, MAX_CALL_SECONDS * 1000)
        if duration is not None:
            return round(duration / 1000)
        started, ended = self.started_at(), _from_ms(self.call.get("end_timestamp"))
        if started and ended and started <= ended <= started + datetime.timedelta(seconds=MAX_CALL_SECONDS):
            return round((ended - started).total_seconds())
        return None

    @property
    def transcript(self):
        return payload.text(self.call.get("transcript"))

    @property
    def summary(self):
        return payload.text(payload.obj(self.call.get("call_analysis")).get("call_summary"))


def _from_ms(value):
    millis = payload.bounded_int(value, 946684800000, 7258118400000)  # 2000 to 2200
    if millis is None:
        return None
    return datetime.datetime.fromtimestamp(millis / 1000, datetime.timezone.utc).replace(tzinfo=None)


def parse_body(body):
    """Raw bytes into a :class:`Message`, or :class:`PayloadError`."""
    envelope = payload.load_json(body)
    if not isinstance(envelope, dict):
        raise PayloadError("body must be a JSON object")
    event = envelope.get("event")
    if event == INBOUND:
        inbound = payload.obj(envelope.get(INBOUND))
        return Message(INBOUND, "", payload.identifier(inbound.get("from_number")), envelope)
    call = payload.obj(envelope.get("call"))
    call_id = payload.identifier(call.get("call_id"))
    number = payload.identifier(call.get("from_number"))
    if isinstance(event, str) and event.strip():
        return Message(payload.identifier(event), call_id, number, envelope)
    name = envelope.get("name")
    if isinstance(name, str) and name.strip():
        arguments = envelope.get("args", {})
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, dict):
            raise PayloadError(f"args of {name.strip()[:60]} must be an object")
        # Retell sends no tool-call id: the call, the function and its arguments make one
        digest = hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:16]
        tool_id = f"{call_id}:{name.strip()[:60]}:{digest}"
        return Message(FUNCTION, call_id, number, envelope,
                       (ToolCall(id=tool_id, name=name.strip()[:100], arguments=arguments),))
    raise PayloadError('body must be a Retell event ("event") or function call ("name")')


def authorized(api_key, request):
    return signature_matches(api_key, request.body, request.headers.get("X-Retell-Signature"))


def tool_answer(results):
    """A function call's answer (Retell sends one function a request): the text the LLM reads."""
    [answer] = results
    return {"error" if answer.error is not None else "result": answer.text}


def start_answer(script):
    """The agent's prompt travels as dynamic variables: the Retell agent's
    prompt is ``{{ops_prompt}}`` and its first message ``{{ops_first_message}}``."""
    variables = {"ops_prompt": script.system_prompt, "ops_first_message": script.first_message,
                 "employee_name": script.caller_name}
    return inbound_answer(variables, script.metadata, script.max_seconds, script.settings.get("language"))


def inbound_answer(variables, metadata, max_seconds, language=None):
    """The inbound webhook's answer: the caller's dynamic variables (strings),
    and for this call only, the agent's language (its recogniser and voice)."""
    agent = {"max_call_duration_ms": max_seconds * 1000}
    if language:
        agent["language"] = language
    return {INBOUND: {
        "dynamic_variables": {key: payload.text(value) if not isinstance(value, str) else value
                              for key, value in variables.items()},
        "metadata": metadata,
        "agent_override": {"agent": agent},
    }}


def failure_answer(message):
    """What Retell is told when processing failed (the request is kept and retried)."""
    if message.type == FUNCTION:
        return 200, {"result": KEPT_FOR_RETRY}
    if message.type == INBOUND:
        return 200, {INBOUND: {}}  # Retell falls back to the number's own agent
    return 200, {}


ADAPTER = providers.register(providers.Adapter(
    code="retell", label="Retell", credential="ops_coach.retell_api_key",
    parse=lambda body, _kind: parse_body(body), authorized=authorized,
    start_messages=(INBOUND,), start_answer=start_answer,
    tool_messages=(FUNCTION,), tool_answer=tool_answer,
    end_of_call_messages=END_OF_CALL_EVENTS, failure_answer=failure_answer))
