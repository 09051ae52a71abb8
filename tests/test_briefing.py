import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged

from .common import OpsCoachCase

D = datetime.date
TUESDAY = D(2026, 11, 24)
# Chicago is UTC-6 in November
TUESDAY_0645_CHICAGO = "2026-11-24 12:45:00"
TUESDAY_1030_CHICAGO = "2026-11-24 16:30:00"  # past the missed-check-in rule's 10:00


class BriefingCase(OpsCoachCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "America/Chicago"
        cls.env.company.ops_briefing_hour = 6.5
        cls.emp_other_tech.tz = "America/Chicago"
        cls.Briefing = cls.env["ops.briefing"]
        cls.job = cls.env["project.task"].create({
            "name": "Fix AC at the Riveras'", "project_id": cls.env["project.project"].create({"name": "Jobs"}).id,
            "user_ids": [Command.set(cls.user_tech.ids)], "date_deadline": datetime.datetime(2026, 11, 24, 16)})

    def sick_call(self):
        return self._checkin(self.emp_tech, call_type="ops_only", ready_status="not_ready",
                             not_ready_reason="sick", start=datetime.datetime(2026, 11, 24, 12, 20))

    def briefing_of(self, user):
        return self.Briefing.search([("user_id", "=", user.id), ("date", "=", TUESDAY)])


@tagged("post_install", "-at_install")
class TestMorningBriefing(BriefingCase):
    @freeze_time(TUESDAY_0645_CHICAGO)
    def test_manager_is_told_who_is_not_ready_and_which_jobs_to_cover(self):
        self.sick_call()
        self.Briefing._cron_send()
        lead = self.briefing_of(self.user_lead)
        self.assertEqual(lead.scope, "team")
        self.assertIn("Not ready today", lead.body)
        self.assertIn("Tech T: sick; jobs to cover: Fix AC at the Riveras'", lead.body)
        self.assertIn("1 not ready", lead.subject)
        self.assertTrue(self.briefing_of(self.user_manager), "Tech T is in Manager M's chain too")
        self.assertFalse(self.briefing_of(self.user_other_manager), "nothing to act on: no briefing")
        message = self.env["mail.message"].search([("model", "=", "ops.briefing"), ("res_id", "=", lead.id)])
        self.assertIn(self.user_lead.partner_id, message.notification_ids.res_partner_id | message.partner_ids)

    @freeze_time(TUESDAY_0645_CHICAGO)
    def test_alerts_waiting_say_how_long(self):
        self._escalation(self.emp_other_tech, raised_date=datetime.datetime(2026, 11, 22, 12, 0))
        self.Briefing._cron_send()
        briefing = self.briefing_of(self.user_other_manager)
        self.assertIn("Alerts waiting on you", briefing.body)
        self.assertIn("Tech U", briefing.body)
        self.assertIn("not acknowledged, open 2 days", briefing.body)

    @freeze_time(TUESDAY_0645_CHICAGO)
    def test_once_a_day_and_read_date_from_the_inbox(self):
        self.sick_call()
        first = self.Briefing._cron_send()
        self.assertTrue(first)
        self.assertFalse(self.Briefing._cron_send() & first, "the next run the same morning sends nothing again")
        lead = self.briefing_of(self.user_lead)
        self.assertEqual(len(lead), 1)
        self.assertFalse(lead.read_date)
        lead.with_user(self.user_manager).action_mark_read()
        lead.invalidate_recordset(["read_date"])
        self.assertFalse(lead.read_date, "only the reader marks it read")
        lead.with_user(self.user_lead).action_mark_read()
        lead.invalidate_recordset(["read_date"])
        self.assertTrue(lead.read_date)

    def test_nothing_before_the_hour_nor_on_the_weekend(self):
        self.sick_call()
        for now in ("2026-11-24 12:00:00", "2026-11-24 16:00:00", "2026-11-28 12:45:00"):
            with self.subTest(now=now), freeze_time(now):
                self.assertFalse(self.Briefing._cron_send().filtered(lambda b: b.user_id == self.user_lead))

    @freeze_time(TUESDAY_0645_CHICAGO)
    def test_a_manager_reads_only_his_own_briefings(self):
        self.sick_call()
        self.Briefing._cron_send()
        self.assertEqual(self.Briefing.with_user(self.user_manager).search([]).user_id, self.user_manager)


@tagged("post_install", "-at_install")
class TestTodayFlags(BriefingCase):
    @freeze_time(TUESDAY_1030_CHICAGO)
    def test_who_needs_me_today(self):
        self.sick_call()
        self._checkin(self.emp_lead, start=datetime.datetime(2026, 11, 24, 13), ready_status="ready",
                      energy_level=4)
        Profile = self.env["ops.tech_profile"].with_user(self.user_manager)
        needing = Profile.search([("needs_me_today", "=", True)])
        tech = needing.filtered(lambda p: p.employee_id == self.emp_tech)
        self.assertTrue(tech.today_not_ready)
        self.assertEqual(tech.today_note, "sick")
        self.assertNotIn(self.emp_lead, needing.employee_id, "the lead called in, ready")
        self.assertFalse(needing.filtered(lambda p: p.employee_id == self.emp_other_tech),
                         "another manager's team")
        other = self.env["ops.tech_profile"].search([("employee_id", "=", self.emp_other_tech.id)])
        self.assertTrue(other.today_missed_am, "no AM call by 10:00 on a workday")
        self.assertIn(other, self.env["ops.tech_profile"].search([("today_missed_am", "=", True)]))

    @freeze_time(TUESDAY_1030_CHICAGO)
    def test_a_today_card_opens_on_the_reason_the_call_and_the_alerts_to_act_on(self):
        sick = self.sick_call()
        alert = self._escalation(self.emp_tech)
        tech = self.env["ops.tech_profile"].with_user(self.user_manager).search(
            [("employee_id", "=", self.emp_tech.id)])
        self.assertEqual(tech.today_checkin_ids, sick)
        self.assertIn(alert, tech.today_alert_ids)
        action = self.env["ir.actions.actions"]._for_xml_id("ops_coach.action_ops_today")
        form_view = [view for view, mode in action["views"] if mode == "form"][0]
        self.assertEqual(form_view, self.env.ref("ops_coach.view_ops_tech_profile_today_form").id,
                         "the card opens the Today form, not the editable profile")
        alert.with_user(self.user_manager).action_acknowledge()
        self.assertEqual(alert.state, "acknowledged")

    @freeze_time("2026-11-29 16:00:00")  # Sunday 10:00 in Chicago
    def test_on_a_sunday_today_is_the_last_workday(self):
        friday = datetime.datetime(2026, 11, 27, 13)  # 07:00 in Chicago
        self._checkin(self.emp_tech, call_type="ops_only", ready_status="not_ready", not_ready_reason="vehicle",
                      start=friday)
        self._checkin(self.emp_lead, start=friday, ready_status="ready", energy_level=4)
        Profile = self.env["ops.tech_profile"].with_user(self.user_manager)
        tech = Profile.search([("employee_id", "=", self.emp_tech.id)])
        self.assertTrue(tech.today_not_ready, "Friday's not-ready, on Sunday")
        self.assertEqual(tech.today_shown_day, "Fri 27 Nov")
        lead = Profile.search([("employee_id", "=", self.emp_lead.id)])
        self.assertFalse(lead.today_missed_am, "he called on Friday")
        other = self.env["ops.tech_profile"].search([("employee_id", "=", self.emp_other_tech.id)])
        self.assertTrue(other.today_missed_am, "no AM call on Friday")
        self.assertIn(other, self.env["ops.tech_profile"].search([("today_missed_am", "=", True)]))
        with freeze_time("2026-11-30 13:00:00"):  # Monday 07:00: a workday again, before the cutoff
            tech.invalidate_recordset()
            self.assertFalse(tech.today_not_ready or tech.today_shown_day, "Monday is Monday's")

    @freeze_time(TUESDAY_1030_CHICAGO)
    def test_a_streak_alert_flags_the_person(self):
        self._escalation(self.emp_tech)
        tech = self.profile_tech.with_user(self.user_manager)
        self.assertTrue(tech.on_streak)
        self.assertEqual(tech.open_alert_count, 1)


@tagged("post_install", "-at_install")
class TestMyPage(BriefingCase):
    @freeze_time(TUESDAY_1030_CHICAGO)
    def test_streak_kpis_and_commitments(self):
        for day, commitment in ((D(2026, 11, 20), "Photos every job"), (D(2026, 11, 23), "Call 30 min out")):
            self._checkin(self.emp_tech, start=datetime.datetime.combine(day, datetime.time(13)),
                          ready_status="ready", energy_level=4, commitment=commitment)
        self.profile_tech.primary_kpi_ids = self.kpi_ftf
        for weeks_ago, value in ((2, 92), (1, 90)):
            self.env["ops.kpi.value"].create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id,
                                              "period_start": D(2026, 11, 23) - datetime.timedelta(weeks=weeks_ago),
                                              "value": value})
        page = self.profile_tech.with_user(self.user_tech)
        self.assertEqual(page.call_streak, 2, "Friday and Monday; today has not called yet")
        self.assertEqual(page.calls_this_week, 1, "Monday's call: Friday's was last week")
        self.assertIn("First-time fix rate", page.kpi_board)
        self.assertIn("worse", page.kpi_board)
        self.assertIn("at least 90", page.kpi_board)
        self.assertEqual(page.recent_commitment_ids.mapped("commitment"), ["Call 30 min out", "Photos every job"])
        action = self.env["ops.tech_profile"].with_user(self.user_tech).action_my_page()
        self.assertEqual(action["res_id"], self.profile_tech.id)

    def test_the_page_has_no_button(self):
        arch = self.env["ops.tech_profile"].with_user(self.user_tech).get_views(
            [(self.env.ref("ops_coach.view_ops_tech_profile_my_page").id, "form")])["views"]["form"]["arch"]
        self.assertNotIn("<button", arch)


