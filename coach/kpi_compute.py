"""Computing KPI values from grouped rows: literal domains, periods, ratios.

The models run one grouped query per measure (rows of employee, local day,
amount); this module folds the days into the KPI's periods, divides, and says
which periods are still provisional. Nothing here evaluates code: a measure's
domain is a literal, checked leaf by leaf.
"""

import ast
import datetime
import re
import zoneinfo

from .periods import period_start

LOGIC = ("&", "|", "!")
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "not like", "ilike", "not ilike",
             "=like", "=ilike", "any", "not any")
FIELD_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
SCALARS = (str, int, float, bool, type(None))


class InvalidDomain(ValueError):
    """A measure's domain is not a literal domain; the text says where."""


def parse_domain(text):
    """``text`` as a list of leaves and operators, or :class:`InvalidDomain`."""
    try:
        domain = ast.literal_eval((text or "").strip() or "[]")
    except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise InvalidDomain(f"not a literal domain: {error}") from None
    return _check(domain)


def _check(domain):
    if not isinstance(domain, (list, tuple)):
        raise InvalidDomain("a domain is a list")
    checked = []
    for item in domain:
        if isinstance(item, str) and item in LOGIC:
            checked.append(item)
            continue
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            raise InvalidDomain(f"{item!r} is not a (field, operator, value) leaf")
        path, operator, value = item
        if not isinstance(path, str) or not FIELD_PATH.match(path):
            raise InvalidDomain(f"{path!r} is not a field path")
        if operator not in OPERATORS:
            raise InvalidDomain(f"operator {operator!r} is not allowed")
        if operator in ("any", "not any"):
            value = _check(value)
        elif isinstance(value, (list, tuple)):
            if not all(isinstance(v, SCALARS) for v in value):
                raise InvalidDomain(f"the values of {path} must be plain values")
            value = list(value)
        elif not isinstance(value, SCALARS):
            raise InvalidDomain(f"the value of {path} must be a plain value")
        checked.append((path, operator, value))
    return checked


def period_end(start, period):
    """The first day after the period starting on ``start``."""
    if period == "daily":
        return start + datetime.timedelta(days=1)
    if period == "weekly":
        return start + datetime.timedelta(days=7)
    if period == "monthly":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    raise ValueError(f"unknown period {period!r}")


def recent_periods(today, period, count):
    """The starts of the last ``count`` periods, the current one included, oldest first."""
    starts = [period_start(today, period)]
    while len(starts) < count:
        starts.insert(0, period_start(starts[0] - datetime.timedelta(days=1), period))
    return starts


def fold(rows, period):
    """Rows of (who, local day, amount) summed by (who, period start)."""
    totals = {}
    for who, day, amount in rows:
        key = (who, period_start(day, period))
        totals[key] = totals.get(key, 0) + (amount or 0)
    return totals


def values(numerators, denominators=None, factor=1.0, min_denominator=0):
    """``{(who, period): value}``: ``factor × numerator ÷ denominator`` where the
    denominator reaches ``min_denominator`` (too few jobs write nothing rather
    than 0 % or 100 %); a plain count when there is no denominator."""
    if denominators is None:
        return {key: factor * amount for key, amount in numerators.items()}
    return {key: factor * numerators.get(key, 0) / den for key, den in denominators.items()
            if den and den >= max(min_denominator, 1)}


def is_provisional(start, period, window_days, today):
    """True while a job of the period could still change its value (a callback
    within ``window_days`` of the period's last day has not happened yet)."""
    if not window_days:
        return False
    return period_end(start, period) - datetime.timedelta(days=1) + datetime.timedelta(days=window_days) >= today


def rescope(totals, group_of):
    """Totals keyed by employee summed by the group each employee belongs to
    (a manager for team KPIs, ``None`` for the company); employees with no
    group (a team KPI for someone with no manager) drop out."""
    grouped = {}
    for (who, start), amount in totals.items():
        group = group_of(who)
        if group is False:
            continue
        grouped[(group, start)] = grouped.get((group, start), 0) + amount
    return grouped


def spread(results, holders):
    """Company values (keyed by ``None``) given to every holder of the KPI."""
    return {(holder, start): value for (who, start), value in results.items() if who is None
            for holder in holders}


def zero_fill(results, holders, starts):
    """A count KPI with nothing to count is 0, not missing, for the people
    coached on it: no callbacks this week is news worth saying."""
    filled = {(holder, start): 0 for holder in holders for start in starts}
    filled.update(results)
    return filled


def mean_days(pairs):
    """The average of ``(later - earlier)`` in days over date pairs, or None."""
    lags = [(later - earlier).days for earlier, later in pairs]
    return sum(lags) / len(lags) if lags else None


def runway_months(cash, monthly_net_flows):
    """Months of cash at the average monthly burn of ``monthly_net_flows``
    (cash in minus cash out, one per month); None when cash is not burning
    (a company that gains cash has no runway to speak of)."""
    if not monthly_net_flows:
        return None
    average = sum(monthly_net_flows) / len(monthly_net_flows)
    if average >= 0:
        return None
    return max(cash, 0) / -average


def add_months(day, months):
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def runways(opening, monthly_flows, starts, months_back=3):
    """Cash runway per monthly period: cash at the period's end (``opening``,
    the balance before the first month of ``monthly_flows``, plus the flows up
    to it) ÷ the average burn of its last ``months_back`` months."""
    results = {}
    for start in starts:
        cash = opening + sum(flow for month, flow in monthly_flows.items() if month <= start)
        window = [monthly_flows.get(add_months(start, -back), 0) for back in range(months_back)]
        runway = runway_months(cash, window)
        if runway is not None:
            results[(None, start)] = runway
    return results


def utc_naive(day, tz, hour=0):
    """The naive UTC datetime Odoo stores for ``hour`` o'clock on ``day`` in ``tz``."""
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(tz))
    return local.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def local_date(utc_naive, tz):
    """The company-local date of a naive UTC datetime (Odoo stores UTC)."""
    return utc_naive.replace(tzinfo=datetime.timezone.utc).astimezone(zoneinfo.ZoneInfo(tz)).date()
