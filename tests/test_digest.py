import datetime

from lxml import html

from odoo.addons.mail.tests.common import MailCase
from odoo.tests import freeze_time, tagged

from .common import OpsCoachCase


@tagged("post_install", "-at_install")
class TestOwnerDigest(MailCase, OpsCoachCase):
    @freeze_time("2026-11-30 12:00:00")
    def test_the_owner_weekly_digest_gives_the_meta_kpis(self):
        digest = self.env.ref("ops_coach.digest_ops_owner")
        self.assertEqual(digest.periodicity, "weekly")
        SystemKpi = self.env["ops.system_kpi"]
        SystemKpi.search([]).unlink()
        for day, made, expected in ((23, 9, 10), (24, 8, 10), (25, 10, 10)):
            SystemKpi.create({"date": datetime.date(2026, 11, day), "checkins_made": made,
                              "checkins_expected": expected, "kpi_on_target": 3, "kpi_values": 4,
                              "escalations": 1, "people": 10, "minutes_reclaimed": 60, "field_headcount": 10,
                              "field_departures": 1 if day == 24 else 0})
        week = digest.with_context(start_datetime=datetime.datetime(2026, 11, 23),
                                   end_datetime=datetime.datetime(2026, 11, 30)).with_user(self.user_owner)
        self.assertEqual(week.kpi_ops_call_completion_value, 90.0, "27 of 30, not the average of daily rates")
        self.assertEqual(week.kpi_ops_kpi_adherence_value, 75.0)
        self.assertEqual(week.kpi_ops_alerts_value, 7.0,
                         "3 alerts over 30 person-days is 7 per 10 people a week, as on the dashboard")
        self.assertEqual(week.kpi_ops_hours_reclaimed_value, 3.0)
        self.assertEqual(week.kpi_ops_retention_value, 90.0, "one departure out of ten")

        kpis = {kpi["kpi_name"]: kpi for kpi in digest._compute_kpis(self.env.company, self.user_owner)}
        self.assertEqual(kpis["kpi_ops_call_completion"]["kpi_col2"]["value"], "90.00", "the last 7 days")
        self.assertEqual(kpis["kpi_ops_alerts"]["kpi_action"], "ops_coach.action_ops_escalation")
        self.assertNotIn("kpi_ops_alerts", {kpi["kpi_name"] for kpi in digest._compute_kpis(
            self.env.company, self.user_manager)}, "a manager's digest leaves the line's numbers out")

        digest.user_ids = self.user_owner
        digest.flush_recordset()
        with self.mock_mail_gateway():
            digest.action_send()
        [mail] = self._new_mails
        values = html.fromstring(mail.body_html).xpath('//table[@data-field="kpi_ops_call_completion"]'
                                                       '//*[hasclass("kpi_value")]/text()')
        self.assertIn("90.00", [value.strip() for value in values])

    def test_it_stays_weekly_for_an_owner_who_only_reads_email(self):
        digest = self.env.ref("ops_coach.digest_ops_owner")
        self.env["res.users.log"].search([("create_uid", "in", digest.user_ids.ids)]).unlink()
        self.assertFalse(digest._check_daily_logs())
        default = self.env.ref("digest.digest_digest_default")
        self.assertEqual(default._check_daily_logs() | digest._check_daily_logs(), default._check_daily_logs())
