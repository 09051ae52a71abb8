import datetime
import json
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..coach import providers
from .common import OpsCoachCase

SECRET = "test-secret-value"
URL = "/ops_coach/vapi"
JOURNAL_LOG = "odoo.addons.ops_coach.models.ops_call_event"
# 07:00 in Chicago, the test technician's timezone: inside the AM flow's window
CHICAGO_MORNING = "2026-11-24 13:00:00"
# 18:51 in Chicago: the close-out and end-of-day flows are open, the AM flow is not
CHICAGO_EVENING = "2026-11-25 00:51:00"


def envelope(kind, call_id="call-1", number="+15125550191", **message):
    call = {"id": call_id, "type": "inboundPhoneCall", "customer": {"number": number} if number else {}}
    return {"message": dict({"type": kind, "call": call, "customer": call["customer"],
                             "phoneNumber": {"id": "pn_1", "number": "+15550100000"}}, **message)}


def tool_calls(*calls, call_id="call-1", number="+15125550191", as_string=False):
    items = [{"id": tool_id, "type": "function",
              "function": {"name": name, "arguments": json.dumps(args) if as_string else args}}
             for tool_id, name, args in calls]
    return envelope("tool-calls", call_id, number, toolCallList=items)


AM_CHECKIN = {  # exactly the argument names of seed 001
    "call_type": "daily_checkin", "ready_status": "ready", "energy_level": 4, "blocker_present": True,
    "blocker_note": "Waiting on a capacitor", "primary_kpi": "tech_first_time_fix",
    "kpi_action_today": "Test every capacitor before leaving", "coach_prompt_used": "Achiever line",
    "focus_summary_5_words": "Zero callbacks on capacitors", "goal_action_today": "Read one chapter",
    "commitment": "Photos on every job", "call_completed": True, "duration_seconds": 95,
}


class VapiCase(HttpCase, OpsCoachCase):
    """Posts to the Vapi webhook as Vapi does; no tests of its own. The line's
    clock is a Tuesday morning unless a test sets another: which flows are open
    depends on the caller's local time, never on when the suite runs."""

    freeze_time = CHICAGO_MORNING

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("ops_coach.vapi_secret", SECRET)
        cls.profile_tech.write({"strength_line_ids": [
            Command.create({"sequence": 1, "strength_id": cls.env.ref("ops_coach.strength_achiever").id})]})
        cls.Event = cls.env["ops.call_event"]
        cls.Checkin = cls.env["ops.checkin"]

    def post(self, payload, headers=None, raw=None):
        headers = {"Content-Type": "application/json", "X-Vapi-Secret": SECRET} if headers is None else headers
        response = self.url_open(URL, data=raw if raw is not None else json.dumps(payload), headers=headers)
        return response.status_code, response.json()

    def checkins(self, call_id="call-1"):
        return self.Checkin.search([("provider", "=", "vapi"), ("provider_call_id", "=", call_id)])

    def last_event(self):
        return self.Event.search([], limit=1)


