from odoo import api, fields, models

from ..coach.checkin_values import ROLE_KPI_MAX, check_count
from .ops_tools import check_or_raise

ROLE_LEVELS = [
    ("owner", "Owner"),
    ("exec", "Exec"),
    ("management", "Management"),
    ("field", "Field"),
    ("office", "Office"),
    ("support", "Support"),
]


class OpsRole(models.Model):
    _name = "ops.role"
    _inherit = ["ops.line.cache.source"]
    _description = "Ops line role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable identifier used by flows and voice tools.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    level = fields.Selection(ROLE_LEVELS, required=True)
    kpi_ids = fields.Many2many(
        "ops.kpi", string="KPIs", help="The 1 to 3 KPIs this role is coached on."
    )
    coaching_question = fields.Char(help="The role's standing coaching question.")
    uses_am_checkin = fields.Boolean("AM check-in")
    am_required = fields.Boolean(
        "AM check-in required", help="A missed AM check-in on a workday raises the missed check-in rule."
    )
    uses_job_closeout = fields.Boolean("Job close-out")
    uses_eod_closeout = fields.Boolean("End-of-day close-out")
    uses_weekly = fields.Boolean("Weekly check-in")
    description = fields.Text()

    _sql_constraints = [("code_uniq", "unique(code)", "A role code must be unique.")]

    @api.constrains("kpi_ids")
    def _check_kpi_count(self):
        for role in self:
            check_or_raise(check_count, len(role.kpi_ids), f"KPIs of role {role.name}", 1, ROLE_KPI_MAX)
