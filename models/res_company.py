from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ops_briefing_hour = fields.Float(
        "Morning briefing at", default=6.5,
        help="Local time (the company's timezone) the managers' morning briefing is sent: before the shift.")

    def write(self, vals):
        result = super().write(vals)
        if "country_id" in vals:  # where the line reads local numbers (ops.line._line_region)
            self.env.registry.clear_cache()
        return result
