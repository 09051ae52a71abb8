"""Total parsing of webhook bodies: any bytes give a value or a PayloadError.

Every provider adapter reads its body through :func:`load_json`, so what
reaches the models is plain JSON data that PostgreSQL can store: no NUL
characters, no lone surrogates, no non-finite numbers, bounded nesting.
"""

import dataclasses
import hashlib
import json
import math

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_CALL_SECONDS = 24 * 3600
# what a caller's agent is told when saving failed: the request is journaled and retried
KEPT_FOR_RETRY = "Thanks, I have it; it is kept and will be saved in a moment."
MAX_DEPTH = 64
MAX_ID_CHARS = 200  # call ids, tool call ids, numbers: indexed columns stay small
LARGEST_INT = 2**31 - 1  # PostgreSQL integer


class PayloadError(ValueError):
    """The request body cannot be read; the text says why (answered 400)."""


def _reject_constant(name):
    raise PayloadError(f"{name} is not a JSON number")


def _finite_float(text):
    number = float(text)
    if not math.isfinite(number):
        raise PayloadError(f"number {text[:40]} is too large")
    return number


def load_json(body):
    """Bytes → cleaned JSON value, or :class:`PayloadError`."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError(f"body of {len(body)} bytes is over the {MAX_BODY_BYTES} byte limit")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PayloadError(f"body is not UTF-8: {error.reason} at byte {error.start}") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except PayloadError:
        raise
    except RecursionError:
        raise PayloadError(f"body is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:  # JSONDecodeError, and ints over Python's digit limit
        raise PayloadError(f"body is not JSON: {error}") from None
    return clean(value)


def clean(value):
    """``value`` with storable strings everywhere; deeper than MAX_DEPTH is refused.

    Iterative, so a hostile depth cannot exhaust the stack.
    """
    root = [value]
    stack = [(root, 0, 0)]
    while stack:
        container, key, depth = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = clean_text(item)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            raise PayloadError(f"body is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            item = {clean_text(k): v for k, v in item.items()}
            container[key] = item
            stack.extend((item, k, depth + 1) for k in item)
        else:
            stack.extend((item, i, depth + 1) for i in range(len(item)))
    return root[0]


def clean_text(text):
    """A string PostgreSQL accepts: NUL removed, lone surrogates replaced."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def storable_body(body):
    """The raw body as text for the journal: ``(text, exact)``.

    ``exact`` is False when the bytes could not be kept as they are (invalid
    UTF-8, NUL characters); the text then shows them escaped.
    """
    text = body.decode("utf-8", "backslashreplace")
    exact = "\x00" not in text and text.encode("utf-8", "backslashreplace") == body
    text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text, exact = text.encode("utf-8", "backslashreplace").decode("utf-8"), False
    return text, exact


@dataclasses.dataclass(frozen=True)
class Message:
    """One provider request, as every channel hands it to ``ops.line``: its
    type, the provider's call id, the caller's number, the cleaned body and
    the tool calls it carries. Providers add their own accessors."""

    type: str
    call_id: str
    caller_number: str
    raw: dict
    tool_calls: tuple = ()

    @property
    def call(self):
        return obj(self.raw.get("call"))

    def started_at(self):
        """When the call started (naive UTC), where the provider says it."""
        return None


@dataclasses.dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict


@dataclasses.dataclass(frozen=True)
class ToolResult:
    """A tool's answer, before a provider puts it in its own shape."""

    call: ToolCall
    result: object = None
    error: str = None

    @property
    def text(self):
        """On one line: agents read tool results as one line of text."""
        value = self.error if self.error is not None else (
            self.result if isinstance(self.result, str) else json.dumps(self.result, sort_keys=True))
        return " ".join(str(value).split())


# ------------------------------------------------------------ typed getters
def obj(value):
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def text(value):
    """``value`` as text if it is a string or a number, else ''."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    return ""


def identifier(value):
    """An id or phone number fit for an indexed column."""
    return text(value).strip()[:MAX_ID_CHARS]


def bounded_int(value, minimum=0, maximum=LARGEST_INT):
    """A whole number in range, or ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def short_key(prefix, parts):
    """A dedupe key that fits an index whatever the ids' length."""
    joined = ",".join(sorted(parts))
    key = f"{prefix}:{joined}"
    if len(key) <= MAX_ID_CHARS:
        return key
    return f"{prefix}:sha256:{hashlib.sha256(joined.encode('utf-8')).hexdigest()}"
