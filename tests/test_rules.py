import datetime

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import OpsCoachCase

D = datetime.date
FRI, SAT, MON, TUE, WED = D(2026, 11, 20), D(2026, 11, 21), D(2026, 11, 23), D(2026, 11, 24), D(2026, 11, 25)
TUESDAY_NOON_CHICAGO = "2026-11-24 18:00:00"


def at_local_morning(day):
    """07:00 in Chicago on ``day``, as the UTC the database stores."""
    return datetime.datetime.combine(day, datetime.time(13, 0))


class RulesCase(OpsCoachCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Profile = cls.env["ops.tech_profile"]
        cls.user_dispatch = cls.env["res.users"].create({"name": "Dee Dispatch", "login": "t_dispatch"})
        cls.emp_dispatch = cls.env["hr.employee"].create({"name": "Dee Dispatch", "user_id": cls.user_dispatch.id})
        Profile.create([
            {"employee_id": cls.emp_owner.id, "role_ids": [Command.set(cls.env.ref("ops_coach.role_owner").ids)]},
            {"employee_id": cls.emp_director.id,
             "role_ids": [Command.set(cls.env.ref("ops_coach.role_ops_director").ids)]},
            {"employee_id": cls.emp_dispatch.id, "role_ids": [Command.set(cls.env.ref("ops_coach.role_dispatch").ids)]},
        ])
        cls.Alert = cls.env["ops.escalation"]
        cls.Rule = cls.env["ops.escalation_rule"]
        # the demo company (if installed) stays out of these numbers
        mine = (cls.emp_owner | cls.emp_director | cls.emp_manager | cls.emp_lead | cls.emp_tech
                | cls.emp_other_manager | cls.emp_other_tech | cls.emp_dispatch)
        Profile.search([("employee_id", "not in", mine.ids)]).action_archive()
        cls.Alert.search([]).unlink()
        cls.emp_tech.resource_calendar_id = cls.env.company.resource_calendar_id

    def am(self, day, energy, employee=None, **vals):
        return self._checkin(employee or self.emp_tech, start=at_local_morning(day), energy_level=energy,
                             ready_status="ready", **vals)

    def alerts(self, kind, employee=None):
        return self.Alert.search([("kind", "=", kind), ("employee_id", "=", (employee or self.emp_tech).id)])

    def activity_users(self, alerts):
        return alerts.activity_ids.user_id

    def hits(self, rule_xmlid, employee=None):
        rule = self.env.ref(f"ops_coach.rule_{rule_xmlid}")
        found = getattr(rule, f"_evaluate_{rule.kind}")()
        return [hit for hit in found if hit["employee"] == (employee or self.emp_tech)]


@tagged("post_install", "-at_install")
class TestLowEnergyRule(RulesCase):
    def run_rule(self):
        return self.hits("low_energy")

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_at_below_and_above_the_threshold(self):
        for energies, fires in (((2, 2), True), ((1, 2), True), ((3, 2), False), ((2, 3), False)):
            with self.subTest(energies=energies):
                checkins = self.am(MON, energies[0]) | self.am(TUE, energies[1])
                self.assertEqual(bool(self.run_rule()), fires)
                checkins.unlink()

    @freeze_time("2026-11-23 18:00:00")
    def test_friday_and_monday_are_a_streak_across_the_weekend(self):
        self.am(FRI, 2)
        self.am(MON, 2)
        self.Rule._cron_daily()
        alert = self.alerts("low_energy_streak")
        self.assertEqual(len(alert), 1)
        self.assertIn("2 workdays in a row", alert.reason)
        self.assertEqual(alert.checkin_ids.mapped("checkin_date"), [MON, FRI])
        self.assertEqual(self.activity_users(alert), self.user_lead, "the tech's manager gets the to-do")
        self.assertIn("energy 2", alert.message_ids[0].body)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_a_leave_day_does_not_break_the_streak_but_a_missed_workday_does(self):
        self.am(FRI, 2)
        self.am(TUE, 2)
        self.assertFalse(self.run_rule(), "Monday was a workday without a reading")
        self.env["resource.calendar.leaves"].create({
            "name": "Day off", "calendar_id": self.emp_tech.resource_calendar_id.id,
            "resource_id": self.emp_tech.resource_id.id,
            "date_from": "2026-11-23 06:00:00", "date_to": "2026-11-24 05:59:59"})
        self.assertEqual(len(self.run_rule()), 1)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_no_second_open_alert_and_new_evidence_is_added(self):
        self.am(MON, 2)
        self.am(TUE, 2)
        self.Rule._cron_daily()
        self.Rule._cron_daily()
        alert = self.alerts("low_energy_streak")
        self.assertEqual(len(alert), 1)
        self.assertEqual(len(alert.activity_ids), 1)
        with freeze_time("2026-11-25 18:00:00"):
            wednesday = self.am(WED, 1)
            self.Rule._cron_daily()
        self.assertEqual(len(self.alerts("low_energy_streak")), 1)
        self.assertIn(wednesday, alert.checkin_ids)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_cooldown_after_resolution(self):
        rule = self.env.ref("ops_coach.rule_low_energy")  # cooldown 5 days
        self.am(MON, 2)
        self.am(TUE, 2)
        self.Rule._cron_daily()
        self.alerts("low_energy_streak").write({"resolution_note": "Swapped his Friday route"})
        self.alerts("low_energy_streak").action_resolve()
        with freeze_time("2026-11-25 18:00:00"):
            self.am(WED, 2)
            self.Rule._cron_daily()
            self.assertEqual(len(self.alerts("low_energy_streak")), 1, "quiet the next morning")
        with freeze_time(datetime.datetime(2026, 11, 24, 18) + datetime.timedelta(days=rule.cooldown_days)):
            for day in (D(2026, 11, 26), D(2026, 11, 27), D(2026, 11, 30)):
                self.am(day, 2)
            self.Rule._cron_daily()
            self.assertEqual(len(self.alerts("low_energy_streak")), 2, "the cooldown is over")


@tagged("post_install", "-at_install")
class TestReescalation(RulesCase):
    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_unacknowledged_alert_climbs_one_level_at_a_time(self):
        self.am(MON, 2)
        self.am(TUE, 2)
        alert = self.Rule._cron_daily().filtered(lambda a: a.kind == "low_energy_streak")
        self.assertEqual((alert.level, self.activity_users(alert)), (1, self.user_lead))
        self.Alert._cron_reescalate()
        self.assertEqual(alert.level, 1, "not before the deadline")
        with freeze_time("2026-11-25 19:00:00"):  # 24 h later
            self.Alert._cron_reescalate()
            self.assertEqual(alert.level, 2)
            self.assertEqual(self.activity_users(alert), self.user_lead | self.user_director)
            self.Alert._cron_reescalate()
            self.assertEqual(alert.level, 2, "once per level")
        with freeze_time("2026-11-26 20:00:00"):
            self.Alert._cron_reescalate()
            self.assertEqual(alert.level, 3)
            self.assertIn(self.user_owner, self.activity_users(alert))
        with freeze_time("2026-11-28 20:00:00"):
            self.Alert._cron_reescalate()
            self.assertEqual(alert.level, 3, "the owner is the top")

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_acknowledged_alert_stays_put(self):
        self.am(MON, 2)
        self.am(TUE, 2)
        alert = self.Rule._cron_daily().filtered(lambda a: a.kind == "low_energy_streak")
        alert.action_acknowledge()
        with freeze_time("2026-11-26 19:00:00"):
            self.Alert._cron_reescalate()
        self.assertEqual(alert.level, 1)


@tagged("post_install", "-at_install")
class TestCheckinRules(RulesCase):
    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_safety_goes_to_the_ops_director_and_owner_at_once(self):
        checkin = self._checkin(self.emp_tech, call_type="safety_report", safety_issue=True,
                                safety_note="Ladder slipped")
        alert = self.alerts("safety_issue")
        self.assertEqual(alert.checkin_ids, checkin)
        self.assertEqual(alert.priority, "2")
        self.assertEqual(self.activity_users(alert), self.user_director | self.user_owner)
        self.assertEqual(alert.activity_ids.create_uid, self.env.ref("base.user_root"))

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_blocker_with_a_note_goes_to_dispatch(self):
        self.am(TUE, 4, blocker_flag=True)
        self.assertFalse(self.alerts("blocker"), "a blocker without a note is not actionable")
        self.am(MON, 4, blocker_flag=True, blocker_note="No capacitor")
        self.assertEqual(self.activity_users(self.alerts("blocker")), self.user_dispatch)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_attendance_by_reason(self):
        for reason in ("vehicle", "schedule"):
            self._checkin(self.emp_tech, call_type="ops_only", ready_status="not_ready", not_ready_reason=reason)
        self.assertFalse(self.alerts("attendance"))
        self._checkin(self.emp_tech, call_type="ops_only", ready_status="not_ready", not_ready_reason="sick")
        alert = self.alerts("attendance")
        self.assertEqual(self.activity_users(alert), self.user_lead | self.user_dispatch)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_missed_job_steps_go_to_the_manager_with_the_items(self):
        job = self.env["project.task"].create({"name": "Smith AC"})
        self._checkin(self.emp_tech, call_type="job_closeout", job_id=job.id, diagnosis_done=True,
                      options_presented=True, customer_understood=True, photos_uploaded=True)
        self.assertFalse(self.alerts("missed_steps"))
        self._checkin(self.emp_tech, call_type="job_closeout", job_id=job.id, diagnosis_done=True,
                      options_presented=True)
        alert = self.alerts("missed_steps")
        self.assertIn("photos uploaded, customer understanding confirmed", alert.reason)
        self.assertEqual(self.activity_users(alert), self.user_lead)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_an_inactive_rule_is_silent(self):
        self.env.ref("ops_coach.rule_safety").active = False
        self._checkin(self.emp_tech, call_type="safety_report", safety_issue=True, safety_note="x")
        self.assertFalse(self.alerts("safety_issue"))

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_nobody_handles_an_alert_about_themselves(self):
        self._checkin(self.emp_director, call_type="safety_report", safety_issue=True, safety_note="Cut hand")
        alert = self.alerts("safety_issue", self.emp_director)
        self.assertEqual(self.activity_users(alert), self.user_owner)


@tagged("post_install", "-at_install")
class TestDailyRules(RulesCase):
    def value(self, weeks_ago, value, kpi=None):
        return self.env["ops.kpi.value"].create({
            "employee_id": self.emp_tech.id, "kpi_id": (kpi or self.kpi_ftf).id,
            "period_start": D(2026, 11, 23) - datetime.timedelta(weeks=weeks_ago), "value": value})

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_kpi_decline_at_below_and_above_two_periods(self):
        for n, v in enumerate((92, 92, 90)):
            self.value(3 - n, v)
        self.assertFalse(self.hits("kpi_decline"), "one decline")
        self.value(0, 85)
        hits = self.hits("kpi_decline")
        self.assertEqual(len(hits), 1)
        self.assertIn("2 periods in a row: 92 → 90 → 85", hits[0]["reason"])
        self.assertEqual(hits[0]["kpi_values"].mapped("value"), [92, 90, 85])

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_kpi_decline_honours_lower_is_better(self):
        callbacks = self.env.ref("ops_coach.kpi_tech_callback")  # lower is better
        values = [self.value(2 - n, v, callbacks) for n, v in enumerate((5, 4, 3))]
        self.assertFalse(self.hits("kpi_decline"), "fewer callbacks every week is improving")
        for record, worse in zip(values, (3, 4, 5)):
            record.value = worse
        self.assertEqual(len(self.hits("kpi_decline")), 1)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_archived_profile_is_not_watched(self):
        for n, v in enumerate((92, 90, 85)):
            self.value(2 - n, v)
        self.profile_tech.action_archive()
        self.assertFalse(self.hits("kpi_decline"))

    @freeze_time("2026-11-24 16:00:00")  # 10:00 in Chicago: the cutoff
    def test_missed_am_checkin_by_the_cutoff_on_a_workday(self):
        self.assertEqual(len(self.hits("missed_checkin")), 1)
        self.assertFalse(self.hits("missed_checkin", self.emp_manager), "a manager's AM check-in is not required")
        self.am(TUE, 4)
        self.assertFalse(self.hits("missed_checkin"))

    @freeze_time("2026-11-24 15:59:00")
    def test_missed_checkin_waits_for_the_cutoff(self):
        self.assertFalse(self.hits("missed_checkin"))

    @freeze_time("2026-11-21 18:00:00")
    def test_no_missed_checkin_on_a_weekend(self):
        self.assertFalse(self.hits("missed_checkin"))

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_owner_doing_ops_work_more_than_x_days(self):
        for day in (D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19)):
            self._checkin(self.emp_owner, call_type="owner_checkin", ops_work_today=True,
                          start=datetime.datetime.combine(day, datetime.time(15)))
        self.assertFalse(self.hits("owner_ops_work", self.emp_owner), "exactly X days is not more than X")
        self._checkin(self.emp_owner, call_type="owner_checkin", ops_work_today=True,
                      start=datetime.datetime.combine(FRI, datetime.time(15)))
        hits = self.hits("owner_ops_work", self.emp_owner)
        self.assertEqual(len(hits), 1)
        self.assertIn("System failure", hits[0]["reason"])

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_thresholds_come_from_the_rule_record(self):
        rule = self.env.ref("ops_coach.rule_low_energy")
        self.am(MON, 3)
        self.am(TUE, 3)
        self.assertFalse(self.hits("low_energy"))
        rule.threshold_value = 3
        self.assertEqual(len(self.hits("low_energy")), 1)
        rule.consecutive_periods = 3
        self.assertFalse(self.hits("low_energy"))

    def test_the_low_energy_mark_reads_the_rule(self):
        self.assertFalse(self.am(MON, 3).low_energy)
        self.env.ref("ops_coach.rule_low_energy").threshold_value = 3
        self.assertTrue(self.am(TUE, 3).low_energy, "energy 3 is low once the company's rule says so")

    def test_each_kind_shows_only_its_parameters(self):
        decline = self.env.ref("ops_coach.rule_kpi_decline")
        self.assertEqual((decline.uses_threshold, decline.uses_periods, decline.uses_reasons), (False, True, False))
        self.assertIn("Periods in a row the KPI got worse", decline.parameter_help)
        missed = self.env.ref("ops_coach.rule_missed_checkin")
        self.assertEqual((missed.trigger, missed.uses_threshold), ("daily", True))
        self.assertIn("local hour", missed.parameter_help)
        self.assertEqual(self.env.ref("ops_coach.rule_attendance").trigger, "checkin")


