from odoo import http
from odoo.http import request

from ..coach import payload, providers


class OpsCoachRetell(http.Controller):
    """Retell's inbound webhook, custom functions and call events: one URL,
    signed with the API key (x-retell-signature)."""

    @http.route("/ops_coach/retell", type="http", auth="none", methods=["POST"], csrf=False,
                save_session=False, readonly=False)
    def retell_webhook(self):
        httprequest = request.httprequest
        length = httprequest.content_length or 0
        body = httprequest.get_data() if length <= payload.MAX_BODY_BYTES else b""  # refused unread
        status, answer = request.env["ops.call_event"]._receive(
            "retell", providers.SignedRequest(body, httprequest.headers), httprequest.remote_addr,
            size=max(length, len(body)))
        return request.make_json_response(answer, status=status)
