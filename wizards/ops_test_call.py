import json
import uuid

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..coach import flow as engine
from ..coach import payload, prompt


class OpsTestCall(models.TransientModel):
    """The flow console: a manager plays a caller, typing the answers; the same
    engine asks the questions a phone call would. Each turn is journaled as
    provider *test*; the check-in it logs is archived, so no rule, report or
    KPI ever counts it."""

    _name = "ops.test_call"
    _description = "Ops line test call"

    flow_id = fields.Many2one("ops.flow", required=True, ondelete="cascade")
    profile_id = fields.Many2one("ops.tech_profile", "Call as", required=True, ondelete="cascade",
                                 default=lambda self: self._default_profile())
    call_id = fields.Char(default=lambda self: f"test-{uuid.uuid4().hex[:12]}", readonly=True)
    script_state = fields.Text(readonly=True)
    turns = fields.Text(default="[]", readonly=True, help="The conversation so far, as JSON.")
    transcript = fields.Html(compute="_compute_transcript", sanitize=True)
    answer = fields.Char("Your answer", help="Type what the caller says: 'four', 'yeah', 'skip'…")
    stage = fields.Selection([("new", "Not started"), ("asking", "In the call"), ("done", "Logged")],
                             default="new", required=True)
    checkin_id = fields.Many2one("ops.checkin", "Test check-in", readonly=True)
    would_log = fields.Html("It logs", compute="_compute_transcript", sanitize=True)

    @api.model
    def _default_profile(self):
        return self.env["ops.tech_profile"].search([("user_id", "=", self.env.uid)], limit=1)

    @api.depends("turns", "checkin_id")
    def _compute_transcript(self):
        for test in self:
            bubbles = [Markup('<p class="%s"><b>%s:</b> %s</p>') % (
                "text-end text-primary" if turn["who"] == "caller" else "text-start", turn["who"].capitalize(),
                turn["text"]) for turn in json.loads(test.turns or "[]")]
            test.transcript = Markup("").join(bubbles)
            values = json.loads(test.script_state or "{}").get("logged") or {}
            test.would_log = Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li><b>%s</b>: %s</li>") % (key, value) for key, value in values.items()) if values else False

    # --------------------------------------------------------------- actions
    def action_start(self):
        self.ensure_one()
        state = {"started": fields.Datetime.to_string(fields.Datetime.now())}
        call_state, turn = self.env["ops.line"]._script_start(self.profile_id, self.flow_id, state)
        self._journal(turn, None)
        self._say(turn, call_state, state, caller_said=None)
        return self._reopen()

    def action_send(self):
        """The caller's answer goes through the scripted line's own session
        (job lookup, the job's sheet, the photo link), as a rehearsal."""
        self.ensure_one()
        if self.stage != "asking":
            raise UserError(self.env._("Start the test call first."))
        state = json.loads(self.script_state)
        said = self.answer or ""
        event = self._journal(None, said)
        line = event.env["ops.line"]
        message = payload.Message(type=event.event_type, call_id=self.call_id, caller_number="", raw={})
        turn, call_state = line._script_answer(event, message, self.profile_id.with_env(line.env), state, said,
                                               rehearsal=True)
        event.response = json.dumps({"say": turn.prompt, "kind": turn.kind})
        self._say(turn, call_state, state, caller_said=said)
        if turn.done:
            self.checkin_id = event.with_context(active_test=False).checkin_ids[:1]  # archived: a rehearsal
        return self._reopen()

    # ----------------------------------------------------------------- turns
    def _say(self, turn, call_state, state, caller_said):
        context = self.env["ops.line"]._script_context(self.profile_id, state)
        turns = json.loads(self.turns or "[]")
        if caller_said is not None:
            turns.append({"who": "caller", "text": caller_said or "(silence)"})
        turns.append({"who": "line", "text": prompt.fill(turn.prompt, context)})
        state["logged"] = engine.checkin_values(call_state)
        self.write({"turns": json.dumps(turns), "script_state": json.dumps(state), "answer": False,
                    "stage": "done" if turn.done else "asking"})

    def _journal(self, turn, caller_said):
        """Each turn is a journal row, as a provider's request would be."""
        line = self.env["ops.line"]._line_env()
        return line["ops.call_event"].create({
            "provider": "test", "event_type": "test-turn", "call_id": self.call_id,
            "employee_id": self.profile_id.employee_id.id, "flow_id": self.flow_id.id, "outcome": "processed",
            "http_status": 200, "payload": json.dumps({"said": caller_said, "by": self.env.user.login}),
            "response": json.dumps({"say": turn.prompt, "kind": turn.kind}) if turn else False,
            "processed_date": fields.Datetime.now()})

    def action_open_checkin(self):
        """The rehearsal's check-in (archived, so no list shows it by default)."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "ops.checkin", "res_id": self.checkin_id.id,
                "view_mode": "form", "target": "current", "context": {"active_test": False}}

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Test call: %(flow)s", flow=self.flow_id.name)}
