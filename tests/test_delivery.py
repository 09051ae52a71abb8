"""Alerts reach people where they chose: Twilio's Messages API and Slack's and
Teams' webhooks are faked on loopback; the addon's own client talks to them."""

import datetime
import http.server
import json
import re
import urllib.parse

from freezegun import freeze_time

from twilio.request_validator import RequestValidator

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import serve_on_loopback, use_twilio
from .test_vapi import AM_CHECKIN, JOURNAL_LOG, VapiCase, tool_calls

LINK = re.compile(r"(/ops_coach/alert/[\w-]+)")
SID, TOKEN, SENDER = "AC_test", "auth-token", "+15550100000"
MORNING = "2026-11-24 15:00:00"  # 09:00 in Chicago, a Tuesday: at work
EVENING = "2026-11-25 04:00:00"  # 22:00 in Chicago: quiet hours


class FakeEndpoints(http.server.BaseHTTPRequestHandler):
    """Twilio's Messages API, a Slack and a Teams webhook, on loopback: records each
    request and answers with the next scripted status (201/200 when none is left)."""

    received = []
    statuses = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        json_body = self.headers.get("Content-Type", "").startswith("application/json")
        FakeEndpoints.received.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                       "body": json.loads(body) if json_body else dict(urllib.parse.parse_qsl(body))})
        twilio_api = self.path.endswith((".json",))
        status = FakeEndpoints.statuses.pop(0) if FakeEndpoints.statuses else (201 if twilio_api else 200)
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if twilio_api else "text/plain")
        self.end_headers()
        if twilio_api:
            sid = "CA42" if self.path.endswith("Calls.json") else "SM42"
            self.wfile.write(json.dumps({"sid": sid, "status": "queued"} if status < 300 else
                                        {"code": 20500, "message": "Internal error", "status": status}).encode())
        else:
            self.wfile.write(b"ok" if status < 300 else b"rollup_error")

    def log_message(self, *_args):
        pass


