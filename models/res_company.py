from odoo import fields, models

from .ops_line_cache import clear_line_cache_on


class ResCompany(models.Model):
    _inherit = "res.company"

    ops_briefing_hour = fields.Float(
        "Morning briefing at", default=6.5,
        help="Local time (the company's timezone) the managers' morning briefing is sent: before the shift.")

    def write(self, vals):
        result = super().write(vals)
        clear_line_cache_on(self, vals, {"country_id"})  # where the line reads local numbers (_line_region)
        return result
