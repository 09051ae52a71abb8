"""A company's first hour: the setup checklist read from the data, and people
imported from a file (CSV or spreadsheet) into employees, profiles, caller
numbers, managers, languages and logins."""

import base64
import io
import pathlib

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import TransactionCase

FILE = """name,mobile,manager,role,login,language
Gina Ward,+1 312 555 0150,,service_manager,gina@example.com,en
Hector Ruiz,(312) 555-0151,Gina Ward,technician,hector@example.com,es
Ivan Cole,(312) 555-0152,Gina Ward,technician; installer,,
"""


@tagged("post_install", "-at_install")
class TestSetup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "New Heating Co"})
        cls.owner = new_test_user(cls.env, "t_setup_owner", groups="ops_coach.group_ops_owner",
                                  company_id=cls.company.id, company_ids=[(6, 0, [cls.company.id])])
        cls.env = cls.env(user=cls.owner, context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))

    def setup(self):
        return self.env["ops.setup"].create({})

    def import_file(self, content, filename="people.csv", give_access=True):
        wizard = self.env["ops.people.import"].create({
            "data_file": base64.b64encode(content), "filename": filename, "give_access": give_access})
        return wizard, wizard.action_import()

    def test_a_new_company_starts_with_nothing_done_and_the_dashboard_opens_on_the_checklist(self):
        for key in ("ops_coach.vapi_secret", "ops_coach.retell_api_key", "ops_coach.twilio_auth_token"):
            self.env["ir.config_parameter"].sudo().set_param(key, False)
        setup = self.setup()
        self.assertEqual(setup.steps_done, 0)
        self.assertFalse(setup.company_done or setup.people_done or setup.test_call_done)
        self.assertEqual(self.env["ops.setup"].action_home()["res_model"], "ops.setup")

    def test_the_import_makes_people_the_line_knows_and_the_checklist_follows(self):
        self.company.write({"country_id": self.env.ref("base.us").id})
        self.company.partner_id.tz = "America/Chicago"
        self.assertTrue(self.setup().company_done)
        wizard, action = self.import_file(FILE.encode())
        self.assertFalse(wizard.preview.startswith("line"), wizard.preview)
        profiles = self.env["ops.tech_profile"].search(action["domain"])
        self.assertEqual(sorted(profiles.employee_id.mapped("name")), ["Gina Ward", "Hector Ruiz", "Ivan Cole"])
        by_name = {p.employee_id.name: p for p in profiles}
        hector, ivan, gina = by_name["Hector Ruiz"], by_name["Ivan Cole"], by_name["Gina Ward"]
        self.assertEqual(hector.phone_ids.mapped("e164"), ["+13125550151"], "his mobile is his caller number")
        self.assertEqual(hector.employee_id.parent_id, gina.employee_id)
        self.assertEqual(hector.employee_id.sudo().lang, "es_419", "Spanish is made active for him")
        self.assertEqual(sorted(ivan.role_ids.mapped("code")), ["installer", "technician"])
        self.assertTrue(gina.employee_id.user_id.has_group("ops_coach.group_ops_manager"),
                        "a login, with the access his role calls for")
        self.assertTrue(hector.employee_id.user_id and not hector.employee_id.user_id.has_group(
            "ops_coach.group_ops_manager"))
        self.assertFalse(ivan.employee_id.user_id, "no login in the file: no user")
        setup = self.setup()
        self.assertTrue(setup.people_done and setup.numbers_done and setup.access_done)
        self.assertEqual(setup.people_count, 3)
        self.assertFalse(setup.test_call_done)

    def test_a_file_with_a_problem_writes_nothing_and_says_the_line(self):
        bad = FILE.replace("technician; installer", "plumber").encode()
        wizard = self.env["ops.people.import"].create({"data_file": base64.b64encode(bad), "filename": "p.csv"})
        self.assertFalse(wizard.ready)
        self.assertIn("line 4: role 'plumber' is not one of", wizard.preview)
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertFalse(self.env["hr.employee"].sudo().search([("name", "=", "Gina Ward")]))

    def test_a_spreadsheet_imports_like_the_csv(self):
        book = openpyxl.Workbook()
        for row in FILE.strip().splitlines():
            book.active.append(row.split(","))
        out = io.BytesIO()
        book.save(out)
        _wizard, action = self.import_file(out.getvalue(), "people.xlsx", give_access=False)
        self.assertEqual(len(self.env["ops.tech_profile"].search(action["domain"])), 3)


    def test_existing_employees_are_added_with_their_roles(self):
        employee = self.env["hr.employee"].sudo().create({"name": "Old Timer", "company_id": self.company.id})
        wizard = self.env["ops.people.add"].create({
            "employee_ids": [(6, 0, employee.ids)], "role_ids": [(6, 0, self.env.ref("ops_coach.role_technician").ids)]})
        action = wizard.action_add()
        profile = self.env["ops.tech_profile"].search(action["domain"])
        self.assertEqual(profile.employee_id, employee)
        self.assertEqual(profile.role_ids.mapped("code"), ["technician"])

    def test_after_the_first_call_the_dashboard_opens(self):
        _wizard, action = self.import_file(FILE.encode(), give_access=False)
        profile = self.env["ops.tech_profile"].search(action["domain"], limit=1)
        self.env["ops.checkin"].sudo().create({"employee_id": profile.employee_id.id, "call_type": "ops_only",
                                               "provider": "test", "active": False})
        self.assertTrue(self.setup().test_call_done)
        self.assertEqual(self.env["ops.setup"].action_home()["tag"], "action_spreadsheet_dashboard")


