"""What the line keeps, for how long, and a person's own copy of it."""

import datetime
import json

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import OpsCoachCase
from .test_vapi import AM_CHECKIN, VapiCase, envelope, tool_calls


@tagged("post_install", "-at_install")
class TestRetention(VapiCase):
    def test_after_the_retention_the_words_go_and_the_numbers_stay(self):
        self.company.ops_retention_days = 30
        with freeze_time("2026-10-15 13:00:00"):  # 40 days before the line's clock
            self.post(tool_calls(("old", "log_daily_checkin", dict(AM_CHECKIN, blocker_present=False)),
                                 call_id="call-old"))
        old = self.checkins("call-old")
        old.write({"transcript": "AI: Energy? Tom: four", "summary": "Ready, energy 4", "coaching_answer": "mine"})
        self.post(tool_calls(("new", "log_daily_checkin", dict(AM_CHECKIN, blocker_present=False)),
                             call_id="call-new"))
        new = self.checkins("call-new")
        new.write({"transcript": "recent words"})
        journal = self.Event.search([("call_id", "=", "call-old")])
        self.assertTrue(journal.payload)

        erased = self.env["ops.retention"]._cron_erase()
        self.assertGreaterEqual(erased[self.company.id][0], 1, "this one, and the demo's older calls when loaded")
        self.assertRecordValues(old, [{"transcript": False, "summary": False, "coaching_answer": False,
                                       "energy_level": 4, "ready_status": "ready",
                                       "commitment": "Photos on every job"}])
        self.assertEqual(new.transcript, "recent words")
        self.assertEqual((journal.payload, journal.payload_raw, journal.outcome), (False, False, "processed"),
                         "the row stays with its outcome, without the body")
        self.assertTrue(self.Event.search([("call_id", "=", "call-new")]).payload)


@tagged("post_install", "-at_install")
class TestPause(OpsCoachCase):
    @freeze_time("2026-11-24 16:00:00")  # 10:00 in Chicago, a Tuesday: the missed-check-in cutoff
    def test_a_paused_technician_raises_no_missed_checkin(self):
        rule = self.env.ref("ops_coach.rule_missed_checkin")
        self.emp_tech.tz = "America/Chicago"
        self.assertIn(self.emp_tech, [c["employee"] for c in rule._evaluate_missed_checkin()], "not paused: missed")
        self.profile_tech.write({"paused_from": datetime.date(2026, 11, 23), "paused_until": datetime.date(2026, 11, 27)})
        self.assertNotIn(self.emp_tech, [c["employee"] for c in rule._evaluate_missed_checkin()])
        week = self.env["ops.weekly_summary"]._summary_values(self.profile_tech, datetime.date(2026, 11, 23))
        self.assertTrue(week[0]["summary"].startswith("Paused part of this week."))
        self.assertEqual(week[0]["calls_expected"], 0, "no call is expected on a paused day")


@tagged("post_install", "-at_install")
class TestMyData(HttpCase, OpsCoachCase):
    def test_a_technician_downloads_his_own_records_and_nobody_elses(self):
        self._checkin(self.emp_tech, energy_level=4, commitment="Call Mrs. Lee")
        self._checkin(self.emp_other_tech, energy_level=2, commitment="Not his")
        self._escalation(self.emp_tech, reason="about him")
        self.authenticate("t_tech", "t_tech")
        mine = self.url_open("/ops_coach/my_data.json")
        self.assertEqual(mine.status_code, 200)
        data = json.loads(mine.text)
        self.assertEqual([c["commitment"] for c in data["checkins"]], ["Call Mrs. Lee"])
        self.assertEqual([a["reason"] for a in data["alerts_about_me"]], ["about him"])
        as_csv = self.url_open("/ops_coach/my_data.csv")
        self.assertIn("checkins,", as_csv.text)
        self.assertNotIn("Not his", as_csv.text)
        self.assertIn("attachment", as_csv.headers["Content-Disposition"])


