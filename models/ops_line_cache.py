from odoo import api, models

# the employee fields the line's cached answers read (name spoken, timezone for the day, language spoken in)
EMPLOYEE_FIELDS = {"name", "tz", "resource_calendar_id", "active", "company_id", "lang", "user_id"}


class OpsLineCacheSource(models.AbstractModel):
    """A record the Ops line's cached answers are built from (flows, profiles,
    strengths, KPIs and their values). Any change clears Odoo's method cache,
    and Odoo signals that to every other worker and node before their next
    request, so no caller hears yesterday's flow or number."""

    _name = "ops.line.cache.source"
    _description = "Ops line cache source"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result


def clear_line_cache_on(records, vals, watched):
    """Clear the line's cached answers when a write on one of Odoo's own models
    touches a field they read (``watched``)."""
    if set(watched) & set(vals):
        records.env.registry.clear_cache()


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def write(self, vals):
        result = super().write(vals)
        clear_line_cache_on(self, vals, EMPLOYEE_FIELDS)
        return result


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        clear_line_cache_on(self, vals, {"tz"})
        return result
