from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..coach import kpi_compute

SOURCES = [
    ("manual", "Typed or imported"),
    ("measure", "Counted in Odoo records"),
    ("checkins", "Counted in the line's check-ins"),
    ("method", "Computed by a built-in method"),
]
SCOPES = [("employee", "Each person"), ("team", "Each manager's team"), ("company", "The whole company")]
# the models a measure may count, and the app that brings each one
MEASURE_MODELS = {
    "project.task": "Project",
    "ops.checkin": "Ops Coach",
    "ops.escalation": "Ops Coach",
    "sale.order": "Sales",
    "account.move": "Invoicing",
    "account.invoice.report": "Invoicing",
    "account.analytic.line": "Timesheets",
    "hr.timesheet.attendance.report": "Timesheets and Attendances (hr_timesheet_attendance)",
    "purchase.order": "Purchase",
    "stock.move": "Inventory",
}
LINE_MODELS = ("ops.checkin", "ops.escalation")
# built-in methods: the KPI they compute and the models they read
METHODS = {
    "cash_runway": ("Cash runway: posted cash balance ÷ average monthly net cash burn of the last 3 months",
                    ("account.move.line", "balance"), "Invoicing"),
    "invoicing_lag": ("Invoicing lag: average days from a job's completion to the first posted invoice of "
                      "its sales order", ("project.task", "sale_order_id"), "Sales and Invoicing with Project "
                      "(sale_project)"),
}


