import datetime
import logging

from odoo import api, fields, models

from .ops_tools import line_now

_logger = logging.getLogger(__name__)
# what a caller said in his own words, and the provider's record of the call: erased after the
# company's retention; the numbers stay (energy, readiness, KPI focus, commitments and whether kept),
# and so do blocker and safety notes, which alerts and jobs still stand on
ERASED_CHECKIN_TEXT = ("transcript", "summary", "coaching_answer", "owner_constraint", "avoided_decision",
                       "red_flag_note", "eod_did_well", "eod_improve", "goal_action")
# journal rows still to be retried keep their body
ERASABLE_OUTCOMES = ("processed", "duplicate", "rejected", "unauthorized")
SETTLED_EFFECTS = ("none", "done", "stopped")


class ResCompany(models.Model):
    _inherit = "res.company"

    ops_retention_days = fields.Integer(
        "Keep call words (days)", default=90,
        help="Transcripts, summaries, free-text answers and the webhook journal's bodies are erased after this "
             "many days; the numbers stay.")

    _sql_constraints = [("ops_retention_positive", "CHECK(ops_retention_days > 0)",
                         "Call words are kept at least one day.")]


class OpsRetention(models.AbstractModel):
    """The daily erasure of what callers said, company by company."""

    _name = "ops.retention"
    _description = "Ops retention"

    @api.model
    def _cron_erase(self):
        """Erase, per company, the words of calls older than its retention;
        returns ``{company_id: (check-ins, journal rows)}`` and logs it."""
        now = line_now(self.env)
        erased = {}
        for company in self.env["res.company"].search([("active", "in", (True, False))]):
            before = now - datetime.timedelta(days=company.ops_retention_days or 90)
            erased[company.id] = (self._erase_checkins(company, before), self._erase_journal(company, before))
            if any(erased[company.id]):
                _logger.info("Ops retention (%s days) for %s: words erased from %s check-ins and %s journal rows",
                             company.ops_retention_days, company.name, *erased[company.id])
        return erased

    @api.model
    def _erase_checkins(self, company, before):
        Checkin = self.env["ops.checkin"].with_context(active_test=False, tracking_disable=True)
        has_words = ["|"] * (len(ERASED_CHECKIN_TEXT) - 1) + [(name, "!=", False) for name in ERASED_CHECKIN_TEXT]
        old = Checkin.search([("company_id", "=", company.id), ("start", "<", before)] + has_words)
        old.write(dict.fromkeys(ERASED_CHECKIN_TEXT, False))
        return len(old)

    @api.model
    def _erase_journal(self, company, before):
        Event = self.env["ops.call_event"]
        old = Event.search([("received_at", "<", before), ("outcome", "in", ERASABLE_OUTCOMES),
                            ("effects_state", "in", SETTLED_EFFECTS),
                            "|", ("payload", "!=", False), ("payload_raw", "!=", False),
                            "|", ("employee_id", "=", False), ("employee_id.company_id", "=", company.id)])
        old.write({"payload": False, "payload_raw": False, "response": False})
        return len(old)
