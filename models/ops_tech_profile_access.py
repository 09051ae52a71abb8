from odoo import Command, models
from odoo.exceptions import AccessError, UserError

from ..coach import vocabulary

ACCESS_GROUPS = {"user": "ops_coach.group_ops_user", "manager": "ops_coach.group_ops_manager",
                 "director": "ops_coach.group_ops_director"}


class OpsTechProfileAccess(models.Model):
    """Access in one action: the user made or linked, the Ops group that
    follows from the person's roles, and Odoo's invitation sent."""

    _inherit = "ops.tech_profile"

    def action_give_access(self):
        if not self.env.user.has_group("ops_coach.group_ops_director"):
            raise AccessError(self.env._("Only the ops director or the owner gives access."))
        given = [profile._give_access() for profile in self]
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "sticky": False, "message": "; ".join(given)}}

    def _give_access(self):
        self.ensure_one()
        level = vocabulary.access_for(self.role_ids.mapped("level"))
        group = self.env.ref(ACCESS_GROUPS[level])
        # users are made and grouped by Odoo's own rules; an ops director may do it for his people only
        employee = self.employee_id.sudo()
        if employee.user_id:
            employee.user_id.groups_id = [Command.link(group.id)]
            return self.env._("%(name)s can now sign in as %(level)s", name=employee.name, level=level)
        login = (employee.work_email or "").strip()
        if not login:
            raise UserError(self.env._("%(name)s needs a work email first: the invitation goes there, and it is "
                                       "his login.", name=employee.name))
        user = self.env["res.users"].sudo().with_context(no_reset_password=True).create({
            "name": employee.name, "login": login, "email": login, "tz": employee.tz or False,
            "groups_id": [Command.set([self.env.ref("base.group_user").id, group.id])]})
        employee.user_id = user
        user.with_context(create_user=True).action_reset_password()  # Odoo's invitation: he sets his own password
        return self.env._("%(name)s is invited at %(login)s as %(level)s", name=employee.name, login=login,
                          level=level)