class OpsKpi(models.Model):
    _name = "ops.kpi"
    _inherit = ["ops.line.cache.source"]
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
                              help="Where the number comes from: typed in, or computed by the daily cron.")
    scope = fields.Selection(
        SCOPES, default="employee", required=True,
        help="Whose records make a person's value: his own, his team's (a manager), or the company's "
             "(the same value for everyone coached on the KPI).")
    method = fields.Selection([(key, label) for key, (label, _model, _app) in METHODS.items()])
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
    missing_app = fields.Char(compute="_compute_how_computed",
                              help="The app to install for this KPI to be computed.")

    _sql_constraints = [("code_uniq", "unique(code)", "A KPI code must be unique.")]

    @api.depends("source", "scope", "method", "numerator_id", "denominator_id", "factor", "min_denominator",
                 "provisional_days")
    def _compute_how_computed(self):
        scopes = dict(SCOPES)
        for kpi in self:
            kpi.missing_app = ", ".join(sorted(kpi._missing_apps())) or False
            if kpi.source == "manual":
                kpi.how_computed = self.env._("Typed in or imported (KPI values → Import).")
                continue
            text = kpi._describe_source()
            text += " " + self.env._("Scope: %(scope)s.", scope=scopes[kpi.scope].lower())
            if kpi.provisional_days:
                text += " " + self.env._("Provisional until %(days)s days after the period ends.",
                                         days=kpi.provisional_days)
            if kpi.missing_app:
                text += " " + self.env._("Needs the %(app)s app: once it is installed, the next daily run "
                                         "computes it.", app=kpi.missing_app)
            kpi.how_computed = text

    def _factor_said(self):
        return "%g" % self.factor  # formatted outside the translated text: the extractor reads literals only

    def _describe_source(self):
        if self.source == "method":
            return METHODS[self.method][0] if self.method else self.env._("No method chosen.")
        if not self.numerator_id:
            return self.env._("No measure chosen.")
        text = self.numerator_id._describe()
        if self.denominator_id:
            text = self.env._("%(num)s, divided by %(den)s, times %(factor)s; no value for a period with "
                              "fewer than %(min)s.", num=text, den=self.denominator_id._describe(),
                              factor=self._factor_said(), min=self.min_denominator)
        else:
            text += " " + self.env._("Zero for a period with nothing counted.")
        return text

    def _missing_apps(self):
        """The apps whose models this KPI reads and this database lacks."""
        if self.source == "method" and self.method:
            _label, (model, field), app = METHODS[self.method]
            return set() if model in self.env and field in self.env[model]._fields else {app}
        measures = self.numerator_id | self.denominator_id
        return {MEASURE_MODELS[m.model_name] for m in measures if m.model_name not in self.env}

    def _computable(self):
        """Computed by the cron: a source other than manual, whose apps are installed."""
        self.ensure_one()
        ready = bool(self.method) if self.source == "method" else bool(self.numerator_id)
        return self.source != "manual" and ready and not self._missing_apps()

    @api.constrains("source", "scope", "numerator_id", "denominator_id", "method")
    def _check_source(self):
        for kpi in self:
            if kpi.source in ("measure", "checkins") and not kpi.numerator_id:
                raise ValidationError(self.env._("%(kpi)s is computed: it needs a measure to count.", kpi=kpi.name))
            if kpi.source == "method" and (not kpi.method or kpi.scope != "company"):
                raise ValidationError(self.env._(
                    "%(kpi)s is computed by a method: choose one; its number is the company's.", kpi=kpi.name))
            if kpi.scope != "company" and not all((kpi.numerator_id | kpi.denominator_id).mapped("user_field")):
                raise ValidationError(self.env._(
                    "%(kpi)s is per person or team: its measures must say who is credited.", kpi=kpi.name))
            outside = (kpi.numerator_id | kpi.denominator_id).filtered(lambda m: m.model_name not in LINE_MODELS)
            if kpi.source == "checkins" and outside:
                raise ValidationError(self.env._(
                    "%(kpi)s is counted in the line's check-ins, but %(measure)s counts %(model)s.",
                    kpi=kpi.name, measure=outside[0].name, model=outside[0].model_name))

    def action_open_trend(self):
        """This KPI's values beside its target, week by week (its own unit on the axis)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "ops.kpi.trend", "view_mode": "graph",
            "name": self.env._("%(kpi)s against its target", kpi=self.name),
            "domain": [("kpi_id", "=", self.id)],
            # by day: each point is a period's first day, whatever the period (the locale's weeks may start Sunday)
            "context": {"search_default_last_quarter": 1, "graph_groupbys": ["period_start:day", "series"]},
        }


class OpsKpiMeasure(models.Model):
    """A count over Odoo records, by employee and day: a literal domain, never code."""

    _name = "ops.kpi.measure"
    _description = "Ops KPI measure"

    name = fields.Char(required=True, translate=True)
    model_name = fields.Selection([(model, model) for model in MEASURE_MODELS], "Counts", required=True)
    user_field = fields.Char("Credited to",
                             help="The record's field naming the users or employees credited (e.g. user_ids on "
                                  "a job). Empty for a company-wide count.")
    date_field = fields.Char("Dated by", required=True, help="A stored date or datetime field of the record.")
    domain = fields.Text(default="[]", help="A literal domain, e.g. [('state', '=', '1_done')].")
    aggregate = fields.Selection([("count", "Count the records"), ("sum", "Sum a field")],
                                 default="count", required=True)
    sum_field = fields.Char("Field summed", help="A stored number field, for a sum.")
    app = fields.Char(compute="_compute_app", help="The app that brings the counted model.")
    app_installed = fields.Boolean(compute="_compute_app")

    @api.depends("model_name")
    def _compute_app(self):
        for measure in self:
            measure.app = MEASURE_MODELS.get(measure.model_name)
            measure.app_installed = measure.model_name in self.env

    @api.constrains("model_name", "user_field", "date_field", "domain", "aggregate", "sum_field")
    def _check_measure(self):
        # a measure of an app not installed yet is checked when the app arrives (see _computable)
        for measure in self.filtered("app_installed"):
            measure._check_fields()

    def _check_fields(self):
        model = self.env[self.model_name]
        if self.aggregate == "sum" and not self.sum_field:
            raise ValidationError(self.env._("Measure %(name)s sums: say which field.", name=self.name))
        for name in filter(None, (self.user_field, self.date_field, self.sum_field)):
            if name not in model._fields:
                raise ValidationError(self.env._("%(model)s has no field %(field)s.",
                                                 model=self.model_name, field=name))
        try:
            domain = kpi_compute.parse_domain(self.domain)
            model.sudo().search_count(domain, limit=1)  # every path must exist
        except (kpi_compute.InvalidDomain, ValueError) as error:
            raise ValidationError(self.env._("Measure %(name)s: %(error)s", name=self.name,
                                             error=error)) from error

    def _describe(self):
        self.ensure_one()
        what = self.env._("sum of %(field)s", field=self.sum_field) if self.aggregate == "sum" \
            else self.env._("count")
        return self.env._("%(name)s (%(what)s of %(model)s, credited to %(user)s, dated by %(date)s)",
                          name=self.name, what=what, model=self.model_name,
                          user=self.user_field or self.env._("the company"), date=self.date_field)
