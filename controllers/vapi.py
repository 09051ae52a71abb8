from odoo import http
from odoo.http import request

from ..coach import payload, providers


class OpsCoachVapi(http.Controller):
    """Vapi's Server URL: the secret is checked, then the body goes to the journal."""

    @http.route("/ops_coach/vapi", type="http", auth="none", methods=["POST"], csrf=False,
                save_session=False, readonly=False)
    def vapi_webhook(self):
        httprequest = request.httprequest
        length = httprequest.content_length or 0
        body = httprequest.get_data() if length <= payload.MAX_BODY_BYTES else b""  # refused unread
        status, answer = request.env["ops.call_event"]._receive(
            "vapi", providers.SignedRequest(body, httprequest.headers), httprequest.remote_addr,
            size=max(length, len(body)))
        return request.make_json_response(answer, status=status)
