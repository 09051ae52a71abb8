from odoo import fields, models


class OpsKpi(models.Model):
    _name = "ops.kpi"
    _description = "Ops KPI definition"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable identifier used by voice tools and imports.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    unit = fields.Char(help="Shown after the value, e.g. %, $, days, count.")
    higher_is_better = fields.Boolean(
        default=True,
        help="A decline is a fall in value when set, a rise in value otherwise.",
    )
    target = fields.Float()
    period = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        required=True,
        default="weekly",
    )
    description = fields.Text()
    role_ids = fields.Many2many("ops.role", string="Roles coached on it")

    _sql_constraints = [("code_uniq", "unique(code)", "A KPI code must be unique.")]
