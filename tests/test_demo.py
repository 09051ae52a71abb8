import datetime

from odoo.tests import tagged

from ..coach import briefing
from ..coach.kpi_compute import utc_naive
from ..coach.vocabulary import META_KPI, META_KPIS
from ..models.ops_tools import local_now
from .common import OpsCoachCase


@tagged("post_install", "-at_install")
class TestDemoCompany(OpsCoachCase):
    """The stories a newcomer should find in the demo data."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("ops_coach.demo_employee_luis", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def test_the_demo_company_is_staffed(self):
        profiles = self.env["ops.tech_profile"].search([("role_ids", "!=", False)])
        codes = profiles.role_ids.mapped("code")
        for code in ("owner", "ops_director", "service_manager", "install_manager", "technician",
                     "installer", "dispatch", "accounting", "warehouse"):
            self.assertIn(code, codes)
        owner = self.env.ref("ops_coach.demo_profile_owner")
        self.assertEqual(set(owner.role_ids.mapped("code")), {"owner", "ops_director"})
        demo_ids = self.env["ir.model.data"].search(
            [("module", "=", "ops_coach"), ("model", "=", "ops.tech_profile")]).mapped("res_id")
        demo = profiles.browse(demo_ids)
        self.assertEqual(len(demo), 14)
        self.assertEqual(len(demo.filtered(lambda p: "field" in p.role_ids.mapped("level"))), 8)

    def _story_friday(self):
        """The Friday the story's rules ran on: the last full work week's."""
        return max(d for d in self.env["ops.checkin"].search([]).mapped("checkin_date") if d.weekday() == 4)

    def test_two_months_of_calls_up_to_the_last_full_work_week(self):
        Checkin = self.env["ops.checkin"]
        days = {day for (day,) in Checkin._read_group([], ["checkin_date:day"])}
        self.assertGreaterEqual(len(days), 40)
        friday = self._story_friday()
        self.assertGreaterEqual((friday - min(days)).days, 56)

    def test_the_story_runs_on_to_this_morning(self):
        """After the story's Friday come this week's workdays up to the
        install's morning, loaded quietly: full days, then a last day of
        morning calls only, on which Dan has not called."""
        Checkin = self.env["ops.checkin"]
        friday = self._story_friday()
        since = sorted({d for d in Checkin.search([]).mapped("checkin_date") if d > friday})
        if not since:  # installed on a weekend, or before Monday's calls: the Friday was the last workday
            self.assertTrue(Checkin.search([("checkin_date", "=", friday), ("call_type", "=", "eod_closeout")]))
            return
        self.assertEqual(since, [friday + datetime.timedelta(days=n) for n in range(3, 3 + len(since))],
                         "Monday on, one workday after another")
        last = Checkin.search([("checkin_date", "=", since[-1])])
        if not last.filtered(lambda c: c.call_type in ("job_closeout", "eod_closeout")):
            # this morning (installed before its calls, the last day is yesterday: a whole one)
            self.assertNotIn(self.env.ref("ops_coach.demo_employee_dan"), last.employee_id)
        self.assertFalse(Checkin.search([("checkin_date", ">", friday), ("effects_done", "=", False)]),
                         "loaded quietly: the story's alerts are its own")
        for day in since[:-1]:
            closeouts = Checkin.search([("checkin_date", "=", day), ("call_type", "=", "job_closeout")])
            self.assertTrue(closeouts, day)
            self.assertEqual(closeouts.job_id.user_ids, closeouts.employee_id.user_id,
                             "each job belongs to the person who closed it")
            self.assertEqual(set(closeouts.job_id.mapped("state")), {"1_done"})

    def test_each_manager_has_a_morning_briefing(self):
        last_workday = max(self.env["ops.briefing"].search([]).mapped("date"))
        self.assertGreaterEqual(last_workday, self._story_friday())
        self.assertLess(last_workday.weekday(), 5)
        briefings = self.env["ops.briefing"].search([("date", "=", last_workday)])
        for login in ("ops_manager", "admin"):  # Ivy, when something waits on her
            self.assertIn(login, briefings.user_id.mapped("login"))
        sam = briefings.filtered(lambda b: b.user_id.login == "ops_manager")
        written = utc_naive(last_workday, "America/Chicago", 0) + datetime.timedelta(
            hours=self.env.company.ops_briefing_hour)
        alerts = self.env["ops.escalation"].search([("manager_id.user_id", "=", sam.user_id.id),
                                                    ("state", "in", ("new", "acknowledged"))])
        self.assertTrue(alerts.filtered(lambda a: a.raised_date <= written))
        for alert in alerts:  # what was known at the briefing hour, and nothing raised later
            line = f"{alert.employee_id.name}: {alert.rule_id.name} ("
            if alert.raised_date <= written:
                self.assertIn(line, sam.body)
            else:
                self.assertNotIn(line, sam.body)

    def test_demo_jobs_belong_to_their_technicians(self):
        closeouts = self.env["ops.checkin"].search([("call_type", "=", "job_closeout")])
        self.assertTrue(closeouts)
        for closeout in closeouts:
            self.assertEqual(closeout.job_id.user_ids, closeout.employee_id.user_id, closeout.job_id.name)
            self.assertTrue(closeout.job_id.ops_done_date and closeout.job_id.ops_done_date <= closeout.start,
                            "done when it was done, before its close-out call")

    def test_the_same_story_any_weekday(self):
        """Everything the rules raised is dated inside the anchor week, at the evening of its day."""
        friday = self._story_friday()
        alerts = self.env["ops.escalation"].search([])
        self.assertEqual(len(alerts.filtered(lambda a: a.state in ("new", "acknowledged"))), 6)
        ben = alerts.filtered(lambda a: a.kind == "attendance")
        self.assertEqual((ben.state, ben.resolution_note), ("resolved", "The day is over: not ready was for that day "
                                                                        "only."), "Tuesday's not-ready closed itself")
        friday_evening = datetime.datetime.combine(friday + datetime.timedelta(days=1), datetime.time(0, 0))
        self.assertLessEqual(max(alerts.mapped("raised_date")), friday_evening, "18:00 in Chicago")
        self.assertEqual(sum(self.env["ops.system_kpi"].search([]).mapped("escalations")), len(alerts),
                         "each alert counted on its company day")
        report = self.env["ops.weekly_report"].search([], limit=1)
        self.assertEqual(report.week_start, friday - datetime.timedelta(days=4))
        self.assertEqual(report.open_alerts, 6)
        self.assertEqual(report.burnout_count, 1, "Luis")

    def test_luis_has_sat_at_energy_two_for_three_workdays(self):
        luis = self.env.ref("ops_coach.demo_employee_luis")
        last = self.env["ops.checkin"].search(
            [("employee_id", "=", luis.id), ("call_type", "=", "am_checkin")], limit=3)
        self.assertEqual(last.mapped("energy_level"), [2, 2, 2])

    def test_maya_first_time_fix_is_computed_falling_from_her_return_visits(self):
        maya = self.env.ref("ops_coach.demo_employee_maya")
        values = self.env["ops.kpi.value"].search(
            [("employee_id", "=", maya.id), ("kpi_id.code", "=", "tech_first_time_fix")],
            order="period_start desc")
        self.assertEqual(set(values.mapped("origin")), {"computed"})
        # 8 first visits a week; 0, 1, 2 then 3 of them needed a second trip
        self.assertEqual(values.mapped("value")[:5], [62.5, 75.0, 87.5, 100.0, 100.0])
        self.assertEqual(len(values), 13, "13 weeks of jobs, all computed")
        returns = self.env["project.task"].search([("ops_origin_task_id.user_ids", "=", maya.user_id.id),
                                                   ("ops_return_reason", "=", "second_trip")])
        self.assertEqual(len(returns), 6)
        callbacks = self.env["ops.kpi.value"].search([("employee_id", "=", maya.id),
                                                      ("kpi_id.code", "=", "tech_callback")])
        self.assertTrue(callbacks and not any(callbacks.mapped("value")), "a second trip is no callback")
        alert = self.env["ops.escalation"].search([("employee_id", "=", maya.id), ("kind", "=", "kpi_decline")])
        # raised on the anchor Friday, when the anchor week (62.5) was not over yet
        self.assertIn("100 → 87.5 → 75", alert.reason)

    def test_every_demo_field_person_and_manager_can_log_in(self):
        for key in ("sam", "ivy", "tom", "luis", "maya", "dan", "rosa", "jake", "nora", "ben"):
            employee = self.env.ref(f"ops_coach.demo_employee_{key}")
            self.assertTrue(employee.user_id.login, key)

    def test_open_escalations(self):
        self.assertGreaterEqual(self.env["ops.escalation"].search_count(
            [("state", "in", ("new", "acknowledged"))]), 3)

    def test_my_page_reads_true_on_the_demo(self):
        """The demo runs on to this morning: Tom's streak spans his workdays, and
        "this week" counts this week's calls only."""
        tom = self.env.ref("ops_coach.demo_employee_tom")
        page = self.env["ops.tech_profile"].with_user(tom.user_id).search([("employee_id", "=", tom.id)])
        today = local_now(tom).date()
        monday = today - datetime.timedelta(days=today.weekday())
        self.assertEqual(page.calls_this_week, self.env["ops.checkin"].search_count(
            [("employee_id", "=", tom.id), ("checkin_date", ">=", monday), ("checkin_date", "<=", today)]))
        self.assertGreaterEqual(page.call_streak, 5, "a full week of calls, at least")

    def test_every_headline_figure_reads_the_same_in_the_digest_and_the_briefing(self):
        """Over the briefing's window (the last 7 days), each meta-KPI in the
        owner's digest is the dashboard's ratio of the same daily rows, and the
        briefing says the same numbers."""
        friday = self._story_friday()
        day = friday + datetime.timedelta(days=1)  # the 7 days up to the story's Friday, included
        window = [("company_id", "=", self.env.company.id), ("date", ">=", day - datetime.timedelta(days=7)),
                  ("date", "<", day)]
        totals = self.env["ops.system_kpi"]._totals(window)
        digest = self.env["digest.digest"].with_user(self.env.ref("base.user_admin")).with_context(
            start_datetime=datetime.datetime.combine(day - datetime.timedelta(days=7), datetime.time()),
            end_datetime=datetime.datetime.combine(day, datetime.time())).new({})
        for meta in META_KPIS:
            self.assertEqual(digest[f"kpi_ops_{meta.code}_value"], meta.value(totals) or 0.0, meta.code)
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", self.env.company.id)])
        briefed = self.env["ops.briefing"]._company_totals(self.env.company, profiles, day)
        lines = briefing.company_lines(briefed)
        self.assertIn(f"Required calls made over the last 7 days: {META_KPI['call_completion'].value(totals):g} %",
                      lines)
        self.assertIn(f"KPI values on target over the last 7 days: {META_KPI['kpi_adherence'].value(totals):g} %",
                      lines)
        self.assertIn(f"Manager time reclaimed over the last 7 days: "
                      f"{META_KPI['hours_reclaimed'].value(totals):.1f} h", lines)
