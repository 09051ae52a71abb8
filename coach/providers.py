"""The voice providers the line answers, registered once.

Each provider is one adapter: how its requests are parsed and authenticated,
which messages start a call, carry tool calls or end it, and how the line's
answers are put in its shape. The journal, the selections and the line read
this registry; a new provider is one module that registers its adapter (listed
at the bottom of this file) and one route.
"""

import dataclasses
import typing

from .registry import Registry
from .tools import READ_ONLY


@dataclasses.dataclass(frozen=True)
class SignedRequest:
    """What a provider signs or authenticates: the raw body, the headers, and
    for form-encoded webhooks the URLs it may have requested and the form."""

    body: bytes
    headers: typing.Mapping
    urls: tuple = ()
    form: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Script:
    """What an LLM agent needs for one caller, whatever the provider."""

    name: str
    first_message: str
    system_prompt: str
    max_seconds: int
    tool_names: tuple
    metadata: dict
    caller_name: str = ""
    settings: dict = dataclasses.field(default_factory=dict)  # the provider's own: server, model…


def _no_answer(*_args):
    return {}


@dataclasses.dataclass(frozen=True)
class Adapter:
    code: str
    label: str
    credential: str  # the system parameter holding its secret, API key or auth token
    parse: typing.Callable  # (body bytes, kind of request or None) -> payload.Message, or PayloadError
    authorized: typing.Callable  # (credential value, SignedRequest) -> bool, constant-time
    failure_answer: typing.Callable  # (message) -> (status, body): said when saving failed
    start_messages: tuple = ()
    start_answer: typing.Callable = _no_answer  # (Script) -> body
    tool_messages: tuple = ()
    tool_answer: typing.Callable = _no_answer  # ([payload.ToolResult]) -> body
    end_of_call_messages: tuple = ()
    line_method: str = "_handle_agent"  # the ops.line method that answers its messages
    denied_status: int = 401

    def starts_call(self, message):
        return message.type in self.start_messages

    def is_tool(self, message):
        return message.type in self.tool_messages

    def ends_call(self, message):
        return message.type in self.end_of_call_messages

    def saves_nothing(self, message):
        """No side effect can follow, so the journal skips looking for one: an
        LLM agent's provider saves answers only through tools that write and at
        the end of a call; a scripted line (Twilio) may save on any turn."""
        if self.line_method != "_handle_agent":
            return False
        if self.is_tool(message):
            return all(call.name in READ_ONLY for call in message.tool_calls)
        return not self.ends_call(message)


ADAPTERS = Registry("provider")
register = ADAPTERS.register
TEST_CONSOLE = ("test", "Test console")


def line_providers():
    """Who calls the line's webhooks, and the console, which plays one."""
    return _registered() + [TEST_CONSOLE]


def checkin_sources():
    """Where a check-in came from: a provider, typed in by a person, or the console."""
    return _registered() + [("manual", "Manual"), TEST_CONSOLE]


def _registered():
    return sorted((adapter.code, adapter.label) for adapter in ADAPTERS.values())


# the adapters register themselves on import (after the registry above exists)
from . import retell, twilio, vapi  # noqa: E402,F401  pylint: disable=wrong-import-position,cyclic-import,unused-import
