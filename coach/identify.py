"""Caller identification helpers: PIN lockout and the day's strengths line."""

import datetime

PIN_MAX_FAILURES = 3
PIN_LOCK_WINDOW = datetime.timedelta(minutes=15)


def pin_locked(failure_times, now, max_failures=PIN_MAX_FAILURES, window=PIN_LOCK_WINDOW):
    """True when ``max_failures`` PIN failures fall within ``window`` before ``now``.

    Only the lower bound is checked: a failure stamped later than ``now``
    (clocks of different precision) is still a recent one.
    """
    recent = [moment for moment in failure_times if moment >= now - window]
    return len(recent) >= max_failures


def strength_of_the_day(strengths, day):
    """Rotate through a caller's top strengths, one per day, best first on day 0."""
    if not strengths:
        return None
    return strengths[day.toordinal() % len(strengths)]
