from odoo import api, fields, models

COURSE_MODEL = "slide.channel"  # Odoo's eLearning course, when the app is installed


def course_models(env):
    """The course a training may name: eLearning's, once the app is installed."""
    return [(COURSE_MODEL, env._("eLearning course"))] if COURSE_MODEL in env else []


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
    course_ref = fields.Reference(
        selection="_course_selection", string="eLearning course",
        help="With eLearning installed: the person is enrolled in this course when the training is approved.")

    @api.model
    def _course_selection(self):
        return course_models(self.env)


class OpsKpi(models.Model):
    _inherit = "ops.kpi"

    training_ids = fields.One2many("ops.kpi.training", "kpi_id", "Training suggestions", copy=True)
    elearning_installed = fields.Boolean(compute="_compute_elearning_installed")

    def _compute_elearning_installed(self):
        self.elearning_installed = COURSE_MODEL in self.env
