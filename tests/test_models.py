import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OpsCoachCase


@tagged("post_install", "-at_install")
class TestShippedData(OpsCoachCase):
    def test_role_catalog_of_seed_000(self):
        roles = self.env["ops.role"].search([])
        self.assertGreaterEqual(len(roles), 12)
        self.assertEqual(
            set(roles.mapped("level")), {"owner", "exec", "management", "field", "office", "support"})
        for role in roles:
            self.assertTrue(1 <= len(role.kpi_ids) <= 3, role.name)
        tech = self.env.ref("ops_coach.role_technician")
        self.assertTrue(tech.uses_am_checkin and tech.uses_job_closeout and tech.uses_eod_closeout)

    def test_all_34_strengths_with_the_twelve_core_ones(self):
        strengths = self.env["ops.strength"].search([])
        self.assertEqual(len(strengths), 34)
        core = strengths.filtered("core").mapped("name")
        self.assertEqual(set(core), {"Achiever", "Responsibility", "Competition", "Learner", "Relator",
                                     "Communication", "Analytical", "Harmony", "Discipline", "Focus",
                                     "Woo", "Empathy"})
        self.assertTrue(all(strengths.mapped("coaching_prompt")))

    def test_escalation_rules_of_the_seeds(self):
        kinds = set(self.env["ops.escalation_rule"].search([]).mapped("kind"))
        self.assertEqual(kinds, {"low_energy_streak", "kpi_decline", "safety_issue", "missed_steps",
                                 "attendance", "blocker", "missed_checkin", "owner_ops_work",
                                 "commitments_not_kept"})
        attendance = self.env.ref("ops_coach.rule_attendance")
        self.assertTrue(attendance.notify_manager and attendance.notify_dispatch)
        self.assertEqual(attendance.not_ready_reasons, "sick,family,other")
        self.assertEqual(self.rule_low_energy.threshold_value, 2)
        self.assertEqual(self.rule_low_energy.trigger, "daily")
        self.assertEqual(self.env.ref("ops_coach.rule_safety").trigger, "checkin")

    def test_selections_are_read_from_the_one_vocabulary_and_the_registries(self):
        from odoo.addons.ops_coach.coach import providers, rules, vocabulary  # pylint: disable=import-outside-toplevel

        def codes(model, field):
            return [code for code, _label in self.env[model]._fields[field]._description_selection(self.env)]
        call_types = [code for code, _label in vocabulary.CALL_TYPES]
        self.assertEqual(codes("ops.checkin", "call_type"), call_types)
        self.assertEqual(codes("ops.flow", "call_type"), call_types)
        self.assertEqual(codes("ops.flow.step", "answer_type"), [c for c, _l in vocabulary.ANSWER_TYPES])
        self.assertEqual(codes("ops.call_event", "provider"), [c for c, _l in providers.line_providers()])
        self.assertEqual(set(codes("ops.checkin", "provider")) - {"manual"}, set(codes("ops.call_event", "provider")))
        self.assertEqual(codes("ops.escalation_rule", "kind"), list(rules.RULE_KINDS))
        self.assertEqual(codes("res.config.settings", "ops_coach_kpi_numbers"), [c for c, _l in vocabulary.KPI_MODES])
        self.assertEqual(codes("ops.weekly_summary", "energy_trend"), [c for c, _l in vocabulary.TRENDS])


