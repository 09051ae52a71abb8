from odoo import fields, models


class OpsTeamMixin(models.AbstractModel):
    """Adds the searchable flag "in my team": the record's employee is the
    current user's employee or reports to them, directly or not."""

    _name = "ops.team.mixin"
    _description = "Ops team filter"

    in_my_team = fields.Boolean(compute="_compute_in_my_team", search="_search_in_my_team")

    def _compute_in_my_team(self):
        team = self.search([("id", "in", self.ids), ("in_my_team", "=", True)])
        for record in self:
            record.in_my_team = record in team

    def _search_in_my_team(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on 'in my team'."))
        team_domain = [("employee_id", "child_of", self.env.user.employee_ids.ids)]
        return team_domain if (operator == "=") == value else ["!"] + team_domain