@tagged("post_install", "-at_install")
class TestWhatTheManagerSees(VapiCase):
    SENTENCE = "your own words, like your coaching answers, stay between you and the coach."

    def test_every_call_ends_saying_it_and_it_holds(self):
        _s, start = self.post(envelope("assistant-request"))
        self.assertIn(f"end every call with: \"One last thing: your manager sees whether you're ready",
                      start["assistant"]["model"]["messages"][0]["content"])
        self.assertIn(self.SENTENCE, start["assistant"]["model"]["messages"][0]["content"])
        self.post(tool_calls(("log", "log_daily_checkin", dict(AM_CHECKIN, blocker_present=False))))
        checkin = self.checkins()
        checkin.write({"transcript": "AI: Energy? Tech: four", "coaching_answer": "I rush my close-outs"})
        # the manager reads the structured answers, never the words, under the private default
        as_manager = checkin.with_user(self.user_manager)
        self.assertEqual(as_manager.read(["energy_level"])[0]["energy_level"], 4)
        self.assertNotIn("transcript", as_manager.read()[0])
        with self.assertRaises(AccessError):
            as_manager.read(["coaching_answer"])
        # his own page shows him his words; his manager's view of it does not
        self.assertEqual(self.profile_tech.with_user(self.user_tech).my_words, f"{checkin.checkin_date}: I rush my close-outs")
        self.assertFalse(self.profile_tech.with_user(self.user_manager).my_words)
        # the company opens them: managers read them too, and the sentence says so
        self.company.ops_words_private = False
        self.assertEqual(as_manager.read(["coaching_answer"])[0]["coaching_answer"], "I rush my close-outs")
        _s, start = self.post(envelope("assistant-request", call_id="call-2"))
        self.assertIn("he can read your coaching answers too", start["assistant"]["model"]["messages"][0]["content"])


@tagged("post_install", "-at_install")
class TestGiveAccess(OpsCoachCase):
    def profile(self, name, email, role):
        employee = self.env["hr.employee"].create({"name": name, "work_email": email})
        return self.env["ops.tech_profile"].create({"employee_id": employee.id, "role_ids": [
            Command.set(self.env.ref(f"ops_coach.role_{role}").ids)]})

    def test_one_action_makes_the_user_with_the_access_his_role_calls_for_and_invites_him(self):
        tech = self.profile("Nina Tech", "nina.tech@example.com", "technician")
        lead = self.profile("Omar Lead", "omar.lead@example.com", "service_manager")
        result = (tech | lead).with_user(self.user_director).action_give_access()
        self.assertIn("Nina Tech is invited at nina.tech@example.com as user", result["params"]["message"])
        user = tech.employee_id.user_id
        self.assertEqual(user.login, "nina.tech@example.com")
        self.assertTrue(user.has_group("ops_coach.group_ops_user"))
        self.assertFalse(user.has_group("ops_coach.group_ops_manager"))
        self.assertTrue(lead.employee_id.user_id.has_group("ops_coach.group_ops_manager"))
        self.assertEqual(user.partner_id.signup_type, "signup", "Odoo's invitation to set his password was sent")

    def test_only_a_director_gives_access_and_an_email_is_needed(self):
        tech = self.profile("Nina Tech", False, "technician")
        with self.assertRaises(AccessError):
            tech.with_user(self.user_manager).action_give_access()
        with self.assertRaises(UserError):
            tech.with_user(self.user_director).action_give_access()
        self.assertFalse(tech.employee_id.user_id)


@tagged("post_install", "-at_install")
class TestNumbersNeverFailSilently(OpsCoachCase):
    def test_a_mobile_skipped_for_want_of_a_country_is_said_and_taken_once_the_country_is_set(self):
        self.company.country_id = False
        employee = self.env["hr.employee"].create({"name": "Paz Tech", "mobile_phone": "(312) 555-0111"})
        profile = self.env["ops.tech_profile"].create({"employee_id": employee.id, "role_ids": [
            Command.set(self.role_tech.ids)]})
        self.assertFalse(profile.phone_ids)
        self.assertIn("your company has no country: set the company's country in Settings", profile.number_problem)
        self.company.country_id = self.env.ref("base.us")
        self.assertEqual(profile.phone_ids.e164, "+13125550111", "taken once the country is set")
        self.assertFalse(profile.number_problem)
        self.assertEqual(self.env["ops.caller_number"]._profile_for_number("+1 312 555 0111", "US"), profile)
