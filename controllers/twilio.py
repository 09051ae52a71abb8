import urllib.parse

from werkzeug.wrappers import Response

from odoo import http
from odoo.http import request

from ..coach import payload, providers


class OpsCoachTwilio(http.Controller):
    """A plain Twilio number running the flows with no LLM: the Voice URL, the
    answer of each <Gather>, and the status callback; and the key pressed on a
    safety call the line made (alert_ack). Every request is signed
    with the account's auth token (X-Twilio-Signature)."""

    @http.route(["/ops_coach/twilio/<any(voice,gather,status,alert_ack):kind>"], type="http", auth="none",
                methods=["POST"], csrf=False, save_session=False, readonly=False)
    def twilio_webhook(self, kind, **_form):
        httprequest = request.httprequest
        length = httprequest.content_length or 0
        # Odoo has parsed the form already (the stream is read): the journal keeps it re-encoded
        form = {name: httprequest.form.getlist(name) for name in httprequest.form} \
            if length <= payload.MAX_BODY_BYTES else {}
        body = urllib.parse.urlencode([(name, value) for name, values in form.items() for value in values]).encode()
        signed = providers.SignedRequest(body, httprequest.headers, self._requested_urls(httprequest), form)
        status, answer = request.env["ops.call_event"]._receive(
            "twilio", signed, httprequest.remote_addr, size=max(length, len(body)), kind=kind)
        if "twiml" in answer:
            return Response(answer["twiml"], status=status, content_type="text/xml; charset=utf-8")
        return request.make_json_response(answer, status=status)

    @staticmethod
    def _requested_urls(httprequest):
        """The URLs Twilio may have signed: the request's own, and the public
        URL when one is set (a proxy may have rewritten the request)."""
        public = request.env["ir.config_parameter"].sudo().get_param("ops_coach.public_url")
        query = httprequest.query_string.decode("latin-1")
        urls = [httprequest.url]
        if public:
            urls.append(public.rstrip("/") + httprequest.path + (f"?{query}" if query else ""))
        return tuple(urls)