@tagged("post_install", "-at_install")
class TestSetupInBrowser(HttpCase):
    def test_the_template_downloads_and_imports_as_it_is(self):
        self.authenticate("admin", "admin")
        response = self.url_open("/ops_coach/people_template.csv")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        template = response.content
        self.assertTrue(template.startswith(b"name,mobile,manager,role,login,language"))
        wizard = self.env["ops.people.import"].create({"data_file": base64.b64encode(template),
                                                        "filename": "template.csv"})
        self.assertTrue(wizard.ready, wizard.preview)

    def test_the_owner_walks_the_setup_page(self):
        if not self.env.ref("ops_coach.demo_employee_luis", raise_if_not_found=False):
            self.skipTest("the screens are walked on the demo company")
        self.start_tour("/odoo/action-ops_coach.action_ops_setup", "ops_coach_setup", login="admin")

    def test_a_new_company_goes_live_in_under_thirty_clicks(self):
        """The ten-minute path, walked in the browser by a new company's GM:
        country, people pasted with a manager's login, the provider's secret and
        a test call, whose check-in opens. Each tour step that acts is one click
        or one field typed."""
        company = self.env["res.company"].create({"name": "Lakeview Plumbing"})
        company.resource_calendar_id.tz = "America/Chicago"
        new_test_user(self.env, "lakeview_gm", groups="base.group_system,base.group_partner_manager,ops_coach.group_ops_owner",
                      company_id=company.id, company_ids=[(6, 0, [company.id])])
        for key in ("ops_coach.vapi_secret", "ops_coach.retell_api_key", "ops_coach.twilio_auth_token"):
            self.env["ir.config_parameter"].sudo().set_param(key, False)
        self.start_tour("/odoo/action-ops_coach.action_ops_setup", "ops_coach_ten_minutes", login="lakeview_gm")
        tour = pathlib.Path(__file__).parent.parent / "static/tests/tours/ops_setup_tour.js"
        path = tour.read_text().split('add("ops_coach_ten_minutes"')[1]
        self.assertLess(path.count("run: "), 30, "clicks and fields typed")
        self.assertEqual(company.country_id, self.env.ref("base.us"))
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", company.id)])
        self.assertEqual(len(profiles), 4)
        self.assertTrue(all(profiles.mapped("phone_ids")), "every number taken, with the country set first")
        maria = profiles.filtered(lambda p: p.employee_id.name == "Maria Lane")
        self.assertTrue(maria.employee_id.user_id.has_group("ops_coach.group_ops_manager"))
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("ops_coach.vapi_secret"),
                         "lakeview-vapi-secret")
        checkin = self.env["ops.checkin"].with_context(active_test=False).search([("company_id", "=", company.id)])
        self.assertEqual(checkin.employee_id.name, "Ana Lopez")
        self.assertEqual(checkin.ready_status, "ready")

