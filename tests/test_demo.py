import datetime

from odoo.tests import tagged

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

    def test_two_months_of_calls_up_to_the_last_full_work_week(self):
        Checkin = self.env["ops.checkin"]
        days = {day for (day,) in Checkin._read_group([], ["checkin_date:day"])}
        self.assertGreaterEqual(len(days), 40)
        dates = Checkin.search([]).mapped("checkin_date")
        friday = max(dates)
        self.assertEqual(friday.weekday(), 4, "the demo ends on its anchor week's Friday, whatever the weekday")
        self.assertGreaterEqual((friday - min(dates)).days, 56)

    def test_the_same_story_any_weekday(self):
        """Everything the rules raised is dated inside the anchor week, at the evening of its day."""
        friday = max(self.env["ops.checkin"].search([]).mapped("checkin_date"))
        alerts = self.env["ops.escalation"].search([])
        self.assertEqual(len(alerts.filtered(lambda a: a.state in ("new", "acknowledged"))), 7)
        ben = alerts.filtered(lambda a: a.kind == "attendance")
        self.assertEqual((ben.state, ben.resolution_note), ("resolved", "The day is over: not ready was for that day "
                                                                        "only."), "Tuesday's not-ready closed itself")
        friday_evening = datetime.datetime.combine(friday + datetime.timedelta(days=1), datetime.time(0, 0))
        self.assertLessEqual(max(alerts.mapped("raised_date")), friday_evening, "18:00 in Chicago")
        self.assertEqual(sum(self.env["ops.system_kpi"].search([]).mapped("escalations")), len(alerts),
                         "each alert counted on its company day")
        report = self.env["ops.weekly_report"].search([], limit=1)
        self.assertEqual(report.week_start, friday - datetime.timedelta(days=4))
        self.assertEqual(report.open_alerts, 7)
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
