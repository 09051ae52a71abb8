"""Caller number normalisation to E.164."""

import phonenumbers

WITHHELD_MARKERS = {"", "anonymous", "private", "restricted", "unknown", "unavailable"}


def normalize_e164(raw_number, default_region=None):
    """Return ``raw_number`` as an E.164 string, or ``None`` if it is not a
    valid phone number.

    ``default_region`` (ISO 3166 alpha-2, e.g. ``"US"``) is used for numbers
    written without a country code; numbers starting with ``+`` or ``00``
    ignore it.
    """
    if raw_number is None:
        return None
    text = str(raw_number).strip()
    if text.lower() in WITHHELD_MARKERS:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    region = (default_region or "").upper() or None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

