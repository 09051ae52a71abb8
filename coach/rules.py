"""Escalation rules and the weekly loop, as pure functions over plain data.

The Odoo side gathers the rows set-wise (one query per rule, not per person)
and asks these functions what they mean.
"""

import dataclasses
import datetime
import statistics
import typing

from .registry import Registry



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


def paused_days(paused_from, paused_until, start, end):
    """The days from ``start`` to ``end`` (inclusive) inside a pause; an open
    end runs on, a pause with no start is no pause."""
    if not paused_from:
        return set()
    last = min(end, paused_until) if paused_until else end
    first = max(start, paused_from)
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)} if first <= last else set()


def weekly_text(name, calls_made, calls_expected, avg_energy, energy_trend, kpi_trends,
                goal_progress, commitments, burnout, follow_through=None, paused=False):
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
    if follow_through is not None:
        parts.append(f"{follow_through:.0f}% of commitments kept")
    text = "; ".join(parts) + "."
    if paused:
        text = f"Paused part of this week. {text}"
    if burnout:
        text += " Burnout watch: check in personally."
    return text


# ------------------------------------------------------------- rule kinds
# how far an unacknowledged alert climbs by default: a checklist miss or a coaching cue is the
# manager's to handle, and never reaches the owner
TOP_LEVEL = 3
TOP_LEVEL_BY_KIND = {"missed_steps": 1, "commitments_not_kept": 1}
PARAMETERS = {  # a rule record's parameter fields, and what each one means for the kinds that read it
    "threshold_value": "Threshold",
    "consecutive_periods": "In a row",
    "window_days": "Looks back (days)",
    "not_ready_reasons": "Not-ready reasons that alert",
}


@dataclasses.dataclass(frozen=True)
class RuleKind:
    """One kind of escalation rule: when it is evaluated (``checkin``, as a
    call is logged, or ``daily``), the parameters it reads (they drive the
    rule's form, each with what it means for this kind), a pure predicate over
    the facts the model gathers, and the reason a manager reads."""

    code: str
    label: str
    trigger: str
    parameters: tuple  # ((field name, what it means here), ...)
    applies: typing.Callable  # (facts, params) -> bool
    reason: typing.Callable  # (facts, params) -> str

    def reason_if_applies(self, facts, params):
        return self.reason(facts, params) if self.applies(facts, params) else None


# the model's selection, trigger and form read this registry
RULE_KINDS = Registry("rule kind")
register = RULE_KINDS.register
kind_selection = RULE_KINDS.selection


def unkept_in_a_row(followups):
    """How many of the latest follow-up answers (newest first) were 'not_done', in a row."""
    count = 0
    for answer in followups:
        if answer != "not_done":
            break
        count += 1
    return count


def reasons_list(text):
    return [reason.strip() for reason in (text or "").split(",") if reason.strip()]


register(RuleKind(
    "low_energy_streak", "Low energy streak", "daily",
    (("threshold_value", "The highest energy (1-5) that counts as low."),
     ("consecutive_periods", "Workdays in a row of low energy."), ("window_days", "How far back it looks.")),
    lambda f, p: len(f["streak"]) >= p["consecutive_periods"],
    lambda f, p: (f"Energy at or below {p['threshold_value']:g} on {len(f['streak'])} workdays in a row "
                  f"(since {min(f['streak'])}).")))
register(RuleKind(
    "kpi_decline", "KPI decline", "daily",
    (("consecutive_periods", "Periods in a row the KPI got worse."), ("window_days", "How far back it looks.")),
    lambda f, p: f["declines"] >= p["consecutive_periods"],
    lambda f, p: f"{f['kpi']} got worse {f['declines']} periods in a row: {f['trail']}."))
register(RuleKind(
    "safety_issue", "Safety issue", "checkin", (),
    lambda f, p: bool(f["safety_issue"]),
    lambda f, p: f"Safety issue reported by {f['name']}: {f['safety_note'] or 'no details'}"))
register(RuleKind(
    "missed_steps", "Missed required steps", "checkin", (),
    lambda f, p: f["call_type"] == "job_closeout" and bool(f["missed_steps"]),
    lambda f, p: f"{f['name']} closed out {f['job'] or 'a job'} missing: {f['missed_steps']}."))
register(RuleKind(
    "attendance", "Attendance (not ready)", "checkin",
    (("not_ready_reasons", "Comma-separated not-ready reasons that alert."),),
    lambda f, p: f["ready_status"] == "not_ready" and f["not_ready_reason"] in reasons_list(p["not_ready_reasons"]),
    lambda f, p: f"{f['name']} is not ready today ({f['not_ready_reason']})."))
register(RuleKind(
    "blocker", "Blocker reported", "checkin", (),
    lambda f, p: bool(f["blocker_flag"] and f["blocker_note"]),
    lambda f, p: f"{f['name']} is blocked: {f['blocker_note']}"))
register(RuleKind(
    "commitments_not_kept", "Commitments not kept", "checkin",
    (("consecutive_periods", "Follow-ups in a row answered 'not done'."),),
    lambda f, p: unkept_in_a_row(f["followups"]) >= p["consecutive_periods"],
    lambda f, p: (f"{f['name']} has not kept the last {unkept_in_a_row(f['followups'])} commitments (latest: "
                  f"{f['followed_commitment'] or 'none said'}). A coaching cue, not a reprimand: help make "
                  "the next one smaller.")))
register(RuleKind(
    "missed_checkin", "Missed AM check-in", "daily",
    (("threshold_value", "The local hour by which the AM call is due."),),
    lambda f, p: f["missing"],
    lambda f, p: f"No AM check-in from {f['name']} by {int(p['threshold_value'])}:00 on {f['day']}."))
register(RuleKind(
    "owner_ops_work", "Owner doing ops work", "daily",
    (("threshold_value", "Days of hands-on ops work that are too many."), ("window_days", "How far back it looks.")),
    lambda f, p: f["days"] > p["threshold_value"],
    lambda f, p: (f"System failure: {f['name']} did ops work on {f['days']} days in the last "
                  f"{p['window_days']} days (more than {p['threshold_value']:g}).")))
