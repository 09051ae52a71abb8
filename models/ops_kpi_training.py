from odoo import fields, models


class OpsKpiTraining(models.Model):
    """A training a manager may approve when someone's KPI declines: the first
    of the KPI's suggestions rides on the KPI-decline alert."""

    _name = "ops.kpi.training"
    _description = "Ops KPI training suggestion"
    _order = "kpi_id, sequence, id"

    kpi_id = fields.Many2one("ops.kpi", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        "Suggestion", required=True, translate=True,
        help="Said to the person as a suggested commitment once approved, e.g. "
             "\"ride along with a senior tech on two capacitor jobs this week\".")


class OpsKpi(models.Model):
    _inherit = "ops.kpi"

    training_ids = fields.One2many("ops.kpi.training", "kpi_id", "Training suggestions", copy=True)
