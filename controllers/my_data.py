from odoo import http
from odoo.http import request

from ..coach import export

# what a person may take away of his own records, read under his own access rules
SECTIONS = {
    "checkins": ("ops.checkin", ["name", "checkin_date", "call_type", "ready_status", "not_ready_reason",
                                 "energy_level", "blocker_note", "kpi_action", "focus_summary", "commitment",
                                 "commitment_followup", "goal_action", "coaching_answer", "eod_kpi_hit",
                                 "eod_did_well", "eod_improve", "safety_note", "transcript", "summary"]),
    "alerts_about_me": ("ops.escalation", ["name", "raised_date", "state", "reason", "resolution_note",
                                           "resolved_date"]),
    "kpi_values": ("ops.kpi.value", ["kpi_id", "period_start", "value"]),
}


class OpsCoachMyData(http.Controller):
    """A copy of one's own Ops records (My page): check-ins, the alerts about
    him and his KPI values, as JSON or CSV, for the signed-in user only."""

    @http.route("/ops_coach/my_data.<any(json,csv):fmt>", type="http", auth="user", methods=["GET"],
                sitemap=False, readonly=True)
    def my_data(self, fmt):
        env = request.env
        domain = [("employee_id.user_id", "=", env.uid)]
        # found under his own access rules; his own words are his to read, whatever managers may
        sections = {name: [self._plain(row) for row in env[model].search(domain).sudo().read(["id"] + names)]
                    for name, (model, names) in SECTIONS.items()}
        if fmt == "json":
            body, mimetype = export.as_json(env.user.name, sections), "application/json"
        else:
            body, mimetype = export.as_csv(sections), "text/csv"
        return request.make_response(body, headers=[
            ("Content-Type", f"{mimetype}; charset=utf-8"), ("Cache-Control", "no-store"),
            ("Content-Disposition", f'attachment; filename="my-ops-data.{fmt}"')])

    @staticmethod
    def _plain(row):
        return {key: value[1] if isinstance(value, (tuple, list)) else value for key, value in row.items()}
