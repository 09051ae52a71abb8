"""Twilio Programmable Voice, scripted with no LLM: form-encoded webhooks,
``X-Twilio-Signature`` and TwiML. The flow engine asks one step per
``<Gather>``; this module only reads requests and writes answers.
"""

import base64
import dataclasses
import hashlib
import hmac
import urllib.parse
import xml.etree.ElementTree as ET

from . import payload, providers
from .lexicon import ENGLISH, words
from .payload import MAX_CALL_SECONDS

PayloadError = payload.PayloadError
KINDS = ("voice", "gather", "status", "alert_ack")  # alert_ack: the key pressed on a safety call
FINAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
GATHER_TIMEOUT_SECONDS = 6


def chosen_option(options, said, lexicon=ENGLISH):
    """The option a caller picked: ``options`` are (name, call_type) in the
    order offered; ``said`` the digit pressed or the words spoken (what callers
    say of each kind of check-in is the lexicon's). None when it is not one clear option."""
    said = (said or "").strip().lower()
    if said.isdecimal():
        return int(said) - 1 if 1 <= int(said) <= len(options) else None
    heard = set(words(said)) - lexicon.small_words
    scores = [len(heard & set(words(f"{name} {lexicon.call_type_words.get(call_type, '')}")))
              for name, call_type in options]
    best = max(scores, default=0)
    return scores.index(best) if best and scores.count(best) == 1 else None


# ------------------------------------------------------------- signature
def _digest(auth_token, url, params):
    data = url + "".join(name + value for name in sorted(params) for value in sorted(params[name]))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _port_variants(url):
    """Twilio signs with or without the default port: accept both."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return {urllib.parse.urlunsplit(parts._replace(netloc=host)),
            urllib.parse.urlunsplit(parts._replace(netloc=f"{host}:{port}"))}


def signature_matches(auth_token, urls, params, signature):
    """True when ``signature`` is Twilio's HMAC-SHA1 of one of ``urls`` (the
    URL as Twilio requested it; several when a proxy may have rewritten it)
    followed by the sorted form parameters; compared in constant time."""
    if not auth_token or not isinstance(signature, str) or not signature:
        return False
    candidates = {variant for url in urls if url for variant in _port_variants(url)}
    matches = [hmac.compare_digest(_digest(auth_token, url, params).encode(), signature.encode())
               for url in sorted(candidates)]
    return any(matches)


def form_params(body):
    """The form body as {name: [values]}, as Twilio signs it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PayloadError(f"body is not UTF-8: {error.reason}") from None
    return urllib.parse.parse_qs(text, keep_blank_values=True)


# --------------------------------------------------------------- message
@dataclasses.dataclass(frozen=True)
class Message(payload.Message):
    """One Twilio request (voice, gather or status), with the accessors
    ``ops.line`` reads for every channel."""

    @property
    def answer(self):
        """What the caller said (speech) or pressed (keys); None for silence."""
        spoken = payload.text(self.raw.get("SpeechResult")).strip()
        return spoken or payload.text(self.raw.get("Digits")).strip() or None

    @property
    def digits(self):
        """The keys pressed, as Twilio sent them ("" when none)."""
        return payload.text(self.raw.get("Digits")).strip()

    @property
    def call_status(self):
        return payload.identifier(self.raw.get("CallStatus"))

    @property
    def ended_reason(self):
        return f"twilio-{self.call_status}" if self.call_status else ""

    def duration_seconds(self):
        text = payload.text(self.raw.get("CallDuration"))
        # a length check first: Python refuses to read an integer of over 4,300 digits
        return int(text) if text.isdecimal() and len(text) <= 6 and int(text) <= MAX_CALL_SECONDS else None

    transcript = ""
    summary = ""


def parse_body(body, kind):
    """A form-encoded Twilio request of ``kind`` (voice, gather, status)."""
    if kind not in KINDS:
        raise PayloadError(f"unknown Twilio request {kind!r}")
    fields = {payload.clean_text(name): payload.clean_text(values[0]) for name, values in form_params(body).items() if values}
    call_sid = payload.identifier(fields.get("CallSid"))
    if not call_sid:
        raise PayloadError("a Twilio request needs a CallSid")
    return Message(kind, call_sid, payload.identifier(fields.get("From")), fields)


# ------------------------------------------------------------------ TwiML
def _document(build):
    response = ET.Element("Response")
    build(response)
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(response, encoding="unicode")


def _say(parent, text, voice, language):
    attributes = {key: value for key, value in (("voice", voice), ("language", language)) if value}
    ET.SubElement(parent, "Say", attributes).text = text


def ask(text, action, voice="", language="en-US", hints=(), digits=1):
    """One question: a speech-or-keys ``<Gather>``, and when nothing is heard,
    a redirect to the same action (the line counts the silence)."""
    def build(response):
        gather = ET.SubElement(response, "Gather", {
            "input": "speech dtmf", "action": action, "method": "POST", "timeout": str(GATHER_TIMEOUT_SECONDS),
            "speechTimeout": "auto", "language": language or "en-US", "actionOnEmptyResult": "true",
            **({"numDigits": str(digits)} if digits else {"finishOnKey": "#"}),
            **({"hints": ", ".join(hints)[:1000]} if hints else {})})
        _say(gather, text, voice, language)
    return _document(build)


def alert_call(text, action, voice="", language="en-US", lexicon=ENGLISH):
    """A safety call: the alert said inside a one-key ``<Gather>`` (1 acknowledges), said twice,
    with what to press in the words of the person called."""
    def build(response):
        gather = ET.SubElement(response, "Gather", {"input": "dtmf", "numDigits": "1", "action": action,
                                                    "method": "POST", "timeout": "8"})
        _say(gather, lexicon.say("alert_press", text=text), voice, language)
        _say(gather, lexicon.say("alert_press", text=text), voice, language)
        _say(response, lexicon.say("alert_no_key"), voice, language)
    return _document(build)


def twilio_call(api_base, account_sid, auth_token, to, sender, twiml):
    """Twilio's Calls API request: ``(url, form, headers)``, the TwiML inline (at most 4,000 characters)."""
    url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{urllib.parse.quote(account_sid, safe='')}/Calls.json"
    basic = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
    return url, {"To": to, "From": sender, "Twiml": twiml[:4000]}, {"Authorization": f"Basic {basic}"}


def say_and_hang_up(text, voice="", language="en-US"):
    return _document(lambda response: (_say(response, text, voice, language), ET.SubElement(response, "Hangup")))


def empty():
    return _document(lambda response: None)


def failure_answer(message):
    """Processing failed: what was said is journaled and will be saved."""
    if message.type == "status":
        return 200, {"twiml": empty()}
    return 200, {"twiml": say_and_hang_up(ENGLISH.say("kept_for_later"))}


def authorized(auth_token, request):
    return signature_matches(auth_token, request.urls, request.form, request.headers.get("X-Twilio-Signature"))


# no LLM: the line runs the flows itself, one <Gather> a request (ops.line's _handle_twilio)
ADAPTER = providers.register(providers.Adapter(
    code="twilio", label="Twilio", credential="ops_coach.twilio_auth_token",
    parse=parse_body, authorized=authorized, end_of_call_messages=("status",), failure_answer=failure_answer,
    line_method="_handle_twilio", denied_status=403))
