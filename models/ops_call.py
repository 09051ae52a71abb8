import json

from odoo import api, fields, models


class OpsCall(models.Model):
    """One provider call: the row that serialises its webhook requests.

    Everything a request writes for a call happens after an upsert of this row.
    Under PostgreSQL's REPEATABLE READ (Odoo's isolation), a second request for
    the same call waits for the first to commit and then fails with a
    serialization error, which the journal retries in a fresh transaction that
    sees the first one's check-in: concurrent deliveries never both write.
    """

    _name = "ops.call"
    _description = "Ops line call"
    _order = "id desc"
    _rec_name = "provider_call_id"

    provider = fields.Char(required=True, readonly=True)
    provider_call_id = fields.Char("Call id", required=True, readonly=True, index=True)
    request_count = fields.Integer("Requests", readonly=True, default=0)
    event_ids = fields.One2many("ops.call_event", "call_ref_id", string="Journal")
    employee_id = fields.Many2one("hr.employee", readonly=True, help="Who is calling, once known.")
    script_state = fields.Text(
        readonly=True, help="A scripted call between turns (Twilio): the flow, the answers so far, the stage.")
    reasked_readings = fields.Char(
        readonly=True, help="Readings sent back once as out of range in this call (job:code): kept when said again.")

    _sql_constraints = [
        ("provider_call_uniq", "unique(provider, provider_call_id)", "One row per provider call."),
    ]

    def _script_state_dict(self):
        """The scripted call's state ({} before its first turn)."""
        self.ensure_one()
        return json.loads(self.script_state or "{}")

    @api.model
    def _lock(self, provider, call_id):
        """Take the call's row for this transaction (created on first use)."""
        self.env.cr.execute("""
            INSERT INTO ops_call (provider, provider_call_id, request_count, create_uid, write_uid,
                                  create_date, write_date)
                 VALUES (%(provider)s, %(call_id)s, 1, %(uid)s, %(uid)s, %(now)s, %(now)s)
            ON CONFLICT (provider, provider_call_id)
              DO UPDATE SET request_count = ops_call.request_count + 1, write_date = %(now)s
              RETURNING id
        """, {"provider": provider, "call_id": call_id, "uid": self.env.uid, "now": fields.Datetime.now()})
        return self.browse(self.env.cr.fetchone()[0])