@tagged("post_install", "-at_install")
class TestCheckin(OpsCoachCase):
    def test_out_of_range_values_are_refused_with_a_clear_message(self):
        with self.assertRaisesRegex(ValidationError, "energy must be 1 to 5, got 6"):
            self._checkin(self.emp_tech, energy_level=6)
        with self.assertRaisesRegex(ValidationError, "not-ready reason must be one of"):
            self._checkin(self.emp_tech, ready_status="not_ready")
        with self.assertRaisesRegex(ValidationError, "5 words or fewer"):
            self._checkin(self.emp_tech, focus_summary="a b c d e f")
        with self.assertRaisesRegex(ValidationError, "needs the job"):
            self._checkin(self.emp_tech, call_type="job_closeout")

    def test_ops_only_call_without_energy_is_valid(self):
        checkin = self._checkin(self.emp_tech, call_type="ops_only", ready_status="ready")
        self.assertEqual(checkin.energy_level, 0)
        self.assertFalse(checkin.low_energy)
        self.assertTrue(checkin.name.startswith("OPS/"))

    def test_day_is_taken_in_the_employee_timezone(self):
        # 03:30 UTC on the 20th is 21:30 on the 19th in Chicago
        checkin = self._checkin(self.emp_tech, start="2026-11-20 03:30:00", energy_level=2)
        self.assertEqual(checkin.checkin_date, datetime.date(2026, 11, 19))
        self.assertTrue(checkin.low_energy)

    def test_job_closeout_lists_missed_steps(self):
        job = self.env["project.task"].create({"name": "No cooling"})
        checkin = self._checkin(self.emp_tech, call_type="job_closeout", job_id=job.id,
                                diagnosis_done=True, options_presented=True)
        self.assertEqual(checkin.missed_steps, "photos uploaded, customer understanding confirmed")
        checkin.write({"photos_uploaded": True, "customer_understood": True})
        self.assertFalse(checkin.missed_steps)

    def test_one_checkin_per_provider_call_and_type(self):
        self._checkin(self.emp_tech, provider="vapi", provider_call_id="call-1")
        self._checkin(self.emp_tech, provider="vapi", provider_call_id="call-1", call_type="eod_closeout")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._checkin(self.emp_tech, provider="vapi", provider_call_id="call-1")


@tagged("post_install", "-at_install")
class TestProfile(OpsCoachCase):
    def test_profile_starts_with_role_kpis_and_employee_numbers(self):
        self.assertEqual(self.profile_tech.primary_kpi_ids, self.role_tech.kpi_ids)
        self.assertEqual(self.profile_tech.phone_ids.mapped("e164"), ["+15125550191"])

    def test_caller_found_by_any_spelling_of_the_number(self):
        Number = self.env["ops.caller_number"]
        for spelling in ("+1 512-555-0191", "5125550191", "001 512 555 0191"):
            self.assertEqual(Number._profile_for_number(spelling, "US"), self.profile_tech, spelling)
        self.assertFalse(Number._profile_for_number("+1 512 555 0999", "US"))
        self.assertFalse(Number._profile_for_number("anonymous", "US"))

    def test_archived_profile_is_not_recognised(self):
        self.profile_tech.action_archive()
        self.assertFalse(self.env["ops.caller_number"]._profile_for_number("+15125550191"))

    def test_numbers_are_validated_and_unique(self):
        with self.assertRaisesRegex(ValidationError, "not a valid phone number for United States"), \
                self.cr.savepoint():
            self.profile_tech.write({"phone_ids": [Command.create({"number": "12345"})]})
        self.company.country_id = False
        with self.assertRaisesRegex(ValidationError, "set the company's country in Settings, or type the number "
                                                     "with its country code"), self.cr.savepoint():
            self.profile_tech.write({"phone_ids": [Command.create({"number": "(312) 555-0111"})]})
        self.company.country_id = self.env.ref("base.us")
        other = self.profiles.filtered(lambda p: p.employee_id == self.emp_other_tech)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            other.write({"phone_ids": [Command.create({"number": "512 555 0191"})]})

    def test_kpi_count_is_one_to_three(self):
        kpis = self.env["ops.kpi"].search([], limit=4)
        with self.assertRaisesRegex(ValidationError, "1 to 3 required, got 4"):
            self.profile_tech.primary_kpi_ids = kpis
        with self.assertRaisesRegex(ValidationError, "got 0"):
            self.profile_tech.primary_kpi_ids = False
        with self.assertRaisesRegex(ValidationError, "1 to 3 required, got 4"):
            self.role_tech.kpi_ids = kpis

    def test_top_five_strengths_in_order(self):
        strengths = self.env["ops.strength"].search([], limit=6)
        self.profile_tech.strength_line_ids = [
            Command.create({"sequence": 6 - i, "strength_id": s.id}) for i, s in enumerate(strengths[:5])]
        self.assertEqual([name for name, _line in self.profile_tech.coaching_lines()],
                         list(reversed(strengths[:5].mapped("name"))))
        with self.assertRaisesRegex(ValidationError, "0 to 5 required, got 6"):
            self.profile_tech.strength_line_ids = [Command.create({"strength_id": strengths[5].id})]

    def test_one_profile_per_employee(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["ops.tech_profile"].create(
                {"employee_id": self.emp_tech.id, "primary_kpi_ids": [Command.set(self.kpi_ftf.ids)]})

    def test_goal_dates_and_progress(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.profile_tech.write({"goal_start": "2026-11-20", "goal_end": "2026-11-01"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.profile_tech.goal_progress = 120
            self.profile_tech.flush_recordset()

    def test_counts_on_the_profile(self):
        self._checkin(self.emp_tech, energy_level=4)
        self._checkin(self.emp_tech, energy_level=3, call_type="eod_closeout")
        self._escalation(self.emp_tech)
        self._escalation(self.emp_tech).action_dismiss()
        self.assertEqual(self.profile_tech.checkin_count, 2)
        self.assertEqual(self.profile_tech.escalation_count, 1)


@tagged("post_install", "-at_install")
class TestKpiValue(OpsCoachCase):
    def test_period_start_is_normalised_and_unique(self):
        value = self.env["ops.kpi.value"].create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id,
                                                  "period_start": "2026-11-19", "value": 91})
        self.assertEqual(value.period_start, datetime.date(2026, 11, 16))  # weekly KPI: the Monday
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["ops.kpi.value"].create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id,
                                              "period_start": "2026-11-20", "value": 80})


