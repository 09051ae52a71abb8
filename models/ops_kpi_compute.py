import datetime

from odoo import api, fields, models

from ..coach import kpi_compute as kc
from .ops_tools import company_now, company_tz, line_now


class OpsKpiCompute(models.Model):
    """The daily cron: every computed KPI's last periods, from one grouped
    query per measure and company, whatever the number of employees."""

    _inherit = "ops.kpi"

    @api.model
    def _cron_compute_values(self, periods=None):
        """``periods``: how many to compute, instead of each KPI's own (a history)."""
        # the companies with people on the line; KPIs whose app is missing wait for it
        kpis = self.search([("source", "!=", "manual")]).filtered(lambda kpi: kpi._computable())
        for [company] in self.env["ops.tech_profile"].sudo()._read_group([], ["company_id"]):
            today = company_now(company, line_now(self.env)).date()
            for kpi in kpis:
                kpi._compute_values(company, today, periods)

    @staticmethod
    def _company_tz(company):
        return company_tz(company)

    def _compute_values(self, company, today, periods=None):
        self.ensure_one()
        starts = kc.recent_periods(today, self.period, max(periods or self.recompute_periods, 1))
        end = kc.period_end(starts[-1], self.period)
        if self.source == "method":
            results = getattr(self, f"_method_{self.method}")(company, starts)
        else:
            results = self._measured_values(company, starts, end)
        if self.scope == "company":
            results = kc.spread(results, self._holders(company))
        self._store_values(company, results, starts, today)

    def _measured_values(self, company, starts, end):
        group_of = self._group_of(company)
        numerators = kc.rescope(self.numerator_id._totals(company, starts[0], end, self.period), group_of)
        if not self.denominator_id:
            counted = kc.values(numerators, None, self.factor or 1.0)
            holders = [None] if self.scope == "company" else self._holders(company)
            return kc.zero_fill(counted, holders, starts)
        denominators = kc.rescope(self.denominator_id._totals(company, starts[0], end, self.period), group_of)
        return kc.values(numerators, denominators, self.factor or 1.0, self.min_denominator)

    def _group_of(self, company):
        """Employee → the key his numbers are summed under, for the KPI's scope."""
        if self.scope == "company":
            return lambda employee: None
        if self.scope == "team":
            rows = self.env["hr.employee"].sudo()._read_group(
                [("company_id", "=", company.id), ("parent_id", "!=", False)], ["parent_id"], ["id:array_agg"])
            managers = {employee: manager.id for manager, employees in rows for employee in employees}
            return lambda employee: managers.get(employee, False)
        return lambda employee: employee

    def _holders(self, company):
        """The employees coached on this KPI in the company."""
        return self.env["ops.tech_profile"].sudo().search(
            [("company_id", "=", company.id), ("primary_kpi_ids", "in", self.ids)]).employee_id.ids

    def _store_values(self, company, results, starts, today):
        """Upsert the computed values in one statement and remove computed ones
        that no longer have enough jobs behind them; a typed value is never
        overwritten (the upsert skips rows whose origin is manual)."""
        Value = self.env["ops.kpi.value"]
        Value.flush_model()
        keys = sorted(results)
        self.env.cr.execute("""
            INSERT INTO ops_kpi_value (employee_id, kpi_id, period_start, value, provisional, origin, period,
                                       company_id, department_id, target, hits_target,
                                       create_uid, write_uid, create_date, write_date)
                 SELECT v.employee_id, %(kpi)s, v.period_start, v.value, v.provisional, 'computed', %(period)s,
                        e.company_id, e.department_id, %(target)s,
                        -- "on target" as coach.vocabulary.on_target
                        (CASE WHEN %(higher)s THEN v.value >= %(target)s ELSE v.value <= %(target)s END)::int,
                        %(uid)s, %(uid)s, %(now)s, %(now)s
                   FROM unnest(%(employees)s::int[], %(starts)s::date[], %(values)s::float8[],
                               %(provisional)s::bool[]) AS v(employee_id, period_start, value, provisional)
                   JOIN hr_employee e ON e.id = v.employee_id
            ON CONFLICT (employee_id, kpi_id, period_start) DO UPDATE
                    SET value = EXCLUDED.value, provisional = EXCLUDED.provisional,
                        hits_target = EXCLUDED.hits_target, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                  WHERE ops_kpi_value.origin = 'computed'
                    AND (ops_kpi_value.value, ops_kpi_value.provisional)
                        IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.provisional)
        """, {"kpi": self.id, "period": self.period, "uid": self.env.uid, "now": fields.Datetime.now(),
              "target": self.target, "higher": self.higher_is_better,
              "employees": [employee for employee, _start in keys], "starts": [start for _employee, start in keys],
              "values": [round(results[key], 2) for key in keys],
              "provisional": [kc.is_provisional(start, self.period, self.provisional_days, today)
                              for _employee, start in keys]})
        self.env.cr.execute("""
            DELETE FROM ops_kpi_value v
             WHERE v.kpi_id = %(kpi)s AND v.origin = 'computed' AND v.company_id = %(company)s
               AND v.period_start = ANY(%(periods)s::date[])
               AND (v.employee_id, v.period_start) NOT IN (
                       SELECT * FROM unnest(%(employees)s::int[], %(starts)s::date[]))
        """, {"kpi": self.id, "company": company.id, "periods": starts,
              "employees": [employee for employee, _start in keys], "starts": [start for _employee, start in keys]})
        Value.invalidate_model()

