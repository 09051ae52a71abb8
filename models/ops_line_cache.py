from odoo import api, models

# the employee fields the line's cached answers read (name spoken, timezone for the day)
EMPLOYEE_FIELDS = {"name", "tz", "resource_calendar_id", "active", "company_id"}


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


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def write(self, vals):
        result = super().write(vals)
        if EMPLOYEE_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return result


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if "tz" in vals:
            self.env.registry.clear_cache()
        return result
