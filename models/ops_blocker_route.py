from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..coach import blockers
from ..coach.vocabulary import BLOCKER_KINDS, BLOCKER_ROUTE_TARGETS


class OpsBlockerRoute(models.Model):
    """Who can clear each kind of blocker, and the words that name the kind.

    The first route of a kind wins, a company's own before one for every company.
    """

    _name = "ops.blocker.route"
    _description = "Ops blocker route"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: applies to every company.")
    kind = fields.Selection(BLOCKER_KINDS, required=True)
    words = fields.Char(
        "Words that name it", translate=True,
        help="Comma-separated words or phrases; a blocker note saying one of them is of this kind "
             "(whole words, in the routes' order).")
    route_to = fields.Selection(BLOCKER_ROUTE_TARGETS, "Goes to", required=True, default="role")
    role_id = fields.Many2one("ops.role", help="Whoever holds this role in the caller's company.")
    user_id = fields.Many2one("res.users")

    @api.constrains("route_to", "role_id", "user_id")
    def _check_target(self):
        for route in self:
            if route.route_to == "role" and not route.role_id or route.route_to == "user" and not route.user_id:
                raise ValidationError(self.env._("The route for %(kind)s needs the %(target)s it goes to.",
                                                 kind=route.kind, target=route.route_to))

    @api.model
    def _routes_for(self, company):
        return self.search([("company_id", "in", (company.id, False))], order="company_id, sequence, id")

    @api.model
    def _kind_of(self, note, company):
        """The kind a blocker note names, by the routes' word lists in every
        language the company speaks (a caller says it in his own)."""
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        return blockers.kind_of(note, [
            (route.kind, ", ".join(filter(None, {route.with_context(lang=lang).words for lang in langs})))
            for route in self._routes_for(company)])

    @api.model
    def _assignee(self, employee, kind):
        """The user a blocker of ``kind`` goes to, or an empty recordset (then
        the blocker rule's own recipients take it)."""
        Rule = self.env["ops.escalation_rule"]
        for route in self._routes_for(employee.company_id).filtered(lambda r: r.kind == kind):
            if route.route_to == "role":
                user = Rule._role_users(route.role_id.code, employee.company_id)[:1]
            elif route.route_to == "manager":
                user = employee.parent_id.user_id
            else:
                user = route.user_id
            if user and user != employee.user_id:
                return user
        return self.env["res.users"]