class OpsKpiMeasureTotals(models.Model):
    _inherit = "ops.kpi.measure"

    def _totals(self, company, first_day, end_day, period):
        """``{(employee_id, period_start): amount}`` of the company's records dated
        in [first_day, end_day) local time: one grouped query. A measure credited
        to nobody (a company-wide count) is keyed by ``None``."""
        self.ensure_one()
        tz = self.env["ops.kpi"]._company_tz(company)
        Model = self.env[self.model_name].sudo().with_context(tz=tz, active_test=True)
        domain = kc.parse_domain(self.domain) + self._date_bounds(Model, tz, first_day, end_day)
        if "company_id" in Model._fields:  # a job of a project shared by every company has none
            domain += ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        amount = f"{self.sum_field}:sum" if self.aggregate == "sum" else "__count"
        day = f"{self.date_field}:day"
        if not self.user_field:
            rows = Model._read_group(domain, [day], [amount])
            return kc.fold([(None, self._as_date(when), total) for when, total in rows], period)
        rows = Model._read_group(domain, [self.user_field, day], [amount])
        employees = self._employees(company, [who for who, _day, _total in rows])
        return kc.fold([(employees[who.id], self._as_date(when), total) for who, when, total in rows
                        if who and who.id in employees], period)

    def _date_bounds(self, Model, tz, first_day, end_day):
        """Half-open bounds at the company's local midnight (UTC for datetimes)."""
        if Model._fields[self.date_field].type == "datetime":
            first_day, end_day = kc.utc_naive(first_day, tz), kc.utc_naive(end_day, tz)
        return [(self.date_field, ">=", first_day), (self.date_field, "<", end_day)]

    def _employees(self, company, credited):
        """Credited users (or employees) → the company's employee ids."""
        records = self.env[self.env[self.model_name]._fields[self.user_field].comodel_name].union(*credited)
        if records._name == "hr.employee":
            return {employee.id: employee.id for employee in records}
        rows = self.env["hr.employee"].sudo()._read_group(
            [("user_id", "in", records.ids), ("company_id", "=", company.id)], ["user_id"], ["id:min"])
        return {user.id: employee_id for user, employee_id in rows}

    @staticmethod
    def _as_date(day):
        return day.date() if isinstance(day, datetime.datetime) else day
