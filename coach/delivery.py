"""Alert delivery: what each channel is sent, and what a provider's answer means.

The Odoo side keeps one ``ops.delivery`` row per message and sends it after the
alert is committed; this module decides the words, the payloads, the retries.
"""

import hashlib
import secrets

from .lexicon import ENGLISH

# the channels a person may choose (XML ids ops_coach.alert_channel_<code>)
CHANNELS = (("odoo", "Odoo to-do"), ("email", "Email"), ("sms", "Text (SMS)"), ("slack", "Slack"),
            ("teams", "Microsoft Teams"), ("call", "Phone call"))
# the ones a delivery row carries: the to-do is Odoo's own activity, written with the alert
SENT_CHANNELS = ("email", "sms", "slack", "teams", "call")
KINDS = (("alert", "Alert"), ("nudge", "Nudge"), ("briefing", "Briefing"), ("safety", "Safety"))
STATES = (("queued", "Queued"), ("waiting", "Waiting for working hours"), ("sent", "Sent"),
          ("failed", "Failed, will retry"), ("undeliverable", "Undeliverable"))
RETRY_MINUTES = (1, 5, 15, 60, 240)  # then it stays failed for a person to look at
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
LINK_HOURS = 72
TOKEN_BYTES = 24
SMS_LIMIT = 320  # two GSM-7 segments

ACK_REFUSALS = ("unknown", "expired", "closed")  # why an alert link may not act


def ack_refusal_words(reason, lexicon=ENGLISH):
    """``(title, text)`` of the page a refused alert link shows, in the recipient's words."""
    return lexicon.say(f"alert_link_{reason}_title"), lexicon.say(f"alert_link_{reason}")


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token):
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def alert_text(name, rule, reason, level_note=""):
    """One line naming the person, the rule and the reason."""
    reason = " ".join(str(reason or "").split())
    text = f"Ops Coach: {rule} for {name}: {reason}"
    return f"{text} ({level_note})" if level_note else text


def sms_body(text, url=""):
    """The text and its link, within two segments: the reason is cut, never the link."""
    if not url:
        return text if len(text) <= SMS_LIMIT else text[:SMS_LIMIT - 1].rstrip() + "…"
    room = SMS_LIMIT - len(url) - 1
    if len(text) > room:
        text = text[:max(room - 1, 0)].rstrip() + "…"
    return f"{text} {url}"


def slack_payload(text, url=""):
    """An incoming-webhook message: the text as the notification fallback, a
    section and, for an alert, a button to its page (Block Kit)."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}]
    if url:
        blocks.append({"type": "actions", "elements": [{
            "type": "button", "action_id": "open_alert", "url": url,
            "text": {"type": "plain_text", "text": "Acknowledge or resolve"}}]})
    return {"text": text, "blocks": blocks}


def teams_payload(text, url=""):
    """A Teams Workflows webhook message: one Adaptive Card (1.4), with an open-URL action for an alert."""
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": [{"type": "TextBlock", "text": text, "wrap": True, "weight": "Bolder"}]}
    if url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Acknowledge or resolve", "url": url}]
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}


def nudge_text(first_name, line_number, lexicon=ENGLISH):
    """The one reminder before the morning call is counted missed."""
    call = lexicon.say("nudge_call", number=line_number) if line_number else lexicon.say("nudge_call_line")
    return lexicon.say("nudge", first=first_name, call=call)


def nudge_due(local_hour, cutoff, lead_minutes):
    """True in the last ``lead_minutes`` before the morning call's cutoff (local hours)."""
    return cutoff - lead_minutes / 60 <= local_hour < cutoff


def outcome(status, body=""):
    """What a provider's HTTP answer means: ``("sent" | "retry" | "final", why)``.

    2xx is sent; 429 and 5xx (and no answer: ``status`` None) are retried; any
    other 4xx is final: the data or the set-up is wrong, and retrying cannot help.
    """
    why = f"{status}: {str(body or '')[:300]}" if status else str(body or "no answer")[:300]
    if status and 200 <= status < 300:
        return "sent", ""
    if status is None or status == 429 or status >= 500:
        return "retry", why
    return "final", why


def next_try_minutes(attempts):
    """Minutes until the next try after ``attempts`` failures; None when it is given up."""
    return RETRY_MINUTES[attempts - 1] if 0 < attempts <= len(RETRY_MINUTES) else None


def ack_refusal(link, now):
    """Why an alert link may not act, or None. ``link``: dict with expires_at and
    alert_open (None when no delivery has the token)."""
    if link is None:
        return "unknown"
    if now >= link["expires_at"]:
        return "expired"
    if not link["alert_open"]:
        return "closed"
    return None
