import logging

from odoo import http
from odoo.http import request

from ..coach import vapi

_logger = logging.getLogger(__name__)


class OpsCoachVapi(http.Controller):
    """Vapi's Server URL. Authenticate, journal, then process; every request
    leaves an ``ops.call_event`` row."""

    @http.route("/ops_coach/vapi", type="http", auth="none", methods=["POST"], csrf=False,
                save_session=False, readonly=False)
    def vapi_webhook(self):
        httprequest = request.httprequest
        Events = request.env["ops.line"]._line_env()["ops.call_event"]
        remote = httprequest.remote_addr
        length = httprequest.content_length or 0
        if length > vapi.MAX_BODY_BYTES:
            # refused unread: the journal keeps its size, not its bytes
            Events._journal_refusal("vapi", "rejected", 413, f"body of {length} bytes is over 2 MiB",
                                    b"", remote, size=length)
            return self._json({"error": "body over 2 MiB"}, 413)
        body = httprequest.get_data()
        secret = request.env["ir.config_parameter"].sudo().get_param("ops_coach.vapi_secret")
        if not vapi.secret_matches(httprequest.headers, secret):
            _logger.warning("Ops line: unauthenticated Vapi request from %s", remote)
            Events._journal_refusal("vapi", "unauthorized", 401, "missing or wrong secret", body, remote)
            return self._json({"error": "unauthorized"}, 401)
        try:
            message = vapi.parse_body(body)
        except vapi.PayloadError as error:
            status = 413 if len(body) > vapi.MAX_BODY_BYTES else 400
            Events._journal_refusal("vapi", "rejected", status, str(error), body, remote)
            return self._json({"error": str(error)}, status)
        event = Events._journal("vapi", message, body, remote)
        status, answer = event._process(message)
        return self._json(answer, status)

    @staticmethod
    def _json(data, status):
        return request.make_json_response(data, status=status)
