from odoo import api, fields, models

from ..coach.periods import period_start
from ..coach.vocabulary import on_target


class OpsKpiValue(models.Model):
    _name = "ops.kpi.value"
    _inherit = ["ops.team.mixin", "ops.line.cache.source"]
    _description = "Measured KPI value for one employee and period"
    _order = "period_start desc, kpi_id"
    _rec_name = "kpi_id"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    kpi_id = fields.Many2one("ops.kpi", string="KPI", required=True, index=True, ondelete="cascade")
    period = fields.Selection(related="kpi_id.period", store=True)
    period_start = fields.Date(
        required=True,
        help="First day of the period; set to the period's start whatever day is entered.",
    )
    value = fields.Float(required=True, aggregator="avg")
    unit = fields.Char(related="kpi_id.unit")
    note = fields.Char()
    origin = fields.Selection([("manual", "Typed or imported"), ("computed", "Computed")], default="manual",
                              required=True, readonly=True, index=True,
                              help="Computed values are recomputed daily; a typed one is never overwritten.")
    provisional = fields.Boolean(help="The period can still change: a callback window is open.")
    department_id = fields.Many2one(related="employee_id.department_id", store=True, string="Team")
    target = fields.Float(related="kpi_id.target", store=True, aggregator="avg")
    hits_target = fields.Integer(
        "On target", compute="_compute_hits_target", store=True, aggregator="sum",
        help="1 when the value is at or better than the KPI's target: summed and divided by the count, "
             "the adherence rate.")

    _sql_constraints = [
        (
            "employee_kpi_period_uniq",
            "unique(employee_id, kpi_id, period_start)",
            "There is already a value for this employee, KPI and period.",
        )
    ]

    @api.depends("value", "kpi_id.target", "kpi_id.higher_is_better")
    def _compute_hits_target(self):
        for record in self:
            kpi = record.kpi_id
            record.hits_target = int(on_target(record.value, kpi.target, kpi.higher_is_better))

    @api.model
    def get_import_templates(self):
        """Offered by the list's Import: a CSV of employee, KPI, period and value."""
        return [{"label": self.env._("Import template for KPI values"),
                 "template": "/ops_coach/static/xls/ops_kpi_values.csv"}]

    @api.model_create_multi
    def create(self, vals_list):
        kpis = self.env["ops.kpi"].browse([v["kpi_id"] for v in vals_list if v.get("kpi_id")])
        period_by_kpi = {kpi.id: kpi.period for kpi in kpis}
        for vals in vals_list:
            if vals.get("period_start") and vals.get("kpi_id"):
                day = fields.Date.to_date(vals["period_start"])
                vals["period_start"] = period_start(day, period_by_kpi[vals["kpi_id"]])
        return super().create(vals_list)
