"""KPIs computed from jobs: first-time fix and callbacks, the ServiceTitan way."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import OpsCoachCase

WEEK = datetime.date(2026, 11, 2)  # a Monday
TODAY = "2026-11-24 15:00:00"


@tagged("post_install", "-at_install")
class TestComputedKpis(OpsCoachCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "America/Chicago"
        cls.project = cls.env["project.project"].create({"name": "Service"})
        cls.kpi_callback = cls.env.ref("ops_coach.kpi_tech_callback")

    def job(self, done_at, user=None, project=None):
        with freeze_time(done_at):
            task = self.env["project.task"].create({"name": f"Job {done_at}", "project_id": (project or self.project).id,
                                                    "user_ids": [Command.set((user or self.user_tech).ids)]})
            task.state = "1_done"
        return task

    def return_visit(self, origin, reason, days_later):
        with freeze_time(origin.ops_done_date + datetime.timedelta(days=days_later)):
            return self.env["project.task"].create({
                "name": f"Return of {origin.name}", "project_id": self.project.id,
                "ops_origin_task_id": origin.id, "ops_return_reason": reason})

    def a_week_of_jobs(self):
        """10 done first visits for the tech in the week of WEEK, the last one on Sunday
        21:00 in Chicago (Monday 03:00 UTC); two recalled within 30 days, one customer return."""
        jobs = [self.job(f"2026-11-0{2 + n % 5} 15:00:00") for n in range(9)]
        jobs.append(self.job("2026-11-09 03:00:00"))
        self.return_visit(jobs[0], "recall", 10)
        self.return_visit(jobs[1], "recall", 29)
        self.return_visit(jobs[2], "customer", 3)  # not the tech's error
        self.return_visit(jobs[3], "recall", 45)  # too late to be a callback
        return jobs

    def value(self, kpi, employee=None, week=WEEK):
        return self.env["ops.kpi.value"].search([("kpi_id", "=", kpi.id), ("period_start", "=", week),
                                                 ("employee_id", "=", (employee or self.emp_tech).id)])

    def compute(self):
        with freeze_time(TODAY):
            self.env["ops.kpi"]._cron_compute_values()

    def test_ten_first_visits_two_recalled_make_80_and_20(self):
        self.a_week_of_jobs()
        self.compute()
        self.assertRecordValues(self.value(self.kpi_ftf), [{"value": 80.0, "origin": "computed", "provisional": True}])
        self.assertRecordValues(self.value(self.kpi_callback), [{"value": 20.0, "origin": "computed"}])
        # computing again changes nothing
        self.compute()
        self.assertEqual(self.env["ops.kpi.value"].search_count([("kpi_id", "=", self.kpi_ftf.id),
                                                                 ("employee_id", "=", self.emp_tech.id)]), 1)

    def test_a_typed_value_survives_the_cron(self):
        typed = self.env["ops.kpi.value"].create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id,
                                                  "period_start": WEEK, "value": 55})
        self.a_week_of_jobs()
        self.compute()
        self.assertRecordValues(self.value(self.kpi_ftf), [{"id": typed.id, "value": 55.0, "origin": "manual"}])
        self.assertEqual(self.value(self.kpi_callback).value, 20.0)

    def test_too_few_jobs_write_nothing_and_a_stale_value_goes(self):
        jobs = [self.job(f"2026-11-0{2 + n} 15:00:00", self.user_other_tech) for n in range(3)]
        self.compute()
        self.assertFalse(self.value(self.kpi_ftf, self.emp_other_tech), "3 jobs: no 100 %")
        for n in range(2):
            jobs.append(self.job(f"2026-11-0{5 + n} 15:00:00", self.user_other_tech))
        self.compute()
        self.assertEqual(self.value(self.kpi_ftf, self.emp_other_tech).value, 100.0)
        jobs[0].state = "01_in_progress"  # reopened: 4 done jobs again
        self.compute()
        self.assertFalse(self.value(self.kpi_ftf, self.emp_other_tech))

    def test_the_week_is_the_companys_local_week_and_old_weeks_are_final(self):
        self.a_week_of_jobs()
        self.compute()
        self.assertFalse(self.value(self.kpi_ftf, week=WEEK + datetime.timedelta(days=7)),
                         "Sunday 21:00 in Chicago belongs to the week before, not to Monday's")
        with freeze_time("2026-12-10 15:00:00"):
            self.env["ops.kpi"]._cron_compute_values()
        self.assertFalse(self.value(self.kpi_callback).provisional, "the 30-day window has closed")

    def test_a_team_kpi_sums_the_team_and_a_company_kpi_goes_to_who_is_coached_on_it(self):
        self.emp_tech.parent_id = self.emp_manager
        director = self.env["ops.tech_profile"].create({
            "employee_id": self.emp_director.id, "role_ids": [Command.set(self.env.ref("ops_coach.role_ops_director").ids)]})
        self.assertIn(self.env.ref("ops_coach.kpi_gm_callback_rate"), director.primary_kpi_ids)
        self.env["project.task"].search([]).active = False  # the company's only jobs are this test's (no demo)
        self.a_week_of_jobs()
        for n in range(5):  # the other tech's clean week dilutes the company rate: 2 recalls in 15 visits
            self.job(f"2026-11-0{2 + n} 16:00:00", self.user_other_tech)
        self.compute()
        callbacks = self.env.ref("ops_coach.kpi_mgr_callbacks")
        self.assertEqual(self.value(callbacks, self.emp_manager).value, 2, "two recalls in his team's week")
        self.assertEqual(self.value(callbacks, self.emp_manager, WEEK + datetime.timedelta(days=7)).value, 0,
                         "a week with no callback says 0, not nothing")
        self.assertFalse(self.value(callbacks, self.emp_other_manager), "not coached on it: no zeros either")
        rate = self.value(self.env.ref("ops_coach.kpi_gm_callback_rate"), self.emp_director)
        self.assertAlmostEqual(rate.value, 13.33, places=2)
        self.assertFalse(self.value(self.env.ref("ops_coach.kpi_gm_callback_rate")), "only its holders get it")

    def test_an_install_recalled_within_a_year_is_a_callback(self):
        installs = self.env["project.project"].create({"name": "Installs", "ops_install_jobs": True})
        jobs = [self.job(f"2026-11-0{2 + n % 5} 15:00:00", project=installs if n == 0 else None) for n in range(5)]
        self.assertTrue(jobs[0].ops_is_install)
        for job in jobs[:2]:
            self.return_visit(job, "recall", 200)
        self.compute()
        self.assertEqual(self.value(self.kpi_callback).value, 20.0, "the install's recall only")

    def test_arrivals_on_time_count_the_grace(self):
        on_time = self.env.ref("ops_coach.kpi_tech_on_time_arrival")
        for n in range(6):
            job = self.job(f"2026-11-0{2 + n % 5} 19:00:00")
            job.write({"date_deadline": f"2026-11-0{2 + n % 5} 15:00:00",
                       "ops_arrived_at": f"2026-11-0{2 + n % 5} 15:{[0, 10, 15, 16, 40, 5][n]:02d}:00"})
        self.compute()
        self.assertAlmostEqual(self.value(on_time).value, 400 / 6, places=2, msg="16 and 40 minutes late")
        self.env["ir.config_parameter"].set_param("ops_coach.arrival_grace_minutes", "0")
        self.env["project.task"].search([("ops_arrived_at", "!=", False)])._compute_ops_on_time()
        self.compute()
        self.assertAlmostEqual(self.value(on_time).value, 100 / 6, places=2, msg="only the one at the minute")

    def test_notes_quality_is_counted_in_the_line_s_close_outs(self):
        notes = self.env.ref("ops_coach.kpi_tech_notes_quality")
        self.assertEqual(notes.source, "checkins")
        for n in range(5):
            self._checkin(self.emp_tech, call_type="job_closeout", start=f"2026-11-0{2 + n} 17:00:00",
                          job_id=self.env["project.task"].create({"name": f"Job {n}", "project_id": self.project.id}).id,
                          diagnosis_done=True, photos_uploaded=n != 4, customer_understood=True,
                          effects_done=True)
        self.compute()
        self.assertEqual(self.value(notes).value, 80.0)
        with self.assertRaises(ValidationError):
            notes.numerator_id = self.env.ref("ops_coach.measure_done_first_visits")

    def test_a_kpi_whose_app_is_missing_says_which_and_waits(self):
        close_rate = self.env.ref("ops_coach.kpi_tech_close_rate")
        sales_installed = "sale.order" in self.env
        self.assertEqual(close_rate._computable(), sales_installed)
        if not sales_installed:
            self.assertEqual(close_rate.missing_app, "Sales")
            self.assertIn("Needs the Sales app", close_rate.how_computed)
            self.assertFalse(self.env.ref("ops_coach.measure_quotes_sent").app_installed)
            self.compute()
            self.assertFalse(self.env["ops.kpi.value"].search([("kpi_id", "=", close_rate.id),
                                                               ("origin", "=", "computed")]))
        self.assertFalse(self.kpi_ftf.missing_app)

    @freeze_time(TODAY)
    def test_a_computed_value_of_a_week_not_over_does_not_make_a_decline(self):
        Value = self.env["ops.kpi.value"]
        this_monday = datetime.date(2026, 11, 23)
        for weeks_ago, value in ((2, 92), (1, 90), (0, 85)):
            Value.create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id, "origin": "computed",
                          "period_start": this_monday - datetime.timedelta(weeks=weeks_ago), "value": value})
        rule = self.env.ref("ops_coach.rule_kpi_decline")

        def declines():
            return [hit for hit in rule._evaluate_kpi_decline() if hit["employee"] == self.emp_tech]
        self.assertFalse(declines(), "85 is this week's count so far")
        Value.search([("period_start", "=", this_monday), ("employee_id", "=", self.emp_tech.id)]).origin = "manual"
        self.assertEqual(len(declines()), 1, "a typed value is meant")

    def test_the_done_date_follows_the_state(self):
        job = self.job("2026-11-03 10:00:00")
        self.assertEqual(job.ops_done_date, datetime.datetime(2026, 11, 3, 10, 0))
        job.state = "01_in_progress"
        self.assertFalse(job.ops_done_date)
        with freeze_time("2026-11-04 09:00:00"):
            job.state = "1_canceled"
        self.assertEqual(job.ops_done_date, datetime.datetime(2026, 11, 4, 9, 0))
        job.flush_recordset()
        self.env.cr.execute("UPDATE project_task SET ops_done_date = NULL, date_end = '2026-10-01 08:00' "
                            "WHERE id = %s", [job.id])
        self.env["project.task"]._ops_backfill_done_dates()
        self.assertEqual(job.ops_done_date, datetime.datetime(2026, 10, 1, 8, 0))

    def test_a_measure_is_a_literal_domain_and_the_kpi_says_how(self):
        measure = self.env.ref("ops_coach.measure_done_first_visits")
        with self.assertRaises(ValidationError):
            measure.domain = "[('state', '=', user.id)]"
        with self.assertRaises(ValidationError):
            measure.domain = "[('no_such_field', '=', 1)]"
        self.assertIn("divided by Done first visits", self.kpi_ftf.how_computed)
        self.assertIn("fewer than 5", self.kpi_ftf.how_computed)

    def test_the_line_says_the_number_as_the_company_allows(self):
        self.profile_tech.primary_kpi_ids = self.kpi_ftf
        Value = self.env["ops.kpi.value"]
        for week, value in ((WEEK, 84), (WEEK + datetime.timedelta(days=7), 92)):
            Value.create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id, "period_start": week,
                          "value": value})
        Line = self.env["ops.line"]
        flows = self.env.ref("ops_coach.flow_tech_am")
        context = Line._caller_context(self.profile_tech)
        self.assertEqual(context["kpi_numbers"],
                         "Last period 92%, target 90%, better than the period before: on target, nice work.")
        _first, system_text, _seconds = Line._script_for(self.profile_tech, flows)
        self.assertIn("Primary KPI: First-time fix rate. You may say: Last period 92%", system_text)
        Value.create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id, "value": 81,
                      "period_start": WEEK + datetime.timedelta(days=14)})
        context = Line._caller_context(self.profile_tech)
        self.assertEqual(context["kpi_numbers"], "", "off target: the number is not read out")
        self.assertIn("do not quote the number", context["kpi_guidance"])
        self.env["ir.config_parameter"].set_param("ops_coach.kpi_numbers", "always")
        self.assertEqual(Line._caller_context(self.profile_tech)["kpi_numbers"],
                         "Last period 81%, target 90%, worse than the period before.")
        self.env["ir.config_parameter"].set_param("ops_coach.kpi_numbers", "never")
        self.assertEqual(Line._caller_context(self.profile_tech)["kpi_numbers"], "")

    def test_the_dispatcher_books_a_linked_return_visit(self):
        job = self.job("2026-11-03 10:00:00")
        action = job.action_ops_book_return_visit()
        with freeze_time("2026-11-13 09:00:00"):
            visit = self.env["project.task"].with_context(**action["context"]).create({"ops_return_reason": "recall"})
        self.assertRecordValues(visit, [{"ops_origin_task_id": job.id, "project_id": self.project.id,
                                         "ops_days_after_origin": 9}])
        self.assertEqual(job.ops_return_task_ids, visit)

    def test_linking_a_return_visit_afterwards_counts_its_days_too(self):
        job = self.job("2026-11-03 10:00:00")
        with freeze_time("2026-11-13 09:00:00"):
            visit = self.env["project.task"].create({"name": "Back again", "project_id": self.project.id})
            visit.ops_origin_task_id = job
        self.assertEqual(visit.ops_days_after_origin, 9)

    def test_typed_values_import_with_the_template_columns(self):
        import csv
        from odoo.tools.misc import file_path
        template = self.env["ops.kpi.value"].get_import_templates()[0]["template"]
        with open(file_path(template.lstrip("/")), encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        self.assertEqual(header, ["employee_id", "kpi_id", "period_start", "value", "note"])
        result = self.env["ops.kpi.value"].load(header, [["Tech T", "First-time fix rate", "2026-11-18", "77", "x"]])
        self.assertFalse(result["messages"], result["messages"])
        self.assertRecordValues(self.env["ops.kpi.value"].browse(result["ids"]), [{
            "employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id, "period_start": datetime.date(2026, 11, 16),
            "value": 77.0, "origin": "manual"}])
