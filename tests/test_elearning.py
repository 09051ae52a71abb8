from odoo import Command
from odoo.tests import tagged

from ..coach.periods import period_start
from .common import OpsCoachCase


# Runs only where eLearning is installed: scripts/test.sh installs it beside the addon for this class.
@tagged("-standard", "ops_coach_elearning", "post_install", "-at_install")
class TestTrainingCourse(OpsCoachCase):
    """A KPI's training may name an eLearning course: approving the training
    enrols the person, and the course he finishes shows in his weekly summary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.course = cls.env["slide.channel"].create({"name": "Capacitor diagnosis"})
        cls.kpi_ftf.training_ids = [Command.clear(), Command.create({
            "sequence": 1, "name": "Finish the capacitor course", "course_ref": f"slide.channel,{cls.course.id}"})]
        cls.alert = cls._kpi_decline_alert(cls.emp_tech, cls.kpi_ftf)

    def _membership(self):
        return self.env["slide.channel.partner"].search([("channel_id", "=", self.course.id),
                                                         ("partner_id", "=", self.user_tech.partner_id.id)])

    def test_the_kpi_form_offers_the_course(self):
        self.assertTrue(self.kpi_ftf.elearning_installed)
        self.assertEqual(self.alert.training_course_ref, self.course, "the alert carries the first suggestion's course")

    def test_approving_enrols_him_and_the_finished_course_is_counted(self):
        self.assertFalse(self._membership(), "suggested is not enrolled")
        self.alert.with_user(self.user_manager).action_approve_training()
        membership = self._membership()
        self.assertEqual(membership.member_status, "joined")
        self.assertIn("is enrolled in the course Capacitor diagnosis", self.alert.message_ids[:1].body)

        # the week of the enrolment's last change (the transaction's time, whatever the clock says)
        monday = period_start(membership.write_date.date(), "weekly")
        Summary = self.env["ops.weekly_summary"]
        self.assertEqual(Summary._summary_values(self.profile_tech, monday)[0]["courses_completed"], 0)
        membership.write({"member_status": "completed", "completion": 100})
        self.assertEqual(Summary._summary_values(self.profile_tech, monday)[0]["courses_completed"], 1)
        other = self.env["slide.channel"].create({"name": "Not a training"})
        other._action_add_members(self.user_tech.partner_id)
        other.channel_partner_ids.write({"member_status": "completed"})
        self.assertEqual(Summary._summary_values(self.profile_tech, monday)[0]["courses_completed"], 1,
                         "only the approved trainings' courses")