@tagged("post_install", "-at_install")
class TestAlertsReachPeople(VapiCase):
    """A technician's blocker reaches his manager where the manager chose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = serve_on_loopback(cls, FakeEndpoints)
        use_twilio(cls.env, base, SID, TOKEN, SENDER)
        cls.company.write({"ops_slack_webhook_url": f"{base}/slack/T000/B000/XXXX",
                           "ops_teams_webhook_url": f"{base}/teams/workflows/abc"})
        # the blocker rule tells the technician's manager; the customer route does too
        cls.env.ref("ops_coach.rule_blocker").notify_manager = True
        cls.emp_lead.write({"mobile_phone": "+1 512 555 0170", "tz": "America/Chicago"})
        # the technician's manager: he acts on his team's alerts
        cls.user_lead.groups_id = [Command.link(cls.env.ref("ops_coach.group_ops_manager").id)]
        cls.Delivery = cls.env["ops.delivery"]

    def setUp(self):
        super().setUp()
        FakeEndpoints.received.clear()
        FakeEndpoints.statuses.clear()

    def choose(self, *codes):
        self.emp_lead.ops_alert_channel_ids = [Command.set([
            self.env.ref(f"ops_coach.alert_channel_{code}").id for code in codes])]

    def blocker(self, call_id="call-1"):
        _s, body = self.post(tool_calls((f"log-{call_id}", "log_daily_checkin", dict(
            AM_CHECKIN, blocker_note="Homeowner not home, no access")), call_id=call_id))
        self.assertNotIn("error", body["results"][0])
        return self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id), ("kind", "=", "blocker")])

    def send(self):
        self.env.flush_all()
        return self.Delivery._cron_send()

    @freeze_time(MORNING)
    def test_a_blocker_texts_the_manager_and_his_link_acknowledges_it_as_him(self):
        self.choose("sms")
        alert = self.blocker()
        self.assertEqual(alert.assigned_user_id, self.user_lead)
        queued = self.Delivery.search([("alert_id", "=", alert.id)])
        self.assertEqual((queued.channel, queued.state, queued.user_id), ("sms", "queued", self.user_lead))
        self.send()
        self.assertEqual(len(FakeEndpoints.received), 1, "one text")
        text = FakeEndpoints.received[0]
        self.assertEqual(text["path"], f"/2010-04-01/Accounts/{SID}/Messages.json")
        self.assertEqual((text["body"]["To"], text["body"]["From"]), ("+15125550170", SENDER))
        self.assertIn("Tech T", text["body"]["Body"])
        self.assertIn("Homeowner not home", text["body"]["Body"])
        self.assertEqual((queued.state, queued.provider_ref, queued.sent_to), ("sent", "SM42", "…0170"))
        self.assertFalse(self.send(), "sent once")

        link = LINK.search(text["body"]["Body"]).group(1)
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Acknowledge", page.text)
        done = self.url_open(link, data={"do": "acknowledge"})
        self.assertIn("Acknowledged.", done.text)
        self.assertEqual((alert.state, alert.acknowledged_by_id), ("acknowledged", self.user_lead))
        refused = self.url_open(link, data={"do": "resolve", "note": ""})
        self.assertIn("resolution note", refused.text, "a resolve without a note says why, no traceback")
        self.url_open(link, data={"do": "resolve", "note": "Rebooked for Thursday"})
        self.assertEqual((alert.state, alert.resolved_by_id, alert.resolution_note),
                         ("resolved", self.user_lead, "Rebooked for Thursday"))
        closed = self.url_open(link)
        self.assertEqual(closed.status_code, 410)
        self.assertIn("This alert is closed", closed.text)
        self.assertEqual(self.url_open("/ops_coach/alert/not-a-token").status_code, 404)

    @freeze_time(MORNING)
    def test_slack_and_teams_get_the_alert_naming_the_technician(self):
        self.choose("slack", "teams")
        self.blocker()
        self.send()
        by_path = {request["path"].split("/")[1]: request["body"] for request in FakeEndpoints.received}
        self.assertIn("Tech T", by_path["slack"]["text"])
        self.assertIn("/ops_coach/alert/", by_path["slack"]["blocks"][1]["elements"][0]["url"])
        card = by_path["teams"]["attachments"][0]["content"]
        self.assertIn("Tech T", card["body"][0]["text"])

    @freeze_time(MORNING)
    def test_a_500_is_retried_once_and_the_alert_is_untouched(self):
        self.choose("sms")
        alert = self.blocker()
        FakeEndpoints.statuses[:] = [500]
        self.send()
        sent = self.Delivery.search([("alert_id", "=", alert.id)])
        self.assertEqual((sent.state, sent.attempts), ("failed", 1))
        self.assertIn("500", sent.last_error)
        self.assertEqual(alert.state, "new")
        self.assertFalse(self.send(), "not before its backoff")
        with freeze_time("2026-11-24 15:02:00"):
            self.send()
        self.assertEqual((sent.state, sent.attempts), ("sent", 2))
        self.assertEqual(len(FakeEndpoints.received), 2, "one failed try, then sent once")
        self.assertEqual(alert.state, "new")

    @freeze_time(MORNING)
    def test_a_400_is_final_and_says_why(self):
        self.choose("sms")
        alert = self.blocker()
        FakeEndpoints.statuses[:] = [400]
        self.send()
        sent = self.Delivery.search([("alert_id", "=", alert.id)])
        self.assertEqual(sent.state, "undeliverable")
        self.assertIn("400", sent.last_error)

    @freeze_time(EVENING)
    def test_at_ten_at_night_it_waits_for_the_next_working_hour(self):
        self.choose("sms")
        alert = self.blocker()
        waiting = self.Delivery.search([("alert_id", "=", alert.id)])
        self.assertEqual(waiting.state, "waiting")
        self.assertEqual(str(waiting.due_at), "2026-11-25 14:00:00", "08:00 in Chicago, his calendar's start")
        self.send()
        self.assertFalse(FakeEndpoints.received, "nothing at night")
        with freeze_time("2026-11-25 13:59:00"):
            self.send()
        self.assertFalse(FakeEndpoints.received)
        with freeze_time("2026-11-25 14:00:00"):
            self.send()
        self.assertEqual(len(FakeEndpoints.received), 1)

    def test_a_safety_report_texts_at_once_then_phones_and_a_keypress_acknowledges(self):
        """Whatever the hour and their choices: the manager and the ops director are texted
        at once; unacknowledged after 15 minutes, the manager is phoned; 1 acknowledges."""
        director_role = self.env.ref("ops_coach.role_ops_director")
        self.emp_director.write({"mobile_phone": "+1 512 555 0180", "tz": "America/Chicago"})
        self.env["ops.tech_profile"].search([("role_ids", "in", director_role.ids)]).role_ids = [
            Command.unlink(director_role.id)]  # the demo's, when loaded: this test's director only
        self.env["ops.tech_profile"].create({"employee_id": self.emp_director.id,
                                             "role_ids": [Command.set(director_role.ids)]})
        self.env["ir.config_parameter"].set_param("ops_coach.twilio_auth_token", "twilio-auth-token-for-tests")
        with freeze_time(EVENING):  # 22:00 in Chicago: safety ignores quiet hours
            _s, body = self.post(tool_calls(("safe", "report_safety_issue", {"safety_note": "Gas smell at the Lee job"}),
                                            call_id="call-safe"))
            self.assertNotIn("error", body["results"][0])
            alert = self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id), ("kind", "=", "safety_issue")])
            self.send()
            texts = {r["body"]["To"] for r in FakeEndpoints.received if r["path"].endswith("Messages.json")}
            self.assertEqual(texts, {"+15125550170", "+15125550180"}, "the manager and the ops director")
        with freeze_time("2026-11-25 04:10:00"):
            self.send()
            self.assertFalse([r for r in FakeEndpoints.received if r["path"].endswith("Calls.json")], "not yet")
        with freeze_time("2026-11-25 04:16:00"):
            self.send()
            self.send()
        calls = [r for r in FakeEndpoints.received if r["path"].endswith("Calls.json")]
        self.assertEqual(len(calls), 1, "one call: the manager")
        self.assertEqual(calls[0]["body"]["To"], "+15125550170")
        self.assertIn("Gas smell at the Lee job", calls[0]["body"]["Twiml"])
        self.assertIn("Press 1 to acknowledge", calls[0]["body"]["Twiml"])

        url = f"{self.base_url()}/ops_coach/twilio/alert_ack"
        form = {"CallSid": "CA42", "AccountSid": SID, "From": SENDER, "To": "+15125550170", "Digits": "1",
                "CallStatus": "in-progress", "Direction": "outbound-api"}
        signature = RequestValidator("twilio-auth-token-for-tests").compute_signature(url, form)
        with mute_logger(JOURNAL_LOG):  # a refused request is logged as a warning: expected here
            forged = self.url_open(url, data=urllib.parse.urlencode(form),
                                   headers={"Content-Type": "application/x-www-form-urlencoded",
                                            "X-Twilio-Signature": "x"})
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(alert.state, "new")
        pressed = self.url_open(url, data=urllib.parse.urlencode(form),
                                headers={"Content-Type": "application/x-www-form-urlencoded",
                                         "X-Twilio-Signature": signature})
        self.assertIn("Acknowledged", pressed.text)
        self.assertEqual((alert.state, alert.acknowledged_by_id), ("acknowledged", self.user_lead))
        with freeze_time("2026-11-25 04:40:00"):
            self.send()
        self.assertEqual(len([r for r in FakeEndpoints.received if r["path"].endswith("Calls.json")]), 1,
                         "acknowledged: the ops director is not phoned")

    def test_one_nudge_before_the_morning_call_counts_missed_and_none_on_a_day_off(self):
        self.env["ir.config_parameter"].set_param("ops_coach.line_number", "+1 512 555 0100")
        tech_texts = lambda: [r for r in FakeEndpoints.received  # noqa: E731
                              if r["path"].endswith("Messages.json") and r["body"]["To"] == "+15125550191"]
        with freeze_time("2026-11-24 15:35:00"):  # 09:35 in Chicago, a Tuesday: 25 minutes before the cutoff
            self.send()
            self.send()
        self.assertEqual(len(tech_texts()), 1, "one nudge a day")
        self.assertEqual(tech_texts()[0]["body"]["Body"],
                         "Morning Tech, the Ops line hasn't heard from you yet: call +1 512 555 0100 when you can.")
        with freeze_time("2026-11-29 15:35:00"):  # a Sunday: not a working day
            self.send()
        self.assertEqual(len(tech_texts()), 1)

    def test_no_nudge_for_whoever_has_called(self):
        self.post(tool_calls(("log-am", "log_daily_checkin", dict(AM_CHECKIN, blocker_present=False)), call_id="am"))
        with freeze_time("2026-11-24 15:35:00"):
            self.send()
        self.assertFalse([r for r in FakeEndpoints.received if r["body"].get("To") == "+15125550191"])

    def test_the_morning_briefing_goes_out_on_his_channel_as_a_short_text_and_a_link(self):
        self.choose("sms")
        self._checkin(self.emp_tech, start="2026-11-24 14:00:00", ready_status="not_ready", not_ready_reason="sick")
        with freeze_time("2026-11-24 14:30:00"):  # 08:30 in Chicago: at work
            now = datetime.datetime(2026, 11, 24, 14, 30)
            briefings = self.env["ops.briefing"]._brief_company(self.company, datetime.date(2026, 11, 24), now)
            mine = briefings.filtered(lambda b: b.user_id == self.user_lead)
            self.assertTrue(mine)
            self.send()
        texts = [r["body"]["Body"] for r in FakeEndpoints.received
                 if r["body"].get("To") == "+15125550170" and r["body"]["Body"].startswith("Ops briefing")]
        self.assertEqual(len(texts), 1, "the briefing, besides the attendance alert's own text")
        self.assertIn("1 not ready", texts[0])
        self.assertIn(f"/odoo/action-ops_coach.action_ops_briefing/{mine.id}", texts[0])
