from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..coach import kpi_compute

SOURCES = [("manual", "Typed or imported"), ("measure", "Computed from Odoo records")]
# the models a measure may count, and the app that brings each one
MEASURE_MODELS = {"project.task": "Project", "ops.checkin": "Ops Coach"}


class OpsKpi(models.Model):
    _name = "ops.kpi"
    _description = "Ops KPI definition"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable identifier used by voice tools and imports.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    unit = fields.Char(help="Shown after the value, e.g. %, $, days, count.")
    higher_is_better = fields.Boolean(
        default=True,
        help="A decline is a fall in value when set, a rise in value otherwise.",
    )
    target = fields.Float()
    period = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        required=True,
        default="weekly",
    )
    description = fields.Text()
    role_ids = fields.Many2many("ops.role", string="Roles coached on it")
    source = fields.Selection(SOURCES, default="manual", required=True,
                              help="Where the number comes from: typed in, or counted by the daily cron.")
    numerator_id = fields.Many2one("ops.kpi.measure", "Count", ondelete="restrict")
    denominator_id = fields.Many2one("ops.kpi.measure", "Divided by", ondelete="restrict")
    factor = fields.Float(default=1.0, help="100 for a percentage.")
    min_denominator = fields.Integer(
        "Fewest jobs", default=5,
        help="A period with fewer in the denominator gets no value (not 0 % or 100 %).")
    recompute_periods = fields.Integer(
        "Periods recomputed", default=6, help="Late callbacks and late quotes change the past: recompute this many.")
    provisional_days = fields.Integer(
        "Provisional for (days)", help="A period stays provisional this long after it ends (a callback window).")
    how_computed = fields.Text(compute="_compute_how_computed")

    _sql_constraints = [("code_uniq", "unique(code)", "A KPI code must be unique.")]

    @api.depends("source", "numerator_id", "denominator_id", "factor", "min_denominator", "provisional_days")
    def _compute_how_computed(self):
        for kpi in self:
            if kpi.source != "measure" or not kpi.numerator_id:
                kpi.how_computed = self.env._("Typed in or imported (KPI values → Import).")
                continue
            text = kpi.numerator_id._describe()
            if kpi.denominator_id:
                text = self.env._("%(num)s, divided by %(den)s, times %(factor)s; no value for a period with "
                                  "fewer than %(min)s.", num=text, den=kpi.denominator_id._describe(),
                                  factor=f"{kpi.factor:g}", min=kpi.min_denominator)
            if kpi.provisional_days:
                text += " " + self.env._("Provisional until %(days)s days after the period ends.",
                                         days=kpi.provisional_days)
            kpi.how_computed = text

    @api.constrains("source", "numerator_id")
    def _check_source(self):
        for kpi in self.filtered(lambda k: k.source == "measure" and not k.numerator_id):
            raise ValidationError(self.env._("%(kpi)s is computed: it needs a measure to count.", kpi=kpi.name))


class OpsKpiMeasure(models.Model):
    """A count over Odoo records, by employee and day: a literal domain, never code."""

    _name = "ops.kpi.measure"
    _description = "Ops KPI measure"

    name = fields.Char(required=True, translate=True)
    model_name = fields.Selection([(model, model) for model in MEASURE_MODELS], "Counts", required=True)
    user_field = fields.Char("Credited to", required=True,
                             help="The record's field naming the users credited (e.g. user_ids on a job).")
    date_field = fields.Char("Dated by", required=True, help="A stored date or datetime field of the record.")
    domain = fields.Text(default="[]", help="A literal domain, e.g. [('state', '=', '1_done')].")

    @api.constrains("model_name", "user_field", "date_field", "domain")
    def _check_measure(self):
        for measure in self:
            model = self.env[measure.model_name]
            for name in (measure.user_field, measure.date_field):
                if name not in model._fields:
                    raise ValidationError(self.env._("%(model)s has no field %(field)s.",
                                                     model=measure.model_name, field=name))
            try:
                domain = kpi_compute.parse_domain(measure.domain)
                model.sudo().search_count(domain, limit=1)  # every path must exist
            except (kpi_compute.InvalidDomain, ValueError) as error:
                raise ValidationError(self.env._("Measure %(name)s: %(error)s", name=measure.name,
                                                 error=error)) from error

    def _describe(self):
        self.ensure_one()
        return self.env._("%(name)s (%(model)s, credited to %(user)s, dated by %(date)s)",
                          name=self.name, model=self.model_name, user=self.user_field, date=self.date_field)
