import datetime

from odoo import Command, api, fields, models

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

    ops_words_private = fields.Boolean(
        "Coaching answers stay private", default=True,
        help="On: transcripts, summaries and free-text coaching answers are read by the person and Ops "
             "administrators only; managers see the structured answers and the alerts. Off: managers read them too.")
    ops_say_what_is_kept = fields.Boolean(
        "Say what is kept", default=True,
        help="Every call ends with one sentence on what the manager sees and what stays private.")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._ops_line_user_everywhere()
        return companies

    def _ops_line_user_everywhere(self):
        """The Ops line's technical user works for every company: its callers'
        records are written under its access rules, whichever company they are in."""
        line_user = self.env.ref("ops_coach.user_ops_line", raise_if_not_found=False)
        if line_user:
            line_user.sudo().write({"company_ids": [Command.link(company.id) for company in self or self.search([])]})

    def write(self, vals):
        result = super().write(vals)
        # where the line reads local numbers (_line_region), and the sentence that ends every call
        clear_line_cache_on(self, vals, {"country_id", "ops_words_private", "ops_say_what_is_kept"})
        if "ops_words_private" in vals:
            self._apply_words_privacy()
        if vals.get("country_id"):  # the local mobiles that could not be read before now can
            self.env["ops.tech_profile"].search([("company_id", "in", self.ids), ("phone_ids", "=", False)]) \
                ._numbers_from_mobiles()
        return result

    def _apply_words_privacy(self):
        """Managers read call words only when every company opened them (groups are global)."""
        manager = self.env.ref("ops_coach.group_ops_manager")
        words = self.env.ref("ops_coach.group_ops_read_words")
        opened = not self.sudo().search_count([("ops_words_private", "=", True)])
        manager.sudo().implied_ids = [Command.link(words.id) if opened else Command.unlink(words.id)]
        if not opened:  # unlinking an implied group does not take it from the users who got it through it
            words.sudo().users -= (manager.users - self.env.ref("ops_coach.group_ops_owner").users
                                   - self.env.ref("ops_coach.group_ops_line").users)

    def _ops_weekdays(self):
        """The weekdays the company works (0 = Monday), from its working hours; Monday to Friday without."""
        self.ensure_one()
        return {int(day) for day in self.resource_calendar_id.attendance_ids.mapped("dayofweek")} or set(range(5))

    def _ops_last_workday(self, day):
        """``day`` when the company works then, else its last working day before (a Sunday gives the Friday)."""
        weekdays = self._ops_weekdays()
        for back in range(7):
            candidate = day - datetime.timedelta(days=back)
            if candidate.weekday() in weekdays:
                return candidate
        return day

