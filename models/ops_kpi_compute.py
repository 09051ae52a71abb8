import datetime

import pytz

from odoo import api, models

from ..coach import kpi_compute as kc


class OpsKpiCompute(models.Model):
    """The daily cron: every computed KPI's last periods, from one grouped
    query per measure and company, whatever the number of employees."""

    _inherit = "ops.kpi"

    @api.model
    def _cron_compute_values(self):
        # the companies with people on the line
        for [company] in self.env["ops.tech_profile"].sudo()._read_group([], ["company_id"]):
            today = datetime.datetime.now(pytz.timezone(self._company_tz(company))).date()
            for kpi in self.search([("source", "=", "measure"), ("numerator_id", "!=", False)]):
                kpi._compute_values(company, today)

    @staticmethod
    def _company_tz(company):
        return company.partner_id.tz or company.resource_calendar_id.tz or "UTC"

    def _compute_values(self, company, today):
        self.ensure_one()
        starts = kc.recent_periods(today, self.period, max(self.recompute_periods, 1))
        end = kc.period_end(starts[-1], self.period)
        numerators = self.numerator_id._totals(company, starts[0], end, self.period)
        denominators = self.denominator_id._totals(company, starts[0], end, self.period) \
            if self.denominator_id else None
        results = kc.values(numerators, denominators, self.factor or 1.0, self.min_denominator)
        self._store_values(company, results, starts, today)

    def _store_values(self, company, results, starts, today):
        """Upsert computed values; a typed value is never overwritten, and a
        computed one that no longer has enough jobs behind it is removed."""
        Value = self.env["ops.kpi.value"].sudo()
        existing = Value.search([("kpi_id", "=", self.id), ("period_start", "in", starts),
                                 ("company_id", "=", company.id)])
        by_key = {(value.employee_id.id, value.period_start): value for value in existing}
        to_create = []
        for (employee_id, start), amount in results.items():
            values = {"value": round(amount, 2), "origin": "computed",
                      "provisional": kc.is_provisional(start, self.period, self.provisional_days, today)}
            current = by_key.pop((employee_id, start), None)
            if current is None:
                to_create.append(dict(values, kpi_id=self.id, employee_id=employee_id, period_start=start))
            elif current.origin == "computed" and (current.value, current.provisional) != (
                    values["value"], values["provisional"]):
                current.write(values)
        Value.create(to_create)
        Value.union(*[v for v in by_key.values() if v.origin == "computed"]).unlink()


class OpsKpiMeasureTotals(models.Model):
    _inherit = "ops.kpi.measure"

    def _totals(self, company, first_day, end_day, period):
        """``{(employee_id, period_start): count}`` of the company's records dated
        in [first_day, end_day) local time: one grouped query."""
        self.ensure_one()
        tz = self.env["ops.kpi"]._company_tz(company)
        Model = self.env[self.model_name].sudo().with_context(tz=tz, active_test=True)
        domain = kc.parse_domain(self.domain) + self._date_bounds(Model, tz, first_day, end_day)
        if "company_id" in Model._fields:  # a job of a project shared by every company has none
            domain += ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        rows = Model._read_group(domain, [self.user_field, f"{self.date_field}:day"], ["__count"])
        employees = self._employees(company, [who for who, _day, _count in rows])
        return kc.fold([(employees[who.id], self._as_date(day), count) for who, day, count in rows
                        if who and who.id in employees], period)

    def _date_bounds(self, Model, tz, first_day, end_day):
        """Half-open bounds at the company's local midnight (UTC for datetimes)."""
        if Model._fields[self.date_field].type == "datetime":
            zone = pytz.timezone(tz)

            def utc(day):
                return zone.localize(datetime.datetime.combine(day, datetime.time())).astimezone(
                    pytz.utc).replace(tzinfo=None)
            first_day, end_day = utc(first_day), utc(end_day)
        return [(self.date_field, ">=", first_day), (self.date_field, "<", end_day)]

    def _employees(self, company, credited):
        """Credited users (or employees) → the company's employee ids."""
        records = self.env[self.env[self.model_name]._fields[self.user_field].comodel_name].union(*credited)
        if records._name == "hr.employee":
            return {employee.id: employee.id for employee in records}
        employees = self.env["hr.employee"].sudo().search([("user_id", "in", records.ids),
                                                           ("company_id", "=", company.id)])
        return {employee.user_id.id: employee.id for employee in employees}

    @staticmethod
    def _as_date(day):
        return day.date() if isinstance(day, datetime.datetime) else day
