from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..coach import flow as engine
from ..coach import sheet as sheet_rules

READING_TYPES = [("number", "Number"), ("yes_no", "Yes / no"), ("choice", "Choice"), ("text", "Text")]


class OpsSheet(models.Model):
    """A maintenance sheet: the readings a job type asks for at close-out.

    A job type is a project ("HVAC maintenance", "Water heaters"); a job may
    name another sheet. Readings live in ``ops.job.reading``, not in task
    properties: properties have no unit, range or required flag, are defined
    per project only, and are not tracked, while a reading must keep its
    range check, its flag and the close-out call it came from.
    """

    _name = "ops.sheet"
    _description = "Maintenance sheet"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    item_ids = fields.One2many("ops.sheet.item", "sheet_id", "Readings", copy=True)
    project_ids = fields.One2many("project.project", "ops_sheet_id", "Job types")
    photos_required = fields.Boolean(
        default=True, help="A job of this type is done only once photos reached it (the photo link, or the "
                           "technician says they are uploaded).")
    company_id = fields.Many2one("res.company")

    def _readings(self):
        """The sheet as the engine's readings, in order."""
        return tuple(item._to_reading() for item in self.item_ids.sorted("sequence")) if self else ()


class OpsSheetItem(models.Model):
    _name = "ops.sheet.item"
    _description = "Maintenance sheet reading"
    _order = "sheet_id, sequence, id"

    sheet_id = fields.Many2one("ops.sheet", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="Stable name of the reading (letters, digits, underscores).")
    name = fields.Char("Label", required=True, translate=True, help="What the technician hears and says.")
    answer_type = fields.Selection(READING_TYPES, required=True, default="number")
    unit = fields.Char()
    minimum = fields.Float(help="Numbers: lowest expected value. Outside the range, a reading is asked again once, "
                                "then kept and flagged.")
    maximum = fields.Float(help="Numbers: highest expected value (both at 0: no range).")
    choices = fields.Char(help="For choices: value:synonym,synonym|value2:… e.g. clean:good|dirty:bad")
    required = fields.Boolean(default=True)
    question = fields.Char(translate=True, help="What the line asks; empty: the label and the unit.")

    _sql_constraints = [("sheet_code_uniq", "unique(sheet_id, code)", "A sheet names each reading once.")]

    @api.constrains("code", "answer_type", "choices", "minimum", "maximum")
    def _check_item(self):
        for item in self:
            if not item.code.replace("_", "").isalnum():
                raise ValidationError(self.env._("Reading code %(code)s: letters, digits and underscores only.",
                                                 code=item.code))
            if item.answer_type == "choice" and not engine.parse_choices(item.choices):
                raise ValidationError(self.env._("Reading %(name)s needs its choices.", name=item.name))
            if item.minimum > item.maximum:
                raise ValidationError(self.env._("Reading %(name)s: the minimum is above the maximum.",
                                                 name=item.name))

    def _to_reading(self):
        self.ensure_one()
        ranged = self.answer_type == "number" and (self.minimum or self.maximum)
        return sheet_rules.Reading(
            code=self.code, label=self.name, answer_type=self.answer_type, unit=self.unit or "",
            minimum=self.minimum if ranged else None, maximum=self.maximum if ranged else None,
            required=self.required, choices=engine.parse_choices(self.choices), question=self.question or "")


class OpsJobReading(models.Model):
    """One reading of one job, as the technician said it at close-out."""

    _name = "ops.job.reading"
    _description = "Job reading"
    _order = "task_id, sequence, id"

    task_id = fields.Many2one("project.task", "Job", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one("ops.sheet.item", "Reading", required=True, ondelete="cascade")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    checkin_id = fields.Many2one("ops.checkin", "Close-out", ondelete="set null", index="btree_not_null")
    employee_id = fields.Many2one(related="checkin_id.employee_id", store=True, string="Technician")
    unit = fields.Char(related="item_id.unit")
    value = fields.Char(required=True, help="As the technician said it, normalised.")
    value_number = fields.Float("Number", help="Number readings: the value, for reports.")
    out_of_range = fields.Boolean(help="Outside the expected range, and confirmed when asked again.")

    _sql_constraints = [("task_item_uniq", "unique(task_id, item_id)", "A job keeps one value per reading.")]

    @api.depends("item_id", "value")
    def _compute_display_name(self):
        for reading in self:
            reading.display_name = f"{reading.item_id.name}: {reading.value}"

    @api.model
    def _record(self, job, checkin, values, flagged=()):
        """Write a close-out's readings on the job (a later close-out's value wins)."""
        if not values:
            return self.browse()
        items = {item.code: item for item in job.ops_sheet_id.item_ids}
        existing = {reading.item_id.code: reading for reading in job.ops_reading_ids}
        written = self.browse()
        for code, value in values.items():
            reading = items[code]._to_reading()
            row = {"task_id": job.id, "item_id": items[code].id, "checkin_id": checkin.id,
                   "value": reading.spoken(value), "out_of_range": code in flagged,
                   "value_number": value if isinstance(value, float) else 0.0}
            if code in existing:
                existing[code].write(row)
                written |= existing[code]
            else:
                written |= self.create(row)
        return written