@tagged("post_install", "-at_install")
class TestDemoMorning(TransactionCase):
    """The demo's morning: the Monday after its anchor week, at the briefing hour."""

    def test_sam_owner_and_ivy(self):
        luis = self.env.ref("ops_coach.demo_employee_luis", raise_if_not_found=False)
        if not luis:
            self.skipTest("installed without demo data")
        friday = max(day for day in self.env["ops.checkin"].search([("employee_id", "=", luis.id)]).mapped(
            "checkin_date") if day.weekday() == 4)  # the story's; the demo runs on to the install's morning
        monday = friday + datetime.timedelta(days=3)
        with freeze_time(datetime.datetime.combine(monday, datetime.time(12, 45))):  # 06:45 in Chicago
            self.env["ops.briefing"]._cron_send()
        Briefing = self.env["ops.briefing"].search([("date", "=", monday)])
        sam = Briefing.filtered(lambda b: b.user_id == self.env.ref("ops_coach.demo_user_manager"))
        self.assertEqual(sam.scope, "team")
        self.assertIn("Luis Ortega: Energy at or below 2", sam.body, "his burnout streak")
        self.assertIn("Luis Ortega: Burnout watch: low energy streak (not acknowledged, open 2 days)", sam.body)
        self.assertIn("Maya Patel: KPI decline (acknowledged, open 2 days)", sam.body)
        team_alerts = self.env["ops.escalation"].search([("manager_id.user_id", "=", sam.user_id.id),
                                                         ("state", "in", ("new", "acknowledged"))])
        self.assertGreaterEqual(len(team_alerts), 3)
        for alert in team_alerts:
            self.assertIn(f"{alert.employee_id.name}: {alert.rule_id.name} (", sam.body)
        owner = Briefing.filtered(lambda b: b.user_id == self.env.ref("base.user_admin"))
        self.assertEqual(owner.scope, "company")
        open_alerts = self.env["ops.escalation"].search_count([("state", "in", ("new", "acknowledged"))])
        self.assertIn(f"14 people on the line, {open_alerts} alerts open", owner.body)
        self.assertIn("Required calls made over the last 7 days: 100 %", owner.body)
        ivy = Briefing.filtered(lambda b: b.user_id == self.env.ref("ops_coach.demo_user_ivy"))
        self.assertNotIn("Luis", ivy.body, "a manager hears of her own team only")


