import http.server
import threading

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def serve_on_loopback(test_class, handler):
    """An outside service faked by ``handler`` on a free loopback port, for
    the test class's lifetime: its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    test_class.addClassCleanup(server.shutdown)
    return f"http://127.0.0.1:{server.server_port}"


def use_twilio(env, api_base, account_sid, auth_token, sender):
    """The addon's Twilio client pointed at ``api_base`` with these credentials."""
    for key, value in (("twilio_account_sid", account_sid), ("twilio_auth_token", auth_token),
                       ("twilio_sms_from", sender), ("twilio_api_base", api_base)):
        env["ir.config_parameter"].set_param(f"ops_coach.{key}", value)


class OpsCoachCase(TransactionCase):
    """A small org with real users: owner > director > manager > lead > tech,
    and a second manager with a tech of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.us")
        group = "ops_coach.group_ops_"
        cls.user_owner = new_test_user(cls.env, "t_owner", groups=group + "owner")
        cls.user_director = new_test_user(cls.env, "t_director", groups=group + "director")
        cls.user_manager = new_test_user(cls.env, "t_manager", groups=group + "manager")
        cls.user_lead = new_test_user(cls.env, "t_lead", groups=group + "user")
        cls.user_tech = new_test_user(cls.env, "t_tech", groups=group + "user")
        cls.user_other_manager = new_test_user(cls.env, "t_manager2", groups=group + "manager")
        cls.user_other_tech = new_test_user(cls.env, "t_tech2", groups=group + "user")
        Employee = cls.env["hr.employee"]
        cls.emp_owner = Employee.create({"name": "Owner O", "user_id": cls.user_owner.id})
        cls.emp_director = Employee.create(
            {"name": "Director D", "user_id": cls.user_director.id, "parent_id": cls.emp_owner.id})
        cls.emp_manager = Employee.create(
            {"name": "Manager M", "user_id": cls.user_manager.id, "parent_id": cls.emp_director.id})
        cls.emp_lead = Employee.create(
            {"name": "Lead L", "user_id": cls.user_lead.id, "parent_id": cls.emp_manager.id})
        cls.emp_tech = Employee.create({"name": "Tech T", "user_id": cls.user_tech.id,
                                        "parent_id": cls.emp_lead.id, "tz": "America/Chicago",
                                        "mobile_phone": "(512) 555-0191"})
        cls.emp_other_manager = Employee.create(
            {"name": "Manager N", "user_id": cls.user_other_manager.id, "parent_id": cls.emp_director.id})
        cls.emp_other_tech = Employee.create(
            {"name": "Tech U", "user_id": cls.user_other_tech.id, "parent_id": cls.emp_other_manager.id})
        cls.role_tech = cls.env.ref("ops_coach.role_technician")
        cls.role_manager = cls.env.ref("ops_coach.role_service_manager")
        cls.kpi_ftf = cls.env.ref("ops_coach.kpi_tech_first_time_fix")
        Profile = cls.env["ops.tech_profile"]
        cls.profiles = Profile.create([
            {"employee_id": emp.id, "role_ids": [Command.set(role.ids)]}
            for emp, role in ((cls.emp_manager, cls.role_manager), (cls.emp_lead, cls.role_tech),
                              (cls.emp_tech, cls.role_tech), (cls.emp_other_tech, cls.role_tech))
        ])
        cls.profile_tech = cls.profiles.filtered(lambda p: p.employee_id == cls.emp_tech)
        cls.rule_low_energy = cls.env.ref("ops_coach.rule_low_energy")

    @classmethod
    def _checkin(cls, employee, **vals):
        return cls.env["ops.checkin"].create(dict({"employee_id": employee.id,
                                                   "call_type": "am_checkin"}, **vals))

    @classmethod
    def _kpi_decline_alert(cls, employee, kpi, values=(90, 85, 80)):
        """A KPI-decline alert on ``employee``'s ``kpi``, raised by the rule's own path
        from three weekly values (2, 9 and 16 November 2026)."""
        kpi_values = cls.env["ops.kpi.value"].create([
            {"employee_id": employee.id, "kpi_id": kpi.id, "value": value, "period_start": f"2026-11-{day:02d}"}
            for day, value in zip((2, 9, 16), values)])
        return cls.env["ops.escalation"]._raise_alerts([{
            "rule": cls.env.ref("ops_coach.rule_kpi_decline"), "employee": employee,
            "reason": "First-time fix worse two weeks in a row", "kpi_values": kpi_values}])

    @classmethod
    def _escalation(cls, employee, **vals):
        return cls.env["ops.escalation"].create(dict({
            "employee_id": employee.id, "rule_id": cls.rule_low_energy.id, "reason": "test"}, **vals))
