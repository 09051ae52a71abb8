import datetime

import pytz

from odoo import api, models

from ..coach import rules as rule_logic
from .ops_tools import local_now

WEEKDAYS = range(5)


class OpsWorkdays(models.AbstractModel):
    """Employees' working days from their calendar and leaves, batched per calendar."""

    _name = "ops.workdays"
    _description = "Ops workdays"

    @api.model
    def _workdays(self, employees, start, end):
        """``{employee_id: set(dates)}`` of the days each employee works
        between ``start`` and ``end`` (inclusive), leaves left out."""
        result = {}
        for calendar in employees.resource_calendar_id | self.env["resource.calendar"]:
            group = employees.filtered(lambda e: e.resource_calendar_id == calendar)
            if not group:
                continue
            if not calendar:
                days = {start + datetime.timedelta(days=n) for n in range((end - start).days + 1)}
                result.update({e.id: {d for d in days if d.weekday() in WEEKDAYS} for e in group})
                continue
            # a day of margin each side: local days may start before UTC ones
            start_dt = pytz.utc.localize(datetime.datetime.combine(start - datetime.timedelta(days=1),
                                                                   datetime.time.min))
            end_dt = pytz.utc.localize(datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                                 datetime.time.max))
            intervals = calendar._work_intervals_batch(start_dt, end_dt, resources=group.resource_id)
            for employee in group:
                tz = local_now(employee).tzinfo
                days = {begin.astimezone(tz).date() for begin, _end, _rec in intervals[employee.resource_id.id]}
                result[employee.id] = {d for d in days if start <= d <= end}
        return self._without_pauses(result, employees, start, end)

    @api.model
    def _without_pauses(self, workdays, employees, start, end):
        """A paused person's paused days are no working days (ops.tech_profile)."""
        paused = self.env["ops.tech_profile"].with_context(active_test=False).search([
            ("employee_id", "in", employees.ids), ("paused_from", "<=", end),
            "|", ("paused_until", "=", False), ("paused_until", ">=", start)])
        for profile in paused:
            days = rule_logic.paused_days(profile.paused_from, profile.paused_until, start, end)
            workdays[profile.employee_id.id] = workdays.get(profile.employee_id.id, set()) - days
        return workdays
