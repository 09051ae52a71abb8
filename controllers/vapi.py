from odoo import http
from odoo.http import request

from ..coach import vapi


class OpsCoachVapi(http.Controller):
    """Vapi's Server URL: authenticate, then hand the body to the journal."""

    @http.route("/ops_coach/vapi", type="http", auth="none", methods=["POST"], csrf=False,
                save_session=False, readonly=False)
    def vapi_webhook(self):
        httprequest = request.httprequest
        length = httprequest.content_length or 0
        body = httprequest.get_data() if length <= vapi.MAX_BODY_BYTES else b""  # refused unread
        secret = request.env["ir.config_parameter"].sudo().get_param("ops_coach.vapi_secret")
        status, answer = request.env["ops.call_event"]._receive(
            "vapi", body, httprequest.remote_addr, vapi.secret_matches(httprequest.headers, secret),
            size=max(length, len(body)))
        return request.make_json_response(answer, status=status)
