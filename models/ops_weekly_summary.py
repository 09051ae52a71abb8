import datetime

from odoo import api, fields, models

from ..coach import rules as rule_logic
from ..coach import vocabulary
from ..coach.periods import last_full_workweek
from .ops_tools import schedule_todos

COMPLETION_FLAG_PCT = 60
INSERT_COLUMNS = {
    "employee_id": "int4", "user_id": "int4", "company_id": "int4", "manager_id": "int4",
    "department_id": "int4", "week_start": "date", "week_label": "varchar", "calls_made": "int4",
    "calls_expected": "int4", "completion_pct": "float8", "avg_energy": "float8",
    "prev_avg_energy": "float8", "energy_trend": "varchar", "kpi_trends": "varchar", "kpis_down": "int4",
    "goal_progress": "int4", "goal_days_left": "int4", "commitments": "int4", "followups_asked": "int4",
    "follow_through_pct": "float8", "trainings_approved": "int4", "courses_completed": "int4",
    "burnout_flag": "bool",
    "manager_flagged": "bool", "summary": "text", "create_uid": "int4", "write_uid": "int4",
    "create_date": "timestamp", "write_date": "timestamp",
}


class OpsWeeklySummary(models.Model):
    """One person's week: calls, energy, KPIs, goal, commitments, burnout."""

    _name = "ops.weekly_summary"
    _description = "Ops weekly summary"
    _inherit = ["mail.thread", "mail.activity.mixin", "ops.team.mixin"]
    _order = "week_start desc, burnout_flag desc, employee_id"
    _rec_name = "week_label"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(related="employee_id.user_id", store=True, precompute=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True, precompute=True)
    manager_id = fields.Many2one(related="employee_id.parent_id", store=True, string="Manager", precompute=True)
    department_id = fields.Many2one(related="employee_id.department_id", store=True, precompute=True)
    week_start = fields.Date(required=True, index=True)
    week_label = fields.Char("Week", compute="_compute_week_label", store=True, precompute=True)
    calls_made = fields.Integer(
        "Mornings called", help="Workdays with a morning call: counted as the dashboard counts required calls made.")
    calls_expected = fields.Integer("Mornings expected", help="His workdays, when his role makes a morning call.")
    completion_pct = fields.Float("Calls made (%)", aggregator="avg")
    avg_energy = fields.Float("Average energy", aggregator="avg")
    prev_avg_energy = fields.Float("Previous week's energy")
    energy_trend = fields.Selection(vocabulary.TRENDS)
    kpi_trends = fields.Char("KPI trends")
    kpis_down = fields.Integer("KPIs declining", help="Primary KPIs worse two periods in a row.")
    goal_progress = fields.Integer("90-day goal (%)", aggregator="avg")
    goal_days_left = fields.Integer()
    commitments = fields.Integer("Commitments logged")
    followups_asked = fields.Integer("Commitments asked back")
    follow_through_pct = fields.Float(
        "Follow-through (%)", aggregator="avg",
        help="Of the commitments asked back this week, the share kept (partly counts half).")
    trainings_approved = fields.Integer(
        "Trainings approved", help="Training suggestions his manager approved this week, from KPI-decline alerts.")
    courses_completed = fields.Integer(
        "Courses completed", help="eLearning courses of approved trainings the person finished this week.")
    burnout_flag = fields.Boolean("Burnout watch")
    manager_flagged = fields.Boolean(help="A threshold was crossed: the manager got a to-do.")
    summary = fields.Text()

    _sql_constraints = [("employee_week_uniq", "unique(employee_id, week_start)",
                         "One summary per person and week.")]

    @api.depends("week_start")
    def _compute_week_label(self):
        for summary in self:
            year, week, _day = summary.week_start.isocalendar()
            summary.week_label = f"{year}-W{week:02d}"

    @api.model
    def _cron_weekly(self, week_start=None):
        """Write the summaries of the work week just ended (again, if re-run) and the company report."""
        week_start = week_start or last_full_workweek(fields.Date.context_today(self))
        # thousands of records: no "created" note, no follower, no tracking per summary
        summary_model = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True,
                                          tracking_disable=True)
        # every profile on purpose: the loop covers the whole line
        profiles = self.env["ops.tech_profile"].search([])  # pylint: disable=no-search-all
        summary_model.search([("week_start", "=", week_start)]).unlink()
        summaries = summary_model._insert_summaries(self._summary_values(profiles, week_start))
        summaries.filtered("manager_flagged")._flag_managers()
        self.env["ops.weekly_report"]._write_report(week_start, summaries)
        return summaries

    @api.model
    def _insert_summaries(self, vals_list):
        """Write a whole week in one INSERT: these are thousands of plain report
        rows (no chatter, no tracking), and the ORM would insert them 100 at a
        time. Stored related and computed columns are filled here too."""
        if not vals_list:
            return self.browse()
        self.env["hr.employee"].flush_model(["user_id", "company_id", "parent_id", "department_id"])
        self.env.cr.execute(
            "SELECT id, user_id, company_id, parent_id, department_id FROM hr_employee WHERE id IN %s",
            (tuple(v["employee_id"] for v in vals_list),))
        related = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        now, uid = fields.Datetime.now(), self.env.uid
        rows = []
        for vals in vals_list:
            user, company, manager, department = related[vals["employee_id"]]
            year, week, _day = vals["week_start"].isocalendar()
            rows.append(dict(vals, user_id=user, company_id=company, manager_id=manager,
                             department_id=department, week_label=f"{year}-W{week:02d}",
                             create_uid=uid, write_uid=uid, create_date=now, write_date=now))
        columns = list(INSERT_COLUMNS)
        self.env.cr.execute(
            f"INSERT INTO ops_weekly_summary ({', '.join(columns)}) "
            f"SELECT * FROM unnest({', '.join(f'%s::{INSERT_COLUMNS[c]}[]' for c in columns)}) RETURNING id",
            [[row[c] for row in rows] for c in columns])
        self.invalidate_model()
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _summary_values(self, profiles, week_start):
        week_end = week_start + datetime.timedelta(days=6)
        employees = profiles.employee_id
        stats = self._week_stats(employees, week_start)
        trends = self._kpi_trends(employees, week_end)
        workdays = self.env["ops.workdays"]._workdays(employees, week_start, week_end)
        expects_am = set(profiles.filtered(lambda p: p.role_ids.filtered("uses_am_checkin")).employee_id.ids)
        required_am = set(profiles.filtered(lambda p: p.role_ids.filtered("am_required")).employee_id.ids)
        Rule = self.env["ops.escalation_rule"]
        thresholds = {company: Rule._line_thresholds(company) for company in employees.company_id}
        trainings = dict(self.env["ops.escalation"]._read_group(
            [("employee_id", "in", employees.ids), ("training_approved_date", ">=", week_start),
             ("training_approved_date", "<", week_end + datetime.timedelta(days=1))], ["employee_id"], ["__count"]))
        courses = self.env["ops.escalation"]._courses_completed(employees, week_start, week_end)
        vals_list = []
        for profile in profiles:
            employee = profile.employee_id
            row = stats.get(employee.id, {})
            readings = row.get("readings", {})
            limits = thresholds[employee.company_id]
            streak = rule_logic.low_energy_streak(readings, workdays.get(employee.id, set()), limits["low_energy"],
                                                  week_end)
            energy = row.get("avg_energy")
            kpi_rows = [(kpi, trends[(employee.id, kpi.id)]) for kpi in profile.primary_kpi_ids
                        if (employee.id, kpi.id) in trends]
            kpi_lines = [(kpi.name, vocabulary.kpi_trend_words(values, kpi.higher_is_better, kpi.target))
                         for kpi, values in kpi_rows]
            # "down" on one period is noise; the KPI-decline rule says how many in a row count
            kpis_down = sum(1 for kpi, values in kpi_rows if rule_logic.consecutive_declines(
                values, kpi.higher_is_better) >= limits["kpi_decline_periods"])
            expected = len(workdays.get(employee.id, ())) if employee.id in expects_am else 0
            # the dashboard's "required calls made": workdays with a morning call, not calls
            made = len(row.get("called_days", set()) & workdays.get(employee.id, set()))
            burnout = rule_logic.burnout_flag(list(readings.values()), len(streak), limits["low_energy"],
                                              limits["low_energy_days"])
            completion = vocabulary.percentage(min(made, expected), expected) if expected else 100.0
            done, partly, asked = row.get("followups", (0, 0, 0))
            kept = vocabulary.follow_through(done, partly, asked)
            vals_list.append({
                "employee_id": employee.id, "week_start": week_start, "calls_made": made,
                "calls_expected": expected, "completion_pct": completion,
                "avg_energy": energy or 0.0, "prev_avg_energy": row.get("prev_energy") or 0.0,
                "energy_trend": vocabulary.trend(energy, row.get("prev_energy")),
                "kpi_trends": "; ".join(f"{name}: {direction}" for name, direction in kpi_lines),
                "kpis_down": kpis_down, "goal_progress": profile.goal_progress,
                "goal_days_left": (profile.goal_end - week_end).days if profile.goal_end else 0,
                "commitments": row.get("commitments", 0), "burnout_flag": burnout,
                "followups_asked": asked, "follow_through_pct": kept or 0.0,
                "trainings_approved": trainings.get(employee, 0), "courses_completed": courses.get(employee, 0),
                "manager_flagged": bool(burnout or kpis_down or (
                    employee.id in required_am and expected and completion < COMPLETION_FLAG_PCT)),
                "summary": rule_logic.weekly_text(
                    employee.name, made, expected, energy, vocabulary.trend(energy, row.get("prev_energy")),
                    kpi_lines, profile.goal_progress, row.get("commitments", 0), burnout, kept,
                    paused=bool(rule_logic.paused_days(profile.paused_from, profile.paused_until, week_start,
                                                       week_end))),
            })
        return vals_list

    @api.model
    def _week_stats(self, employees, week_start):
        """Calls, energies and commitments per employee: one query for everyone."""
        self.env["ops.checkin"].flush_model()
        self.env.cr.execute("""
            SELECT employee_id,
                   array_agg(DISTINCT checkin_date) FILTER (WHERE checkin_date >= %(start)s AND call_type IN %(am)s),
                   avg(energy_level) FILTER (WHERE checkin_date >= %(start)s AND energy_level > 0),
                   avg(energy_level) FILTER (WHERE checkin_date < %(start)s AND energy_level > 0),
                   count(*) FILTER (WHERE checkin_date >= %(start)s AND commitment IS NOT NULL
                                      AND commitment != ''),
                   count(*) FILTER (WHERE checkin_date >= %(start)s AND commitment_followup = 'done'),
                   count(*) FILTER (WHERE checkin_date >= %(start)s AND commitment_followup = 'partly'),
                   count(*) FILTER (WHERE checkin_date >= %(start)s AND commitment_followup IS NOT NULL),
                   array_agg(checkin_date ORDER BY checkin_date)
                       FILTER (WHERE checkin_date >= %(start)s AND energy_level > 0),
                   array_agg(energy_level ORDER BY checkin_date)
                       FILTER (WHERE checkin_date >= %(start)s AND energy_level > 0)
              FROM ops_checkin
             WHERE employee_id IN %(employees)s AND active
               AND checkin_date >= %(prev)s AND checkin_date <= %(end)s
          GROUP BY employee_id
        """, {"start": week_start, "prev": week_start - datetime.timedelta(days=7),
              "end": week_start + datetime.timedelta(days=6), "am": vocabulary.MORNING_CALL_TYPES,
              "employees": tuple(employees.ids) or (0,)})
        stats = {}
        for employee_id, called, energy, prev, commitments, done, partly, asked, days, energies in \
                self.env.cr.fetchall():
            readings = {}
            for day, level in zip(days or [], energies or []):
                readings[day] = min(level, readings.get(day, level))
            stats[employee_id] = {"called_days": set(called or []), "avg_energy": energy and float(energy),
                                  "prev_energy": prev and float(prev), "commitments": commitments,
                                  "followups": (done, partly, asked), "readings": readings}
        return stats

    @api.model
    def _kpi_trends(self, employees, until):
        """The last three values of every (employee, KPI) up to ``until``:
        enough for the trend and for a two-period decline."""
        self.env["ops.kpi.value"].flush_model()
        self.env.cr.execute("""
            SELECT employee_id, kpi_id, array_agg(value ORDER BY period_start)
              FROM (SELECT employee_id, kpi_id, value, period_start,
                           row_number() OVER (PARTITION BY employee_id, kpi_id ORDER BY period_start DESC) AS recent
                      FROM ops_kpi_value
                     WHERE employee_id IN %s AND period_start <= %s) AS latest
             WHERE recent <= 3
          GROUP BY employee_id, kpi_id
        """, (tuple(employees.ids) or (0,), until))
        return {(employee_id, kpi_id): values for employee_id, kpi_id, values in self.env.cr.fetchall()}

    def _flag_managers(self):
        """A to-do for the manager of each flagged person; nobody else hears of it."""
        schedule_todos(self.env, self._name, [{
            "res_id": summary.id, "user_id": summary.manager_id.user_id.id,
            "summary": f"Weekly flag: {summary.employee_id.name}", "note": summary.summary,
        } for summary in self if summary.manager_id.user_id])
