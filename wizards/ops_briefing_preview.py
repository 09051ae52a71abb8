from odoo import fields, models


class OpsBriefingPreview(models.TransientModel):
    """This morning's briefing, shown and not kept (ops.briefing.action_preview)."""

    _name = "ops.briefing.preview"
    _description = "Ops morning briefing, previewed"

    subject = fields.Char(readonly=True)
    body = fields.Html(readonly=True, sanitize=True)
