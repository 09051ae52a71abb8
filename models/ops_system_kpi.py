import datetime

from odoo import api, fields, models

from ..coach import blockers
from ..coach.kpi_compute import utc_naive
from ..coach.vocabulary import META_KPI_SUMS, MORNING_CALL_TYPES

DEFAULT_MINUTES_PER_CHECKIN = 5


class OpsSystemKpi(models.Model):
    """The Ops line's own KPIs (seed 000, "KPIs for the system"), per company
    and day, as numerators and denominators: a rate over any range is a ratio
    of sums, and a day with nothing expected adds nothing to either side."""

    _name = "ops.system_kpi"
    _description = "Ops line system KPIs"
    _order = "date desc"
    _rec_name = "date"

    date = fields.Date(required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    checkins_expected = fields.Integer("Required calls", help="Required AM calls of people working that day.")
    checkins_made = fields.Integer("Required calls made")
    kpi_values = fields.Integer("KPI values", help="KPI values of periods starting that day.")
    kpi_on_target = fields.Integer("KPI values on target")
    escalations = fields.Integer("Alerts raised")
    people = fields.Integer("People on the line", aggregator="avg")
    checkins = fields.Integer("Calls")
    checkins_no_human = fields.Integer("Calls that needed no one", help="Calls no alert was raised from.")
    minutes_reclaimed = fields.Integer(
        "Manager minutes reclaimed", help="Calls that needed no one × minutes a manager spends on a check-in.")
    field_headcount = fields.Integer("Field people", aggregator="avg")
    field_departures = fields.Integer("Field departures")
    blockers_cleared = fields.Integer("Blockers cleared", help="Blocker alerts resolved that day.")
    blockers_cleared_same_day = fields.Integer("Blockers cleared the day they were raised")
    blocker_hours = fields.Float("Hours blocked", help="Raised to resolved, summed over the blockers cleared that day.")

    _sql_constraints = [("company_date_uniq", "unique(company_id, date)", "One row per company and day.")]

    @api.model
    def _totals(self, domain):
        """The counts summed over the rows of ``domain`` (a rate is a ratio of
        two of them) and the average field headcount, by field name."""
        [row] = self._read_group(domain, [], [f"{name}:sum" for name in META_KPI_SUMS] + ["field_headcount:avg"])
        return dict(zip(META_KPI_SUMS + ("field_headcount",), (value or 0 for value in row)))

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
        # the company's day, not UTC's: an alert raised at 18:00 in Chicago is that day's
        tz = self.env["ops.kpi"]._company_tz(company)
        start, end = utc_naive(day, tz), utc_naive(day + datetime.timedelta(days=1), tz)
        return {
            "company_id": company.id, "date": day, "people": len(profiles),
            "escalations": self.env["ops.escalation"].search_count(
                [("company_id", "=", company.id), ("raised_date", ">=", start), ("raised_date", "<", end)]),
            **self._completion(day, profiles), **self._adherence(day, profiles),
            **self._reclaimed(day, company), **self._retention(day, company),
            **blockers.clearing_sums(self.env["ops.escalation"]._blockers_resolved(company, start, end)),
        }

    @api.model
    def _completion(self, day, profiles):
        # the mandatory calls: roles whose AM check-in is required, on the person's workdays
        am_people = profiles.filtered(lambda p: p.role_ids.filtered("am_required")).employee_id
        workdays = self.env["ops.workdays"]._workdays(am_people, day, day)
        expected = {e for e in am_people.ids if day in workdays.get(e, ())}
        made = {e.id for e, in self.env["ops.checkin"]._read_group(
            [("employee_id", "in", list(expected)), ("checkin_date", "=", day), ("call_type", "in", MORNING_CALL_TYPES)],
            ["employee_id"])}
        return {"checkins_expected": len(expected), "checkins_made": len(made)}

    @api.model
    def _adherence(self, day, profiles):
        [(count, on_target)] = self.env["ops.kpi.value"]._read_group(
            [("employee_id", "in", profiles.employee_id.ids), ("period_start", "=", day)], [],
            ["__count", "hits_target:sum"])
        return {"kpi_values": count, "kpi_on_target": on_target or 0}

    @api.model
    def _reclaimed(self, day, company):
        checkins = self.env["ops.checkin"].search([("company_id", "=", company.id), ("checkin_date", "=", day)])
        escalated = self.env["ops.escalation"].search([("checkin_ids", "in", checkins.ids)]).checkin_ids
        no_human = len(checkins - escalated)
        return {"checkins": len(checkins), "checkins_no_human": no_human,
                "minutes_reclaimed": no_human * self._minutes_per_checkin()}

    @api.model
    def _minutes_per_checkin(self):
        value = self.env["ir.config_parameter"].sudo().get_param("ops_coach.minutes_per_checkin")
        return int(value) if value and value.isdecimal() else DEFAULT_MINUTES_PER_CHECKIN

    @api.model
    def _retention(self, day, company):
        """Field people employed that day, and those whose last day it was
        (hr's departure date); archived employees count until they left."""
        field = self.env["ops.tech_profile"].search(
            [("company_id", "=", company.id), ("role_ids.level", "=", "field")]).employee_id
        # the departure date is HR's field: read it, never show it
        employed = field.sudo().with_context(active_test=False).filtered(
            lambda e: e.active or (e.departure_date and e.departure_date >= day))
        return {"field_headcount": len(employed),
                "field_departures": len(employed.filtered(lambda e: e.departure_date == day))}