@tagged("post_install", "-at_install")
class TestVapiWebhook(VapiCase):
    # -------------------------------------------------------------- auth
    @mute_logger(JOURNAL_LOG)
    def test_wrong_or_missing_secret_is_401_and_journaled_without_payload(self):
        for headers in ({"X-Vapi-Secret": "nope"}, {"Authorization": "Bearer nope"}, {}):
            status, body = self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN)),
                                     headers=dict(headers, **{"Content-Type": "application/json"}))
            self.assertEqual((status, body), (401, {"error": "unauthorized"}))
            event = self.last_event()
            self.assertEqual((event.outcome, event.http_status), ("unauthorized", 401))
            self.assertFalse(event.payload)
        self.assertFalse(self.checkins())

    def test_bearer_token_is_accepted(self):
        status, _body = self.post(envelope("status-update", status="in-progress"),
                                  headers={"Authorization": f"Bearer {SECRET}", "Content-Type": "application/json"})
        self.assertEqual(status, 200)

    @mute_logger(JOURNAL_LOG)
    def test_no_secret_configured_refuses_everything(self):
        self.env["ir.config_parameter"].set_param("ops_coach.vapi_secret", "")
        status, _body = self.post(envelope("status-update"))
        self.assertEqual(status, 401)

    # ------------------------------------------------------- bad input
    def test_malformed_json_is_400_and_journaled(self):
        status, body = self.post(None, raw='{"message": {"type": ')
        self.assertEqual(status, 400)
        self.assertIn("not JSON", body["error"])
        event = self.last_event()
        self.assertEqual((event.outcome, event.payload), ("rejected", '{"message": {"type": '))

    def test_body_over_2_mib_is_413_and_journaled(self):
        big = json.dumps(envelope("status-update", padding="x" * (2 * 1024 * 1024)))
        status, _body = self.post(None, raw=big)
        self.assertEqual(status, 413)
        event = self.last_event()
        self.assertEqual((event.outcome, event.http_status), ("rejected", 413))
        self.assertEqual(event.payload_size, len(big))

    def test_not_a_vapi_message_is_400(self):
        status, body = self.post({"hello": "world"})
        self.assertEqual(status, 400)
        self.assertIn('"message"', body["error"])

    # ------------------------------------------------- assistant-request
    @freeze_time(CHICAGO_MORNING)
    def test_known_caller_gets_their_role_flow_and_tools(self):
        status, body = self.post(envelope("assistant-request", number="+1 (512) 555-0191"))
        self.assertEqual(status, 200)
        assistant = body["assistant"]
        system = assistant["model"]["messages"][0]["content"]
        self.assertIn("Tech T (Technician)", system)
        self.assertIn("support, not surveillance", system)
        self.assertIn(self.env.ref("ops_coach.strength_achiever").coaching_prompt, system)
        self.assertIn("Kill switch", system)
        self.assertIn("Energy today, one to five?", system)
        names = [tool["function"]["name"] for tool in assistant["model"]["tools"]]
        self.assertIn("log_daily_checkin", names)
        self.assertNotIn("verify_pin", names)
        self.assertTrue(assistant["server"]["url"].endswith(URL))
        event = self.last_event()
        self.assertEqual((event.employee_id, event.outcome), (self.emp_tech, "processed"))

    @freeze_time(CHICAGO_MORNING)
    def test_editing_a_step_changes_what_the_next_caller_is_asked(self):
        step = self.env.ref("ops_coach.flow_tech_am_step_energy_level")
        step.question = "How charged is your battery, one to five?"
        _status, body = self.post(envelope("assistant-request"))
        self.assertIn("How charged is your battery", body["assistant"]["model"]["messages"][0]["content"])

    def test_unknown_and_withheld_numbers_get_the_same_pin_assistant(self):
        _s, unknown = self.post(envelope("assistant-request", number="+15125550999"))
        _s, withheld = self.post(envelope("assistant-request", number=None))
        self.assertEqual(unknown, withheld)
        self.assertIn("PIN", unknown["assistant"]["firstMessage"])
        self.assertIn("verify_pin", [t["function"]["name"] for t in unknown["assistant"]["model"]["tools"]])

    # --------------------------------------------------------- tool-calls
    def test_context_tool_returns_the_profile(self):
        _s, body = self.post(tool_calls(("ctx", "get_tech_checkin_context", {}), as_string=True))
        result = body["results"][0]
        self.assertEqual(result["toolCallId"], "ctx")
        context = json.loads(result["result"])
        self.assertEqual(context["name"], "Tech T")
        self.assertEqual(context["primary_kpi"], self.role_tech.kpi_ids[0].name)
        self.assertEqual(context["top_strengths"], ["Achiever"])

    def test_seed_001_checkin_lands_in_the_database(self):
        status, body = self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN)))
        self.assertEqual(status, 200)
        self.assertTrue(body["results"][0]["result"].startswith("Logged OPS/"))
        checkin = self.checkins()
        self.assertEqual(len(checkin), 1)
        self.assertRecordValues(checkin, [{
            "employee_id": self.emp_tech.id, "call_type": "am_checkin", "role_id": self.role_tech.id,
            "ready_status": "ready", "energy_level": 4, "blocker_flag": True,
            "blocker_note": "Waiting on a capacitor", "kpi_action": "Test every capacitor before leaving",
            "focus_summary": "Zero callbacks on capacitors", "goal_action": "Read one chapter",
            "commitment": "Photos on every job", "duration_seconds": 95, "completion_status": "complete",
            "primary_kpi_id": self.kpi_ftf.id, "coach_prompt_used": "Achiever line",
        }])
        self.assertEqual(checkin.create_uid, self.env.ref("ops_coach.user_ops_line"))
        blocker = self.env["ops.escalation"].search([("checkin_ids", "in", checkin.ids)])
        self.assertEqual(blocker.kind, "blocker", "the blocker rule fired as the call was logged")

    def test_invalid_argument_comes_back_speakable_and_writes_nothing(self):
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", dict(AM_CHECKIN, energy_level=7))))
        self.assertEqual(body["results"][0], {"name": "log_daily_checkin", "toolCallId": "t1",
                                              "error": "energy_level must be 1 to 5, got 7"})
        _s, body = self.post(tool_calls(("t2", "log_daily_checkin",
                                         {"call_type": "daily_checkin", "ready_status": "not_ready"})))
        self.assertEqual(body["results"][0]["error"], "not_ready_reason is required")
        self.assertFalse(self.checkins())

    def test_repeated_delivery_changes_nothing(self):
        payload = tool_calls(("t1", "log_daily_checkin", AM_CHECKIN))
        first = self.post(payload)
        second = self.post(payload)
        self.assertEqual(first, second)
        self.assertEqual(len(self.checkins()), 1)
        self.assertRecordValues(self.last_event(), [{"outcome": "duplicate", "employee_id": self.emp_tech.id}])
        # a retry under a new tool call id is still one check-in for the call
        _s, body = self.post(tool_calls(("t9", "log_daily_checkin", AM_CHECKIN)))
        self.assertIn("Already logged", body["results"][0]["result"])
        self.assertEqual(len(self.checkins()), 1)

    def test_ops_only_checkin(self):
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", {
            "call_type": "ops_only", "ready_status": "not_ready", "not_ready_reason": "sick",
            "blocker_present": False})))
        self.assertIn("Logged", body["results"][0]["result"])
        self.assertRecordValues(self.checkins(), [{"call_type": "ops_only", "not_ready_reason": "sick",
                                                   "energy_level": 0}])

    def test_job_closeout_updates_the_job_and_lists_missing_items(self):
        project = self.env["project.project"].create({"name": "Service jobs"})
        job = self.env["project.task"].create({"name": "Smith AC no cooling", "project_id": project.id,
                                               "user_ids": [Command.set(self.user_tech.ids)]})
        _s, body = self.post(tool_calls(("j1", "log_job_closeout", {
            "job_ref": "smith ac", "diagnosis_done": True, "photos_uploaded": False, "options_presented": True,
            "customer_understood": True, "follow_up_needed": False})))
        result = body["results"][0]["result"]
        self.assertIn("Missing: photos uploaded.", result)
        checkin = self.checkins()
        self.assertEqual((checkin.job_id, checkin.missed_steps), (job, "photos uploaded"))
        self.assertIn("Missing: photos uploaded.", job.message_ids[0].body)
        self.assertNotEqual(job.state, "1_done")
        # a second job in the same call, checklist complete: the job is done
        other = self.env["project.task"].create({"name": "Jones heat pump", "project_id": project.id})
        _s, body = self.post(tool_calls(("j2", "log_job_closeout", dict.fromkeys(
            ["diagnosis_done", "photos_uploaded", "options_presented", "customer_understood"], True),
            )))
        self.assertIn("job_ref is required", body["results"][0]["error"])
        _s, body = self.post(tool_calls(("j3", "log_job_closeout", dict(dict.fromkeys(
            ["diagnosis_done", "photos_uploaded", "options_presented", "customer_understood"], True),
            job_ref=f"#{other.id}", follow_up_needed=False))))
        self.assertIn("closed out", body["results"][0]["result"])
        self.assertEqual(other.state, "1_done")
        self.assertEqual(len(self.checkins()), 2)

    def test_a_follow_up_books_a_linked_return_visit_and_the_job_is_done(self):
        customer = self.env["res.partner"].create({"name": "Jones"})
        project = self.env["project.project"].create({"name": "Service jobs"})
        job = self.env["project.task"].create({"name": "Jones furnace", "project_id": project.id,
                                               "partner_id": customer.id, "user_ids": [Command.set(self.user_tech.ids)]})
        _s, body = self.post(tool_calls(("j1", "log_job_closeout", dict(dict.fromkeys(
            ["diagnosis_done", "photos_uploaded", "options_presented", "customer_understood"], True),
            job_ref=f"#{job.id}", follow_up_needed=True, follow_up_note="Inducer motor on order, back Thursday"))))
        self.assertIn("closed out", body["results"][0]["result"])
        visit = job.ops_return_task_ids
        self.assertRecordValues(visit, [{
            "project_id": project.id, "partner_id": customer.id, "ops_return_reason": "second_trip",
            "ops_days_after_origin": 0, "user_ids": [], "state": "01_in_progress"}])
        self.assertIn("Inducer motor on order", visit.description)
        self.assertEqual(job.state, "1_done")
        self.assertTrue(job.ops_done_date and job.ops_arrived_at, "the close-out dates the job")
        self.assertTrue(job.message_ids.filtered(lambda m: visit.name in (m.body or "")), "the note names the visit")

    def test_unknown_job_is_a_speakable_error(self):
        _s, body = self.post(tool_calls(("j1", "log_job_closeout", {
            "job_ref": "nonexistent customer", "diagnosis_done": True, "photos_uploaded": True,
            "options_presented": True, "customer_understood": True, "follow_up_needed": False})))
        self.assertIn("no job found", body["results"][0]["error"])
        self.assertFalse(self.checkins())

    def test_eod_closeout_and_safety_report(self):
        _s, body = self.post(tool_calls(
            ("e1", "log_eod_closeout", {"eod_kpi_hit": "partly", "eod_did_well": "Clear options",
                                        "eod_improve": "Start notes earlier", "safety_issue": False}),
            ("s1", "report_safety_issue", {"safety_note": "Frayed cord on the vacuum pump"})))
        self.assertEqual([r["toolCallId"] for r in body["results"]], ["e1", "s1"])
        self.assertEqual(sorted(self.checkins().mapped("call_type")), ["eod_closeout", "safety_report"])
        safety = self.checkins().filtered("safety_issue")
        self.assertEqual(safety.safety_note, "Frayed cord on the vacuum pump")

    def test_unknown_tool_and_flattened_items(self):
        payload = envelope("tool-calls", toolCallList=[
            {"id": "x1", "name": "get_tech_checkin_context", "parameters": {}},
            {"id": "x2", "type": "function", "function": {"name": "drop_tables", "arguments": {}}}])
        _s, body = self.post(payload)
        self.assertIn("Tech T", body["results"][0]["result"])
        self.assertEqual(body["results"][1]["error"], "unknown tool drop_tables")

    # ---------------------------------------------------------------- PIN
    def test_pin_identifies_a_withheld_caller_for_the_rest_of_the_call(self):
        self.emp_tech.pin = "4321"
        _s, body = self.post(tool_calls(("p1", "verify_pin", {"pin": "4321"}), number=None, call_id="call-pin"))
        self.assertEqual(body["results"][0]["result"], "Verified. Hi Tech.")
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN), number=None, call_id="call-pin"))
        self.assertIn("Logged", body["results"][0]["result"])
        self.assertEqual(self.checkins("call-pin").employee_id, self.emp_tech)

    def test_wrong_pins_lock_out_and_never_reveal_anything(self):
        self.emp_tech.pin = "4321"
        answers = []
        for n, pin in enumerate(["1111", "2222", "3333", "4321"]):
            _s, body = self.post(tool_calls((f"p{n}", "verify_pin", {"pin": pin}), number=None, call_id="call-x"))
            answers.append(body["results"][0]["result"])
        self.assertEqual(answers[:3], ["I couldn't verify that PIN."] * 3)
        self.assertIn("Too many tries", answers[3], "the right PIN is refused once locked out")
        _s, body = self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN), number=None, call_id="call-x"))
        self.assertIn("not identified", body["results"][0]["error"])

    # ------------------------------------------------------- end of call
    def test_end_of_call_report_completes_the_checkin(self):
        self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN)))
        report = envelope("end-of-call-report", endedReason="customer-ended-call",
                          startedAt="2026-11-21T10:00:01.500Z", endedAt="2026-11-21T10:02:07.900Z",
                          analysis={"summary": "Energy 4, capacitor blocker", "structuredData": {}},
                          artifact={"transcript": "AI: Morning\nUser: Four", "messages": []})
        status, body = self.post(report)
        self.assertEqual((status, body), (200, {}))
        self.assertRecordValues(self.checkins(), [{
            "end_reason": "customer-ended-call", "duration_seconds": 126,
            "summary": "Energy 4, capacitor blocker", "transcript": "AI: Morning\nUser: Four"}])
        self.assertEqual(self.last_event().employee_id, self.emp_tech, "the journal names who called")
        self.post(report)
        self.assertEqual(self.last_event().outcome, "duplicate")

    def test_call_without_a_logged_checkin_still_leaves_one_marked_incomplete(self):
        self.post(envelope("assistant-request", call_id="call-hangup"))
        self.post(envelope("end-of-call-report", call_id="call-hangup", endedReason="silence-timed-out",
                           analysis={}, artifact={}))
        checkin = self.checkins("call-hangup")
        self.assertEqual(len(checkin), 1)
        self.assertEqual((checkin.completion_status, checkin.end_reason, checkin.employee_id),
                         ("incomplete", "silence-timed-out", self.emp_tech))

    @freeze_time(CHICAGO_EVENING)
    def test_an_evening_hang_up_in_the_close_out_window_leaves_one_incomplete_checkin(self):
        self.post(envelope("assistant-request", call_id="call-evening"))
        self.assertEqual(self.last_event().flow_id.call_type, "job_closeout", "the close-out flow is offered first")
        self.post(envelope("end-of-call-report", call_id="call-evening", endedReason="customer-ended-call",
                           analysis={}, artifact={}))
        checkin = self.checkins("call-evening")
        self.assertRecordValues(checkin, [{"completion_status": "incomplete", "end_reason": "customer-ended-call",
                                           "is_placeholder": True, "missed_steps": False}])
        self.assertEqual(self.last_event().outcome, "processed")

    @freeze_time(CHICAGO_EVENING)
    def test_an_evening_report_before_the_morning_answers_leaves_one_checkin_with_both(self):
        self.post(envelope("assistant-request"))
        self.post(envelope("end-of-call-report", endedReason="customer-ended-call",
                           startedAt="2026-11-25T00:51:00.000Z", endedAt="2026-11-25T00:52:40.000Z",
                           analysis={"summary": "Energy 4"}, artifact={"transcript": "AI: Hi"}))
        status, body = self.post(tool_calls(("t1", "log_daily_checkin", AM_CHECKIN)))
        self.assertEqual(status, 200)
        self.assertTrue(body["results"][0]["result"].startswith("Logged"), body)
        self.assertRecordValues(self.checkins(), [{
            "call_type": "am_checkin", "energy_level": 4, "completion_status": "complete", "is_placeholder": False,
            "end_reason": "customer-ended-call", "duration_seconds": 100, "transcript": "AI: Hi"}])
        self.assertEqual(set(self.Event.search([("call_id", "=", "call-1")]).mapped("outcome")), {"processed"})

    def test_other_message_types_are_acknowledged(self):
        for kind in ("status-update", "conversation-update", "speech-update", "hang"):
            self.assertEqual(self.post(envelope(kind)), (200, {}))

    # ------------------------------------------------------ failure, replay
    def test_failure_leaves_a_replayable_record(self):
        Line = type(self.env["ops.line"])
        with patch.object(Line, "_tool_log_eod_closeout", side_effect=RuntimeError("database hiccup")), \
                mute_logger(JOURNAL_LOG):
            status, body = self.post(tool_calls(("e1", "log_eod_closeout", {
                "eod_kpi_hit": "yes", "eod_did_well": "a", "eod_improve": "b", "safety_issue": False})))
        self.assertEqual(status, 200)
        self.assertIn("kept and will be saved", body["results"][0]["result"])
        event = self.last_event()
        self.assertEqual((event.outcome, event.attempts), ("failed", 1))
        self.assertIn("database hiccup", event.error)
        self.assertTrue(event.next_try_at)
        self.assertFalse(self.checkins())
        event.action_replay()
        self.assertEqual((event.outcome, event.replay_count), ("processed", 1))
        self.assertFalse(event.next_try_at)
        self.assertEqual(self.checkins().call_type, "eod_closeout")


