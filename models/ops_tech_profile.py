from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..coach.checkin_values import PROFILE_KPI_MAX, TOP_STRENGTHS_MAX, check_count
from ..coach.phone import normalize_e164
from .ops_tools import check_or_raise


class OpsTechProfile(models.Model):
    """Everything the Ops line knows about one person who calls it."""

    _name = "ops.tech_profile"
    _description = "Ops line profile"
    _inherit = ["mail.thread", "ops.team.mixin", "ops.line.cache.source"]
    _order = "name"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee", required=True, ondelete="cascade", index=True, tracking=True,
        domain=lambda self: self._employee_choices(),
    )
    name = fields.Char(related="employee_id.name", store=True)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    manager_id = fields.Many2one(related="employee_id.parent_id", store=True, string="Manager")
    image_128 = fields.Image(related="employee_id.image_128")
    role_ids = fields.Many2many("ops.role", string="Roles", tracking=True)
    strength_line_ids = fields.One2many(
        "ops.tech_profile.strength", "profile_id", string="Top 5 strengths"
    )
    personal_why = fields.Text("Personal WHY")
    goal_90d = fields.Text("90-day goal", tracking=True)
    goal_start = fields.Date("Goal start")
    goal_end = fields.Date("Goal end")
    goal_progress = fields.Integer("Goal progress (%)", tracking=True)
    # a pause (a hard week, a leave Time Off does not know of): no missed call, no nudge, no streak broken
    paused_from = fields.Date(tracking=True)
    paused_until = fields.Date(tracking=True, help="The last paused day; empty: until someone ends the pause.")
    primary_kpi_ids = fields.Many2many(
        "ops.kpi", string="Primary KPIs", help="The 1 to 3 KPIs this person is coached on."
    )
    start_date = fields.Date(help="First day in the company or in the role.")
    phone_ids = fields.One2many("ops.caller_number", "profile_id", string="Caller numbers")
    number_problem = fields.Char(compute="_compute_number_problem", help="Why the line would not recognise him.")
    checkin_count = fields.Integer(compute="_compute_counts")
    escalation_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        ("employee_uniq", "unique(employee_id)", "This employee already has an Ops profile."),
        (
            "goal_progress_range",
            "CHECK(goal_progress BETWEEN 0 AND 100)",
            "Goal progress is a percentage from 0 to 100.",
        ),
    ]

    def _employee_choices(self):
        """A manager is offered his own chain, not every employee (the record
        rules would refuse the others anyway, with an access error)."""
        if self.env.user.has_group("ops_coach.group_ops_director"):
            return []
        return [("id", "child_of", self.env.user.employee_ids.ids)]

    @api.constrains("primary_kpi_ids")
    def _check_primary_kpis(self):
        for profile in self:
            check_or_raise(
                check_count, len(profile.primary_kpi_ids), "Primary KPIs", 1, PROFILE_KPI_MAX
            )

    @api.constrains("strength_line_ids")
    def _check_strengths(self):
        for profile in self:
            check_or_raise(
                check_count, len(profile.strength_line_ids), "Top strengths", 0, TOP_STRENGTHS_MAX
            )

    @api.constrains("goal_start", "goal_end")
    def _check_goal_dates(self):
        for profile in self:
            if profile.goal_start and profile.goal_end and profile.goal_end < profile.goal_start:
                raise ValidationError(self.env._("The 90-day goal ends before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._default_kpis_from_roles(vals)
            self._default_numbers_from_employee(vals)
        return super().create(vals_list)

    def _default_kpis_from_roles(self, vals):
        """A profile created without KPIs starts with its roles' KPIs."""
        if vals.get("primary_kpi_ids") or not vals.get("role_ids"):
            return
        roles = self.env["ops.role"].browse(self._m2m_ids(vals["role_ids"]))
        kpis = roles.kpi_ids[:PROFILE_KPI_MAX]
        if kpis:
            vals["primary_kpi_ids"] = [Command.set(kpis.ids)]

    def _default_numbers_from_employee(self, vals):
        """A profile created without numbers recognises the employee's mobile.

        The work phone is left out: it is usually the company's switchboard,
        shared by everyone. A mobile that is invalid or already claimed by
        another caller is skipped rather than blocking the profile.
        """
        if vals.get("phone_ids") or not vals.get("employee_id"):
            return
        employee = self.env["hr.employee"].browse(vals["employee_id"]).sudo()
        region = employee.company_id.country_id.code
        e164 = normalize_e164(employee.mobile_phone, region)
        if e164 and not self.env["ops.caller_number"].sudo().search_count([("e164", "=", e164)], limit=1):
            vals["phone_ids"] = [Command.create({"number": employee.mobile_phone})]

    def _numbers_from_mobiles(self):
        """Profiles with no caller number take their employee's mobile when it
        can be read now (say, once the company's country is set)."""
        Number = self.env["ops.caller_number"].sudo()
        for profile in self.filtered(lambda p: not p.phone_ids and p.employee_id.sudo().mobile_phone):
            mobile = profile.employee_id.sudo().mobile_phone
            e164 = normalize_e164(mobile, profile.company_id.country_id.code)
            if e164 and not Number.search_count([("e164", "=", e164)], limit=1):
                Number.create({"profile_id": profile.id, "number": mobile})

    @api.depends("phone_ids", "employee_id.mobile_phone", "company_id.country_id")
    def _compute_number_problem(self):
        """Why the line would not know this person by his phone, in words a GM can act on."""
        for profile in self:
            mobile = profile.employee_id.sudo().mobile_phone
            country = profile.company_id.country_id
            if profile.phone_ids:
                profile.number_problem = False
            elif not mobile:
                profile.number_problem = self.env._(
                    "No caller number: the line will not know him by his phone and will ask for his PIN. "
                    "Add his mobile under Caller numbers.")
            elif not country and not mobile.strip().startswith("+"):
                profile.number_problem = self.env._(
                    "His mobile %(number)s has no country code and your company has no country: set the "
                    "company's country in Settings (his number is then taken), or type it with its country "
                    "code (+1 312 555 0111).", number=mobile)
            elif not normalize_e164(mobile, country.code):
                profile.number_problem = self.env._(
                    "His mobile %(number)s is not a valid number for %(country)s: check it on his employee form.",
                    number=mobile, country=country.name or self.env._("any country"))
            else:
                profile.number_problem = self.env._(
                    "His mobile %(number)s already identifies another caller: give him another number.",
                    number=mobile)

    @staticmethod
    def _m2m_ids(commands):
        ids = []
        for command in commands:
            if command[0] == Command.SET:
                ids = list(command[2])
            elif command[0] == Command.LINK:
                ids.append(command[1])
        return ids

    def _compute_counts(self):
        employees = self.employee_id
        checkins = dict(
            self.env["ops.checkin"]._read_group(
                [("employee_id", "in", employees.ids)], ["employee_id"], ["__count"]
            )
        )
        escalations = dict(
            self.env["ops.escalation"]._read_group(
                [("employee_id", "in", employees.ids), ("state", "in", ("new", "acknowledged"))],
                ["employee_id"],
                ["__count"],
            )
        )
        for profile in self:
            profile.checkin_count = checkins.get(profile.employee_id, 0)
            profile.escalation_count = escalations.get(profile.employee_id, 0)

    def action_view_checkins(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ops_coach.action_ops_checkin")
        action["domain"] = [("employee_id", "=", self.employee_id.id)]
        action["context"] = {}
        return action

    def action_view_escalations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ops_coach.action_ops_escalation")
        action["domain"] = [("employee_id", "=", self.employee_id.id)]
        action["context"] = {"search_default_open": 1}
        return action

    def coaching_lines(self):
        """The caller's strengths, best first, as (theme, one-liner) pairs."""
        self.ensure_one()
        return [(line.strength_id.name, line.strength_id.coaching_prompt)
                for line in self.strength_line_ids.sorted("sequence")]


class OpsTechProfileStrength(models.Model):
    _name = "ops.tech_profile.strength"
    _inherit = ["ops.line.cache.source"]
    _description = "One of a person's top five strengths"
    _order = "profile_id, sequence, id"

    profile_id = fields.Many2one("ops.tech_profile", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    strength_id = fields.Many2one("ops.strength", required=True, ondelete="restrict")
    coaching_prompt = fields.Char(related="strength_id.coaching_prompt")

    _sql_constraints = [
        ("profile_strength_uniq", "unique(profile_id, strength_id)", "A strength is listed once."),
    ]


class HrEmployeeProfile(models.Model):
    _inherit = "hr.employee"

    ops_profile_ids = fields.One2many("ops.tech_profile", "employee_id", string="Ops profile",
                                      groups="ops_coach.group_ops_user")

    def _ops_partner(self):
        """The person as a contact: his user's, else his work contact."""
        self.ensure_one()
        return self.user_id.partner_id or self.work_contact_id
