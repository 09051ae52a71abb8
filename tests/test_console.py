"""The flow console: a manager plays a caller; the same engine asks; the test
check-in is archived, so it never alerts or counts."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OpsCoachCase


@tagged("post_install", "-at_install")
class TestConsole(OpsCoachCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile_tech.goal_90d = "Lead tech by spring"  # so the AM flow asks its goal step

    def run_console(self, flow_xmlid, answers, user=None, profile=None):
        flow = self.env.ref(flow_xmlid)
        Console = self.env["ops.test_call"].with_user(user or self.user_manager)
        test = Console.create({"flow_id": flow.id, "profile_id": (profile or self.profile_tech).id})
        test.action_start()
        for answer in answers:
            test.answer = answer
            test.action_send()
        return test

    def test_a_manager_runs_a_flow_to_an_archived_test_checkin(self):
        test = self.run_console("ops_coach.flow_tech_am", [
            "yes", "two", "yeah", "The van's AC is out", "Call three customers by noon", "Three calls before noon",
            "Read one chapter tonight", "Call three customers by noon"])
        self.assertEqual(test.stage, "done")
        self.assertIn("Locked in. Have a great day, Tech.", test.transcript)
        self.assertIn("energy_level", test.would_log)
        checkin = test.checkin_id
        self.assertRecordValues(checkin, [{
            "provider": "test", "active": False, "employee_id": self.emp_tech.id, "call_type": "am_checkin",
            "energy_level": 2, "blocker_note": "The van's AC is out", "commitment": "Call three customers by noon"}])
        self.assertFalse(self.env["ops.checkin"].search([("id", "=", checkin.id)]), "hidden from every report")
        opened = test.action_open_checkin()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("ops.checkin", checkin.id),
                         "the console opens its check-in, archived as it is")
        self.assertFalse(self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id)]),
                         "a test blocker alerts nobody")
        turns = self.env["ops.call_event"].search([("call_id", "=", test.call_id)])
        self.assertEqual(len(turns), 9)
        self.assertEqual(set(turns.mapped("provider")), {"test"})

    def test_a_caller_without_a_goal_is_not_asked_about_it(self):
        self.profile_tech.goal_90d = False
        test = self.run_console("ops_coach.flow_tech_am", [
            "yes", "four", "no", "Call three customers by noon", "Three calls before noon",
            "Call three customers by noon"])
        self.assertEqual(test.stage, "done")
        self.assertNotIn("90-day goal", test.transcript)
        self.assertIn("Locked in. Have a great day, Tech.", test.transcript)

    def test_skip_switches_to_ops_only_and_wrong_answers_are_asked_again(self):
        test = self.run_console("ops_coach.flow_tech_am", ["yes", "purple", "four", "skip", "no"])
        self.assertIn("Sorry, that answer must be a whole number from 1 to 5", test.transcript)
        self.assertIn("No problem, two quick ones.", test.transcript)
        self.assertRecordValues(test.checkin_id, [{"call_type": "ops_only", "energy_level": 0, "blocker_flag": False}])

    def test_a_close_out_rehearsal_looks_up_the_job_and_asks_its_sheet_without_touching_it(self):
        job = self.env.ref("ops_coach.demo_job_hvac_rivera")
        job.user_ids = self.user_tech
        state, readings = job.state, job.ops_reading_ids
        test = self.run_console("ops_coach.flow_tech_job_closeout", [
            "99999999", str(job.id), "72", "310", "dirty", "45", "yes",  # a wrong job, then the job and its sheet
            "yes", "no", "yes", "yes", "no", "no"])
        self.assertIn("Sorry, no job found for '99999999'", test.transcript)
        self.assertIn("Suction pressure", test.transcript, "the job's sheet is asked after the job")
        self.assertIn("photo link", test.transcript, "a close-out without photos would get the link")
        self.assertRecordValues(test.checkin_id, [{"provider": "test", "active": False, "call_type": "job_closeout",
                                                   "job_id": job.id, "diagnosis_done": True,
                                                   "effects_done": True, "in_progress": False}])
        self.assertEqual((job.state, job.ops_reading_ids), (state, readings), "a rehearsal changes no job")
        self.assertFalse(job.ops_upload_link_ids, "and sends no photo link")
        self.assertFalse(self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id)]))


@tagged("post_install", "-at_install")
class TestConsoleInBrowser(HttpCase):
    def test_the_console_logs_a_test_checkin_in_a_real_browser(self):
        admin = self.env.ref("base.user_admin")
        if not self.env["ops.tech_profile"].search([("user_id", "=", admin.id)]):  # demo data gives him one
            employee = self.env["hr.employee"].create({"name": "Admin Owner", "user_id": admin.id})
            self.env["ops.tech_profile"].create({"employee_id": employee.id, "role_ids": [
                Command.set(self.env.ref("ops_coach.role_owner").ids)]})
        self.start_tour("/odoo/action-ops_coach.action_ops_flow", "ops_coach_test_console", login="admin")
        checkin = self.env["ops.checkin"].with_context(active_test=False).search([("provider", "=", "test")])
        self.assertRecordValues(checkin, [{"call_type": "ops_only", "ready_status": "ready", "blocker_flag": False,
                                           "active": False}])