@tagged("post_install", "-at_install")
class TestEscalationLifecycle(OpsCoachCase):
    def test_acknowledge_then_resolve_records_who_and_when(self):
        alert = self._escalation(self.emp_tech)
        alert.activity_schedule("mail.mail_activity_data_todo", user_id=self.user_manager.id)
        alert.with_user(self.user_manager).action_acknowledge()
        self.assertEqual((alert.state, alert.acknowledged_by_id), ("acknowledged", self.user_manager))
        self.assertTrue(alert.acknowledged_date)
        alert.resolution_note = "Talked, swapped his Friday route"
        alert.with_user(self.user_manager).action_resolve()
        self.assertEqual((alert.state, alert.resolved_by_id), ("resolved", self.user_manager))
        self.assertFalse(alert.activity_ids, "the alert's to-do is done once resolved")

    def test_resolving_needs_a_note(self):
        alert = self._escalation(self.emp_tech)
        with self.assertRaisesRegex(UserError, "resolution note"):
            alert.action_resolve()
        self.assertEqual(alert.state, "new")

    def test_the_resolve_dialog_asks_what_was_done_and_resolves_with_it(self):
        alert = self._escalation(self.emp_tech)
        Dialog = self.env["ops.alert.resolve"].with_user(self.user_manager).with_context(
            active_model="ops.escalation", active_ids=alert.ids)
        dialog = Dialog.create({"note": "Swapped his route"})
        self.assertEqual(dialog.alert_ids, alert, "the alerts the button was pressed on")
        dialog.action_resolve()
        self.assertRecordValues(alert, [{"state": "resolved", "resolution_note": "Swapped his route",
                                         "resolved_by_id": self.user_manager.id}])

    def test_wrong_transitions_are_refused(self):
        alert = self._escalation(self.emp_tech)
        alert.action_dismiss()
        with self.assertRaisesRegex(UserError, "cannot be acknowledged"):
            alert.action_acknowledge()
        alert.action_reopen()
        self.assertEqual(alert.state, "new")

    def test_rule_without_recipient_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "alerts nobody"):
            self.env["ops.escalation_rule"].create({"name": "Silent", "kind": "blocker"})


@tagged("post_install", "-at_install")
class TestProfileNumbersFromHr(OpsCoachCase):
    def test_switchboard_and_invalid_or_taken_mobiles_are_not_claimed(self):
        Employee = self.env["hr.employee"]
        Profile = self.env["ops.tech_profile"]
        kpis = [(6, 0, self.kpi_ftf.ids)]
        shared = Employee.create({"name": "Shares a mobile", "mobile_phone": "512 555 0191",
                                  "work_phone": "+1 512 555 0100"})
        invalid = Employee.create({"name": "Bad mobile", "mobile_phone": "+1 555-555-5556"})
        fresh = Employee.create({"name": "Fresh", "mobile_phone": "+1 512 555 0197",
                                 "work_phone": "+1 512 555 0100"})
        created = Profile.create([{"employee_id": e.id, "primary_kpi_ids": kpis}
                                  for e in (shared, invalid, fresh)])
        self.assertEqual(created.phone_ids.mapped("e164"), ["+15125550197"])