@tagged("post_install", "-at_install")
class TestWeeklyLoop(RulesCase):
    """Week of Mon 16 Nov 2026, by hand: AM energies 4, 3, 2, 2, 2 (Mon–Fri), previous
    week 4 and 4; three commitments, asked back done, partly, not done; first-time fix
    92 → 90 → 85 (two declines)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        days = [D(2026, 11, 16) + datetime.timedelta(days=n) for n in range(5)]
        for day, energy, commitment, followup in zip(days, (4, 3, 2, 2, 2), ("a", "b", "c", False, False),
                                                    (False, "done", "partly", "not_done", False)):
            cls._checkin(cls.emp_tech, start=at_local_morning(day), energy_level=energy, ready_status="ready",
                         commitment=commitment, commitment_followup=followup)
        cls._checkin(cls.emp_tech, start=at_local_morning(days[0]), call_type="eod_closeout")
        for day in (D(2026, 11, 10), D(2026, 11, 12)):
            cls._checkin(cls.emp_tech, start=at_local_morning(day), energy_level=4, ready_status="ready")
        for weeks_ago, value in ((2, 92), (1, 90), (0, 85)):
            cls.env["ops.kpi.value"].create({"employee_id": cls.emp_tech.id, "kpi_id": cls.kpi_ftf.id,
                                             "period_start": D(2026, 11, 16) - datetime.timedelta(weeks=weeks_ago),
                                             "value": value})
        for weeks_ago, value in ((2, 6), (1, 4)):  # fewer callbacks: better, though the number went down
            cls.env["ops.kpi.value"].create({"employee_id": cls.emp_tech.id,
                                             "kpi_id": cls.env.ref("ops_coach.kpi_tech_callback").id,
                                             "period_start": D(2026, 11, 16) - datetime.timedelta(weeks=weeks_ago),
                                             "value": value})
        cls.profile_tech.write({"goal_progress": 40, "goal_end": D(2026, 12, 22)})

    @freeze_time("2026-11-23 14:00:00")
    def test_weekly_summary_numbers(self):
        summaries = self.env["ops.weekly_summary"]._cron_weekly()
        tech = summaries.filtered(lambda s: s.employee_id == self.emp_tech)
        self.assertRecordValues(tech, [{
            "week_start": D(2026, 11, 16), "week_label": "2026-W47", "calls_made": 5, "calls_expected": 5,
            "completion_pct": 100.0, "avg_energy": 2.6, "prev_avg_energy": 4.0, "energy_trend": "down",
            "kpis_down": 1, "goal_progress": 40, "goal_days_left": 30, "commitments": 3,
            "followups_asked": 3, "follow_through_pct": 50.0, "burnout_flag": True, "manager_flagged": True,
        }])
        self.assertIn("50% of commitments kept", tech.summary)
        self.assertIn("First-time fix rate: worse", tech.kpi_trends)
        self.assertIn("Callback %: better", tech.kpi_trends)
        self.assertIn("Burnout watch", tech.summary)
        self.assertEqual(tech.activity_ids.user_id, self.user_lead)
        silent = summaries.filtered(lambda s: s.employee_id in (self.emp_lead | self.emp_other_tech))
        self.assertEqual(silent.mapped("completion_pct"), [0.0, 0.0])
        self.assertTrue(all(silent.mapped("manager_flagged")), "0 of 5 required calls crosses the threshold")
        calm = summaries - tech - silent
        self.assertFalse(calm.filtered("manager_flagged"), "nobody else crossed a threshold")
        owner = summaries.filtered(lambda s: s.employee_id == self.emp_owner)
        self.assertEqual((owner.calls_expected, owner.manager_flagged), (5, False),
                         "the owner's AM call is optional: counted, never flagged")

    @freeze_time("2026-11-23 14:00:00")
    def test_the_weekly_flags_read_the_rule_records(self):
        # energies 4, 3, 2, 2, 2: a three-day streak at 2; first-time fix worse two weeks running
        self.env.ref("ops_coach.rule_low_energy").write({"threshold_value": 1, "consecutive_periods": 2})
        self.env.ref("ops_coach.rule_kpi_decline").consecutive_periods = 3
        tech = self.env["ops.weekly_summary"]._cron_weekly().filtered(lambda s: s.employee_id == self.emp_tech)
        self.assertRecordValues(tech, [{"burnout_flag": False, "kpis_down": 0, "manager_flagged": False}])

    @freeze_time("2026-11-23 14:00:00")
    def test_rerun_replaces_the_week(self):
        first = self.env["ops.weekly_summary"]._cron_weekly()
        second = self.env["ops.weekly_summary"]._cron_weekly()
        self.assertFalse(first.exists())
        self.assertEqual(len(second), len(first))

    @freeze_time("2026-11-23 14:00:00")
    def test_company_report_flags_manager_load_imbalance(self):
        rule = self.env.ref("ops_coach.rule_blocker")
        raised = datetime.datetime(2026, 11, 18, 15)
        for employee in (self.emp_tech, self.emp_lead, self.emp_lead, self.emp_tech):
            self.Alert.create({"employee_id": employee.id, "rule_id": rule.id, "reason": "x",
                               "raised_date": raised})
        self.Alert.create({"employee_id": self.emp_other_tech.id, "rule_id": rule.id, "reason": "x",
                           "raised_date": raised})
        self.env["ops.weekly_summary"]._cron_weekly()
        report = self.env["ops.weekly_report"].search([("week_start", "=", D(2026, 11, 16))])
        self.assertTrue(report.load_imbalance)
        self.assertIn(report.busiest_manager_id, self.emp_lead | self.emp_manager)
        self.assertEqual(report.burnout_count, 1)
        self.assertIn("Manager load", report.report)

    @freeze_time("2026-11-23 14:00:00")
    def test_system_kpis_are_numerators_and_denominators_per_day(self):
        SystemKpi = self.env["ops.system_kpi"]
        friday = SystemKpi._cron_compute(FRI)
        self.assertEqual((friday.checkins_made, friday.checkins_expected), (1, 3),
                         "lead, tech and other tech have a required AM call; only the tech called")
        monday = SystemKpi._cron_compute(D(2026, 11, 16))
        self.assertEqual((monday.kpi_on_target, monday.kpi_values), (0, 1),
                         "the week's first-time fix (85) is under its 90 target")
        saturday = SystemKpi._cron_compute(SAT)
        self.assertEqual(saturday.checkins_expected, 0, "nobody works on Saturday: nothing expected, no 0 %")
        week = monday | friday | saturday
        made, expected = sum(week.mapped("checkins_made")), sum(week.mapped("checkins_expected"))
        self.assertEqual((made, expected), (2, 6), "the weekend adds nothing to either side of the rate")
        self.assertEqual(friday.people, 7, "the people on the line, the demo's archived")

    @freeze_time("2026-11-23 14:00:00")
    def test_reclaimed_minutes_count_calls_no_alert_came_from(self):
        self.env["ir.config_parameter"].set_param("ops_coach.minutes_per_checkin", "7")
        SystemKpi = self.env["ops.system_kpi"]
        before = SystemKpi._cron_compute(D(2026, 11, 16)).read()[0]  # the re-run replaces the row
        self.assertEqual(before["minutes_reclaimed"], 7 * before["checkins_no_human"])
        am_call = self.env["ops.checkin"].search([("employee_id", "=", self.emp_tech.id),
                                                  ("checkin_date", "=", D(2026, 11, 16))], limit=1)
        self.Alert.create({"employee_id": self.emp_tech.id, "rule_id": self.env.ref("ops_coach.rule_blocker").id,
                           "reason": "x", "checkin_ids": [Command.set(am_call.ids)]})
        after = SystemKpi._cron_compute(D(2026, 11, 16))
        self.assertEqual(after.checkins, before["checkins"])
        self.assertEqual(before["checkins_no_human"] - after.checkins_no_human, 1, "the call an alert came from")
        self.assertEqual(before["minutes_reclaimed"] - after.minutes_reclaimed, 7)

    @freeze_time("2026-11-23 14:00:00")
    def test_retention_counts_field_departures_until_the_last_day(self):
        self.emp_other_tech.write({"departure_date": D(2026, 11, 18), "active": False})
        SystemKpi = self.env["ops.system_kpi"]
        before, last_day, after = (SystemKpi._cron_compute(D(2026, 11, day)) for day in (17, 18, 19))
        self.assertEqual((before.field_headcount, before.field_departures), (3, 0), "lead, tech, other tech")
        self.assertEqual((last_day.field_headcount, last_day.field_departures), (3, 1))
        self.assertEqual((after.field_headcount, after.field_departures), (2, 0))

    @freeze_time("2026-11-23 14:00:00")
    def test_company_report_counts_open_alerts_and_only_line_managers(self):
        rule = self.env.ref("ops_coach.rule_blocker")
        old = self.Alert.create({"employee_id": self.emp_tech.id, "rule_id": rule.id, "reason": "x",
                                 "raised_date": datetime.datetime(2026, 11, 2, 15)})
        self.Alert.create({"employee_id": self.emp_other_tech.id, "rule_id": rule.id, "reason": "y",
                           "raised_date": datetime.datetime(2026, 11, 18, 15),
                           "resolution_note": "Parts came in"}).action_resolve()
        outsider = self.env["hr.employee"].create({"name": "Stock Manager"})
        self.env["hr.employee"].create({"name": "Not on the line", "parent_id": outsider.id})
        self.env["ops.weekly_summary"]._cron_weekly()
        report = self.env["ops.weekly_report"].search([("week_start", "=", D(2026, 11, 16))])
        self.assertEqual(report.open_alerts, 1, "the alert raised weeks ago is still open")
        self.assertIn(old.state, ("new", "acknowledged"))
        self.assertIn("1 alerts open", report.report)
        self.assertNotIn("Stock Manager", report.report, "he manages nobody on the line")
        self.assertIn(self.emp_manager.name, report.report)


@tagged("post_install", "-at_install")
class TestTheWeekJustEnded(RulesCase):
    """The weekly loop covers the Monday-to-Friday week that is over, whatever
    day it runs: Saturday and Sunday close this week, Monday closes last week."""

    def test_weekly_loop_week(self):
        for now, monday in (("2026-11-21 12:00:00", D(2026, 11, 16)), ("2026-11-22 23:00:00", D(2026, 11, 16)),
                            ("2026-11-23 12:00:00", D(2026, 11, 16)), ("2026-11-27 12:00:00", D(2026, 11, 16)),
                            ("2026-11-28 12:00:00", D(2026, 11, 23))):
            with self.subTest(now=now), freeze_time(now):
                self.env["ops.weekly_summary"]._cron_weekly()
                report = self.env["ops.weekly_report"].search([], order="write_date desc, id desc", limit=1)
                self.assertEqual(report.week_start, monday)


@tagged("post_install", "-at_install")
class TestOneAlertPerPerson(RulesCase):
    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_two_declining_kpis_make_one_alert_with_both(self):
        close_rate = self.env.ref("ops_coach.kpi_tech_close_rate")
        for kpi, values in ((self.kpi_ftf, (92, 90, 85)), (close_rate, (60, 55, 50))):
            for weeks_ago, value in zip((2, 1, 0), values):
                self.env["ops.kpi.value"].create({"employee_id": self.emp_tech.id, "kpi_id": kpi.id,
                                                  "period_start": MON - datetime.timedelta(weeks=weeks_ago),
                                                  "value": value})
        self.Rule._cron_daily()
        alert = self.alerts("kpi_decline")
        self.assertEqual(len(alert), 1)
        self.assertEqual(len(alert.kpi_value_ids), 6)
        self.assertIn("First-time fix rate", alert.reason)
        self.assertIn("Close rate (tech)", alert.reason)
        messages = len(alert.message_ids)
        self.Rule._cron_daily()
        self.assertEqual(len(alert.message_ids), messages, "the next run finds nothing new to add")


@tagged("post_install", "-at_install")
class TestOwnerToldOnce(RulesCase):
    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_one_todo_per_person_whatever_levels_he_holds(self):
        # the director is also the rule's own recipient: he is not told twice when it climbs to him
        rule = self.env.ref("ops_coach.rule_low_energy")
        rule.notify_user_ids = self.user_director
        self.am(MON, 2)
        self.am(TUE, 2)
        alert = self.Rule._cron_daily().filtered(lambda a: a.kind == "low_energy_streak")
        self.assertEqual(alert.activity_ids.user_id, self.user_lead | self.user_director)
        with freeze_time("2026-11-25 19:00:00"):
            self.Alert._cron_reescalate()
        self.assertEqual(alert.level, 2)
        self.assertEqual(len(alert.activity_ids.filtered(lambda a: a.user_id == self.user_director)), 1)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_a_checklist_miss_stays_with_the_manager(self):
        rule = self.env.ref("ops_coach.rule_missed_steps")
        self.assertEqual(rule.top_level, "1")
        alert = self.Alert.create({"employee_id": self.emp_tech.id, "rule_id": rule.id, "reason": "photos missing",
                                   "ack_deadline": "2026-11-24 12:00:00"})
        with freeze_time("2026-11-30 19:00:00"):
            self.Alert._cron_reescalate()
        self.assertEqual(alert.level, 1, "never skips to the owner")

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_not_ready_resolves_itself_when_the_day_is_over(self):
        self._checkin(self.emp_tech, start="2026-11-24 13:00:00", ready_status="not_ready", not_ready_reason="sick")
        alert = self.alerts("attendance")
        self.assertEqual(alert.state, "new")
        self.Alert._cron_reescalate()
        self.assertEqual(alert.state, "new", "the same day: still his manager's to handle")
        with freeze_time("2026-11-25 15:00:00"):
            self.Alert._cron_reescalate()
        self.assertEqual(alert.state, "resolved")
        self.assertIn("The day is over", alert.resolution_note)
        self.assertFalse(alert.activity_ids)

    @freeze_time(TUESDAY_NOON_CHICAGO)
    def test_a_checklist_miss_resolves_itself_once_nothing_is_missing(self):
        job = self.env["project.task"].create({"name": "Lee furnace", "project_id": self.env["project.project"].create(
            {"name": "Jobs"}).id})
        closeout = self._checkin(self.emp_tech, call_type="job_closeout", job_id=job.id, diagnosis_done=True,
                                 photos_uploaded=True, options_presented=False, customer_understood=True)
        alert = self.alerts("missed_steps")
        self.assertTrue(alert and closeout.missed_steps)
        closeout.options_presented = True  # the office confirmed the options were given
        self.assertFalse(closeout.missed_steps)
        self.Alert._cron_reescalate()
        self.assertEqual(alert.state, "resolved")
        self.assertIn("Nothing is missing any more", alert.resolution_note)
