"""Validation of the structured values a call produces.

The same checks serve the ORM constraints and the webhook tools, so the caller
and the manager see the same message.
"""

ENERGY_MIN = 1
ENERGY_MAX = 5
FOCUS_MAX_WORDS = 5
PROFILE_KPI_MAX = 3
ROLE_KPI_MAX = 3
TOP_STRENGTHS_MAX = 5

NOT_READY_REASONS = ("sick", "family", "vehicle", "schedule", "other")
JOB_CHECKLIST = (
    ("diagnosis_done", "diagnosis completed"),
    ("photos_uploaded", "photos uploaded"),
    ("options_presented", "options presented"),
    ("customer_understood", "customer understanding confirmed"),
)


class InvalidValue(ValueError):
    """A value a caller gave is out of range; the message is speakable."""


class OutOfRange(InvalidValue):
    """A reading outside its expected range: worth asking again, but it may be true."""

    def __init__(self, message, value):
        super().__init__(message)
        self.value = value


def check_energy(value, label="energy"):
    """Return ``value`` as an int in 1..5 or raise :class:`InvalidValue`;
    ``label`` names the value in the message (the tool argument on the line)."""
    try:
        energy = int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidValue(f"{label} must be a whole number from {ENERGY_MIN} to {ENERGY_MAX}") from None
    if isinstance(value, bool) or (isinstance(value, float) and value != energy):
        raise InvalidValue(f"{label} must be a whole number from {ENERGY_MIN} to {ENERGY_MAX}")
    if not ENERGY_MIN <= energy <= ENERGY_MAX:
        raise InvalidValue(f"{label} must be {ENERGY_MIN} to {ENERGY_MAX}, got {energy if abs(energy) < 10**6 else 'more'}")
    return energy


def check_not_ready_reason(ready, reason, complete=True):
    """A not-ready answer needs one of the known reasons; a ready one none. A
    call still going, or cut short, may not have reached the reason yet."""
    if ready:
        if reason:
            raise InvalidValue("a not-ready reason only applies when the caller is not ready")
        return None
    if not complete and not reason:
        return None
    if reason not in NOT_READY_REASONS:
        raise InvalidValue("not-ready reason must be one of: " + ", ".join(NOT_READY_REASONS))
    return reason


def check_focus_words(text, label="focus"):
    """The daily focus is repeated back in five words or fewer."""
    words = (text or "").split()
    if len(words) > FOCUS_MAX_WORDS:
        raise InvalidValue(f"{label} must be {FOCUS_MAX_WORDS} words or fewer, got {len(words)}")
    return " ".join(words)


def check_count(count, label, minimum, maximum):
    """Shared 'between N and M items' rule (role KPIs, profile KPIs, strengths)."""
    if not minimum <= count <= maximum:
        if minimum == maximum:
            raise InvalidValue(f"{label}: exactly {minimum} required, got {count}")
        raise InvalidValue(f"{label}: {minimum} to {maximum} required, got {count}")
    return count

