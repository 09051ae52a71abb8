"""Nothing a caller says is lost: answers are committed before side effects,
failures are retried, repeats and races answer from the first, and hostile
bodies are journaled and answered without a 500."""

import datetime
import json
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors as pg_errors

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_vapi import AM_CHECKIN, JOURNAL_LOG, VapiCase, envelope, tool_calls

NOW = datetime.datetime(2026, 11, 24, 15, 0)
# log_daily_checkin with exactly the argument set of seed 001 §6.2: no commitment
SEED_001_CHECKIN = {
    "call_type": "daily_checkin", "ready_status": "ready", "not_ready_reason": None, "energy_level": 4,
    "blocker_present": False, "blocker_note": None, "primary_kpi": "tech_first_time_fix",
    "kpi_action_today": "Test every capacitor before leaving", "coach_prompt_used": "Achiever line",
    "focus_summary_5_words": "Zero callbacks on capacitors", "goal_action_today": "Read one chapter",
    "call_completed": True, "duration_seconds": 95, "call_id": "call-1",
}
BLOCKED = dict(AM_CHECKIN, blocker_present=True, blocker_note="Truck AC is out")
CALLER = {"id": "call-hostile", "customer": {"number": "+15125550191"}}


@tagged("post_install", "-at_install")
class TestNothingLost(VapiCase):

    def journal(self, call_id="call-1"):
        return self.Event.search([("call_id", "=", call_id)])

    def alerts(self, kind):
        return self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id), ("kind", "=", kind)])

    # ------------------------------------------- finding 1: a repeated alert
    @freeze_time(NOW)
    def test_a_second_blocker_while_the_first_alert_is_open_keeps_the_checkin(self):
        _s, first = self.post(tool_calls(("t1", "log_daily_checkin", BLOCKED), call_id="call-mon"))
        _s, second = self.post(tool_calls(("t2", "log_daily_checkin", dict(BLOCKED, blocker_note="Truck AC still out")),
                                          call_id="call-tue"))
        self.assertTrue(first["results"][0]["result"].startswith("Logged"))
        self.assertTrue(second["results"][0]["result"].startswith("Logged"), second)
        monday, tuesday = self.checkins("call-mon"), self.checkins("call-tue")
        self.assertTrue(monday and tuesday, "both calls' answers are in the database")
        alert = self.alerts("blocker")
        self.assertEqual(len(alert), 1, "one open alert per rule, person and kind of blocker")
        self.assertEqual(alert.checkin_ids, monday | tuesday, "the second call is added as evidence")
        note = alert.message_ids.filtered(lambda m: "Truck AC still out" in (m.body or ""))
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"), "OdooBot posts, not the line user")
        events = self.journal("call-mon") | self.journal("call-tue")
        self.assertEqual(set(events.mapped("outcome")), {"processed"})
        self.assertEqual(set(events.mapped("effects_state")), {"done"})

    # ------------------------------------ side effects after, and retried
    @freeze_time(NOW)
    def test_a_failing_side_effect_never_costs_the_answers_and_is_retried(self):
        Rule = type(self.env["ops.escalation_rule"])
        with patch.object(Rule, "_apply_checkin_rules", side_effect=RuntimeError("mail server down")), \
                mute_logger(JOURNAL_LOG):
            status, body = self.post(tool_calls(("t1", "log_daily_checkin", BLOCKED)))
        self.assertEqual(status, 200)
        self.assertTrue(body["results"][0]["result"].startswith("Logged"), "the caller hears it was logged")
        checkin = self.checkins()
        self.assertRecordValues(checkin, [{"blocker_note": "Truck AC is out", "effects_done": False}])
        event = self.journal()
        self.assertRecordValues(event, [{"outcome": "processed", "effects_state": "failed", "attempts": 1}])
        self.assertIn("mail server down", event.error)
        self.assertEqual(event.next_try_at, NOW + datetime.timedelta(minutes=1))
        self.assertFalse(self.alerts("blocker"))
        # not due yet: the cron leaves it
        self.assertFalse(self.Event._cron_retry())
        with freeze_time(NOW + datetime.timedelta(minutes=2)):
            self.assertEqual(self.Event._cron_retry(), event)
        event.invalidate_recordset()
        checkin.invalidate_recordset()
        self.assertRecordValues(event, [{"effects_state": "done", "attempts": 1, "next_try_at": False}])
        self.assertTrue(checkin.effects_done)
        self.assertEqual(self.alerts("blocker").checkin_ids, checkin, "the retry raised the alert")

    @freeze_time(NOW)
    def test_retries_back_off_and_a_person_can_stop_them(self):
        Rule = type(self.env["ops.escalation_rule"])
        with patch.object(Rule, "_apply_checkin_rules", side_effect=RuntimeError("still down")), \
                mute_logger(JOURNAL_LOG):
            self.post(tool_calls(("t1", "log_daily_checkin", BLOCKED)))
            event = self.journal()
            for minutes in (2, 5, 12):
                with freeze_time(NOW + datetime.timedelta(minutes=minutes)):
                    self.Event._cron_retry()
        event.invalidate_recordset()
        self.assertEqual(event.attempts, 4)
        self.assertTrue(event.needs_attention)
        self.assertIn(event, self.Event.search([("needs_attention", "=", True)]))
        event.with_user(self.user_owner).action_stop_retrying()
        event.invalidate_recordset()
        self.assertRecordValues(event, [{"effects_state": "stopped", "next_try_at": False}])
        with freeze_time(NOW + datetime.timedelta(days=1)):
            self.assertFalse(self.Event._cron_retry())

    @freeze_time(NOW)
    def test_a_failed_processing_is_retried_by_the_cron(self):
        Line = type(self.env["ops.line"])
        with patch.object(Line, "_tool_log_daily_checkin", side_effect=RuntimeError("hiccup")), \
                mute_logger(JOURNAL_LOG):
            _s, body = self.post(tool_calls(("t1", "log_daily_checkin", BLOCKED)))
        self.assertEqual(body["results"][0]["result"], "Thanks, I have it; it is kept and will be saved in a moment.")
        self.assertFalse(self.checkins())
        with freeze_time(NOW + datetime.timedelta(minutes=1)):
            self.Event._cron_retry()
        event = self.journal()
        event.invalidate_recordset()
        self.assertRecordValues(event, [{"outcome": "processed", "effects_state": "done", "attempts": 1}])
        self.assertEqual(self.checkins().blocker_note, "Truck AC is out")
        self.assertTrue(self.alerts("blocker"))

    # ------------------------------------------------ concurrency mechanism
    def test_a_concurrent_request_for_the_same_call_is_retried_in_a_new_transaction(self):
        tries = []

        def work(events):
            tries.append(events.env.cr)
            if len(tries) == 1:  # what PostgreSQL raises when another worker took the call first
                raise pg_errors.SerializationFailure("could not serialize access due to concurrent update")
            return events.browse()._name

        self.assertEqual(self.Event._in_new_transaction(work), "ops.call_event")
        self.assertEqual(len(tries), 2)
        self.assertNotEqual(tries[0], tries[1], "each try has its own cursor")

    def test_the_call_row_serialises_requests_and_counts_them(self):
        self.post(envelope("assistant-request", call_id="call-count"))
        self.post(tool_calls(("c1", "get_tech_checkin_context", {}), call_id="call-count"))
        call = self.env["ops.call"].search([("provider_call_id", "=", "call-count")])
        self.assertEqual(call.request_count, 2)
        self.assertEqual(self.journal("call-count").call_ref_id, call)

    # -------------------------------- end-of-call racing a tool call, in order
    @freeze_time(NOW)
    def test_answers_after_the_end_of_call_report_fill_its_placeholder(self):
        self.post(envelope("assistant-request"))
        self.post(envelope("end-of-call-report", endedReason="customer-ended-call",
                           analysis={"summary": "Truck AC out"}, artifact={"transcript": "..."}))
        placeholder = self.checkins()
        self.assertRecordValues(placeholder, [{"completion_status": "incomplete", "is_placeholder": True}])
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", BLOCKED)))
        self.assertTrue(body["results"][0]["result"].startswith("Logged"), body)
        checkin = self.checkins()
        self.assertEqual(checkin, placeholder, "filled, not a second check-in and not 'already logged'")
        self.assertRecordValues(checkin, [{
            "completion_status": "complete", "is_placeholder": False, "energy_level": 4,
            "blocker_note": "Truck AC is out", "end_reason": "customer-ended-call", "summary": "Truck AC out"}])
        self.assertEqual(self.alerts("blocker").checkin_ids, checkin, "its side effects ran once filled")

    def test_a_placeholder_of_another_call_type_is_filled_by_the_answers(self):
        # 21:30 in Chicago: the flow offered is the end-of-day close-out, the caller does the AM pulse
        with freeze_time("2026-11-25 03:30:00"):
            self.post(envelope("assistant-request", call_id="call-late"))
            self.post(envelope("end-of-call-report", call_id="call-late", endedReason="customer-ended-call",
                               analysis={}, artifact={}))
            self.assertEqual(self.checkins("call-late").call_type, "eod_closeout")
            self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN), call_id="call-late"))
        self.assertRecordValues(self.checkins("call-late"), [{
            "call_type": "am_checkin", "energy_level": 4, "completion_status": "complete",
            "end_reason": "customer-ended-call", "is_placeholder": False}])

    # -------------------------------------------------- seed 001's contract
    def test_seed_001_arguments_alone_log_a_checkin(self):
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", SEED_001_CHECKIN)))
        self.assertTrue(body["results"][0]["result"].startswith("Logged"), body)
        self.assertRecordValues(self.checkins(), [{
            "energy_level": 4, "blocker_flag": False, "kpi_action": "Test every capacitor before leaving",
            "commitment": "Test every capacitor before leaving", "focus_summary": "Zero callbacks on capacitors",
            "goal_action": "Read one chapter", "completion_status": "complete"}])

    def test_errors_and_prompt_use_the_tool_argument_names(self):
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", dict(
            SEED_001_CHECKIN, blocker_present="perhaps", focus_summary_5_words="one two three four five six"))))
        self.assertEqual(body["results"][0]["error"], "blocker_present must be yes or no; "
                                                      "focus_summary_5_words must be 5 words or fewer, got 6")
        self.profile_tech.goal_90d = "Lead tech by spring"  # every step is described
        with freeze_time("2026-11-24 13:00:00"):
            _s, body = self.post(envelope("assistant-request"))
        system = body["assistant"]["model"]["messages"][0]["content"]
        schema = {tool["function"]["name"]: tool["function"]["parameters"]["properties"]
                  for tool in body["assistant"]["model"]["tools"]}
        for key in ("blocker_present", "kpi_action_today", "focus_summary_5_words", "goal_action_today"):
            self.assertIn(f"[{key}]", system)
            self.assertIn(key, schema["log_daily_checkin"])
        for internal in ("[blocker_flag]", "[kpi_action]", "[focus_summary]", "[goal_action]"):
            self.assertNotIn(internal, system)

    # ------------------------------------------------------ hostile bodies
    @mute_logger(JOURNAL_LOG, "odoo.http")
    def test_hostile_bodies_are_journaled_and_never_a_500(self):
        deep = '{"message": ' * 5000 + "{}" + "}" * 5000
        samples = [
            # (raw body, expected status)
            (b'{"message": {"type": "tool-calls", "call": {"id": "n\\u0000ul", "customer": {"number": "+15125550191"}},'
             b' "toolCallList": [{"id": "x",'
             b' "function": {"name": "log_daily_checkin", "arguments": {"call_type": "daily_checkin",'
             b' "ready_status": "ready", "energy_level": 3, "blocker_present": true, "blocker_note": "a\\u0000b",'
             b' "kpi_action_today": "One\\u0000 call by 9", "focus_summary_5_words": "Calls",'
             b' "commitment": "c"}}}]}}', 200),
            (b'{"message": {"type": "status-update", "raw": "nul \x00 byte"}}', 400),
            (b'{"message": {"type": "status-update", "note": "\xff\xfe invalid utf-8"}}', 400),
            (json.dumps({"message": {"type": "end-of-call-report", "call": "not an object"}}).encode(), 200),
            (json.dumps({"message": {"type": "end-of-call-report", "call": {"id": ["x"], "customer": 7},
                                     "durationSeconds": 10**30, "artifact": {"transcript": {"a": 1}},
                                     "startedAt": 5, "endedAt": "yesterday"}}).encode(), 200),
            (json.dumps({"message": {"type": "tool-calls", "call": CALLER, "toolCallList": [{"id": "h1", "function": {
                "name": "log_daily_checkin", "arguments": {"call_type": ["am"], "energy_level": 10**30,
                                                           "duration_seconds": 10**30}}}]}}).encode(), 200),
            (json.dumps({"message": {"type": "tool-calls", "call": CALLER, "toolCallList": [{"id": "h2", "function": {
                "name": "log_job_closeout", "arguments": {"job_ref": "9" * 40}}}]}}).encode(), 200),
            (json.dumps({"message": {"type": "tool-calls", "call": CALLER, "toolCallList": [{"id": "h3", "function": {
                "name": "verify_pin", "arguments": {"pin": {"digits": 1234}, "name": [1]}}}]}}).encode(), 200),
            (json.dumps({"message": {"type": "tool-calls", "call": {"id": "i" * 5000}, "toolCallList": [
                {"id": "t" * 5000, "function": {"name": "get_tech_checkin_context", "arguments": None}}]}}).encode(),
             200),
            (json.dumps({"message": {"type": "tool-calls", "toolCallList": "nope"}}).encode(), 400),
            (json.dumps({"message": {"type": "tool-calls", "toolCallList": [{"function": {"name": 5}}]}}).encode(),
             400),
            (json.dumps({"message": {"type": ["assistant-request"]}}).encode(), 400),
            (json.dumps({"message": "assistant-request"}).encode(), 400),
            (json.dumps([1, 2, 3]).encode(), 400),
            (b'{"message": {"type": "status-update", "n": 1e400}}', 400),
            (b'{"message": {"type": "status-update", "n": NaN}}', 400),
            (deep.encode(), 400),
            (b"  ", 400),
        ]
        for body, expected in samples:
            before = self.Event.search_count([])
            response = self.url_open("/ops_coach/vapi", data=body, headers={
                "Content-Type": "application/json", "X-Vapi-Secret": "test-secret-value"})
            self.assertEqual(response.status_code, expected, body[:120])
            response.json()  # always a JSON answer
            self.assertEqual(self.Event.search_count([]), before + 1, f"journaled: {body[:120]}")
            event = self.Event.search([], limit=1)
            self.assertEqual(event.http_status, expected)
            self.assertNotIn("\x00", event.payload or "")
        nul = self.Event.search([("payload", "like", "nul \\\\x00 byte")])
        self.assertRecordValues(nul, [{"outcome": "rejected", "payload_exact": False}])
        self.assertTrue(nul.payload_raw, "the bytes are kept as sent")
        self.assertEqual(self.checkins("nul").blocker_note, "ab", "NUL removed, the answers saved")
        self.assertFalse(self.Event.search([("outcome", "=", "failed")]), "nothing failed")
