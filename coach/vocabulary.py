"""The line's own words, defined once: call types, answer types, KPI modes,
on-target and trend, and the meta-KPI ratios (the providers are registered in
``providers``).

The models build their selections from these, and the digest, the morning
briefing, the dashboard builder and the prompt read the same definitions, so
two screens can never disagree on what a word means.
"""

import dataclasses

# ------------------------------------------------------------------ call types
CALL_TYPES = (
    ("am_checkin", "AM check-in"),
    ("ops_only", "Ops only"),
    ("job_closeout", "Job close-out"),
    ("eod_closeout", "End-of-day close-out"),
    ("owner_checkin", "Owner check-in"),
    ("gm_checkin", "GM check-in"),
    ("manager_checkin", "Manager check-in"),
    ("dispatch_checkin", "Dispatch check-in"),
    ("accounting_checkin", "Accounting check-in"),
    ("warehouse_checkin", "Warehouse check-in"),
    ("safety_report", "Safety report"),
)
# the morning call: the AM pulse, its ops-only short form, or a role's daily check-in
MORNING_CALL_TYPES = ("am_checkin", "ops_only", "owner_checkin", "gm_checkin", "manager_checkin",
                      "dispatch_checkin", "accounting_checkin", "warehouse_checkin")
# older assistants' names for the AM pulse
CALL_TYPE_ALIASES = {"daily_checkin": "am_checkin", "daily": "am_checkin"}
OPS_ONLY = "ops_only"


# ------------------------------------------------------------ flow answer types
ANSWER_TYPES = (("scale", "Scale 1-5"), ("yes_no", "Yes / no"), ("choice", "Choice"), ("number", "Number"),
                ("text", "Text"), ("short_text", "Five words or fewer"))
CONDITION_OPERATORS = (("eq", "equals"), ("ne", "differs from"), ("le", "is at most"), ("ge", "is at least"),
                       ("truthy", "is yes / set"), ("falsy", "is no / empty"))

# ------------------------------------------------------- commitments followed up
COMMITMENT_FOLLOWUPS = (("done", "Done"), ("partly", "Partly"), ("not_done", "Not done"))
# what a caller or an agent may say for each (an agent is asked for the codes)
FOLLOWUP_WORDS = {"done": ("done", "yes", "did it", "finished", "complete", "completed"),
                  "partly": ("partly", "partially", "part", "some", "half", "kind of"),
                  "not_done": ("not_done", "not done", "no", "not", "didn't", "did not", "missed")}


# how much each answer counts toward the follow-through rate
FOLLOWUP_CREDIT = {"done": 1.0, "partly": 0.5, "not_done": 0.0}


def follow_through(done, partly, asked):
    """Commitments kept, in % of those asked back (partly counts half); None when none was asked."""
    if not asked:
        return None
    return percentage(done * FOLLOWUP_CREDIT["done"] + partly * FOLLOWUP_CREDIT["partly"], asked)


def commitment_followup(said):
    """The follow-up code for what was said, or None when it is none of them."""
    words = " ".join(str(said or "").strip().lower().replace("_", " ").split())
    for code, synonyms in FOLLOWUP_WORDS.items():
        if words in {synonym.replace("_", " ") for synonym in synonyms}:
            return code
    return None


# ------------------------------------------------------------------- KPI modes
# whether the line tells a caller his KPI's last value
KPI_MODES = (("never", "Never"), ("on_target", "Only when on target"), ("always", "Always"))
DEFAULT_KPI_MODE = "on_target"

# --------------------------------------------------------- on target and trend
TRENDS = (("up", "Up"), ("flat", "Flat"), ("down", "Down"))
ENERGY_TOLERANCE = 0.25  # energy points: a week's average moving less is steady
KPI_TOLERANCE = 0.01  # a fraction of the KPI's target: a KPI moving less is steady
# a KPI's trend in words that cannot be misread: "Callback %: down" sounds like good news
KPI_TREND_WORDS = {"up": "better", "flat": "steady", "down": "worse"}


def on_target(value, target, higher_is_better):
    """A KPI value at or better than its target."""
    return value >= target if higher_is_better else value <= target


def trend(current, previous, tolerance=ENERGY_TOLERANCE):
    """``up``, ``flat`` or ``down`` (``flat`` when either side is unknown)."""
    if current is None or previous is None or abs(current - previous) <= tolerance:
        return "flat"
    return "up" if current > previous else "down"


def kpi_trend(values, higher_is_better, target=None):
    """Performance trend of a KPI over its last two periods (oldest first):
    ``up`` is better, whichever way the KPI counts."""
    if len(values) < 2:
        return "flat"
    previous, current = values[-2], values[-1]
    if not higher_is_better:
        previous, current = -previous, -current
    return trend(current, previous, abs(target or 0) * KPI_TOLERANCE)