@tagged("post_install", "-at_install")
class TestLineQueriesStayFlat(VapiCase):
    """The line's three busiest messages cost a fixed number of queries once its
    caches are warm, however many people the company has. (Under the test
    framework each transaction also costs a savepoint and its release.)"""

    AR_QUERIES, CONTEXT_QUERIES, LOG_QUERIES = 7, 8, 31

    def receive(self, payload):
        self.env.flush_all()  # the line reads in its own transactions, as a request would
        body = json.dumps(payload).encode()
        status, answer = self.Event._receive("vapi", providers.SignedRequest(body, {"X-Vapi-Secret": SECRET}),
                                             "127.0.0.1")
        self.assertEqual(status, 200)
        self.assertNotIn('"error"', json.dumps(answer))
        return answer

    def three_messages(self, call_id, counted=True):
        """assistant-request, the context tool and an ops-only check-in of one new call."""
        ops_only = {"call_type": "ops_only", "ready_status": "ready", "blocker_present": False}
        messages = ((self.AR_QUERIES, envelope("assistant-request", call_id)),
                    (self.CONTEXT_QUERIES, tool_calls((f"c-{call_id}", "get_tech_checkin_context", {}),
                                                      call_id=call_id)),
                    (self.LOG_QUERIES, tool_calls((f"l-{call_id}", "log_daily_checkin", ops_only),
                                                  call_id=call_id)))
        for expected, message in messages:
            if counted:
                with self.assertQueryCount(expected):
                    self.receive(message)
            else:
                self.receive(message)

    def test_queries_per_message_do_not_grow_with_the_company(self):
        self.three_messages("warm-up", counted=False)  # the caches fill on a first call
        self.three_messages("with-a-few")
        employees = self.env["hr.employee"].create([{"name": f"Crew {n}", "tz": "America/Chicago"}
                                                    for n in range(300)])
        self.env["ops.tech_profile"].create([
            {"employee_id": employee.id, "role_ids": [Command.set(self.role_tech.ids)],
             "phone_ids": [Command.create({"number": f"+1 212 200 {n:04d}"})]}
            for n, employee in enumerate(employees)])
        self.three_messages("warm-up-again", counted=False)  # new profiles: the caches were cleared
        self.three_messages("with-three-hundred-more")
        self.assertEqual(self.checkins("with-three-hundred-more").call_type, "ops_only")

    def test_what_the_line_says_follows_every_change_to_what_it_is_built_from(self):
        def said(call_id):
            assistant = self.receive(envelope("assistant-request", call_id))["assistant"]
            return assistant["firstMessage"] + "\n" + assistant["model"]["messages"][0]["content"]

        self.assertNotIn("Run a crew", said("before"))  # and now it is cached
        self.profile_tech.goal_90d = "Run a crew by March"
        self.assertIn("90-day goal: Run a crew by March.", said("after-the-goal"))
        self.env.ref("ops_coach.strength_achiever").coaching_prompt = "Count your wins out loud."
        self.assertIn("Count your wins out loud.", said("after-the-strength"))
        self.emp_tech.name = "Tomas Tech"
        self.assertIn("Tomas Tech", said("after-the-name"))
        self.env.ref("ops_coach.flow_tech_am").greeting = "Buenos dias {first_name}."
        self.assertIn("Buenos dias Tomas.", said("after-the-flow"))
        self.profile_tech.role_ids = self.role_manager
        self.assertNotIn("Buenos dias", said("after-the-role"))