@tagged("post_install", "-at_install")
class TestScreensInBrowser(HttpCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref("ops_coach.demo_employee_luis", raise_if_not_found=False):
            self.skipTest("the screens are walked on the demo company")

    def test_manager_today(self):
        self.start_tour("/odoo/action-ops_coach.action_ops_today", "ops_coach_today", login="ops_manager")

    def test_a_kpi_trend_against_its_target(self):
        self.start_tour("/odoo/action-ops_coach.action_ops_kpi_trends", "ops_coach_kpi_trend", login="ops_manager")

    def test_technician_page(self):
        self.start_tour("/odoo/action-ops_coach.action_ops_my_page", "ops_coach_my_page", login="ops_tech")

    def test_a_manager_presses_preview_on_his_briefings(self):
        self.start_tour("/odoo/action-ops_coach.action_ops_briefing", "ops_coach_briefing_preview",
                        login="ops_manager")


@tagged("post_install", "-at_install")
class TestBriefingPreview(BriefingCase):
    @freeze_time("2026-11-24 20:00:00")
    def test_a_manager_previews_his_briefing_any_time(self):
        self.sick_call()
        action = self.env["ops.briefing"].with_user(self.user_manager).action_preview()
        preview = self.env["ops.briefing.preview"].browse(action["res_id"])
        self.assertIn("Tech T: sick; jobs to cover: Fix AC at the Riveras'", preview.body)
        self.assertFalse(self.env["ops.briefing"].search([("user_id", "=", self.user_manager.id)]),
                         "a preview is neither archived nor sent")
        self._checkin(self.emp_other_tech, start=datetime.datetime(2026, 11, 24, 13), ready_status="ready",
                      energy_level=4)
        action = self.env["ops.briefing"].with_user(self.user_other_manager).action_preview()
        self.assertIn("Nothing needs you", self.env["ops.briefing.preview"].browse(action["res_id"]).body)
        with self.assertRaises(AccessError):
            self.env["ops.briefing"].with_user(self.user_tech).action_preview()
