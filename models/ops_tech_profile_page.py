import datetime

from markupsafe import Markup

from odoo import api, fields, models

from ..coach import rules as rule_logic
from ..coach import lexicon, prompt, vocabulary
from .ops_tools import line_now, local_now

STREAK_LOOKBACK_DAYS = 90
KPI_HISTORY = 3
LAST_COMMITMENTS = 5
FOLLOW_THROUGH_DAYS = 28


class OpsTechProfilePage(models.Model):
    """A person's own page: streak, KPIs against target, goal, commitments."""

    _inherit = "ops.tech_profile"

    call_streak = fields.Integer(
        "Call streak", compute="_compute_page", help="Workdays in a row, up to today, with an AM call.")
    kpi_board = fields.Html("My KPIs", compute="_compute_page", sanitize=True)
    recent_commitment_ids = fields.Many2many("ops.checkin", compute="_compute_page", string="Last commitments")
    goal_days_left = fields.Integer("Days left", compute="_compute_page")
    calls_this_week = fields.Integer("Calls this week", compute="_compute_page",
                                     help="Check-ins logged since Monday, on the person's own calendar.")
    follow_through_pct = fields.Float(
        "Commitments kept (%)", compute="_compute_follow_through",
        help="Of the commitments the line asked back in the last four weeks, the share kept (partly counts half).")
    followups_asked = fields.Integer("Commitments asked back", compute="_compute_follow_through")
    # plain about what is kept: what his manager sees of him, and his own words, for him only
    alert_about_me_ids = fields.Many2many("ops.escalation", compute="_compute_what_is_seen",
                                          string="Alerts about me")
    manager_sees = fields.Text("What my manager sees", compute="_compute_what_is_seen")
    my_words = fields.Text("My coaching answers", compute="_compute_what_is_seen",
                           help="Your last answers in your own words: you and Ops administrators read them.")

    @api.depends_context("uid", "lang")
    def _compute_what_is_seen(self):
        for profile in self:
            mine = profile.user_id == self.env.user
            profile.alert_about_me_ids = self.env["ops.escalation"].search(
                [("employee_id", "=", profile.employee_id.id)], order="raised_date desc", limit=10)
            # the sentence every call ends with, in the reader's language, without its "One last thing: "
            said = prompt.what_is_kept(profile.company_id.ops_words_private, lexicon.for_language(self.env.lang))
            sentence = said.split(": ", 1)[-1]
            profile.manager_sees = sentence[:1].upper() + sentence[1:]
            answers = self.env["ops.checkin"].sudo().search(
                [("employee_id", "=", profile.employee_id.id), ("coaching_answer", "!=", False)],
                order="start desc", limit=LAST_COMMITMENTS) if mine else self.env["ops.checkin"]
            profile.my_words = "\n".join(f"{c.checkin_date}: {c.coaching_answer}" for c in answers) or False

    def _compute_page(self):
        now = line_now(self.env)
        for profile in self:
            today = local_now(profile.employee_id, now).date()
            profile.call_streak = profile._call_streak(today)
            profile.kpi_board = profile._kpi_board()
            profile.recent_commitment_ids = self.env["ops.checkin"].search(
                [("employee_id", "=", profile.employee_id.id), ("commitment", "!=", False)],
                order="start desc", limit=LAST_COMMITMENTS)
            profile.goal_days_left = max(0, (profile.goal_end - today).days) if profile.goal_end else 0
            profile.calls_this_week = self.env["ops.checkin"].search_count(
                [("employee_id", "=", profile.employee_id.id), ("is_placeholder", "=", False),
                 ("checkin_date", ">=", today - datetime.timedelta(days=today.weekday())),
                 ("checkin_date", "<=", today)])

    def _compute_follow_through(self):
        """The last four weeks' answers, for everyone shown, in one query (Today lists a whole team)."""
        since = line_now(self.env).date() - datetime.timedelta(days=FOLLOW_THROUGH_DAYS)
        answers = {}
        for employee, said, count in self.env["ops.checkin"]._read_group(
                [("employee_id", "in", self.employee_id.ids), ("commitment_followup", "!=", False),
                 ("checkin_date", ">=", since)], ["employee_id", "commitment_followup"], ["__count"]):
            answers.setdefault(employee.id, {})[said] = count
        for profile in self:
            mine = answers.get(profile.employee_id.id, {})
            asked = sum(mine.values())
            profile.followups_asked = asked
            profile.follow_through_pct = vocabulary.follow_through(mine.get("done", 0), mine.get("partly", 0),
                                                                   asked) or 0.0

    def _call_streak(self, today):
        start = today - datetime.timedelta(days=STREAK_LOOKBACK_DAYS)
        called = {day for day, in self.env["ops.checkin"]._read_group(
            [("employee_id", "=", self.employee_id.id), ("call_type", "in", vocabulary.MORNING_CALL_TYPES),
             ("checkin_date", ">=", start), ("checkin_date", "<=", today)], ["checkin_date:day"])}
        workdays = self.env["ops.workdays"]._workdays(self.employee_id, start, today).get(self.employee_id.id, set())
        return rule_logic.call_streak(called, workdays, today)

    def _kpi_board(self):
        rows = []
        for kpi in self.primary_kpi_ids:
            values = self.env["ops.kpi.value"].search(
                [("employee_id", "=", self.employee_id.id), ("kpi_id", "=", kpi.id)],
                order="period_start desc", limit=KPI_HISTORY)
            history = list(reversed(values.mapped("value")))
            rows.append(self._kpi_row(kpi, history))
        return Markup(
            "<table class='table table-sm o_ops_kpi_board'><thead><tr><th>KPI</th><th>Last</th><th>Target</th>"
            "<th>Trend</th></tr></thead><tbody>%s</tbody></table>") % Markup("").join(rows)

    @api.model
    def _kpi_row(self, kpi, history):
        unit = f" {kpi.unit}" if kpi.unit and kpi.unit != "%" else (kpi.unit or "")
        if not history:
            return Markup("<tr><td>%s</td><td colspan='3'>No value yet</td></tr>") % kpi.name
        last = history[-1]
        hit = vocabulary.on_target(last, kpi.target, kpi.higher_is_better)
        trend = vocabulary.kpi_trend_words(history, kpi.higher_is_better, kpi.target)
        return Markup("<tr><td>%s</td><td class='%s'>%s</td><td>%s %s</td><td>%s</td></tr>") % (
            kpi.name, "text-success" if hit else "text-danger", f"{last:g}{unit}",
            "at least" if kpi.higher_is_better else "at most", f"{kpi.target:g}{unit}", trend)

    def action_my_page(self):
        """Open the caller's own page (every user has at most one profile)."""
        profile = self.search([("user_id", "=", self.env.uid)], limit=1)
        if not profile:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "type": "warning", "message": self.env._("You have no Ops profile yet: ask your manager.")}}
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": profile.id, "name": profile.name,
            "views": [(self.env.ref("ops_coach.view_ops_tech_profile_my_page").id, "form")], "target": "current",
        }
