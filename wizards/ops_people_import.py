import base64
import io

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..coach import lexicon, people



class OpsPeopleImport(models.TransientModel):
    """People from a CSV or spreadsheet file: an employee, his Ops profile and
    roles, his mobile (the line's caller number), manager and language; and,
    when asked, his login and Odoo's invitation. Nothing is written while the
    file has a problem."""

    _name = "ops.people.import"
    _description = "Import people into Ops Coach"

    data_file = fields.Binary("File", help="CSV (comma, semicolon or tab) or .xlsx, with the template's columns.")
    filename = fields.Char()
    give_access = fields.Boolean(
        "Give access", default=True,
        help="Make a user for each person with a login, with the access his roles call for, and send Odoo's "
             "invitation.")
    pasted_rows = fields.Text(
        "Or paste the rows", help="Copied from a spreadsheet with its header row (name, mobile, manager, role, "
                                  "login, language), or typed as CSV.")
    preview = fields.Text(compute="_compute_preview")
    ready = fields.Boolean(compute="_compute_preview")

    @api.depends("data_file", "filename", "pasted_rows")
    def _compute_preview(self):
        for wizard in self:
            if not wizard.data_file and not (wizard.pasted_rows or "").strip():
                wizard.preview, wizard.ready = False, False
                continue
            found, problems = wizard._read()
            if problems:
                wizard.preview = "\n".join(problems)
                wizard.ready = False
            else:
                wizard.preview = self.env._("%(count)s people, ready to import: %(names)s",
                                            count=len(found), names=", ".join(p.name for p in found[:20]))
                wizard.ready = bool(found)

    def _rows(self):
        if not self.data_file:  # rows pasted from a spreadsheet: tab-separated, or typed as CSV
            return people.csv_rows(self.pasted_rows or "")
        raw = base64.b64decode(self.data_file or b"")
        if (self.filename or "").lower().endswith(".xlsx"):
            try:
                import openpyxl  # pylint: disable=import-outside-toplevel  # Odoo's own requirement, for .xlsx only
                sheet = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True).active
                return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
                        if any(cell not in (None, "") for cell in row)]
            except Exception as error:  # noqa: BLE001  # any unreadable workbook is the same answer to a person
                raise UserError(self.env._("This spreadsheet cannot be read: %(error)s", error=error)) from error
        for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves CSV in cp1252
            try:
                return people.csv_rows(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise UserError(self.env._("This file is not text: save it as CSV or .xlsx."))

    def _read(self):
        rows = self._rows()
        roles = {role.code: role.name for role in self.env["ops.role"].search([], limit=people.MAX_ROWS)}
        managers = people.column(rows, "manager")
        known = self.env["hr.employee"].sudo().search([("name", "in", managers)]).mapped("name") if managers else []
        return people.read(rows, roles, known)

    def action_import(self):
        self.ensure_one()
        found, problems = self._read()
        if problems or not found:
            raise UserError("\n".join(problems) or self.env._("The file has nobody in it."))
        employees = self._write_people(found)
        profiles = self.env["ops.tech_profile"].search([("employee_id", "in", employees.ids)])
        if self.give_access:
            for profile in profiles.filtered(lambda profile: profile.employee_id.sudo().work_email):
                profile._give_access()
        return {"type": "ir.actions.act_window", "res_model": "ops.tech_profile", "view_mode": "list,form",
                "name": self.env._("People imported"), "domain": [("id", "in", profiles.ids)]}

    def _write_people(self, found):
        """Each person's employee (found by name, else made) and profile; managers once everyone exists.
        Only an ops director may import (its access rule): he adds people to Ops without being HR."""
        Employee = self.env["hr.employee"].sudo()
        roles = {role.code: role for role in self.env["ops.role"].search([])}
        by_name = {}
        for person in found:
            employee = Employee.search([("name", "=ilike", person.name)], limit=1)
            values = {"name": person.name}
            values.update({key: value for key, value in (
                ("mobile_phone", person.mobile), ("work_email", person.login),
                ("lang", self._odoo_lang(person.language))) if value})
            if employee:
                employee.write(values)
            else:
                employee = Employee.create(values)
            by_name[lexicon.fold(person.name)] = employee
            self._profile_for(employee, [roles[code] for code in person.roles])
        for person in found:
            if person.manager:
                manager = by_name.get(lexicon.fold(person.manager)) or \
                    Employee.search([("name", "=ilike", person.manager)], limit=1)
                by_name[lexicon.fold(person.name)].parent_id = manager
        return Employee.union(*by_name.values())

    def _profile_for(self, employee, roles):
        Profile = self.env["ops.tech_profile"]
        profile = Profile.search([("employee_id", "=", employee.id)], limit=1)
        if profile:
            profile.role_ids = [Command.link(role.id) for role in roles]
        else:
            profile = Profile.create({"employee_id": employee.id, "role_ids": [Command.set([r.id for r in roles])]})
        return profile

    def _odoo_lang(self, code):
        """The active Odoo language of a lexicon code, activated when missing (its Spanish loaded with it)."""
        if not code:
            return ""
        lang = self.env["ops.line"]._odoo_language(code)
        if lexicon.for_language(lang).code != code and code == "es":
            self.env["res.lang"].sudo()._activate_lang("es_419")
            self.env["ir.module.module"].sudo()._load_module_terms(["ops_coach"], ["es_419"])
            lang = "es_419"
        return lang


class OpsPeopleAdd(models.TransientModel):
    """Ops profiles for employees already in Odoo, with the roles they hold."""

    _name = "ops.people.add"
    _description = "Add employees to Ops Coach"

    employee_ids = fields.Many2many("hr.employee", string="Employees", required=True,
                                    domain="[('ops_profile_ids', '=', False)]")
    role_ids = fields.Many2many("ops.role", string="Roles", required=True)

    def action_add(self):
        self.ensure_one()
        importer = self.env["ops.people.import"]
        profiles = self.env["ops.tech_profile"].union(*(importer._profile_for(employee, self.role_ids)
                                                         for employee in self.employee_ids))
        return {"type": "ir.actions.act_window", "res_model": "ops.tech_profile", "view_mode": "list,form",
                "name": self.env._("People added"), "domain": [("id", "in", profiles.ids)]}
