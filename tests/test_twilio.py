"""The scripted Twilio line: Twilio's real form-encoded requests, signed by the
official library's RequestValidator, walked through a whole flow."""

import urllib.parse

from freezegun import freeze_time
from twilio.request_validator import RequestValidator

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_vapi import AM_CHECKIN, JOURNAL_LOG, VapiCase, tool_calls

AUTH_TOKEN = "twilio-auth-token-for-tests"
NUMBER = "+15125550191"
EARLY = "2026-11-24 12:30:00"  # 06:30 in Chicago: only the AM flow is open
LATER = "2026-11-24 13:30:00"  # 07:30: the job close-out is open too
AM_ANSWERS = [  # spoken or keyed, as a technician answers
    {"SpeechResult": "yeah I'm ready", "Confidence": "0.93"},
    {"Digits": "4"},
    {"SpeechResult": "nope", "Confidence": "0.88"},
    {"SpeechResult": "Call three customers back by noon", "Confidence": "0.9"},
    {"SpeechResult": "Clean close-outs every job", "Confidence": "0.9"},
    {"SpeechResult": "Read one chapter at lunch", "Confidence": "0.9"},
    {"SpeechResult": "Call three customers back by noon", "Confidence": "0.9"},
]


class TwilioCase(VapiCase):
    """Posts to the Twilio webhooks as Twilio does; no tests of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("ops_coach.twilio_auth_token", AUTH_TOKEN)
        cls.validator = RequestValidator(AUTH_TOKEN)
        cls.profile_tech.goal_90d = "Lead tech by spring"  # so the AM flow asks its goal step

    def twilio(self, kind, call_sid="CA0001", signature=None, **fields):
        url = f"{self.base_url()}/ops_coach/twilio/{kind}"
        form = dict({"CallSid": call_sid, "AccountSid": "AC0001", "From": NUMBER, "To": "+15550100000",
                     "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01",
                     "Caller": NUMBER, "Called": "+15550100000"}, **fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": signature or self.validator.compute_signature(url, form)}
        response = self.url_open(url, data=urllib.parse.urlencode(form), headers=headers)
        return response.status_code, response.text

    def walk(self, answers, call_sid="CA0001"):
        """The incoming call, then one <Gather> answer per item; the TwiML said back."""
        said = [self.twilio("voice", call_sid)[1]]
        for answer in answers:
            status, twiml = self.twilio("gather", call_sid, **answer)
            self.assertEqual(status, 200, twiml)
            said.append(twiml)
        return said

    def twilio_checkin(self, call_sid="CA0001"):
        return self.Checkin.search([("provider", "=", "twilio"), ("provider_call_id", "=", call_sid)])


@tagged("post_install", "-at_install")
class TestTwilioScriptedLine(TwilioCase):
    @freeze_time(EARLY)
    def test_the_am_flow_end_to_end_leaves_the_checkin_a_vapi_call_would(self):
        said = self.walk(AM_ANSWERS)
        self.assertIn("<Gather", said[0])
        self.assertIn("Morning Tech, quick check-in", said[0])
        self.assertIn('action="/ops_coach/twilio/gather"', said[0])
        self.assertIn('input="speech dtmf"', said[0])
        self.assertIn("Energy today, one to five?", said[1])
        self.assertIn("<Hangup />", said[-1])
        self.assertIn("Locked in. Have a great day, Tech.", said[-1])
        self.assertIn("your own words, like your coaching answers, stay between you and the coach", said[-1],
                      "every call ends saying what the manager sees")
        checkin = self.twilio_checkin()
        self.assertRecordValues(checkin, [{
            "employee_id": self.emp_tech.id, "call_type": "am_checkin", "role_id": self.role_tech.id,
            "ready_status": "ready", "energy_level": 4, "blocker_flag": False,
            "kpi_action": "Call three customers back by noon", "focus_summary": "Clean close-outs every job",
            "goal_action": "Read one chapter at lunch", "commitment": "Call three customers back by noon",
            "completion_status": "complete", "skipped_steps": False}])
        # the same answers through Vapi leave the same check-in
        self.post(tool_calls(("t1", "log_daily_checkin", dict(
            AM_CHECKIN, blocker_present=False, blocker_note="", energy_level=4,
            kpi_action_today="Call three customers back by noon", focus_summary_5_words="Clean close-outs every job",
            goal_action_today="Read one chapter at lunch", commitment="Call three customers back by noon")),
            call_id="vapi-same"))
        vapi_checkin = self.checkins("vapi-same")
        compared = ["call_type", "role_id", "ready_status", "energy_level", "blocker_flag", "kpi_action",
                    "focus_summary", "goal_action", "commitment", "completion_status"]
        self.assertEqual(checkin.read(compared)[0] | {"id": 0}, vapi_checkin.read(compared)[0] | {"id": 0})
        journal = self.Event.search([("call_id", "=", "CA0001")])
        self.assertEqual(set(journal.mapped("provider")), {"twilio"})
        self.assertEqual(set(journal.mapped("outcome")), {"processed"})

    @freeze_time(EARLY)
    def test_skip_at_step_3_leaves_an_ops_only_checkin(self):
        said = self.walk([AM_ANSWERS[0], AM_ANSWERS[1], {"SpeechResult": "skip, I'm busy today"},
                          {"SpeechResult": "no"}], call_sid="CA0002")
        self.assertIn("No problem, two quick ones.", said[3])
        self.assertIn("Got it. Thanks.", said[4])
        self.assertRecordValues(self.twilio_checkin("CA0002"), [{
            "call_type": "ops_only", "ready_status": "ready", "blocker_flag": False, "energy_level": 0,
            "completion_status": "complete"}])

    @freeze_time(EARLY)
    def test_hanging_up_at_step_4_leaves_a_partial_checkin(self):
        self.walk([AM_ANSWERS[0], {"SpeechResult": "five"}, {"SpeechResult": "yes"}], call_sid="CA0003")
        checkin = self.twilio_checkin("CA0003")
        self.assertRecordValues(checkin, [{"completion_status": "partial", "energy_level": 5, "blocker_flag": True,
                                           "in_progress": True, "effects_done": False}])
        status, body = self.twilio("status", "CA0003", CallStatus="completed", CallDuration="41")
        self.assertEqual(status, 200)
        self.assertIn("<Response", body)
        self.assertRecordValues(checkin, [{"completion_status": "partial", "duration_seconds": 41,
                                           "end_reason": "twilio-completed", "effects_done": True,
                                           "in_progress": False}])
        self.assertEqual(self.twilio_checkin("CA0003"), checkin, "one writer, one check-in for the call")

    @freeze_time(EARLY)
    def test_invalid_answers_are_asked_again_once_then_left(self):
        said = self.walk([AM_ANSWERS[0], {"SpeechResult": "purple"}, {}, {"SpeechResult": "no"}], call_sid="CA0004")
        self.assertIn("Sorry, that answer must be a whole number from 1 to 5", said[2])
        self.assertIn("Let's move on.", said[3])
        self.assertRecordValues(self.twilio_checkin("CA0004"), [{
            "energy_level": 0, "blocker_flag": False, "skipped_steps": "energy_level"}])

    @freeze_time(LATER)
    def test_several_flows_open_the_caller_chooses_by_key_or_name(self):
        said = self.walk([{"Digits": "2"}], call_sid="CA0005")
        self.assertIn("Which one is it?", said[0])
        self.assertIn("Job close-out. Which job are you closing?", said[1])
        said = self.walk([{"SpeechResult": "the morning check-in please"}], call_sid="CA0006")
        self.assertIn("Morning Tech", said[1])

    @freeze_time(EARLY)
    def test_an_unknown_number_types_a_pin(self):
        self.emp_tech.pin = "4321"
        status, twiml = self.twilio("voice", "CA0007", From="+15125550999")
        self.assertEqual(status, 200)
        self.assertIn("enter your employee PIN", twiml)
        _s, twiml = self.twilio("gather", "CA0007", From="+15125550999", Digits="1111")
        self.assertIn("couldn't verify", twiml)
        _s, twiml = self.twilio("gather", "CA0007", From="+15125550999", Digits="4321")
        self.assertIn("Morning Tech", twiml)

    @mute_logger(JOURNAL_LOG)
    def test_a_wrong_signature_is_403_and_journaled(self):
        status, _body = self.twilio("voice", "CA0008", signature="c2lnbmF0dXJlIG9mIHNvbWVvbmUgZWxzZQ==")
        self.assertEqual(status, 403)
        event = self.last_event()
        self.assertRecordValues(event, [{"provider": "twilio", "outcome": "unauthorized", "http_status": 403}])
        # signed for another URL: refused too
        form = {"CallSid": "CA0008", "From": NUMBER}
        other = self.validator.compute_signature("https://attacker.example/ops_coach/twilio/voice", form)
        self.assertEqual(self.twilio("voice", "CA0008", signature=other)[0], 403)
        self.assertFalse(self.twilio_checkin("CA0008"))

    def test_past_the_time_box_the_optional_goal_step_is_dropped(self):
        with freeze_time(EARLY) as clock:
            said = self.walk(AM_ANSWERS[:4], call_sid="CA0009")
            clock.tick(300)  # the AM flow's time box is well past
            _s, focus = self.twilio("gather", "CA0009", **AM_ANSWERS[4])
        self.assertIn("Energy today", said[1])
        self.assertNotIn("90-day goal", focus, "the optional goal step is dropped")
        self.assertIn("Confirm it in your own words", focus)

    @mute_logger(JOURNAL_LOG)
    def test_a_signed_request_without_a_call_sid_is_400_and_journaled(self):
        url = f"{self.base_url()}/ops_coach/twilio/voice"
        form = {"From": NUMBER, "To": "+15550100000"}
        response = self.url_open(url, data=urllib.parse.urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": self.validator.compute_signature(url, form)})
        self.assertEqual(response.status_code, 400)
        self.assertRecordValues(self.last_event(), [{"provider": "twilio", "outcome": "rejected", "http_status": 400}])

    # the maintenance sheet, asked right after the job is named

    @freeze_time(LATER)
    def test_the_sheet_is_asked_after_the_job_and_an_out_of_range_reading_is_flagged(self):
        job = self.env.ref("ops_coach.demo_job_hvac_rivera")
        said = self.walk([{"Digits": "2"}, {"SpeechResult": str(job.id)}, {"SpeechResult": "20"},
                          {"SpeechResult": "20"}, {"SpeechResult": "310"}, {"SpeechResult": "pretty dirty"},
                          {"Digits": "45"}, {"SpeechResult": "yes it works"}], call_sid="CA0900")
        self.assertIn("Suction pressure in psi?", said[2])
        self.assertIn("Sorry, that answer 20 is outside the expected 55 to 150. Suction pressure in psi?", said[3])
        self.assertIn("Discharge pressure in psi?", said[4])
        self.assertIn("Filter: clean, dirty or replaced?", said[5])
        self.assertIn("Capacitor reading in microfarads?", said[6])
        self.assertIn("Thermostat working?", said[7])
        self.assertIn("Diagnosis completed?", said[8])
        readings = {r.item_id.code: (r.value, r.out_of_range) for r in job.ops_reading_ids}
        self.assertEqual(readings, {"suction_psi": ("20 psi", True), "discharge_psi": ("310 psi", False),
                                    "filter_condition": ("dirty", False), "capacitor_uf": ("45 µF", False),
                                    "thermostat_ok": ("yes", False)})
        self.assertEqual(job.ops_reading_ids.checkin_id, self.twilio_checkin("CA0900"))

    @freeze_time(LATER)
    def test_a_scripted_closeout_without_photos_sends_the_photo_link_itself(self):
        self.emp_tech.work_email = "tech.t@example.com"  # no text route here: the link is emailed
        job = self.env.ref("ops_coach.demo_job_hvac_rivera")
        said = self.walk([{"Digits": "2"}, {"SpeechResult": str(job.id)}, {"SpeechResult": "72"},
                          {"SpeechResult": "310"}, {"SpeechResult": "clean"}, {"Digits": "45"}]
                         + [{"SpeechResult": word} for word in ("yes", "yes", "no", "yes", "yes", "no", "no")],
                         call_sid="CA0901")
        self.assertIn("I'm sending you this job's photo link now.", said[-1])
        self.assertIn("<Hangup", said[-1])
        link = job.ops_upload_link_ids
        self.assertRecordValues(link, [{"employee_id": self.emp_tech.id, "state": "sent", "channel": "email"}])
        self.assertEqual(self.twilio_checkin("CA0901").missed_steps, "photos uploaded")

    @freeze_time(LATER)
    def test_a_scripted_closeout_with_nowhere_to_send_the_link_sends_none(self):
        self.emp_tech.write({"work_email": False, "mobile_phone": False})
        self.user_tech.email = False
        job = self.env.ref("ops_coach.demo_job_hvac_rivera")
        said = self.walk([{"Digits": "2"}, {"SpeechResult": str(job.id)}, {"SpeechResult": "72"},
                          {"SpeechResult": "310"}, {"SpeechResult": "clean"}, {"Digits": "45"}]
                         + [{"SpeechResult": word} for word in ("yes", "yes", "no", "yes", "yes", "no", "no")],
                         call_sid="CA0902")
        self.assertNotIn("photo link", said[-1])
        self.assertFalse(job.ops_upload_link_ids)
        self.assertEqual(self.twilio_checkin("CA0902").missed_steps, "photos uploaded")
        self.assertEqual(self.last_event().effects_state, "done", "no send left failing for the retry cron")


    @freeze_time(EARLY)
    def test_not_ready_is_saved_as_the_call_goes_and_a_reason_not_understood_is_other(self):
        self.walk([{"SpeechResult": "no", "Confidence": "0.9"}])
        self.assertRecordValues(self.twilio_checkin(), [{"ready_status": "not_ready", "not_ready_reason": False,
                                                         "completion_status": "partial"}])
        self.walk([{"SpeechResult": "no", "Confidence": "0.9"}, {"SpeechResult": "it's complicated"},
                   {"SpeechResult": "hard to say"}], call_sid="CA0002")
        self.assertEqual(self.twilio_checkin("CA0002").not_ready_reason, "other")


@tagged("post_install", "-at_install")
class TestTwilioAsksBack(TwilioCase):
    """What the caller left open is asked first on the scripted line, in the flow data's words."""

    @freeze_time(EARLY)
    def test_yesterdays_commitment_and_an_open_blocker_are_asked_first(self):
        made = self._checkin(self.emp_tech, commitment="Call back Mrs. Lee", start="2026-11-23 13:05:00")
        _s, body = self.post(tool_calls(("t-blk", "log_daily_checkin", dict(
            AM_CHECKIN, blocker_note="No run capacitor on the truck", blocker_kind="parts")), call_id="call-blk"))
        self.assertNotIn("error", body["results"][0])
        blocked = self.Checkin.search([("provider_call_id", "=", "call-blk")])
        alert = self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id), ("kind", "=", "blocker")])
        with freeze_time("2026-11-25 12:30:00"):
            said = self.walk([{"SpeechResult": "partly", "Confidence": "0.9"},
                              {"SpeechResult": "no", "Confidence": "0.9"}] + AM_ANSWERS)
            self.assertIn("Yesterday you committed to: Photos on every job. Done, partly, or not?", said[0])
            self.assertIn("Last time you were blocked: No run capacitor on the truck. Is it cleared now?", said[1])
            self.assertIn("Ready to roll", said[2])
        checkin = self.twilio_checkin()
        self.assertEqual((checkin.commitment_followup, checkin.followed_checkin_id), ("partly", blocked),
                         "the last commitment is the one made on the blocked call")
        self.assertFalse(checkin.blocker_cleared, "he said no: still blocked")
        self.assertEqual(alert.state, "new")
        self.assertFalse(made.followup_ids, "an older commitment is not asked twice")

    @freeze_time(EARLY)
    def test_nothing_open_nothing_asked(self):
        said = self.walk(AM_ANSWERS)
        self.assertIn("Morning Tech, quick check-in", said[0])
        self.assertNotIn("committed to", said[0])
        self.assertFalse(self.twilio_checkin().commitment_followup)

    @freeze_time(EARLY)
    def test_an_approved_training_is_offered_first_and_only_once(self):
        self.env["ops.escalation"].create({
            "employee_id": self.emp_tech.id, "rule_id": self.env.ref("ops_coach.rule_kpi_decline").id,
            "reason": "First-time fix worse two weeks in a row", "training_suggestion": "Ride along twice",
            "training_state": "approved", "training_approved_date": "2026-11-23 20:00:00"})
        said = self.walk(AM_ANSWERS)
        self.assertIn("Your manager approved a training for you: Ride along twice. Make it today's commitment", said[0])
        again = self.walk(AM_ANSWERS, call_sid="CA0002")
        self.assertNotIn("Ride along twice", again[0], "heard once")
