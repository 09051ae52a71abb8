from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..coach import delivery, lexicon
from ..models.ops_tools import company_time_text
from .photos import PRIVATE_HEADERS


class OpsCoachAlertLink(http.Controller):
    """The alert link a text, Slack or Teams message carries: its recipient
    acknowledges or resolves that one alert from his phone, no login. What he
    does is recorded as his own user."""

    @staticmethod
    def _delivery(token):
        env = request.env["ops.line"]._line_env()
        return env["ops.delivery"]._for_token(token)

    @staticmethod
    def _words(sent):
        """The recipient's words (the company's when the token is nobody's); the page is rendered in them."""
        lang = request.env["ops.line"]._line_env()["ops.line"]._language_of(sent.employee_id)
        request.update_context(lang=lang)
        return lexicon.for_language(lang)

    def _refused(self, reason, sent):
        title, text = delivery.ack_refusal_words(reason, self._words(sent))
        return request.render("ops_coach.photo_link_refused", {"title": title, "text": text},
                              status=404 if reason == "unknown" else 410, headers=PRIVATE_HEADERS)

    def _page(self, token, sent, said=""):
        alert = sent.alert_id
        self._words(sent)  # the page in the recipient's language
        return request.render("ops_coach.alert_link_page", {
            "title": alert.rule_id.name, "employee": alert.employee_id.name, "reason": alert.reason,
            "raised": company_time_text(alert.company_id, alert.raised_date), "state": dict(
                alert._fields["state"].selection)[alert.state].lower(),
            "can_acknowledge": alert.state == "new", "token": token, "said": said}, headers=PRIVATE_HEADERS)

    @http.route("/ops_coach/alert/<string:token>", type="http", auth="public", methods=["GET"],
                sitemap=False, readonly=True)
    def alert_page(self, token):
        sent = self._delivery(token)
        reason = sent._refusal()
        return self._refused(reason, sent) if reason else self._page(token, sent)

    # the token in the URL is the credential (no session cookie acts): no CSRF token to carry
    @http.route("/ops_coach/alert/<string:token>", type="http", auth="public", methods=["POST"],
                sitemap=False, csrf=False)
    def alert_act(self, token, do=None, note=None, **_kw):
        sent = self._delivery(token)
        reason = sent._refusal()
        if reason:
            return self._refused(reason, sent)
        alert = sent.alert_id.with_user(sent.user_id).sudo(False)
        try:
            if do == "acknowledge":
                alert.action_acknowledge()
                said = "Acknowledged."
            elif do == "resolve":
                alert.resolution_note = " ".join(str(note or "").split())[:2000] or False
                alert.action_resolve()
                said = "Resolved. Thank you."
            else:
                said = ""
        except AccessError:  # his rights changed since the alert was sent
            request.env.cr.rollback()
            said = "You may no longer act on this alert: open it in Odoo."
        except UserError as error:  # a note missing, or already acknowledged: said on the page
            request.env.cr.rollback()
            said = str(error)
        return self._page(token, self._delivery(token), said)
