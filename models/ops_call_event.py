import json
import logging
import traceback

from odoo import api, fields, models

from ..coach import vapi

_logger = logging.getLogger(__name__)
OUTCOMES = [
    ("received", "Received"),
    ("processed", "Processed"),
    ("duplicate", "Duplicate"),
    ("failed", "Failed"),
    ("rejected", "Rejected"),
    ("unauthorized", "Unauthorized"),
]
PAYLOAD_HEAD_BYTES = 4096


class OpsCallEvent(models.Model):
    """The journal: every webhook request, stored before it is processed."""

    _name = "ops.call_event"
    _description = "Ops line webhook event"
    _order = "id desc"

    provider = fields.Selection([("vapi", "Vapi"), ("retell", "Retell"), ("twilio", "Twilio")],
                                required=True, index=True)
    event_type = fields.Char(index=True)
    call_id = fields.Char(index=True)
    tool_call_ids = fields.Char("Tool call ids")
    dedupe_key = fields.Char(index="btree_not_null", copy=False,
                             help="Same key, same request: a repeat is answered from the first.")
    caller_number = fields.Char(index="btree_not_null")
    employee_id = fields.Many2one("hr.employee", index="btree_not_null")
    flow_id = fields.Many2one("ops.flow", string="Flow offered")
    checkin_id = fields.Many2one("ops.checkin", string="Check-in written")
    payload = fields.Text()
    payload_size = fields.Integer("Size (bytes)")
    remote_addr = fields.Char("From address")
    outcome = fields.Selection(OUTCOMES, default="received", required=True, index=True)
    http_status = fields.Integer("HTTP status")
    response = fields.Text()
    error = fields.Text()
    pin_failed = fields.Boolean("PIN failed")
    processed_date = fields.Datetime()
    replay_count = fields.Integer(readonly=True)

    @api.depends("provider", "event_type", "call_id")
    def _compute_display_name(self):
        for event in self:
            event.display_name = f"{event.provider or ''} {event.event_type or '?'} {event.call_id or ''}".strip()

    # ------------------------------------------------------------------ journal
    @api.model
    def _journal_refusal(self, provider, outcome, status, error, body=b"", remote_addr=None, size=None):
        """A request refused before processing (too big, unauthenticated, not
        JSON) is still journaled; unauthenticated bodies are not kept."""
        keep = outcome != "unauthorized"
        return self.create({
            "provider": provider, "outcome": outcome, "http_status": status, "error": error,
            "payload": body[:PAYLOAD_HEAD_BYTES].decode("utf-8", "replace") if keep else False,
            "payload_size": len(body) if size is None else size, "remote_addr": remote_addr,
            "response": json.dumps({"error": error}),
        })

    @api.model
    def _journal(self, provider, message, body, remote_addr=None):
        return self.create({
            "provider": provider, "event_type": message.type, "call_id": message.call_id or False,
            "tool_call_ids": " ".join(call.id for call in message.tool_calls) or False,
            "dedupe_key": self._dedupe_key(message), "caller_number": message.caller_number or False,
            "payload": body.decode("utf-8"), "payload_size": len(body), "remote_addr": remote_addr,
        })

    @staticmethod
    def _dedupe_key(message):
        if message.type == "tool-calls" and message.tool_calls:
            return "tool-calls:" + ",".join(sorted(call.id for call in message.tool_calls))
        if message.type == "end-of-call-report" and message.call_id:
            return "end-of-call-report:" + message.call_id
        return False

    def _earlier_answer(self):
        """The processed event this one repeats, if any."""
        self.ensure_one()
        if not self.dedupe_key:
            return self.browse()
        return self.search([("dedupe_key", "=", self.dedupe_key), ("provider", "=", self.provider),
                            ("outcome", "=", "processed"), ("id", "!=", self.id)], limit=1)

    # --------------------------------------------------------------- processing
    def _process(self, message=None):
        """Run the event through its provider's handler, isolated in a savepoint
        so a failure keeps the journal row (marked failed, replayable).
        ``message`` is the parsed payload when the caller has it already."""
        self.ensure_one()
        earlier = self._earlier_answer()
        if earlier:
            self.write({"outcome": "duplicate", "http_status": earlier.http_status,
                        "response": earlier.response, "checkin_id": earlier.checkin_id.id,
                        "processed_date": fields.Datetime.now()})
            return earlier.http_status, json.loads(earlier.response or "{}")
        message = message or vapi.parse_body(self.payload.encode("utf-8"))
        try:
            with self.env.cr.savepoint():
                answer = self.env["ops.line"]._handle_vapi(self, message)
        except Exception as error:  # noqa: BLE001 - any failure must leave a replayable record
            _logger.exception("Ops line: %s event %s failed", self.provider, self.id)
            answer = self.env["ops.line"]._vapi_failure_answer(message, error)
            self.write({"outcome": "failed", "error": "".join(traceback.format_exception(error)),
                        "http_status": answer[0], "response": json.dumps(answer[1])})
            return answer
        self.write({"outcome": "processed", "error": False, "http_status": answer[0],
                    "response": json.dumps(answer[1]), "processed_date": fields.Datetime.now()})
        return answer

    def action_replay(self):
        """Process a failed event again, from its stored payload."""
        for event in self.filtered(lambda e: e.outcome == "failed"):
            event.replay_count += 1
            event._process()
        return True
