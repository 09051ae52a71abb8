from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache

from ..coach.phone import normalize_e164


class OpsCallerNumber(models.Model):
    """A phone number that identifies a profile on the Ops line."""

    _name = "ops.caller_number"
    _inherit = ["ops.line.cache.source"]
    _description = "Ops line caller number"
    _rec_name = "e164"

    profile_id = fields.Many2one("ops.tech_profile", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one(related="profile_id.employee_id", store=True)
    company_id = fields.Many2one(related="profile_id.company_id", store=True)
    number = fields.Char(required=True, help="As entered; normalised to E.164 below.")
    e164 = fields.Char(
        "E.164", compute="_compute_e164", store=True, index=True, help="The key callers are found by."
    )

    _sql_constraints = [
        ("e164_uniq", "unique(e164)", "This number already identifies another caller."),
    ]

    @api.depends("number", "company_id.country_id")
    def _compute_e164(self):
        for line in self:
            line.e164 = normalize_e164(line.number, line.company_id.country_id.code)

    @api.constrains("e164", "number")
    def _check_valid(self):
        for line in self:
            if line.e164:
                continue
            if not line.company_id.country_id and not (line.number or "").strip().startswith("+"):
                # a local number means nothing without a country: say what to do
                raise ValidationError(self.env._(
                    "%(number)s has no country code and your company has no country: set the company's "
                    "country in Settings, or type the number with its country code (+1 312 555 0111).",
                    number=line.number))
            raise ValidationError(self.env._(
                "%(number)s is not a valid phone number for %(country)s: check the digits, or type it with "
                "its country code (+1 312 555 0111).",
                number=line.number, country=line.company_id.country_id.name or self.env._("any country")))

    @api.model
    def _profile_for_number(self, raw_number, default_region=None):
        """The active profile calling from ``raw_number``: one indexed lookup."""
        e164 = normalize_e164(raw_number, default_region)
        return self.env["ops.tech_profile"].browse(self._profile_id_for(e164) if e164 else ())

    @api.model
    @ormcache("self.env.uid", "e164")
    def _profile_id_for(self, e164):
        # every message of every call asks: kept until a number or a profile changes
        line = self.search_fetch([("e164", "=", e164), ("profile_id.active", "=", True)], ["profile_id"], limit=1)
        return line.profile_id.id or ()
