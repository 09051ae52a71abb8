"""The morning briefing: who needs a manager today, said from records only.

The Odoo side gathers the facts (plain dicts and strings); this module
decides what is worth saying and how it reads. Nothing to act on means no
briefing at all.
"""

from .vocabulary import META_KPI

SECTIONS = (  # key, title, what the subject line counts (one, several)
    ("not_ready", "Not ready today", ("not ready", "not ready")),
    ("blockers", "Blockers this morning", ("blocked", "blocked")),
    ("missed", "No AM call yet", ("missed AM call", "missed AM calls")),
    ("streaks", "On a burnout or KPI-decline streak", ("on a streak", "on a streak")),
    ("alerts", "Alerts waiting on you", ("alert open", "alerts open")),
    ("assigned", "Blockers for you to clear", ("blocker for you", "blockers for you")),
)


def age_text(since, now):
    """How long something has waited, as a manager says it: "3 h", "2 days"."""
    seconds = max(0, (now - since).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    days = int(seconds // 86400)
    return "1 day" if days == 1 else f"{days} days"


def not_ready_line(name, reason, jobs):
    line = f"{name}: {reason or 'not ready'}"
    if jobs:
        line += f"; jobs to cover: {', '.join(jobs)}"
    return line


def alert_line(name, rule, state, raised, now):
    waiting = "acknowledged" if state == "acknowledged" else "not acknowledged"
    return f"{name}: {rule} ({waiting}, open {age_text(raised, now)})"


def company_lines(totals):
    """The owner's and ops director's numbers; a rate with nothing behind it is left out."""
    lines = [f"{totals['people_on_line']} people on the line, {totals['open_alerts']} alerts open"]
    completion = META_KPI["call_completion"].value(totals)
    if completion is not None:
        lines.append(f"Required calls made over the last 7 days: {completion:g} %")
    adherence = META_KPI["kpi_adherence"].value(totals)
    if adherence is not None:
        lines.append(f"KPI values on target over the last 7 days: {adherence:g} %")
    if totals.get("minutes_reclaimed"):
        hours = META_KPI["hours_reclaimed"].value(totals)
        lines.append(f"Manager time reclaimed over the last 7 days: {hours:.1f} h")
    if totals.get("blocker_median_hours") is not None:
        lines.append(f"Blockers cleared over the last 30 days: median {totals['blocker_median_hours']:g} h, "
                     f"{totals['blocker_same_day']:g} % the same day")
    lines += [f"{label}: {amount}" for label, amount in totals.get("receivables", ())]
    return lines


AGE_BUCKETS = (30, 60, 90)


def receivable_lines(invoices, day, money=str):
    """Overdue customer invoices: how many and how much, then the amounts
    more than 30, 60 and 90 days past due. ``invoices`` are (due date,
    amount still owed); ``money`` formats an amount."""
    overdue = [(due, amount) for due, amount in invoices if due < day and amount > 0]
    if not overdue:
        return []
    lines = [(f"Overdue invoices: {len(overdue)}", money(sum(amount for _due, amount in overdue)))]
    for days in AGE_BUCKETS:
        late = sum(amount for due, amount in overdue if (day - due).days > days)
        if late:
            lines.append((f"Receivables over {days} days", money(late)))
    return lines


def compose(facts, totals=None):
    """``facts`` maps a section key (see SECTIONS) to its lines; ``totals``
    (company scope) are the numbers for the owner and ops director.

    Returns ``[(title, lines)]`` in reading order, or ``[]`` when there is
    nothing to act on and no numbers to give: then no briefing is sent.
    """
    sections = [(title, facts[key]) for key, title, _short in SECTIONS if facts.get(key)]
    if totals and totals.get("people_on_line"):
        sections.append(("The company", company_lines(totals)))
    return sections


def subject(day, facts):
    """What needs the reader, counted: "Ops briefing Mon 30 Nov: 1 not ready, 3 alerts open"."""
    parts = [f"{len(facts[key])} {counted[len(facts[key]) > 1]}" for key, _title, counted in SECTIONS
             if facts.get(key)]
    return f"Ops briefing {day:%a %d %b}: " + (", ".join(parts) if parts else "the company's numbers")


# the owner's spoken briefing: said before his check-in, so it must stay short
SPOKEN_NAMES = 3
ALERT_AGES = ((1, "from today"), (3, "from the last 3 days"), (None, "older"))


def alert_ages(raised_dates, now):
    """Open alerts counted by age: ``[(label, count)]`` for the ages that have any."""
    counts = []
    low = 0
    for high, label in ALERT_AGES:
        count = sum(1 for raised in raised_dates
                    if low <= (now - raised).total_seconds() / 86400 < (high if high is not None else float("inf")))
        if count:
            counts.append((label, count))
        low = high or low
    return counts


def spoken(facts):
    """The company briefing said to the owner and ops director as the call opens
    (well under 30 seconds): calls in, who is not ready, open alerts by age,
    blockers waiting, and the cash runway when it is known.

    ``facts``: calls_made, calls_expected, not_ready (names), alert_ages
    (see :func:`alert_ages`), blockers_waiting, runway_months (None when unknown).
    """
    parts = [f"Company briefing. {facts['calls_made']} of {facts['calls_expected']} morning calls in."]
    names = list(facts.get("not_ready") or ())
    if names:
        said = ", ".join(names[:SPOKEN_NAMES])
        more = len(names) - SPOKEN_NAMES
        parts.append(f"Not ready: {said}" + (f" and {more} more." if more > 0 else "."))
    ages = facts.get("alert_ages") or ()
    total = sum(count for _label, count in ages)
    if total:
        parts.append(f"{total} alert{'s' if total != 1 else ''} open: "
                     + ", ".join(f"{count} {label}" for label, count in ages) + ".")
    else:
        parts.append("No alert open.")
    waiting = facts.get("blockers_waiting") or 0
    if waiting:
        parts.append(f"{waiting} blocker{'s' if waiting != 1 else ''} waiting to be cleared.")
    if facts.get("runway_months") is not None:
        parts.append(f"Cash runway: {facts['runway_months']:g} months.")
    return " ".join(parts)
