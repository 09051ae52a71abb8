from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..coach.vocabulary import META_KPIS

OWNER_DIGEST = "ops_coach.digest_ops_owner"


class Digest(models.Model):
    """The meta-KPIs in Odoo's periodic digest: the owner's weekly email."""

    _inherit = "digest.digest"

    kpi_ops_call_completion = fields.Boolean("Ops line: call completion (%)")
    kpi_ops_call_completion_value = fields.Float(compute="_compute_kpi_ops_values")
    kpi_ops_kpi_adherence = fields.Boolean("Ops line: KPI adherence (%)")
    kpi_ops_kpi_adherence_value = fields.Float(compute="_compute_kpi_ops_values")
    kpi_ops_alerts = fields.Boolean("Ops line: alerts per 10 people a week")
    kpi_ops_alerts_value = fields.Float(compute="_compute_kpi_ops_values")
    kpi_ops_hours_reclaimed = fields.Boolean("Ops line: manager hours reclaimed")
    kpi_ops_hours_reclaimed_value = fields.Float(compute="_compute_kpi_ops_values")
    kpi_ops_retention = fields.Boolean("Ops line: tech retention (%)")
    kpi_ops_retention_value = fields.Float(compute="_compute_kpi_ops_values")
    kpi_ops_blockers_same_day = fields.Boolean("Ops line: blockers cleared the same day (%)")
    kpi_ops_blockers_same_day_value = fields.Float(compute="_compute_kpi_ops_values")
    kpi_ops_blocker_hours = fields.Boolean("Ops line: hours to clear a blocker")
    kpi_ops_blocker_hours_value = fields.Float(compute="_compute_kpi_ops_values")

    @api.depends_context("start_datetime", "end_datetime", "company")
    def _compute_kpi_ops_values(self):
        # digest drops a KPI for a reader who gets an AccessError: the line's numbers are for its heads
        if not self.env.user.has_group("ops_coach.group_ops_director"):
            raise AccessError(self.env._("The Ops line's numbers are for its owner and ops director."))
        start, end, companies = self._get_kpi_compute_parameters()
        totals = self.env["ops.system_kpi"]._totals(
            [("company_id", "in", companies.ids), ("date", ">=", start[:10]), ("date", "<", end[:10])])
        for digest in self:
            for meta in META_KPIS:
                digest[f"kpi_ops_{meta.code}_value"] = meta.value(totals) or 0.0

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        res.update({
            "kpi_ops_call_completion": "ops_coach.action_ops_system_kpi",
            "kpi_ops_kpi_adherence": "ops_coach.action_ops_kpi_value",
            "kpi_ops_alerts": "ops_coach.action_ops_escalation",
            "kpi_ops_hours_reclaimed": "ops_coach.action_ops_checkin",
            "kpi_ops_retention": "ops_coach.action_ops_tech_profile",
            "kpi_ops_blockers_same_day": "ops_coach.action_ops_escalation",
            "kpi_ops_blocker_hours": "ops_coach.action_ops_escalation",
        })
        return res

    def _check_daily_logs(self):
        """The owner's weekly digest stays weekly: an owner who reads it by
        email without logging in is exactly who it is for."""
        owner_digest = self.env.ref(OWNER_DIGEST, raise_if_not_found=False) or self.browse()
        return super(Digest, self - owner_digest)._check_daily_logs()