def kpi_trend_words(values, higher_is_better, target=None):
    """``better``, ``steady`` or ``worse``: :func:`kpi_trend` as a reader takes it."""
    return KPI_TREND_WORDS[kpi_trend(values, higher_is_better, target)]


def percentage(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


# ---------------------------------------------------------------- meta-KPIs
@dataclasses.dataclass(frozen=True)
class MetaKpi:
    """One of the line's own KPIs, as a ratio of two sums of the daily system
    KPI rows (``numerator`` and ``denominator`` name their columns): a rate
    over any range is never an average of daily rates.

    ``value = scale × numerator ÷ denominator`` (``100 × (1 − ratio)`` for a
    ``complement``); without a denominator, ``numerator ÷ divisor``.
    """

    code: str
    label: str
    numerator: str
    denominator: str = ""
    scale: int = 100
    divisor: int = 1
    complement: bool = False
    # how the denominator adds up over days (headcount is a level, not a flow)
    denominator_aggregate: str = "sum"

    def value(self, totals):
        """The ratio over ``totals`` (column → summed value); ``None`` when
        nothing stands behind it."""
        numerator = totals.get(self.numerator) or 0
        if not self.denominator:
            return round(numerator / self.divisor, 1)
        denominator = totals.get(self.denominator) or 0
        if not denominator:
            return None
        ratio = numerator / denominator
        return round(100.0 * (1 - ratio) if self.complement else self.scale * ratio, 1)

    def measures(self):
        """The pivot measures the dashboard needs for it."""
        return [f"{self.numerator}:sum"] + ([f"{self.denominator}:{self.denominator_aggregate}"]
                                            if self.denominator else [])

    def formula(self, cell):
        """The same ratio as a spreadsheet formula; ``cell(measure)`` gives the
        expression of one pivot measure."""
        numerator = cell(f"{self.numerator}:sum")
        if not self.denominator:
            return f'=IFERROR(ROUND({numerator}/{self.divisor},1),"")'
        denominator = cell(f"{self.denominator}:{self.denominator_aggregate}")
        if self.complement:
            return f'=IFERROR(ROUND(100*(1-{numerator}/{denominator}),1),"")'
        return f'=IFERROR(ROUND({self.scale}*{numerator}/{denominator},1),"")'


META_KPIS = (
    MetaKpi("call_completion", "Call completion (%)", "checkins_made", "checkins_expected"),
    MetaKpi("kpi_adherence", "KPI adherence (%)", "kpi_on_target", "kpi_values"),
    # people are counted each day: alerts per person-day × 7 days × 10 people
    MetaKpi("alerts", "Alerts per 10 people a week", "escalations", "people", scale=70),
    MetaKpi("hours_reclaimed", "Manager hours reclaimed", "minutes_reclaimed", divisor=60),
    MetaKpi("retention", "Tech retention (%)", "field_departures", "field_headcount", complement=True,
            denominator_aggregate="avg"),
    MetaKpi("blockers_same_day", "Blockers cleared the same day (%)", "blockers_cleared_same_day",
            "blockers_cleared"),
    MetaKpi("blocker_hours", "Hours to clear a blocker (mean)", "blocker_hours", "blockers_cleared", scale=1),
)
META_KPI = {meta.code: meta for meta in META_KPIS}
# the columns the meta-KPIs sum (headcount is averaged)
META_KPI_SUMS = tuple(dict.fromkeys(
    column for meta in META_KPIS for column, aggregate in ((meta.numerator, "sum"),
                                                           (meta.denominator, meta.denominator_aggregate))
    if column and aggregate == "sum"))

# -------------------------------------------------------------------- blockers
# what stands in the way, by who can clear it (routes, word lists: data)
BLOCKER_KINDS = (("parts", "Parts / stock"), ("schedule", "Schedule / dispatch"), ("vehicle", "Vehicle / tools"),
                 ("customer", "Customer"), ("other", "Other"))
OTHER_BLOCKER = "other"
# where a blocker kind goes: a role's holder, the caller's manager, or a named user
BLOCKER_ROUTE_TARGETS = (("role", "A role"), ("manager", "The caller's manager"), ("user", "A named user"))

# the roles that see the whole company: briefed on it, and hearing it as their call opens
HEAD_ROLES = ("owner", "ops_director")

# ------------------------------------------------------------- access by role
# the Ops access a role's level grants (the highest of a person's roles wins): owners and execs
# see the company, managers their team, everyone else himself
ACCESS_BY_LEVEL = {"owner": "director", "exec": "director", "management": "manager"}
ACCESS_ORDER = ("user", "manager", "director")


def access_for(levels):
    """``user``, ``manager`` or ``director`` for a person holding roles of ``levels``."""
    granted = [ACCESS_BY_LEVEL.get(level, "user") for level in levels] or ["user"]
    return max(granted, key=ACCESS_ORDER.index)
