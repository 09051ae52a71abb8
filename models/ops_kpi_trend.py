from odoo import fields, models, tools


class OpsKpiTrend(models.Model):
    """A KPI's values beside its target, as two series of one measure: the
    graph draws one KPI at a time with its target line, in its own unit."""

    _name = "ops.kpi.trend"
    _description = "Ops KPI trend against target"
    _auto = False
    _order = "period_start"
    _depends = {"ops.kpi.value": ["kpi_id", "employee_id", "company_id", "department_id", "period_start", "value",
                                  "target"]}  # flushed before the view is read

    kpi_id = fields.Many2one("ops.kpi", string="KPI", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", string="Team", readonly=True)
    period_start = fields.Date("Period", readonly=True)
    series = fields.Selection([("actual", "Actual"), ("target", "Target")], readonly=True)
    value = fields.Float(readonly=True, aggregator="avg")

    def init(self):
        # one row per value and one for its target: ids stay unique (even: actual, odd: target)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS (
                SELECT v.id * 2 AS id, v.kpi_id, v.employee_id, v.company_id, v.department_id,
                       v.period_start, 'actual' AS series, v.value
                  FROM ops_kpi_value v
                 UNION ALL
                SELECT v.id * 2 + 1, v.kpi_id, v.employee_id, v.company_id, v.department_id,
                       v.period_start, 'target', v.target
                  FROM ops_kpi_value v
            )""")
