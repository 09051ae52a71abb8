import base64
import datetime
import json
import logging
import random
import time
import traceback

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..coach import payload as payload_rules
from ..coach import providers

_logger = logging.getLogger(__name__)
OUTCOMES = [
    ("received", "Received"),
    ("processed", "Processed"),
    ("duplicate", "Duplicate"),
    ("failed", "Failed: will retry"),
    ("rejected", "Rejected"),
    ("unauthorized", "Unauthorized"),
]
EFFECT_STATES = [
    ("none", "None"),
    ("pending", "Pending"),
    ("done", "Done"),
    ("failed", "Failed: will retry"),
    ("stopped", "Stopped by a person"),
]
# a concurrent request for the same call: try again in a fresh transaction
CONCURRENCY_ERRORS = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected, pg_errors.LockNotAvailable,
                      pg_errors.UniqueViolation)
CONCURRENCY_TRIES = 6
RETRY_BACKOFF_MINUTES = (1, 2, 5, 15, 60, 180, 360)  # then every 6 hours, until it succeeds or is stopped
NEEDS_ATTENTION_AFTER = 3


class OpsCallEvent(models.Model):
    """The journal: every webhook request, committed before it is processed.

    A request is handled in three transactions: the journal row, then the
    caller's answers (check-ins), then the side effects (alerts, notes, to-dos,
    job updates). A failure in the second or third is written on the row and
    retried by a cron with backoff; it never changes the answers already saved.
    """

    _name = "ops.call_event"
    _description = "Ops line webhook event"
    _order = "id desc"

    provider = fields.Selection(providers.line_providers(), required=True, index=True)
    event_type = fields.Char(index=True)
    call_id = fields.Char("Provider call id", index=True)
    call_ref_id = fields.Many2one("ops.call", string="Call", index="btree_not_null", ondelete="set null")
    tool_call_ids = fields.Char("Tool call ids")
    dedupe_key = fields.Char(index="btree_not_null", copy=False,
                             help="Same key, same request: a repeat is answered from the first.")
    caller_number = fields.Char(index="btree_not_null")
    employee_id = fields.Many2one("hr.employee", index="btree_not_null")
    flow_id = fields.Many2one("ops.flow", string="Flow offered")
    checkin_ids = fields.Many2many("ops.checkin", string="Check-ins written")
    upload_link_ids = fields.One2many("ops.upload_link", "event_id", "Photo links")
    field_quote_ids = fields.One2many("ops.field_quote", "event_id", "Quotes from the field")
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    payload = fields.Text(help="The body as text; bytes PostgreSQL cannot hold in text are shown escaped.")
    payload_exact = fields.Boolean("Payload kept as sent", default=True,
                                   help="False when the text had to escape bytes; the raw body is kept too.")
    payload_raw = fields.Binary("Raw body", attachment=False)
    payload_size = fields.Integer("Size (bytes)")
    remote_addr = fields.Char("From address")
    outcome = fields.Selection(OUTCOMES, default="received", required=True, index=True)
    http_status = fields.Integer("HTTP status")
    response = fields.Text()
    error = fields.Text("Last error")
    effects_state = fields.Selection(EFFECT_STATES, "Side effects", default="none", required=True, index=True)
    attempts = fields.Integer(readonly=True, help="Failed tries at processing or side effects.")
    next_try_at = fields.Datetime("Next try", readonly=True, index="btree_not_null")
    needs_attention = fields.Boolean(compute="_compute_needs_attention", search="_search_needs_attention")
    pin_failed = fields.Boolean("PIN failed")
    processed_date = fields.Datetime()
    replay_count = fields.Integer(readonly=True)

    @api.depends("provider", "event_type", "call_id")
    def _compute_display_name(self):
        for event in self:
            event.display_name = f"{event.provider or ''} {event.event_type or '?'} {event.call_id or ''}".strip()

    @api.depends("attempts", "outcome", "effects_state")
    def _compute_needs_attention(self):
        for event in self:
            event.needs_attention = event._is_retrying() and event.attempts >= NEEDS_ATTENTION_AFTER

    def _search_needs_attention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on needs attention."))
        domain = ["&", ("attempts", ">=", NEEDS_ATTENTION_AFTER),
                  "|", ("outcome", "=", "failed"), ("effects_state", "=", "failed")]
        return domain if (operator == "=") == value else ["!"] + domain

    def _is_retrying(self):
        return self.outcome == "failed" or self.effects_state == "failed"

    # ------------------------------------------------------------------ intake
    @api.model
    def _receive(self, provider, signed, remote_addr, size=None, kind=None):
        """One webhook request, start to end: ``(http_status, json_answer)``.

        Every request leaves a committed journal row before it is processed.
        ``signed`` is the request as the provider authenticates it
        (``coach.providers.SignedRequest``); ``size`` the declared length when
        the body was refused unread; ``kind`` the kind of request when the
        route says it (Twilio).
        """
        adapter = providers.ADAPTERS[provider]
        body = signed.body
        size = len(body) if size is None else size
        if size > payload_rules.MAX_BODY_BYTES:
            return self._refuse(provider, "rejected", 413, "body over 2 MiB", size, remote_addr)
        credential = self.env["ir.config_parameter"].sudo().get_param(adapter.credential)
        if not adapter.authorized(credential, signed):
            _logger.warning("Ops line: unauthenticated %s request from %s", provider, remote_addr)
            return self._refuse(provider, "unauthorized", adapter.denied_status, "unauthorized", size, remote_addr)
        try:
            message = providers.ADAPTERS[provider].parse(body, kind)
        except payload_rules.PayloadError as error:
            return self._refuse(provider, "rejected", 400, str(error), size, remote_addr, body)
        event_id = self._in_new_transaction(lambda events: events._journal(provider, message, body, remote_addr).id)
        # only ids cross transactions: this request's own cursor may not see the new row
        event = self.browse(event_id)
        answer, effects_state = event._process_now(provider, message)
        if effects_state != "none":  # a start answer saved nothing: no third transaction
            event._run_effects_now()
        return answer

    def _refuse(self, provider, outcome, status, error, size, remote_addr, body=None):
        """Refused before processing: journaled all the same; unauthenticated
        and oversized bodies are not kept (``body`` None)."""
        values = {"provider": provider, "outcome": outcome, "http_status": status, "error": error,
                  "payload_size": size, "remote_addr": remote_addr, "response": json.dumps({"error": error})}
        if body is not None:
            values.update(self._payload_values(body))
        self._in_new_transaction(lambda events: events.create(values).id)
        return status, {"error": error}

    @api.model
    def _payload_values(self, body):
        text, exact = payload_rules.storable_body(body)
        values = {"payload": text, "payload_exact": exact, "payload_size": len(body)}
        if not exact:
            values["payload_raw"] = base64.b64encode(body)
        return values

    @api.model
    def _journal(self, provider, message, body, remote_addr=None):
        # the row only records what arrived: no record rule to weigh (its author stays the line's user)
        return self.sudo().create(dict(self._payload_values(body), **{
            "provider": provider, "event_type": message.type, "call_id": message.call_id or False,
            "tool_call_ids": " ".join(call.id for call in message.tool_calls)[:1000] or False,
            "dedupe_key": self._dedupe_key(providers.ADAPTERS[provider], message), "caller_number": message.caller_number or False,
            "remote_addr": remote_addr,
        }))

    @staticmethod
    def _dedupe_key(adapter, message):
        if adapter.is_tool(message) and message.tool_calls:
            return payload_rules.short_key("tool-calls", [call.id for call in message.tool_calls])
        if adapter.ends_call(message) and message.call_id:
            return payload_rules.short_key(message.type, [message.call_id])
        return False

    def _earlier_answer(self):
        """The processed event this one repeats, if any."""
        self.ensure_one()
        if not self.dedupe_key:
            return self.browse()
        return self.search([("dedupe_key", "=", self.dedupe_key), ("provider", "=", self.provider),
                            ("outcome", "=", "processed"), ("id", "!=", self.id)], limit=1)

    # ------------------------------------------------------------ transactions
    @api.model
    def _line_uid(self):
        return self.env["ops.line"]._line_uid()

    @api.model
    def _in_new_transaction(self, work):
        """Run ``work(events)`` in its own transaction as the Ops line's user and
        commit it; concurrent requests for the same call are retried."""
        uid = self._line_uid()
        for attempt in range(CONCURRENCY_TRIES):
            try:
                with self.env.registry.cursor() as cr:
                    # keep the environment referenced: the cursor flushes only live ones
                    env = api.Environment(cr, uid, {})
                    result = work(env[self._name])
                    env.flush_all()
                    return result
            except CONCURRENCY_ERRORS as error:
                if isinstance(error, pg_errors.UniqueViolation) and \
                        error.diag.constraint_name != "ops_checkin_provider_call_uniq":
                    raise
                if attempt == CONCURRENCY_TRIES - 1:
                    raise
                _logger.info("Ops line: concurrent request (%s), trying again", type(error).__name__)
                time.sleep(random.uniform(0, 0.05 * 2**attempt))
        return None  # unreachable: the last try returns or raises

    def _process_now(self, provider, message=None):
        """Process the journaled request: ``(answer, effects_state)``. A failure
        is recorded for the retry cron and the provider is told the request is kept."""
        self.ensure_one()

        def process(events):
            event = events.browse(self.id)
            return event._process(message), event.effects_state
        try:
            return self._in_new_transaction(process)
        except Exception as error:  # noqa: BLE001 - whatever failed, the row says so and is retried
            _logger.exception("Ops line: %s event %s failed", provider, self.id)
            message = message or self._in_new_transaction(lambda events: events.browse(self.id)._parsed())
            answer = providers.ADAPTERS[provider].failure_answer(message)
            self._record_failure(error, "processing", answer)
            return answer, "failed"

    def _run_effects_now(self):
        """Run the side effects of the answers this request saved."""
        self.ensure_one()
        try:
            self._in_new_transaction(lambda events: events.browse(self.id)._run_effects())
        except Exception as error:  # noqa: BLE001 - a side effect never costs the answers
            _logger.exception("Ops line: side effects of event %s failed", self.id)
            self._record_failure(error, "effects")

    def _record_failure(self, error, stage, answer=None):
        text = "".join(traceback.format_exception(error))

        def write(events):
            event = events.browse(self.id)
            values = {"error": f"[{stage}] {text}", "attempts": event.attempts + 1}
            values["next_try_at"] = fields.Datetime.now() + datetime.timedelta(
                minutes=RETRY_BACKOFF_MINUTES[min(event.attempts, len(RETRY_BACKOFF_MINUTES) - 1)])
            if stage == "processing":
                values["outcome"] = "failed"
                if answer:
                    values.update(http_status=answer[0], response=json.dumps(answer[1]))
            else:
                values["effects_state"] = "failed"
            event.write(values)
        self._in_new_transaction(write)

    # --------------------------------------------------------------- processing
    def _parsed(self):
        return providers.ADAPTERS[self.provider].parse(base64.b64decode(self.payload_raw) if self.payload_raw
                                      else (self.payload or "").encode("utf-8"), self.event_type)

    def _process(self, message=None):
        """Inside one transaction: take the call, answer a repeat from the
        first, else handle the message and save its answers."""
        self.ensure_one()
        message = message or self._parsed()
        if self.call_id:
            self.call_ref_id = self.env["ops.call"]._lock(self.provider, self.call_id)
        earlier = self._earlier_answer()
        if earlier:
            self.write({"outcome": "duplicate", "http_status": earlier.http_status, "response": earlier.response,
                        "checkin_ids": [fields.Command.set(earlier.checkin_ids.ids)],
                        "employee_id": earlier.employee_id.id,
                        "processed_date": fields.Datetime.now(), "next_try_at": False})
            return earlier.http_status, json.loads(earlier.response or "{}")
        adapter = providers.ADAPTERS[self.provider]
        line = self.env["ops.line"]._for_caller(self, message)  # in the caller's language
        status, answer = getattr(line, adapter.line_method)(self, message, adapter)
        pending = not adapter.saves_nothing(message) and (
            self.checkin_ids.filtered(lambda checkin: not checkin.effects_done)
            or self.field_quote_ids.filtered(lambda quote: quote.state == "pending")
            or self.upload_link_ids.filtered(lambda link: link.state == "to_send"))
        self.write({"outcome": "processed", "http_status": status, "response": json.dumps(answer),
                    "processed_date": fields.Datetime.now(), "next_try_at": False,
                    "effects_state": "pending" if pending else "none"})
        return status, answer

    def _run_effects(self):
        self.ensure_one()
        if self.effects_state not in ("pending", "failed"):
            return
        self.checkin_ids.filtered(lambda checkin: not checkin.effects_done)._run_side_effects()
        self.field_quote_ids._make()
        # last: a text that went out is not undone by a later failure in this transaction
        self.upload_link_ids._send()
        self.write({"effects_state": "done", "next_try_at": False})

    # -------------------------------------------------------------------- retry
    @api.model
    def _cron_retry(self, limit=200):
        """Retry failed processing and failed side effects whose time has come."""
        due = self.search([("next_try_at", "<=", fields.Datetime.now()),
                           "|", ("outcome", "=", "failed"), ("effects_state", "=", "failed")],
                          order="next_try_at", limit=limit)
        for event in due:
            event._retry()
        self.env["ops.upload_link"]._cron_recheck()
        return due

    def _retry(self):
        self.ensure_one()
        if self.outcome == "failed":
            self._process_now(self.provider)
        self._run_effects_now()

    def action_replay(self):
        """Retry now, from the stored payload (a person asked). The work runs in
        its own transactions, so nothing is written here before it."""
        for event in self.filtered(lambda e: e._is_retrying()):
            self._in_new_transaction(lambda events, e=event: events.browse(e.id).write(
                {"replay_count": events.browse(e.id).replay_count + 1}))
            event._retry()
        self.invalidate_recordset()
        return True

    def action_stop_retrying(self):
        """A person has looked at it: stop the automatic retries."""
        for event in self.filtered(lambda e: e._is_retrying()):
            event.write({"next_try_at": False,
                         "effects_state": "stopped" if event.effects_state == "failed" else event.effects_state})
        return True
