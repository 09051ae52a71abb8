import collections
import datetime

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..coach import briefing
from ..coach.kpi_compute import utc_naive
from ..coach.vocabulary import MORNING_CALL_TYPES
from .ops_tools import line_now, local_now

OPEN = ("new", "acknowledged")
STREAK_KINDS = ("low_energy_streak", "kpi_decline")


class OpsTechProfileToday(models.Model):
    """Who needs a manager today: the flags of the "Today" view and the facts
    of the morning briefing, computed once from the day's records."""

    _inherit = "ops.tech_profile"

    today_not_ready = fields.Boolean("Not ready today", compute="_compute_today", search="_search_not_ready")
    today_blocked = fields.Boolean("Blocked today", compute="_compute_today", search="_search_blocked")
    today_missed_am = fields.Boolean("No AM call yet", compute="_compute_today", search="_search_missed_am")
    on_streak = fields.Boolean("Burnout or KPI streak", compute="_compute_today", search="_search_on_streak")
    open_alert_count = fields.Integer("Open alerts", compute="_compute_today")
    needs_me_today = fields.Boolean("Needs me today", compute="_compute_today", search="_search_needs_me")
    today_note = fields.Char("Today", compute="_compute_today")
    today_alert_ids = fields.Many2many("ops.escalation", string="Alerts to act on", compute="_compute_today")
    today_checkin_ids = fields.Many2many("ops.checkin", string="Today's calls", compute="_compute_today")
    today_phone = fields.Char("Phone", compute="_compute_today")
    today_shown_day = fields.Char(
        "Shown day", compute="_compute_today",
        help="On a day the company does not work, Today shows its last workday: that day's name.")
    blocker_for_me = fields.Boolean(
        "Has a blocker for me", compute="_compute_blocker_for_me", search="_search_blocker_for_me",
        help="An open blocker of this person's is routed to me: I see him in Today, to clear it.")

    def _compute_today(self):
        facts = self._today_facts()
        for profile in self:
            fact = facts[profile.id]
            profile.today_not_ready = bool(fact["not_ready"])
            profile.today_blocked = bool(fact["blockers"])
            profile.today_missed_am = fact["missed"]
            profile.on_streak = bool(fact["streaks"])
            profile.open_alert_count = len(fact["alerts"])
            profile.needs_me_today = self._needs_me(fact)
            notes = [c.not_ready_reason or "not ready" for c in fact["not_ready"][:1]]
            notes += [c.blocker_note for c in fact["blockers"] if c.blocker_note]
            profile.today_note = "; ".join(notes)
            profile.today_alert_ids = fact["alerts"]
            profile.today_checkin_ids = fact["calls"]
            profile.today_phone = profile.phone_ids[:1].e164 or False
            profile.today_shown_day = fact["past_day"] and format_date(self.env, fact["day"], date_format="EEE d MMM")

    @api.depends_context("uid")
    def _compute_blocker_for_me(self):
        mine = self._blocked_for(self.env.user)
        for profile in self:
            profile.blocker_for_me = profile.employee_id.id in mine

    def _search_blocker_for_me(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on a today flag."))
        blocked = list(self._blocked_for(self.env.user))
        return [("employee_id", "in" if (operator == "=") == value else "not in", blocked)]

    @api.model
    def _blocked_for(self, user):
        """The employees with an open blocker routed to ``user``; read as the system (record rules ask it)."""
        alerts = self.env["ops.escalation"].sudo()._read_group(
            [("assigned_user_id", "=", user.id), ("state", "in", OPEN)], ["employee_id"])
        return {employee.id for (employee,) in alerts}

    @staticmethod
    def _needs_me(fact):
        return bool(fact["not_ready"] or fact["blockers"] or fact["missed"] or fact["alerts"])

    def _search_flag(self, operator, value, test):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on a today flag."))
        # the profiles the user may see: record rules scope the search
        profiles = self.search([])  # pylint: disable=no-search-all
        facts = profiles._today_facts()
        ids = [p.id for p in profiles if test(facts[p.id])]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    def _search_not_ready(self, operator, value):
        return self._search_flag(operator, value, lambda fact: bool(fact["not_ready"]))

    def _search_blocked(self, operator, value):
        return self._search_flag(operator, value, lambda fact: bool(fact["blockers"]))

    def _search_missed_am(self, operator, value):
        return self._search_flag(operator, value, lambda fact: fact["missed"])

    def _search_on_streak(self, operator, value):
        return self._search_flag(operator, value, lambda fact: bool(fact["streaks"]))

    def _search_needs_me(self, operator, value):
        return self._search_flag(operator, value, self._needs_me)

    # ---------------------------------------------------------------- facts
    def _today_facts(self, now=None):
        """``{profile_id: facts}`` for each person's own today (their
        timezone): today's not-ready and blocker calls, whether the AM call is
        missing past the cutoff, open alerts and streak alerts."""
        now = now or line_now(self.env)
        local = {p.id: local_now(p.employee_id, now).date() for p in self}
        # on a day the company does not work (a Sunday), "today" is its last workday: Friday's calls
        today = {p.id: p.company_id._ops_last_workday(local[p.id]) for p in self}
        days = set(today.values())
        calls = collections.defaultdict(lambda: self.env["ops.checkin"])
        for checkin in self.env["ops.checkin"].search(
                [("employee_id", "in", self.employee_id.ids), ("checkin_date", "in", list(days)),
                 ("start", "<=", now)], order="start"):
            calls[checkin.employee_id.id] |= checkin
        alerts = collections.defaultdict(lambda: self.env["ops.escalation"])
        for alert in self.env["ops.escalation"].search(
                [("employee_id", "in", self.employee_id.ids), ("state", "in", OPEN),
                 ("raised_date", "<=", now)], order="raised_date"):
            alerts[alert.employee_id.id] |= alert
        missed = self._missing_am_call(now, self.env["ops.escalation_rule"]._am_cutoff())
        missed.update(self.filtered(lambda p: today[p.id] != local[p.id])._silent_on_their_day(today))
        facts = {}
        for profile in self:
            employee = profile.employee_id.id
            todays = calls[employee].filtered(lambda c, d=today[profile.id]: c.checkin_date == d)
            facts[profile.id] = {
                "day": today[profile.id],
                "past_day": today[profile.id] != local[profile.id],
                "calls": todays,
                "not_ready": todays.filtered(lambda c: c.ready_status == "not_ready"),
                "blockers": todays.filtered("blocker_flag"),
                "missed": profile in missed,
                "alerts": alerts[employee],
                "streaks": alerts[employee].filtered(lambda a: a.kind in STREAK_KINDS),
            }
        return facts

    def _silent_on_their_day(self, days):
        """``{profile: day}`` of these profiles whose role requires an AM call and
        who made none on ``days[profile.id]`` (a past workday, shown as today)."""
        return self._silent_on({p: days[p.id] for p in self.filtered(lambda p: p.role_ids.filtered("am_required"))})

    def _missing_am_call(self, now, cutoff):
        """``{profile: day}`` of these profiles whose role requires an AM call,
        whose local time is past ``cutoff`` (an hour) on one of their
        workdays, and who have not called that day (a close-out or a safety
        report is no AM call). The missed-check-in rule and Today both ask."""
        due = {}
        for profile in self.filtered(lambda p: p.role_ids.filtered("am_required")):
            local = local_now(profile.employee_id, now)
            if local.hour + local.minute / 60 >= cutoff:
                due[profile] = local.date()
        return self._silent_on(due)

    def _silent_on(self, due):
        """Of ``{profile: day}``, those who made no morning call that day, on one of their workdays."""
        if not due:
            return {}
        days = set(due.values())
        called = {(e.id, d) for e, d in self.env["ops.checkin"]._read_group(
            [("employee_id", "in", [p.employee_id.id for p in due]), ("checkin_date", "in", list(days)),
             ("call_type", "in", MORNING_CALL_TYPES)], ["employee_id", "checkin_date:day"])}
        silent = {p: d for p, d in due.items() if (p.employee_id.id, d) not in called}
        employees = self.env["hr.employee"].union(*[p.employee_id for p in silent])
        workdays = self.env["ops.workdays"]._workdays(employees, min(days), max(days))
        return {p: d for p, d in silent.items() if d in workdays.get(p.employee_id.id, set())}

    @api.model
    def _briefing_facts(self, profiles, now):
        """The briefing's lines for ``profiles``, section by section (see coach.briefing)."""
        facts = profiles._today_facts(now)
        lines = collections.defaultdict(list)
        for profile in profiles.sorted("name"):
            fact = facts[profile.id]
            name = profile.name
            for call in fact["not_ready"][-1:]:
                lines["not_ready"].append(briefing.not_ready_line(
                    name, call.not_ready_reason, self._jobs_of(profile, fact["day"]).mapped("name")))
            lines["blockers"] += [f"{name}: {c.blocker_note or 'blocked'}" for c in fact["blockers"]]
            if fact["missed"]:
                lines["missed"].append(name)
            lines["streaks"] += [f"{name}: {a.reason}" for a in fact["streaks"]]
            lines["alerts"] += [briefing.alert_line(name, a.rule_id.name, a.state, a.raised_date, now)
                                for a in fact["alerts"]]
        return dict(lines)

    @api.model
    def _jobs_of(self, profile, day):
        """The person's jobs booked that day and not closed: what someone must cover."""
        if not profile.user_id:
            return self.env["project.task"]
        tz = self.env["ops.kpi"]._company_tz(profile.company_id)
        return self.env["project.task"].search([
            ("user_ids", "in", profile.user_id.ids), ("state", "not in", ("1_done", "1_canceled")),
            ("date_deadline", ">=", utc_naive(day, tz)),
            ("date_deadline", "<", utc_naive(day + datetime.timedelta(days=1), tz))])
