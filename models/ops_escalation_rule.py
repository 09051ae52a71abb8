import datetime

from odoo import api, fields, models
from odoo.tools import ormcache
from odoo.exceptions import ValidationError

from ..coach import rules as rule_logic
from .ops_tools import line_now

PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent")]
# as the shipped rules say, for a company whose rule is archived
DEFAULT_THRESHOLDS = {"low_energy": 2.0, "low_energy_days": 2, "kpi_decline_periods": 2}
DEFAULT_AM_CUTOFF = 10.0  # local hour, as the shipped missed-check-in rule


class OpsEscalationRule(models.Model):
    """When a human is alerted, and who: nothing is escalated without a rule."""

    _name = "ops.escalation_rule"
    _inherit = ["ops.line.cache.source"]
    _description = "Ops escalation rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: applies to every company.")
    kind = fields.Selection(rule_logic.kind_selection(), required=True)
    trigger = fields.Selection(
        [("checkin", "When a check-in is logged"), ("daily", "Daily scan")],
        compute="_compute_trigger",
        store=True,
    )
    # what each parameter means depends on the kind: the form says it (parameter_help)
    threshold_value = fields.Float("Threshold")
    consecutive_periods = fields.Integer("In a row", default=2)
    window_days = fields.Integer("Looks back (days)", default=14)
    not_ready_reasons = fields.Char("Not-ready reasons that alert", default="sick,family,other")
    uses_threshold = fields.Boolean(compute="_compute_parameters")
    uses_periods = fields.Boolean(compute="_compute_parameters")
    uses_window = fields.Boolean(compute="_compute_parameters")
    uses_reasons = fields.Boolean(compute="_compute_parameters")
    parameter_help = fields.Text("What the parameters mean", compute="_compute_parameters")
    notify_manager = fields.Boolean("Employee's manager")
    notify_dispatch = fields.Boolean("Dispatch")
    notify_ops_director = fields.Boolean("Ops director")
    notify_owner = fields.Boolean("Owner")
    notify_user_ids = fields.Many2many("res.users", string="Named users")
    priority = fields.Selection(PRIORITIES, default="0", required=True)
    cooldown_days = fields.Integer(
        default=3, help="After an alert is resolved, the same reason stays quiet this long."
    )
    top_level = fields.Selection(
        [("1", "Stays with its recipients"), ("2", "Up to the ops director"), ("3", "Up to the owner")],
        "Climbs to", compute="_compute_top_level", store=True, readonly=False, required=True, precompute=True,
        help="How far an unacknowledged alert of this rule climbs: a checklist miss stays with the manager.")
    ack_deadline_hours = fields.Integer(
        "Acknowledge within (h)", default=24,
        help="Unacknowledged alerts move one level up after this many hours.",
    )
    description = fields.Text()

    _sql_constraints = [
        ("window_positive", "CHECK(window_days > 0)", "The window must be at least one day."),
        ("periods_positive", "CHECK(consecutive_periods > 0)", "Periods in a row must be positive."),
        ("cooldown_positive", "CHECK(cooldown_days >= 0)", "The cooldown cannot be negative."),
    ]

    @api.depends("kind")
    def _compute_trigger(self):
        for rule in self:
            rule.trigger = rule._kind().trigger if rule.kind else False

    @api.depends("kind")
    def _compute_top_level(self):
        for rule in self:
            rule.top_level = str(rule_logic.TOP_LEVEL_BY_KIND.get(rule.kind, rule_logic.TOP_LEVEL))

    @api.depends("kind")
    def _compute_parameters(self):
        for rule in self:
            meaning = dict(rule._kind().parameters) if rule.kind else {}
            rule.uses_threshold = "threshold_value" in meaning
            rule.uses_periods = "consecutive_periods" in meaning
            rule.uses_window = "window_days" in meaning
            rule.uses_reasons = "not_ready_reasons" in meaning
            rule.parameter_help = "\n".join(f"{rule_logic.PARAMETERS[name]}: {text}"
                                            for name, text in meaning.items()) or False

    def _kind(self):
        return rule_logic.RULE_KINDS[self.kind]

    def _params(self):
        """The parameters the rule's kind reads, by field name."""
        return {name: self[name] for name, _meaning in self._kind().parameters}

    @api.constrains(
        "kind", "notify_manager", "notify_dispatch", "notify_ops_director", "notify_owner",
        "notify_user_ids",
    )
    def _check_recipients(self):
        for rule in self:
            if not (rule.notify_manager or rule.notify_dispatch or rule.notify_ops_director
                    or rule.notify_owner or rule.notify_user_ids):
                raise ValidationError(
                    self.env._("Rule %(rule)s alerts nobody: pick at least one recipient.",
                               rule=rule.name)
                )

    # ------------------------------------------------ shared thresholds
    @api.model
    def _line_thresholds(self, company):
        """The thresholds the screens share with the rules: what low energy is,
        how many low days make a streak, how many worse periods a decline.
        The company's own rule wins over a rule for every company."""
        return dict(self._line_thresholds_of(company.id))

    @api.model
    @ormcache("company_id")
    def _line_thresholds_of(self, company_id):
        # every saved check-in reads these: kept until a rule changes
        thresholds = dict(DEFAULT_THRESHOLDS)
        rules = self.sudo().search([("kind", "in", ("low_energy_streak", "kpi_decline")),
                                    ("company_id", "in", (company_id, False))], order="company_id, sequence, id")
        for rule in reversed(rules):  # the last written wins: company rules come first in this order
            if rule.kind == "low_energy_streak":
                thresholds.update(low_energy=rule.threshold_value, low_energy_days=rule.consecutive_periods)
            else:
                thresholds["kpi_decline_periods"] = rule.consecutive_periods
        return tuple(thresholds.items())

    @api.model
    def _am_cutoff(self):
        """The local hour a required morning call counts as missed: the missed-check-in
        rule's, else the shipped one's. Today, the rule and the nudge all read it."""
        rule = self.search([("kind", "=", "missed_checkin")], limit=1)
        return rule.threshold_value if rule else DEFAULT_AM_CUTOFF

    # ---------------------------------------------------------- recipients
    @api.model
    def _role_users(self, role_code, company, cache=None):
        """Users holding ``role_code`` in ``company``; ``cache`` (a dict) spares
        the query when many alerts are notified at once."""
        key = (role_code, company.id)
        if cache is not None and key in cache:
            return cache[key]
        users = self.env["ops.tech_profile"].search(
            [("role_ids.code", "=", role_code), ("company_id", "=", company.id), ("user_id", "!=", False)]).user_id
        if cache is not None:
            cache[key] = users
        return users

    def _recipient_users(self, employee, level=1, cache=None):
        """Level 1: the rule's recipients. Level 2 the ops director, level 3
        the owner. Nobody found at a level falls through to the next one."""
        self.ensure_one()
        company = employee.company_id
        users = self.env["res.users"]
        if level == 1:
            if self.notify_manager:
                users |= employee.parent_id.user_id
            if self.notify_dispatch:
                users |= self._role_users("dispatch", company, cache)
            if self.notify_ops_director:
                users |= self._role_users("ops_director", company, cache)
            if self.notify_owner:
                users |= self._role_users("owner", company, cache)
            users |= self.notify_user_ids
        elif level == 2:
            users = self._role_users("ops_director", company, cache)
        else:
            users = self._role_users("owner", company, cache)
        users -= employee.user_id  # nobody is asked to handle an alert about themselves
        if not users and level < 3:
            return self._recipient_users(employee, level + 1, cache)
        return users

    # ------------------------------------------------- rules on a check-in
    @api.model
    def _apply_checkin_rules(self, checkins):
        """Safety, blocker, attendance and missed steps fire as the call is logged."""
        rules = self.browse(self._checkin_rule_ids())
        candidates = []
        for checkin in checkins:
            for rule in rules.filtered(lambda r, c=checkin: not r.company_id or r.company_id == c.company_id):
                reason = rule._checkin_reason(checkin)
                if reason:
                    candidates.append({"rule": rule, "employee": checkin.employee_id,
                                       "reason": reason, "checkins": checkin})
        return self.env["ops.escalation"]._raise_alerts(candidates)

    @api.model
    @ormcache("self.env.uid", "tuple(self.env.companies.ids)")
    def _checkin_rule_ids(self):
        return tuple(self.search([("trigger", "=", "checkin")]).ids)

    def _checkin_reason(self, checkin):
        """Why this rule fires on ``checkin``, or ``None``: its kind decides."""
        return self._kind().reason_if_applies(checkin._rule_facts(), self._params())

    # ------------------------------------------------------- daily rules
    @api.model
    def _cron_daily(self):
        """Evaluate every daily rule over its window, then re-escalate overdue alerts."""
        created = self.env["ops.escalation"]
        for rule in self.search([("trigger", "=", "daily")]):
            candidates = getattr(rule, f"_evaluate_{rule.kind}")()
            created |= self.env["ops.escalation"]._raise_alerts(candidates)
        self.env["ops.escalation"]._cron_reescalate()
        return created

    def _today(self):
        return fields.Date.context_today(self, line_now(self.env))

    def _scope_domain(self, field="employee_id"):
        return [(f"{field}.company_id", "=", self.company_id.id)] if self.company_id else []

    def _evaluate_low_energy_streak(self):
        today = self._today()
        start = today - datetime.timedelta(days=self.window_days)
        rows = self.env["ops.checkin"]._read_group(
            [("checkin_date", ">=", start), ("checkin_date", "<=", today), ("energy_level", ">", 0)]
            + self._scope_domain(), ["employee_id", "checkin_date:day"], ["energy_level:min", "id:array_agg"])
        readings, checkin_ids = {}, {}
        for employee, day, energy, ids in rows:
            readings.setdefault(employee, {})[day] = energy
            checkin_ids.setdefault(employee, {})[day] = ids
        # only people whose latest reading is low can be on a streak
        suspects = self.env["hr.employee"].union(*[
            e for e, days in readings.items() if days[max(days)] <= self.threshold_value])
        suspects &= self._on_the_line(suspects)
        workdays = self.env["ops.workdays"]._workdays(suspects, start, today)
        candidates = []
        for employee in suspects:
            streak = rule_logic.low_energy_streak(readings[employee], workdays.get(employee.id, set()),
                                                  self.threshold_value, today)
            reason = self._kind().reason_if_applies({"streak": streak}, self._params())
            if reason:
                ids = [i for day in streak for i in checkin_ids[employee][day]]
                candidates.append({"rule": self, "employee": employee, "reason": reason,
                                   # the group's rows all have energy
                                   "checkins": self.env["ops.checkin"].browse(ids)})
        return candidates

    @api.model
    def _on_the_line(self, employees):
        """Only people with an active Ops profile are watched by the rules."""
        return self.env["ops.tech_profile"].search([("employee_id", "in", employees.ids)]).employee_id

    def _evaluate_kpi_decline(self):
        start = self._today() - datetime.timedelta(days=self.window_days)
        company_filter = "AND v.company_id = %(company)s" if self.company_id else ""
        self.env["ops.kpi.value"].flush_model()
        self.env["ops.tech_profile"].flush_model(["active", "employee_id", "primary_kpi_ids"])
        primary = self.env["ops.tech_profile"]._fields["primary_kpi_ids"]
        # the KPIs each person is coached on; a computed value of a period not over yet is partial
        self.env.cr.execute(f"""
            SELECT v.employee_id, v.kpi_id, array_agg(v.value ORDER BY v.period_start),
                   array_agg(v.id ORDER BY v.period_start)
              FROM ops_kpi_value v
              JOIN ops_tech_profile p ON p.employee_id = v.employee_id AND p.active
              JOIN {primary.relation} pk ON pk.{primary.column1} = p.id AND pk.{primary.column2} = v.kpi_id
             WHERE v.period_start >= %(start)s {company_filter}
               AND (v.origin = 'manual' OR CASE v.period WHEN 'daily' THEN v.period_start + 1
                                                         WHEN 'weekly' THEN v.period_start + 7
                                                         ELSE (v.period_start + interval '1 month')::date
                                           END <= %(today)s)
          GROUP BY v.employee_id, v.kpi_id
        """, {"start": start, "company": self.company_id.id, "today": self._today()})
        rows = self.env.cr.fetchall()
        kpis = self.env["ops.kpi"].browse({row[1] for row in rows})
        better_up = {kpi.id: kpi.higher_is_better for kpi in kpis}
        candidates = []
        for employee_id, kpi_id, values, ids in rows:
            declines = rule_logic.consecutive_declines(values, better_up[kpi_id])
            run = slice(-(declines + 1), None)  # the evidence: the declining run only
            reason = self._kind().reason_if_applies({
                "declines": declines, "kpi": kpis.browse(kpi_id).name,
                "trail": " → ".join(f"{v:g}" for v in values[run])}, self._params())
            if reason:
                candidates.append({"rule": self, "employee": self.env["hr.employee"].browse(employee_id),
                                   "kpi_values": self.env["ops.kpi.value"].browse(ids[run]), "reason": reason})
        return candidates

    def _evaluate_missed_checkin(self):
        """No AM check-in by the cutoff (threshold, local hour) on a workday."""
        profiles = self.env["ops.tech_profile"].search(
            [("role_ids.am_required", "=", True)] + self._scope_domain())
        missing = profiles._missing_am_call(line_now(self.env), self.threshold_value)
        return [{"rule": self, "employee": p.employee_id, "reason": self._kind().reason(
                    {"missing": True, "name": p.employee_id.name, "day": day}, self._params())}
                for p, day in missing.items()]

    def _evaluate_owner_ops_work(self):
        """The owner doing hands-on ops work on more than X days: a system failure."""
        start = self._today() - datetime.timedelta(days=self.window_days)
        owners = self.env["ops.tech_profile"].search([("role_ids.code", "=", "owner")] + self._scope_domain())
        rows = self.env["ops.checkin"]._read_group(
            [("employee_id", "in", owners.employee_id.ids), ("ops_work_today", "=", True),
             ("checkin_date", ">=", start)],
            ["employee_id"], ["checkin_date:count_distinct", "id:recordset"])
        facts = [({"name": employee.name, "days": days}, employee, checkins) for employee, days, checkins in rows]
        return [{"rule": self, "employee": employee, "checkins": checkins,
                 "reason": self._kind().reason(fact, self._params())}
                for fact, employee, checkins in facts if self._kind().applies(fact, self._params())]
