from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..coach import flow as engine
from ..coach.vocabulary import ANSWER_TYPES, CALL_TYPES, CONDITION_OPERATORS

# answers a step may store that are not ops.checkin fields (resolved by the tools)
NON_FIELD_KEYS = {"job_ref"}


class OpsFlow(models.Model):
    """A call script for one call type and set of roles."""

    _name = "ops.flow"
    _inherit = ["ops.line.cache.source"]
    _description = "Ops line call flow"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable identifier; 'ops_only' is the kill-switch flow.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    call_type = fields.Selection(list(CALL_TYPES), required=True)
    role_ids = fields.Many2many("ops.role", string="Roles")
    window_start = fields.Float("Window from", default=0.0, help="Local hour the flow is offered from.")
    window_end = fields.Float("Window to", default=24.0, help="Local hour the flow stops being offered.")
    time_box_seconds = fields.Integer("Time box (s)", default=120)
    kill_phrases = fields.Char(
        "Extra kill phrases",
        help="Comma-separated phrases that switch the call to the ops-only flow, beside those of the caller's "
             "language (skip, busy, ops only, not doing this; salta, estoy ocupado, solo operaciones…).",
    )
    greeting = fields.Char(translate=True)
    closing = fields.Char(translate=True)
    step_ids = fields.One2many("ops.flow.step", "flow_id", string="Steps", copy=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A flow code must be unique."),
        ("time_box_range", "CHECK(time_box_seconds BETWEEN 30 AND 600)",
         "The time box is 30 to 600 seconds."),
        ("window_range", "CHECK(window_start >= 0 AND window_start <= 24 AND window_end >= 0 "
         "AND window_end <= 24)", "Window hours are between 0 and 24."),
    ]

    def action_test_call(self):
        """Open the console: play a caller through this flow, no phone needed."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "ops.test_call", "view_mode": "form",
                "target": "new", "name": self.env._("Test call: %(flow)s", flow=self.name),
                "context": {"default_flow_id": self.id}}

    @api.model
    def _engine_flows(self, call_state):
        """The engine flows a call in progress can need, by code: its own, the one
        the kill switch left, and ops-only (``call_state`` as ``CallState.to_dict``)."""
        codes = {call_state["flow"], call_state.get("switched_from"), engine.OPS_ONLY} - {None, ""}
        return {flow.code: flow._to_engine() for flow in self.search([("code", "in", sorted(codes))])}

    def _open_at(self, local_hour):
        self.ensure_one()
        return engine.in_window((self.window_start, self.window_end), local_hour)

    def _to_engine(self):
        self.ensure_one()
        phrases = tuple(p.strip() for p in (self.kill_phrases or "").split(",") if p.strip())
        return engine.Flow(
            code=self.code, name=self.name, call_type=self.call_type,
            steps=tuple(step._to_engine() for step in self.step_ids.sorted("sequence")),
            greeting=self.greeting or "", closing=self.closing or "", kill_phrases=phrases,
            time_box_seconds=self.time_box_seconds, role_codes=tuple(self.role_ids.mapped("code")),
            window=(self.window_start, self.window_end),
        )


class OpsFlowStep(models.Model):
    _name = "ops.flow.step"
    _inherit = ["ops.line.cache.source"]
    _description = "Ops line call flow step"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one("ops.flow", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    key = fields.Char(
        required=True,
        help="The answer's name: the voice agent's tool argument, the prompt's bracket and every error use it.")
    field_name = fields.Char(
        "Check-in field", help="The check-in field the answer fills, when it is not the key itself.")
    question = fields.Char(required=True, translate=True)
    answer_type = fields.Selection(list(ANSWER_TYPES), required=True, default="text")
    choices = fields.Char(
        translate=True,
        help="For choices: value:synonym,synonym|value2:… e.g. ready:yes,yeah|not_ready:no. A translation "
             "adds the words of its language; the values stay the English ones.")
    choice_lines = fields.Text(
        "Answers", compute="_compute_choice_lines", inverse="_inverse_choice_lines",
        help="One answer per line: the value stored, a colon, then the words that mean it, e.g. "
             "\"not_ready: no, nope, not today\". Edited in another language, the words are that language's; "
             "the values stay the English ones.")
    required = fields.Boolean(default=True)
    condition_key = fields.Char("Ask only if", help="Key of an earlier step.")
    condition_operator = fields.Selection(list(CONDITION_OPERATORS))
    condition_value = fields.Char()
    reprompt = fields.Char(help="Said once when the answer is not measurable.", translate=True)
    fallback_key = fields.Char(
        "Else take", help="Key of an earlier step whose answer stands in when a tool call leaves this one "
        "out (some assistants send no separate commitment).")
    minimum = fields.Float(help="Numbers: the lowest answer accepted (both at 0: no bounds).")
    maximum = fields.Float(help="Numbers: the highest answer accepted (both at 0: no bounds).")

    _sql_constraints = [("flow_key_uniq", "unique(flow_id, key)", "A flow asks each key once.")]

    @api.constrains("key", "field_name", "answer_type", "choices", "condition_key", "condition_operator")
    def _check_step(self):
        checkin_fields = self.env["ops.checkin"]._fields
        for step in self:
            target = step.field_name or step.key
            if target not in checkin_fields and target not in NON_FIELD_KEYS:
                raise ValidationError(self.env._("%(key)s is not a check-in field.", key=target))
            if step.answer_type == "choice" and not engine.parse_choices(step.choices):
                raise ValidationError(self.env._("Step %(key)s needs its choices.", key=step.key))
            if bool(step.condition_key) != bool(step.condition_operator):
                raise ValidationError(
                    self.env._("Step %(key)s: a condition needs both a key and an operator.", key=step.key))

    @api.depends("choices")
    @api.depends_context("lang")
    def _compute_choice_lines(self):
        for step in self:
            step.choice_lines = engine.choices_as_lines(step.choices)

    def _inverse_choice_lines(self):
        for step in self:
            step.choices = engine.choices_from_lines(step.choice_lines) or False

    def _engine_choices(self):
        """The choices as stored, heard also in the words of the language read in."""
        source = engine.parse_choices(self.with_context(lang="en_US").choices)
        return engine.merge_choices(source, engine.parse_choices(self.choices)) if self.env.lang != "en_US" else source

    def _to_engine(self):
        self.ensure_one()
        condition = None
        if self.condition_key:
            condition = engine.Condition(self.condition_key, self.condition_operator,
                                         self.condition_value or None)
        bounded = self.answer_type == "number" and (self.minimum or self.maximum)
        return engine.Step(
            key=self.key, question=self.question, answer_type=self.answer_type, field=self.field_name or "",
            required=self.required, choices=self._engine_choices(),
            condition=condition, reprompt=self.reprompt or "", fallback_key=self.fallback_key or "",
            minimum=self.minimum if bounded else None, maximum=self.maximum if bounded else None,
        )