@tagged("post_install", "-at_install")
class TestCommitmentsFollowedUp(VapiCase):
    """The next call asks the last commitment back, and keeps the answer."""

    def test_yesterdays_commitment_is_asked_back_and_the_answer_kept(self):
        made = self._checkin(self.emp_tech, commitment="Call back Mrs. Lee before noon", start="2026-11-23 13:05:00")
        _s, body = self.post(tool_calls(("ctx", "get_tech_checkin_context", {})))
        last = json.loads(body["results"][0]["result"])["last_commitment"]
        self.assertEqual((last["text"], last["date"]), ("Call back Mrs. Lee before noon", "2026-11-23"))
        self.assertEqual(last["ask"], "Yesterday you committed to: Call back Mrs. Lee before noon. Done, partly, or not?")
        _s, start = self.post(envelope("assistant-request", call_id="call-2"))
        self.assertIn(last["ask"], start["assistant"]["model"]["messages"][0]["content"])

        _s, body = self.post(tool_calls(("log", "log_daily_checkin", dict(AM_CHECKIN, commitment_followup="done"))))
        self.assertNotIn("error", body["results"][0])
        checkin = self.checkins()
        self.assertEqual((checkin.commitment_followup, checkin.followed_checkin_id), ("done", made))
        self.assertEqual(made.commitment_kept, "done")
        self.profile_tech.invalidate_recordset()
        self.assertEqual((self.profile_tech.followups_asked, self.profile_tech.follow_through_pct), (1, 100.0),
                         "his own page and his card in Today count it")
        # asked once: the next call asks about the commitment made this morning
        _s, body = self.post(tool_calls(("ctx-3", "get_tech_checkin_context", {}), call_id="call-3"))
        last = json.loads(body["results"][0]["result"])["last_commitment"]
        self.assertEqual(last["ask"], "Earlier today you committed to: Photos on every job. Done, partly, or not?")
        _s, start = self.post(envelope("assistant-request", call_id="call-4"))
        self.assertIn(last["ask"], start["assistant"]["model"]["messages"][0]["content"])

    def test_an_answer_that_is_not_a_follow_up_is_asked_again_and_nothing_is_written(self):
        self._checkin(self.emp_tech, commitment="Call back Mrs. Lee", start="2026-11-23 13:05:00")
        _s, body = self.post(tool_calls(("log", "log_daily_checkin", dict(AM_CHECKIN, commitment_followup="maybe"))))
        self.assertIn("commitment_followup must be one of: done, partly, not_done", body["results"][0]["error"])
        self.assertFalse(self.checkins())

    def test_nothing_to_ask_when_no_commitment_is_open(self):
        _s, body = self.post(tool_calls(("ctx", "get_tech_checkin_context", {})))
        self.assertIsNone(json.loads(body["results"][0]["result"])["last_commitment"])
        _s, body = self.post(tool_calls(("log", "log_eod_closeout", {
            "eod_kpi_hit": "yes", "eod_did_well": "a", "eod_improve": "b", "safety_issue": False,
            "commitment_followup": "partly"}), call_id="call-5"))
        self.assertFalse(self.checkins("call-5").followed_checkin_id, "nothing was open to follow up")

    def test_three_not_done_in_a_row_reach_the_manager_as_a_coaching_cue(self):
        rule = self.env.ref("ops_coach.rule_commitments_not_kept")
        for day, said in ((20, "done"), (21, "not_done"), (22, "not_done")):
            self._checkin(self.emp_tech, start=f"2026-11-{day} 13:00:00", commitment_followup=said)
        self.assertFalse(self.env["ops.escalation"].search([("rule_id", "=", rule.id)]), "two in a row: not yet")
        self._checkin(self.emp_tech, start="2026-11-23 13:00:00", commitment_followup="not_done")
        alert = self.env["ops.escalation"].search([("rule_id", "=", rule.id)])
        self.assertEqual(alert.employee_id, self.emp_tech)
        self.assertIn("has not kept the last 3 commitments", alert.reason)


