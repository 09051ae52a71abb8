from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OpsCoachCase


@tagged("post_install", "-at_install")
class TestRecordRules(OpsCoachCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = (cls.emp_manager | cls.emp_lead | cls.emp_tech | cls.emp_other_tech)
        cls.checkins = cls.env["ops.checkin"]
        cls.alerts = cls.env["ops.escalation"]
        for employee in cls.people:
            cls.checkins |= cls._checkin(employee, energy_level=3)
            cls.alerts |= cls._escalation(employee)

    def _visible_employees(self, user, model):
        records = self.env[model].with_user(user).search([("employee_id", "in", self.people.ids)])
        return records.employee_id

    def test_field_user_sees_only_their_own_records(self):
        for model in ("ops.tech_profile", "ops.checkin", "ops.escalation", "ops.caller_number"):
            self.assertEqual(self._visible_employees(self.user_tech, model), self.emp_tech, model)
        other = self.checkins.filtered(lambda c: c.employee_id == self.emp_other_tech)
        with self.assertRaises(AccessError):
            other.with_user(self.user_tech).read(["energy_level"])

    def test_manager_sees_the_whole_chain_below_them_and_nobody_else(self):
        team = self.emp_manager | self.emp_lead | self.emp_tech
        for model in ("ops.tech_profile", "ops.checkin", "ops.escalation"):
            self.assertEqual(self._visible_employees(self.user_manager, model), team, model)
            self.assertEqual(self._visible_employees(self.user_other_manager, model),
                             self.emp_other_tech, model)

    def test_director_and_owner_see_everyone(self):
        for user in (self.user_director, self.user_owner):
            self.assertEqual(self._visible_employees(user, "ops.checkin"), self.people)

    def test_my_team_filter_matches_the_rule(self):
        mine = self.env["ops.checkin"].with_user(self.user_director).search(
            [("in_my_team", "=", True), ("employee_id", "in", self.people.ids)])
        self.assertEqual(mine.employee_id, self.people)
        mine = self.env["ops.checkin"].with_user(self.user_manager).search([("in_my_team", "=", True)])
        self.assertEqual(mine.employee_id, self.emp_manager | self.emp_lead | self.emp_tech)

    def test_field_user_cannot_change_a_checkin_or_an_alert(self):
        own = self.checkins.filtered(lambda c: c.employee_id == self.emp_tech)
        with self.assertRaises(AccessError):
            own.with_user(self.user_tech).write({"energy_level": 5})
        alert = self.alerts.filtered(lambda a: a.employee_id == self.emp_tech)
        with self.assertRaises(AccessError):
            alert.with_user(self.user_tech).action_acknowledge()

    def test_a_field_user_is_offered_no_button_he_cannot_use(self):
        for view_type in ("form", "kanban"):
            as_tech = self.env["ops.escalation"].with_user(self.user_tech).get_views([(False, view_type)])
            as_manager = self.env["ops.escalation"].with_user(self.user_manager).get_views([(False, view_type)])
            arch = as_tech["views"][view_type]["arch"]
            for action in ("action_acknowledge", "action_dismiss"):
                self.assertNotIn(action, arch, view_type)
                self.assertIn(action, as_manager["views"][view_type]["arch"], view_type)

    def test_a_manager_creating_a_profile_is_offered_his_team_only(self):
        Profile = self.env["ops.tech_profile"]
        domain = Profile.with_user(self.user_manager).fields_get(["employee_id"])["employee_id"]["domain"]
        offered = self.env["hr.employee"].with_user(self.user_manager).search(domain)
        self.assertIn(self.emp_tech, offered)
        self.assertNotIn(self.emp_other_tech, offered)
        director_domain = Profile.with_user(self.user_director).fields_get(["employee_id"])["employee_id"]["domain"]
        self.assertIn(self.emp_other_tech, self.env["hr.employee"].search(director_domain))

    def test_manager_handles_team_alerts_only(self):
        team_alert = self.alerts.filtered(lambda a: a.employee_id == self.emp_tech)
        team_alert.with_user(self.user_manager).action_acknowledge()
        self.assertEqual(team_alert.state, "acknowledged")
        foreign = self.alerts.filtered(lambda a: a.employee_id == self.emp_other_tech)
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_manager).action_acknowledge()


@tagged("post_install", "-at_install")
class TestConfigurationRights(OpsCoachCase):
    def test_only_the_owner_configures(self):
        config = (self.role_tech, self.kpi_ftf, self.rule_low_energy,
                  self.env.ref("ops_coach.strength_achiever"))
        for record in config:
            for user in (self.user_tech, self.user_manager, self.user_director):
                self.assertTrue(record.with_user(user).read(["name"]))
                with self.assertRaises(AccessError, msg=f"{user.login} on {record._name}"):
                    record.with_user(user).write({"name": "Changed"})
            record.with_user(self.user_owner).write({"name": "Changed"})
            self.assertEqual(record.name, "Changed")

    def test_manager_edits_team_profile_but_cannot_delete_it(self):
        self.profile_tech.with_user(self.user_manager).write({"goal_90d": "Lead a crew"})
        self.assertEqual(self.profile_tech.goal_90d, "Lead a crew")
        with self.assertRaises(AccessError):
            self.profile_tech.with_user(self.user_manager).unlink()
