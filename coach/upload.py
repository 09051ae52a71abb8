"""The photo link: a single-purpose upload capability for one job and one
technician, and the text message that carries it.

The token is random and only its hash is stored, so the database never holds
a working link; the task's portal token is never used (it never expires and
opens the whole job, see the close-out reference).
"""

import base64
import hashlib
import secrets
import urllib.parse

from .lexicon import ENGLISH

TOKEN_BYTES = 24
ALLOWED_TYPES = ("image/", "application/pdf")
REFUSALS = ("unknown", "revoked", "expired", "used_up", "other_job")  # why a link takes no file
TWILIO_API_BASE = "https://api.twilio.com"


def refusal_words(reason, lexicon=ENGLISH):
    """``(title, text)`` of the page a refused link shows, in the technician's words."""
    return lexicon.say(f"photo_{reason}_title"), lexicon.say(f"photo_{reason}")


def new_token():
    """A URL-safe random token (192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token):
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def refusal(link, now, job_id=None):
    """Why a link may not take a file, or ``None``.

    ``link``: a dict with revoked, expires_at, file_count, max_files and
    job_id (``None`` when no link has the token); ``job_id``: the job the
    request names, when it names one.
    """
    if link is None:
        return "unknown"
    if link["revoked"]:
        return "revoked"
    if now >= link["expires_at"]:
        return "expired"
    if job_id is not None and job_id != link["job_id"]:
        return "other_job"
    if link["file_count"] >= link["max_files"]:
        return "used_up"
    return None


def file_problem(mimetype, size, max_bytes):
    """Why an uploaded file is refused (speakable), or ``None``."""
    if size <= 0:
        return "The file is empty."
    if size > max_bytes:
        return f"The file is over {max_bytes // (1024 * 1024)} MB."
    if not str(mimetype or "").startswith(ALLOWED_TYPES):
        return "Only photos and PDF files can be sent."
    return None


def mask_number(number):
    """ "+15125550191" → "…0191": enough for the caller to know which phone."""
    digits = "".join(ch for ch in str(number or "") if ch.isdecimal())
    return f"…{digits[-4:]}" if len(digits) >= 4 else ""


def sms_body(job_label, url, hours, lexicon=ENGLISH):
    """One GSM-7 text: the job, the link, how long it lasts, in the technician's words."""
    return lexicon.say("photo_sms", job=job_label, url=url, hours=hours)


def twilio_message(api_base, account_sid, auth_token, to, sender, body):
    """Twilio's Messages API request: ``(url, form, headers)`` as Twilio
    documents it (form-encoded To/From/Body, HTTP basic auth with the account
    SID and auth token). ``sender`` is a number or a Messaging Service SID."""
    url = f"{(api_base or TWILIO_API_BASE).rstrip('/')}/2010-04-01/Accounts/" \
          f"{urllib.parse.quote(account_sid, safe='')}/Messages.json"
    form = {"To": to, "Body": body}
    form["MessagingServiceSid" if str(sender).startswith("MG") else "From"] = sender
    basic = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
    return url, form, {"Authorization": f"Basic {basic}"}