@tagged("post_install", "-at_install")
class TestBlockersRouted(VapiCase):
    """A blocker goes to whoever can clear it, and its end comes back to the caller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warehouse = cls.env.ref("ops_coach.role_warehouse")
        # the demo company's warehouse lead, when demo data is loaded, is not this test's
        cls.env["ops.tech_profile"].search([("role_ids", "in", warehouse.ids)]).role_ids = [Command.unlink(warehouse.id)]
        cls.user_warehouse = new_test_user(cls.env, "t_wes", groups="ops_coach.group_ops_manager", name="Wes Grant")
        cls.emp_warehouse = cls.env["hr.employee"].create({"name": "Wes Grant", "user_id": cls.user_warehouse.id})
        cls.env["ops.tech_profile"].create({"employee_id": cls.emp_warehouse.id, "role_ids": [
            Command.set(cls.env.ref("ops_coach.role_warehouse").ids)]})

    def log_blocker(self, note, call_id="call-1", **extra):
        arguments = dict(AM_CHECKIN, blocker_note=note, **extra)
        _s, body = self.post(tool_calls((f"log-{call_id}", "log_daily_checkin", arguments), call_id=call_id))
        self.assertNotIn("error", body["results"][0])
        return self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id), ("kind", "=", "blocker")])

    def context(self, call_id):
        _s, body = self.post(tool_calls((f"ctx-{call_id}", "get_tech_checkin_context", {}), call_id=call_id))
        return json.loads(body["results"][0]["result"])

    def test_a_missing_part_goes_to_the_warehouse_lead_and_his_resolution_comes_back(self):
        alert = self.log_blocker("No run capacitor on the truck", blocker_kind="parts")
        self.assertEqual((alert.blocker_kind, alert.assigned_user_id), ("parts", self.user_warehouse))
        self.assertEqual(alert.activity_ids.user_id, self.user_warehouse, "the to-do is his, not dispatch's")
        # he sees it although the technician is not on his team, and clears it as himself
        mine = self.env["ops.escalation"].with_user(self.user_warehouse).search([("assigned_user_id", "=", self.user_warehouse.id)])
        self.assertEqual(mine, alert)
        # and his Today shows who waits on him, the card opening on that alert
        today = self.env["ops.tech_profile"].with_user(self.user_warehouse).search([("needs_me_today", "=", True)])
        waiting = today.filtered(lambda profile: profile.employee_id == self.emp_tech)
        self.assertTrue(waiting, "the blocked technician is on the warehouse lead's Today")
        self.assertEqual(waiting.today_alert_ids, alert)
        self.assertFalse(waiting.today_checkin_ids, "his calls stay his manager's to read")
        mine.resolution_note = "two left at the front desk"
        mine.action_resolve()
        self.assertEqual(alert.resolved_by_id, self.user_warehouse)
        self.assertFalse(self.env["ops.tech_profile"].with_user(self.user_warehouse).search(
            [("employee_id", "=", self.emp_tech.id)]), "once cleared, the technician is off his screens")

        with freeze_time("2026-11-25 13:00:00"):
            said = self.context("call-2")
            self.assertEqual(said["blocker_news"], [
                "No run capacitor on the truck: Wes resolved it: two left at the front desk."])
            self.assertEqual(said["open_blockers"], [])
            _s, start = self.post(envelope("assistant-request", call_id="call-3"))
            self.assertIn("Wes resolved it: two left at the front desk", start["assistant"]["model"]["messages"][0]["content"])
            self.log_blocker("", call_id="call-2", blocker_present=False)
            self.assertEqual(alert.told_checkin_id, self.checkins("call-2"), "told once, on the call that said it")
            self.assertEqual(self.context("call-4")["blocker_news"], [])

    def test_the_kind_is_read_from_the_note_when_the_agent_does_not_say_it(self):
        alert = self.log_blocker("Supply house is out of contactors")
        self.assertEqual((alert.blocker_kind, alert.assigned_user_id), ("parts", self.user_warehouse))
        other = self.log_blocker("Homeowner not home, no access", call_id="call-2")[:1]
        self.assertEqual(other.blocker_kind, "customer")
        self.assertEqual(other.assigned_user_id, self.user_lead, "a customer blocker goes to his manager")
        self.assertEqual(len(self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id)])), 2,
                         "two kinds, two people to clear them: two alerts")

    def test_no_longer_blocked_resolves_it_in_the_callers_name(self):
        alert = self.log_blocker("No run capacitor on the truck", blocker_kind="parts")
        with freeze_time("2026-11-25 13:00:00"):
            said = self.context("call-2")
            self.assertEqual(said["open_blockers"], [{
                "note": "No run capacitor on the truck",
                "ask": "Last time you were blocked: No run capacitor on the truck. Still blocked?"}])
            self.log_blocker("", call_id="call-2", blocker_present=False, still_blocked=False)
        self.assertEqual((alert.state, alert.resolved_by_id), ("resolved", self.user_tech))
        self.assertIn("no longer blocked", alert.resolution_note)
        self.assertFalse(alert.activity_ids, "the warehouse lead's to-do is closed")

    def test_the_clearer_is_briefed_and_the_owner_sees_how_fast_blockers_clear(self):
        alert = self.log_blocker("No run capacitor on the truck", blocker_kind="parts")
        preview = self.env["ops.briefing"].with_user(self.user_warehouse).action_preview()
        body = self.env["ops.briefing.preview"].browse(preview["res_id"]).body
        self.assertIn("Blockers for you to clear", body)
        self.assertIn("Tech T: No run capacitor on the truck", body)
        with freeze_time("2026-11-24 17:00:00"):  # four hours later, the same day in Chicago
            alert.with_user(self.user_warehouse).write({"resolution_note": "on the shelf"})
            alert.with_user(self.user_warehouse).action_resolve()
        self.assertEqual(self.env["ops.escalation"]._blocker_clearing(self.company, "2026-11-01", "2026-11-30"),
                         (4.0, 100.0))


@tagged("post_install", "-at_install")
class TestManagersActByPhone(VapiCase):
    """A manager hears who needs him, and acknowledges or resolves by voice, as himself."""

    MANAGER = "+15125550177"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = cls.profiles.filtered(lambda p: p.employee_id == cls.emp_manager)
        manager.phone_ids = [Command.create({"number": cls.MANAGER})]
        cls.alert = cls._escalation(cls.emp_tech, reason="Tech T: energy at or below 2 for 2 workdays")
        cls.other = cls._escalation(cls.emp_other_tech, reason="not his team")

    def test_his_prompt_names_who_needs_him_and_he_acknowledges_as_himself(self):
        _s, start = self.post(envelope("assistant-request", number=self.MANAGER))
        system = start["assistant"]["model"]["messages"][0]["content"]
        self.assertIn("Who needs you today", system)
        self.assertIn(f"[{self.alert.id}] Tech T: {self.alert.rule_id.name} (not acknowledged", system)
        self.assertNotIn(f"[{self.other.id}]", system, "another manager's alert is not his")
        names = [tool["function"]["name"] for tool in start["assistant"]["model"]["tools"]]
        self.assertIn("acknowledge_alert", names)

        _s, body = self.post(tool_calls(("ack", "acknowledge_alert", {"employee_name": "tech t"}), number=self.MANAGER))
        self.assertEqual(body["results"][0]["result"], f"Acknowledged: {self.alert.name}.")
        self.assertEqual((self.alert.state, self.alert.acknowledged_by_id), ("acknowledged", self.user_manager))
        _s, body = self.post(tool_calls(("res", "resolve_alert", {"alert_ref": str(self.alert.id),
                                                                   "note": "Gave him Friday off"}),
                                        call_id="call-2", number=self.MANAGER))
        self.assertIn("Resolved", body["results"][0]["result"])
        self.assertEqual((self.alert.state, self.alert.resolved_by_id, self.alert.resolution_note),
                         ("resolved", self.user_manager, "Gave him Friday off"))

    def test_outside_his_team_or_from_a_technician_it_is_refused(self):
        _s, body = self.post(tool_calls(("ack", "acknowledge_alert", {"alert_ref": str(self.other.id)}),
                                        number=self.MANAGER))
        self.assertIn("no open alert of yours matches", body["results"][0]["error"])
        _s, body = self.post(tool_calls(("ack-2", "acknowledge_alert", {"alert_ref": str(self.alert.id)}),
                                        call_id="call-2"))
        self.assertIn("only a manager can act on alerts", body["results"][0]["error"])
        self.assertEqual((self.alert.state, self.other.state), ("new", "new"))
        _s, start = self.post(envelope("assistant-request", call_id="call-3"))
        self.assertNotIn("acknowledge_alert", [t["function"]["name"] for t in start["assistant"]["model"]["tools"]])


@tagged("post_install", "-at_install")
class TestDemoLineFollowsThrough(VapiCase):
    """The demo company's people, on the line: the warehouse lead clears a part, the
    service manager acts on Luis's burnout alert, the owner hears the company."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("ops_coach.demo_employee_luis", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def test_a_missing_part_goes_to_the_demo_warehouse_lead(self):
        tom = self.env.ref("ops_coach.demo_employee_tom")
        _s, body = self.post(tool_calls(("d-log", "log_daily_checkin", dict(
            AM_CHECKIN, blocker_note="No run capacitor on the truck", blocker_kind="parts")),
            call_id="demo-tom", number="+15125550111"))
        self.assertNotIn("error", body["results"][0])
        alert = self.env["ops.escalation"].search([("employee_id", "=", tom.id), ("kind", "=", "blocker"),
                                                   ("state", "=", "new")])
        self.assertEqual(alert.assigned_user_id, self.env.ref("ops_coach.demo_user_wes"))

    def test_the_service_manager_hears_who_needs_him_and_acknowledges_luis_as_himself(self):
        sam = self.env.ref("ops_coach.demo_user_manager")
        luis = self.env.ref("ops_coach.demo_employee_luis")
        burnout = self.env["ops.escalation"].search([("employee_id", "=", luis.id), ("kind", "=", "low_energy_streak"),
                                                    ("state", "=", "new")])
        self.assertTrue(burnout, "the demo's story: Luis is on a burnout streak")
        _s, start = self.post(envelope("assistant-request", call_id="demo-sam", number="+15125550102"))
        system = start["assistant"]["model"]["messages"][0]["content"]
        self.assertIn("Who needs you today", system)
        self.assertIn(f"[{burnout.id}] Luis Ortega", system)
        _s, body = self.post(tool_calls(("d-who", "acknowledge_alert", {"employee_name": "Luis"}),
                                        call_id="demo-sam", number="+15125550102"))
        self.assertIn("more than one open alert matches", body["results"][0]["error"], "Luis has three: which one?")
        _s, body = self.post(tool_calls(("d-ack", "acknowledge_alert", {"alert_ref": str(burnout.id)}),
                                        call_id="demo-sam", number="+15125550102"))
        self.assertNotIn("error", body["results"][0], body)
        self.assertEqual((burnout.state, burnout.acknowledged_by_id), ("acknowledged", sam))

    def test_the_owner_opens_with_the_company_briefing(self):
        # the morning after the demo's last alert: the briefing counts what was raised by then
        last_alert = max(self.env["ops.escalation"].search([]).mapped("raised_date"))
        with freeze_time(last_alert + datetime.timedelta(hours=13)):
            _s, start = self.post(envelope("assistant-request", call_id="demo-owner", number="+15125550101"))
        system = start["assistant"]["model"]["messages"][0]["content"]
        self.assertIn("Open the call with this company briefing", system)
        self.assertRegex(system, r"Company briefing\. \d+ of \d+ morning calls in\.")
        self.assertRegex(system, r"\d+ alerts? open")


