from odoo import api, fields, models


class OpsAlertResolve(models.TransientModel):
    """Resolving asks what was done, in the same step: the note is what the
    person who raised it hears on his next call."""

    _name = "ops.alert.resolve"
    _description = "Resolve Ops alerts"

    alert_ids = fields.Many2many("ops.escalation", string="Alerts", required=True)
    note = fields.Text("What was done", required=True,
                       help="Said back to the person on his next call when the alert is his blocker.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        alerts = self.env["ops.escalation"].browse(self.env.context.get("active_ids") or [])
        values.setdefault("alert_ids", [fields.Command.set(alerts.ids)])
        notes = {note for note in alerts.mapped("resolution_note") if note}
        if len(notes) == 1:
            values.setdefault("note", notes.pop())
        return values

    def action_resolve(self):
        self.ensure_one()
        self.alert_ids.write({"resolution_note": self.note})
        self.alert_ids.action_resolve()
        return {"type": "ir.actions.act_window_close"}
