"""Retell webhooks signed as retell-sdk signs them, checked in the database."""

import json

from freezegun import freeze_time
from retell.lib.webhook_auth import symmetric

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_vapi import AM_CHECKIN, JOURNAL_LOG, VapiCase

API_KEY = "key_retell_webhook_badge"
URL = "/ops_coach/retell"
NUMBER = "+15125550191"
MORNING = "2026-11-24 13:00:00"  # 07:00 in Chicago


def call_object(call_id="retell-1", **extra):
    return dict({"call_id": call_id, "call_type": "phone_call", "direction": "inbound", "agent_id": "agent_ops",
                 "call_status": "ongoing", "from_number": NUMBER, "to_number": "+15550100000",
                 "start_timestamp": 1795525201500}, **extra)


class RetellCase(VapiCase):
    """Posts to the Retell webhook as Retell does; no tests of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("ops_coach.retell_api_key", API_KEY)

    def post_retell(self, body, key=API_KEY, signature=None):
        raw = json.dumps(body)
        headers = {"Content-Type": "application/json",
                   "X-Retell-Signature": signature or symmetric["sign"](raw, key)}
        response = self.url_open(URL, data=raw, headers=headers)
        return response.status_code, response.json()

    def retell_checkins(self, call_id="retell-1"):
        return self.Checkin.search([("provider", "=", "retell"), ("provider_call_id", "=", call_id)])


@tagged("post_install", "-at_install")
class TestRetellWebhook(RetellCase):
    @freeze_time(MORNING)
    def test_inbound_webhook_gives_the_callers_prompt_as_dynamic_variables(self):
        status, body = self.post_retell({"event": "call_inbound", "call_inbound": {
            "agent_id": "agent_ops", "from_number": NUMBER, "to_number": "+15550100000"}})
        self.assertEqual(status, 200)
        variables = body["call_inbound"]["dynamic_variables"]
        self.assertIn("Tech T (Technician)", variables["ops_prompt"])
        self.assertIn("[energy_level]", variables["ops_prompt"], "the same prompt as Vapi's")
        self.assertEqual(variables["employee_name"], "Tech T")
        self.assertTrue(all(isinstance(value, str) for value in variables.values()))
        self.assertEqual(body["call_inbound"]["metadata"]["employee_id"], self.emp_tech.id)
        event = self.last_event()
        self.assertRecordValues(event, [{"provider": "retell", "event_type": "call_inbound",
                                         "employee_id": self.emp_tech.id, "outcome": "processed"}])

    @freeze_time(MORNING)
    def test_unknown_number_gets_the_pin_script(self):
        _s, body = self.post_retell({"event": "call_inbound", "call_inbound": {
            "from_number": "+15125550999", "to_number": "+15550100000"}})
        self.assertIn("PIN", body["call_inbound"]["dynamic_variables"]["ops_first_message"])
        self.assertEqual(body["call_inbound"]["metadata"], {})

    @freeze_time(MORNING)
    def test_custom_function_logs_a_checkin_and_call_events_complete_it(self):
        function = {"name": "log_daily_checkin", "call": call_object(transcript="Agent: Morning"),
                    "args": dict(AM_CHECKIN, blocker_present=False, blocker_note="")}
        status, body = self.post_retell(function)
        self.assertEqual(status, 200)
        self.assertTrue(body["result"].startswith("Logged OPS/"), body)
        checkin = self.retell_checkins()
        self.assertRecordValues(checkin, [{"employee_id": self.emp_tech.id, "call_type": "am_checkin",
                                           "energy_level": 4, "commitment": "Photos on every job"}])
        # Retell retries a function it got no answer for: one check-in still
        self.assertEqual(self.post_retell(function), (200, body))
        self.assertEqual(self.last_event().outcome, "duplicate")
        self.assertEqual(len(self.retell_checkins()), 1)
        ended = call_object(call_status="ended", end_timestamp=1795525327900, duration_ms=126400,
                            disconnection_reason="user_hangup", transcript="Agent: Morning\nUser: Four")
        self.assertEqual(self.post_retell({"event": "call_ended", "call": ended}), (200, {}))
        analyzed = dict(ended, call_analysis={"call_summary": "Energy 4, ready.", "user_sentiment": "Positive",
                                              "call_successful": True, "custom_analysis_data": {}})
        self.assertEqual(self.post_retell({"event": "call_analyzed", "call": analyzed}), (200, {}))
        self.assertRecordValues(checkin, [{"duration_seconds": 126, "end_reason": "user_hangup",
                                           "transcript": "Agent: Morning\nUser: Four",
                                           "summary": "Energy 4, ready.", "completion_status": "complete"}])

    def test_context_function_returns_the_profile(self):
        _s, body = self.post_retell({"name": "get_tech_checkin_context", "call": call_object(), "args": {}})
        self.assertEqual(json.loads(body["result"])["name"], "Tech T")

    @mute_logger(JOURNAL_LOG)
    def test_wrong_stale_or_missing_signature_is_refused_and_journaled(self):
        function = {"name": "log_daily_checkin", "call": call_object(), "args": AM_CHECKIN}
        raw = json.dumps(function)
        with freeze_time("2026-11-24 12:00:00"):
            stale = symmetric["sign"](raw, API_KEY)
        for signature in (symmetric["sign"](raw, "another-key"), stale, "v=1,d=zz"):
            with freeze_time(MORNING):
                status, body = self.post_retell(function, signature=signature)
            self.assertEqual((status, body), (401, {"error": "unauthorized"}))
            self.assertRecordValues(self.last_event(), [{"provider": "retell", "outcome": "unauthorized",
                                                         "payload": False}])
        self.assertFalse(self.retell_checkins())
