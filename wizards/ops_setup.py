from odoo import api, fields, models

from ..coach import vocabulary

# (step, what it asks) in the order a GM takes them
STEPS = ("company", "people", "numbers", "access", "provider", "test_call")
PROVIDER_SECRETS = ("ops_coach.vapi_secret", "ops_coach.retell_api_key", "ops_coach.twilio_auth_token")


class OpsSetup(models.TransientModel):
    """The first week's checklist: each step done or not, read from the data,
    with the one button that does it. The Ops dashboard opens here until the
    line has taken its first call."""

    _name = "ops.setup"
    _description = "Set up Ops Coach"

    company_done = fields.Boolean(compute="_compute_steps")
    people_done = fields.Boolean(compute="_compute_steps")
    numbers_done = fields.Boolean(compute="_compute_steps")
    access_done = fields.Boolean(compute="_compute_steps")
    provider_done = fields.Boolean(compute="_compute_steps")
    test_call_done = fields.Boolean(compute="_compute_steps")
    steps_done = fields.Integer(compute="_compute_steps")
    people_count = fields.Integer(compute="_compute_steps")
    missing_numbers = fields.Text(compute="_compute_steps")
    missing_access = fields.Text(compute="_compute_steps")

    def _compute_display_name(self):
        for setup in self:
            setup.display_name = self.env._("Set up Ops Coach")

    @api.depends_context("uid")
    def _compute_steps(self):
        company = self.env.company
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", company.id)])
        no_number = profiles.filtered(lambda profile: not profile.phone_ids)
        # managers and heads act in Odoo (Today, briefings, alerts): they need a login
        no_login = profiles.filtered(lambda profile: not profile.employee_id.user_id
                                     and vocabulary.access_for(profile.role_ids.mapped("level")) != "user")
        params = self.env["ir.config_parameter"].sudo()
        done = {
            "company": bool(company.country_id and (company.partner_id.tz or company.resource_calendar_id.tz)),
            "people": bool(profiles),
            "numbers": bool(profiles) and not no_number,
            "access": bool(profiles) and not no_login,
            "provider": any(params.get_param(key) for key in PROVIDER_SECRETS),
            "test_call": self._has_calls(company),
        }
        for setup in self:
            for step in STEPS:
                setup[f"{step}_done"] = done[step]
            setup.steps_done = sum(done.values())
            setup.people_count = len(profiles)
            setup.missing_numbers = "\n".join(f"{p.employee_id.name}: {p.number_problem or ''}".rstrip(": ")
                                              for p in no_number[:20]) or False
            setup.missing_access = ", ".join(no_login[:20].employee_id.mapped("name")) or False

    @api.model
    def _has_calls(self, company):
        """The line has taken a call for ``company`` (a rehearsal in the console counts)."""
        return bool(self.env["ops.checkin"].with_context(active_test=False).search_count(
            [("company_id", "=", company.id)], limit=1))
    @api.model
    def action_open(self):
        """The setup page (a fresh one: every step read again)."""
        return {"type": "ir.actions.act_window", "res_model": self._name, "view_mode": "form", "target": "current",
                "res_id": self.create({}).id, "name": self.env._("Set up Ops Coach")}

    @api.model
    def action_home(self):
        """The Ops dashboard, or the checklist while the line has not taken a call."""
        if self._has_calls(self.env.company):
            return self.env["ir.actions.actions"]._for_xml_id("ops_coach.action_ops_dashboard")
        return self.action_open()

    # ------------------------------------------------------------ the buttons
    def action_company(self):
        return {"type": "ir.actions.act_window", "res_model": "res.company", "view_mode": "form",
                "res_id": self.env.company.id, "target": "current"}

    def action_import(self):
        return {"type": "ir.actions.act_window", "res_model": "ops.people.import", "view_mode": "form",
                "target": "new", "name": self.env._("Import people")}

    def action_add_employees(self):
        return {"type": "ir.actions.act_window", "res_model": "ops.people.add", "view_mode": "form",
                "target": "new", "name": self.env._("Add from existing employees")}

    def action_people(self):
        return self.env["ir.actions.actions"]._for_xml_id("ops_coach.action_ops_tech_profile")

    def action_settings(self):
        return self.env["ir.actions.actions"]._for_xml_id("ops_coach.action_ops_coach_settings")

    def action_test_call(self):
        return self.env["ir.actions.actions"]._for_xml_id("ops_coach.action_ops_flow")
