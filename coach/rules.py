"""Escalation rules and the weekly loop, as pure functions over plain data.

The Odoo side gathers the rows set-wise (one query per rule, not per person)
and asks these functions what they mean.
"""

import datetime
import statistics



def low_energy_streak(readings, workdays, threshold, today):
    """The workdays of the current low-energy streak, most recent first.

    ``readings`` maps a day to the caller's energy that day; ``workdays`` are
    the employee's working days (weekends and leaves already left out), so a
    weekend or a leave day neither breaks nor extends a streak. A workday
    without a reading breaks it, except today, which may simply not have had
    its call yet.
    """
    streak = []
    for day in sorted((d for d in workdays if d <= today), reverse=True):
        if day not in readings:
            if day == today:
                continue
            break
        if readings[day] > threshold:
            break
        streak.append(day)
    return streak


def call_streak(called_days, workdays, today):
    """Workdays in a row, up to today, with an AM call: a weekend or a leave
    day does not break it, and today counts once called (until then it waits)."""
    streak = 0
    for day in sorted((d for d in workdays if d <= today), reverse=True):
        if day in called_days:
            streak += 1
        elif day != today:
            break
    return streak


def consecutive_declines(values, higher_is_better):
    """How many periods in a row, ending with the latest, got worse.

    ``values`` are ordered oldest to newest. Equal values break the run.
    """
    declines = 0
    for previous, current in reversed(list(zip(values, values[1:]))):
        worse = current < previous if higher_is_better else current > previous
        if not worse:
            break
        declines += 1
    return declines


def in_cooldown(last_closed, cooldown_days, now):
    """A resolved or dismissed alert silences its rule for ``cooldown_days``."""
    return bool(last_closed and cooldown_days and now - last_closed < datetime.timedelta(days=cooldown_days))


def burnout_flag(week_energies, streak_days, threshold=2, streak_needed=2):
    """Burnout watch: a low-energy streak, or a week averaging at or under
    the threshold with at least two readings."""
    if streak_days >= streak_needed:
        return True
    return len(week_energies) >= 2 and statistics.fmean(week_energies) <= threshold


def load_imbalance(loads, ratio=2.0):
    """``loads`` maps a manager to their alert count. Returns
    ``(flagged, busiest, lightest)``: flagged when the busiest carries at
    least ``ratio`` times the lightest (a manager with none counts as one)."""
    if len(loads) < 2:
        return False, None, None
    busiest = max(loads, key=lambda m: (loads[m], str(m)))
    lightest = min(loads, key=lambda m: (loads[m], str(m)))
    flagged = loads[busiest] >= 2 and loads[busiest] >= ratio * max(loads[lightest], 1)
    return flagged, busiest, lightest


def weekly_text(name, calls_made, calls_expected, avg_energy, energy_trend, kpi_trends,
                goal_progress, commitments, burnout):
    """A short plain-language weekly summary."""
    if calls_expected:
        parts = [f"{name}: {calls_made} of {calls_expected} check-ins"]
    else:
        parts = [f"{name}: {calls_made} check-in{'s' if calls_made != 1 else ''}"]
    if avg_energy is not None:
        parts.append(f"energy {avg_energy:.1f} ({energy_trend})")
    if kpi_trends:
        parts.append(", ".join(f"{kpi} {direction}" for kpi, direction in kpi_trends))
    if goal_progress is not None:
        parts.append(f"90-day goal {goal_progress}%")
    parts.append(f"{commitments} commitment{'s' if commitments != 1 else ''}")
    text = "; ".join(parts) + "."
    if burnout:
        text += " Burnout watch: check in personally."
    return text
