from odoo import api, fields, models
from odoo.exceptions import ValidationError

RULE_KINDS = [
    ("low_energy_streak", "Low energy streak"),
    ("kpi_decline", "KPI decline"),
    ("safety_issue", "Safety issue"),
    ("missed_steps", "Missed required steps"),
    ("attendance", "Attendance (not ready)"),
    ("blocker", "Blocker reported"),
    ("missed_checkin", "Missed AM check-in"),
    ("owner_ops_work", "Owner doing ops work"),
]
PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent")]


class OpsEscalationRule(models.Model):
    """When a human is alerted, and who: nothing is escalated without a rule."""

    _name = "ops.escalation_rule"
    _description = "Ops escalation rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: applies to every company.")
    kind = fields.Selection(RULE_KINDS, required=True)
    trigger = fields.Selection(
        [("checkin", "When a check-in is logged"), ("daily", "Daily scan")],
        compute="_compute_trigger",
        store=True,
    )
    threshold_value = fields.Float(
        help="Low energy: the highest energy that counts as low. "
        "Owner ops work: the number of days that is too many."
    )
    consecutive_periods = fields.Integer(
        default=2, help="Low energy: workdays in a row. KPI decline: periods in a row."
    )
    window_days = fields.Integer(default=14, help="How far back the rule looks.")
    not_ready_reasons = fields.Char(
        default="sick,family,other",
        help="Attendance: comma-separated not-ready reasons that alert.",
    )
    notify_manager = fields.Boolean("Employee's manager")
    notify_dispatch = fields.Boolean("Dispatch")
    notify_ops_director = fields.Boolean("Ops director")
    notify_owner = fields.Boolean("Owner")
    notify_user_ids = fields.Many2many("res.users", string="Named users")
    priority = fields.Selection(PRIORITIES, default="0", required=True)
    cooldown_days = fields.Integer(
        default=3, help="After an alert is resolved, the same reason stays quiet this long."
    )
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
        daily = {"low_energy_streak", "kpi_decline", "missed_checkin", "owner_ops_work"}
        for rule in self:
            rule.trigger = "daily" if rule.kind in daily else "checkin"

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
