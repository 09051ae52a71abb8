from odoo import fields, models


class OpsStrength(models.Model):
    _name = "ops.strength"
    _inherit = ["ops.line.cache.source"]
    _description = "CliftonStrengths theme with its coaching one-liner"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    domain = fields.Selection(
        [
            ("executing", "Executing"),
            ("influencing", "Influencing"),
            ("relating", "Relationship Building"),
            ("strategic", "Strategic Thinking"),
        ],
        required=True,
    )
    core = fields.Boolean(help="One of the twelve themes of the Daily Ops Coach script.")
    coaching_prompt = fields.Char(
        required=True, translate=True, help="One line the coach says to a caller with this strength."
    )

    _sql_constraints = [("name_uniq", "unique(name)", "A strength theme must be unique.")]
