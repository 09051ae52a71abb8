from odoo import api, fields, models
from odoo.exceptions import UserError

from .ops_escalation_rule import PRIORITIES


class OpsEscalation(models.Model):
    """An alert a rule raised about one employee, with its lifecycle."""

    _name = "ops.escalation"
    _description = "Ops escalation"
    _inherit = ["mail.thread", "mail.activity.mixin", "ops.team.mixin"]
    _order = "priority desc, create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    manager_id = fields.Many2one(related="employee_id.parent_id", store=True, string="Manager")
    rule_id = fields.Many2one("ops.escalation_rule", required=True, ondelete="restrict", index=True)
    kind = fields.Selection(related="rule_id.kind", store=True)
    checkin_ids = fields.Many2many("ops.checkin", string="Check-ins behind it")
    kpi_value_ids = fields.Many2many("ops.kpi.value", string="KPI values behind it")
    reason = fields.Text(required=True)
    priority = fields.Selection(PRIORITIES, default="0", required=True, tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("acknowledged", "Acknowledged"),
            ("resolved", "Resolved"),
            ("dismissed", "Dismissed"),
        ],
        default="new", required=True, tracking=True, group_expand=True, index=True,
    )
    level = fields.Integer(default=1, tracking=True, help="1 manager, 2 ops director, 3 owner.")
    ack_deadline = fields.Datetime("Acknowledge by")
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    acknowledged_date = fields.Datetime(readonly=True)
    resolved_by_id = fields.Many2one("res.users", readonly=True)
    resolved_date = fields.Datetime(readonly=True)
    resolution_note = fields.Text(tracking=True)

    @api.depends("employee_id", "rule_id")
    def _compute_name(self):
        for alert in self:
            alert.name = f"{alert.rule_id.name or ''}: {alert.employee_id.name or ''}"

    def _ensure_state(self, allowed, action):
        for alert in self:
            if alert.state not in allowed:
                raise UserError(
                    self.env._("%(alert)s is %(state)s and cannot be %(action)s.",
                               alert=alert.name, state=alert.state, action=action)
                )

    def action_acknowledge(self):
        self._ensure_state(("new",), "acknowledged")
        self.write({
            "state": "acknowledged",
            "acknowledged_by_id": self.env.user.id,
            "acknowledged_date": fields.Datetime.now(),
        })

    def action_resolve(self):
        self._ensure_state(("new", "acknowledged"), "resolved")
        self.write({
            "state": "resolved",
            "resolved_by_id": self.env.user.id,
            "resolved_date": fields.Datetime.now(),
        })
        self.activity_ids.action_done()

    def action_dismiss(self):
        self._ensure_state(("new", "acknowledged"), "dismissed")
        self.write({"state": "dismissed", "resolved_by_id": self.env.user.id,
                    "resolved_date": fields.Datetime.now()})
        self.activity_ids.unlink()

    def action_reopen(self):
        self._ensure_state(("resolved", "dismissed"), "reopened")
        self.write({"state": "new", "resolved_by_id": False, "resolved_date": False})