@tagged("post_install", "-at_install")
class TestTrainingFromAKpiDecline(VapiCase):
    """A KPI decline carries the KPI's first training; approved, it is the person's next suggested commitment."""

    MANAGER = "+15125550177"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profiles.filtered(lambda p: p.employee_id == cls.emp_manager).phone_ids = [
            Command.create({"number": cls.MANAGER})]
        cls.kpi_ftf.training_ids = [Command.clear(), Command.create({"sequence": 1, "name": "Ride along twice"}),
                                    Command.create({"sequence": 2, "name": "Read the capacitor guide"})]
        cls.alert = cls._kpi_decline_alert(cls.emp_tech, cls.kpi_ftf)

    def test_approved_by_voice_it_is_suggested_once_on_his_next_call(self):
        self.assertEqual((self.alert.training_suggestion, self.alert.training_state), ("Ride along twice", "suggested"))
        _s, start = self.post(envelope("assistant-request", call_id="mgr", number=self.MANAGER))
        self.assertIn("training to approve: Ride along twice", start["assistant"]["model"]["messages"][0]["content"])
        _s, body = self.post(tool_calls(("appr", "approve_training", {"employee_name": "Tech T"}),
                                        call_id="mgr", number=self.MANAGER))
        self.assertIn("Approved for Tech T: Ride along twice", body["results"][0]["result"])
        self.assertEqual((self.alert.training_state, self.alert.training_approved_by_id),
                         ("approved", self.user_manager))

        _s, body = self.post(tool_calls(("ctx", "get_tech_checkin_context", {}), call_id="tech-1"))
        self.assertEqual(json.loads(body["results"][0]["result"])["suggested_commitment"], "Ride along twice")
        _s, start = self.post(envelope("assistant-request", call_id="tech-0"))
        self.assertIn('offer it as today\'s commitment: "Ride along twice"',
                      start["assistant"]["model"]["messages"][0]["content"])
        self.post(tool_calls(("log", "log_daily_checkin", dict(AM_CHECKIN, blocker_present=False)), call_id="tech-1"))
        self.assertEqual(self.alert.training_told_checkin_id, self.checkins("tech-1"))
        _s, body = self.post(tool_calls(("ctx-2", "get_tech_checkin_context", {}), call_id="tech-2"))
        self.assertIsNone(json.loads(body["results"][0]["result"])["suggested_commitment"], "suggested once")

        week = self.env["ops.weekly_summary"]._summary_values(self.profile_tech, datetime.date(2026, 11, 23))
        self.assertEqual(week[0]["trainings_approved"], 1, "the weekly summary counts it")

    def test_a_technician_cannot_approve_and_nothing_waits_twice(self):
        _s, body = self.post(tool_calls(("appr", "approve_training", {"alert_ref": str(self.alert.id)})))
        self.assertIn("only a manager", body["results"][0]["error"])
        self.alert.with_user(self.user_manager).action_approve_training()
        _s, body = self.post(tool_calls(("appr-2", "approve_training", {"alert_ref": str(self.alert.id)}),
                                        call_id="mgr", number=self.MANAGER))
        self.assertIn("no open alert of yours matches", body["results"][0]["error"])
