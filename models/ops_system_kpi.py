import datetime

from odoo import api, fields, models

from ..coach import rules as rule_logic
from .ops_weekly_summary import AM_LIKE


class OpsSystemKpi(models.Model):
    """The Ops line's own KPIs, per company and day (seed 000, "KPIs for the system")."""

    _name = "ops.system_kpi"
    _description = "Ops line system KPIs"
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    checkins_expected = fields.Integer()
    checkins_made = fields.Integer()
    call_completion_pct = fields.Float("Daily call completion (%)", aggregator="avg")
    kpi_values = fields.Integer("KPI values in the last 7 days")
    kpi_adherence_pct = fields.Float("KPI adherence rate (%)", aggregator="avg")
    escalations = fields.Integer("Alerts raised")
    escalations_per_10 = fields.Float("Alerts per 10 people", aggregator="avg")

    _sql_constraints = [("company_date_uniq", "unique(company_id, date)", "One row per company and day.")]

    @api.model
    def _cron_compute(self, day=None):
        day = day or fields.Date.context_today(self) - datetime.timedelta(days=1)
        # every profile on purpose: the loop covers the whole line
        profiles = self.env["ops.tech_profile"].search([])  # pylint: disable=no-search-all
        self.search([("date", "=", day)]).unlink()
        return self.create([self._values(company, day, profiles.filtered(lambda p, c=company: p.company_id == c))
                            for company in profiles.company_id])

    @api.model
    def _values(self, company, day, profiles):
        # the mandatory calls: roles whose AM check-in is required
        am_people = profiles.filtered(lambda p: p.role_ids.filtered("am_required")).employee_id
        workdays = self.env["ops.workdays"]._workdays(am_people, day, day)
        expected = {e for e in am_people.ids if day in workdays.get(e, ())}
        made = {e.id for e, in self.env["ops.checkin"]._read_group(
            [("employee_id", "in", list(expected)), ("checkin_date", "=", day), ("call_type", "in", AM_LIKE)],
            ["employee_id"])}
        values = self.env["ops.kpi.value"].search(
            [("employee_id", "in", profiles.employee_id.ids), ("period_start", ">", day - datetime.timedelta(days=7)),
             ("period_start", "<=", day)])
        on_target = sum(1 for v in values if rule_logic.on_target(v.value, v.kpi_id.target, v.kpi_id.higher_is_better))
        start = datetime.datetime.combine(day, datetime.time.min)
        alerts = self.env["ops.escalation"].search_count(
            [("company_id", "=", company.id), ("raised_date", ">=", start),
             ("raised_date", "<", start + datetime.timedelta(days=1))])
        return {
            "company_id": company.id, "date": day, "checkins_expected": len(expected),
            "checkins_made": len(made), "call_completion_pct": rule_logic.percentage(len(made), len(expected)),
            "kpi_values": len(values), "kpi_adherence_pct": rule_logic.percentage(on_target, len(values)),
            "escalations": alerts, "escalations_per_10": round(10.0 * alerts / len(profiles), 2) if profiles else 0,
        }
