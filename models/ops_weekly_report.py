import collections
import datetime

from markupsafe import Markup

from odoo import api, fields, models

from ..coach import rules as rule_logic
from ..coach import vocabulary
from .ops_tools import schedule_todos

DRIFT_WEEKS = 4
DRIFT_POINTS = 10.0  # adherence points below the previous weeks' average that count as drift


class OpsWeeklyReport(models.Model):
    """The ops director's week: department drift, manager load, process failures."""

    _name = "ops.weekly_report"
    _description = "Ops weekly company report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "week_start desc"
    _rec_name = "week_start"

    week_start = fields.Date(required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    adherence_pct = fields.Float("KPI adherence (%)")
    prev_adherence_pct = fields.Float("Previous weeks (%)")
    drifting_departments = fields.Integer()
    load_imbalance = fields.Boolean("Manager load imbalance")
    busiest_manager_id = fields.Many2one("hr.employee")
    lightest_manager_id = fields.Many2one("hr.employee")
    burnout_count = fields.Integer("People on burnout watch")
    open_alerts = fields.Integer("Open alerts", help="Alerts new or acknowledged when the report was written.")
    report = fields.Html(sanitize=True, readonly=True)

    _sql_constraints = [("company_week_uniq", "unique(company_id, week_start)", "One report per company and week.")]

    @api.model
    def _write_report(self, week_start, summaries):
        reports = self.browse()
        for company in summaries.company_id:
            self.search([("company_id", "=", company.id), ("week_start", "=", week_start)]).unlink()
            reports |= self.create(self._report_values(company, week_start,
                                                       summaries.filtered(lambda s, c=company: s.company_id == c)))
        reports.filtered(lambda r: r.load_imbalance or r.drifting_departments)._flag_director()
        return reports

    @api.model
    def _report_values(self, company, week_start, summaries):
        drift = self._department_adherence(company, week_start)
        loads, team_sizes = self._manager_load(company, week_start)
        flagged, busiest, lightest = rule_logic.load_imbalance(loads)
        failures = self._process_failures(company, week_start)
        open_alerts = self.env["ops.escalation"].search_count(
            [("company_id", "=", company.id), ("state", "in", ("new", "acknowledged"))])
        drifting = [name for name, row in drift.items() if row["now"] is not None and row["before"] is not None
                    and row["now"] <= row["before"] - DRIFT_POINTS]
        return {
            "company_id": company.id, "week_start": week_start,
            # the company's adherence is the one the dashboard and the briefing show: values on target ÷ values,
            # over every value of the week (a mean of departments' rates would weigh a team of two like one of ten)
            "adherence_pct": self._adherence(drift, "now"),
            "prev_adherence_pct": self._adherence(drift, "before"),
            "drifting_departments": len(drifting), "load_imbalance": flagged,
            "busiest_manager_id": busiest.id if flagged else False,
            "lightest_manager_id": lightest.id if flagged else False,
            "burnout_count": len(summaries.filtered("burnout_flag")), "open_alerts": open_alerts,
            "report": self._html(drift, drifting, loads, team_sizes, flagged, failures, summaries, open_alerts),
        }

    @api.model
    def _department_adherence(self, company, week_start):
        """KPI values at or better than target, by department, this week vs the previous weeks."""
        self.env["ops.kpi.value"].flush_model()
        self.env.cr.execute("""
            SELECT COALESCE(d.name->>%(lang)s, d.name->>'en_US', 'No department'),
                   v.period_start >= %(start)s AS this_week, sum(v.hits_target), count(*)
              FROM ops_kpi_value v
              JOIN hr_employee e ON e.id = v.employee_id
         LEFT JOIN hr_department d ON d.id = e.department_id
             WHERE e.company_id = %(company)s AND v.period_start >= %(from)s AND v.period_start <= %(end)s
          GROUP BY 1, 2
        """, {"start": week_start, "from": week_start - datetime.timedelta(weeks=DRIFT_WEEKS),
              "end": week_start + datetime.timedelta(days=6), "company": company.id,
              "lang": self.env.lang or "en_US"})
        drift = collections.defaultdict(lambda: {"now": None, "before": None, "counts": {}})
        for department, this_week, on_target, total in self.env.cr.fetchall():
            when = "now" if this_week else "before"
            drift[department][when] = vocabulary.percentage(on_target, total)
            drift[department]["counts"][when] = (on_target or 0, total)
        return dict(drift)

    @staticmethod
    def _adherence(drift, when):
        """KPI adherence over every department's values (the meta-KPI's own definition)."""
        counts = [row["counts"][when] for row in drift.values() if when in row["counts"]]
        value = vocabulary.META_KPI["kpi_adherence"].value(
            {"kpi_on_target": sum(hits for hits, _total in counts), "kpi_values": sum(total for _hits, total in counts)})
        return value or 0.0

    @api.model
    def _manager_load(self, company, week_start):
        """Alerts of the week per person who manages someone on the line (Odoo's
        other managers are not the line's), and the size of that team."""
        teams = dict(self.env["ops.tech_profile"]._read_group(
            [("company_id", "=", company.id), ("manager_id", "!=", False)], ["manager_id"], ["__count"]))
        week_end = week_start + datetime.timedelta(days=7)
        alerts = dict(self.env["ops.escalation"]._read_group(
            [("company_id", "=", company.id), ("raised_date", ">=", week_start), ("raised_date", "<", week_end),
             ("manager_id", "in", [m.id for m in teams])], ["manager_id"], ["__count"]))
        return {m: alerts.get(m, 0) for m in teams}, teams

    @api.model
    def _process_failures(self, company, week_start):
        """Failures counted by flow step, not by person."""
        checkins = self.env["ops.checkin"].search_read(
            [("company_id", "=", company.id), ("checkin_date", ">=", week_start),
             ("checkin_date", "<=", week_start + datetime.timedelta(days=6)),
             "|", "|", ("missed_steps", "!=", False), ("completion_status", "!=", "complete"),
             ("ready_status", "=", "not_ready")],
            ["missed_steps", "completion_status", "call_type", "not_ready_reason"])
        counts = collections.Counter()
        for row in checkins:
            for step in (row["missed_steps"] or "").split(", "):
                if step:
                    counts[f"Job close-out: {step}"] += 1
            if row["completion_status"] != "complete":
                counts[f"{row['call_type']} left {row['completion_status']}"] += 1
            if row["not_ready_reason"]:
                counts[f"Not ready: {row['not_ready_reason']}"] += 1
        return counts.most_common()

    @api.model
    def _html(self, drift, drifting, loads, team_sizes, flagged, failures, summaries, open_alerts):
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                name, "–" if row["now"] is None else f"{row['now']:.0f}%",
                "–" if row["before"] is None else f"{row['before']:.0f}%")
            for name, row in sorted(drift.items()))
        load_rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (m.name, loads[m], team_sizes.get(m, 0))
            for m in sorted(loads, key=lambda m: -loads[m]))
        failure_items = Markup("").join(Markup("<li>%s: %s</li>") % (step, n) for step, n in failures)
        return (Markup("<h3>Department drift</h3><table class='table table-sm'><tr><th>Department</th>"
                       "<th>KPI adherence this week</th><th>Previous weeks</th></tr>%s</table>%s"
                       "<h3>Manager load</h3><table class='table table-sm'><tr><th>Manager</th><th>Alerts</th>"
                       "<th>Team</th></tr>%s</table>%s<h3>Process failures</h3><ul>%s</ul>"
                       "<p>%s on burnout watch; %s alerts open.</p>") % (
            rows, Markup("<p><b>Drifting: %s</b></p>") % ", ".join(drifting) if drifting else "",
            load_rows, Markup("<p><b>Load imbalance: the busiest manager carries twice the lightest.</b></p>")
            if flagged else "", failure_items or Markup("<li>None</li>"),
            len(summaries.filtered("burnout_flag")), open_alerts))

    def _flag_director(self):
        Rule = self.env["ops.escalation_rule"]
        schedule_todos(self.env, self._name, [
            {"res_id": report.id, "user_id": user.id, "summary": "Weekly ops report: drift or load imbalance"}
            for report in self for user in Rule._role_users("ops_director", report.company_id)])
