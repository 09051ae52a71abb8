from odoo import fields, models

from .ops_line_cache import clear_line_cache_on


class ResCompany(models.Model):
    _inherit = "res.company"

    ops_briefing_hour = fields.Float(
        "Morning briefing at", default=6.5,
        help="Local time (the company's timezone) the managers' morning briefing is sent: before the shift.")
    # where alerts go for people who chose Slack or Teams (incoming webhooks: the URL is the secret)
    ops_slack_webhook_url = fields.Char(
        "Slack webhook", groups="base.group_system",
        help="A Slack app's incoming-webhook URL (https://hooks.slack.com/services/…): its channel receives the alerts.")
    ops_teams_webhook_url = fields.Char(
        "Teams webhook", groups="base.group_system",
        help="A Teams Workflows URL from the template 'Post to a channel when a webhook request is received'.")

    def write(self, vals):
        result = super().write(vals)
        clear_line_cache_on(self, vals, {"country_id"})  # where the line reads local numbers (_line_region)
        return result
