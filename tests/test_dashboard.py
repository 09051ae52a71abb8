import datetime
import json

from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..coach.vocabulary import META_KPI, META_KPIS
from .common import OpsCoachCase

# Reads the evaluated cells of the dashboard's Data sheet in the browser (the
# formulas, PIVOT.VALUE measures and ratios, only fail there) and checks them:
# every scorecard a number, each series at least one, the demo's open alerts
# and Luis alone on burnout watch.
CHECK_CELLS_JS = """(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const find = () => { for (const app of window.__OWL_DEVTOOLS__.apps) { const st = [app.root];
      while (st.length) { const n = st.pop(), c = n && n.component;
        if (c?.state?.activeDashboard?.model) return c.state.activeDashboard.model;
        st.push(...Object.values(n?.children || {})); } } };
  const scorecards = %(scorecards)s, series = %(series)s;
  let idle = 0;
  for (let i = 0; i < 300; i++) {
    if (document.querySelector(".dashboard-loading-status.error")) return console.error("load error");
    if (document.querySelector(".o-sample-dashboard")) return console.error("sample mode");
    const m = find();
    if (m) {
      const g = m.getters, data = g.getSheetIds().find((id) => g.getSheetName(id) === "Data");
      const cell = (ref, sheet = data) => g.getEvaluatedCell({ sheetId: sheet, col: ref.charCodeAt(0) - 65,
                                                              row: parseInt(ref.slice(1)) - 1 });
      const board = g.getSheetIds().find((id) => g.getSheetName(id) === "Ops Coach");
      const refs = scorecards.concat(...Object.values(series));
      // IFERROR hides "Loading...": wait until no data request is pending for a while
      const provider = m.config.custom.odooDataProvider;
      idle = provider && !provider.pendingPromises.size ? idle + 1 : 0;
      if (idle >= 5) {
        m.dispatch("EVALUATE_CELLS");
        const values = Object.fromEntries(refs.map((ref) => [ref, cell(ref).value]));
        const problems = refs.filter((ref) => cell(ref).type === "error").map((ref) => ref + ": " + cell(ref).message);
        problems.push(...scorecards.filter((ref) => typeof values[ref] !== "number").map((ref) => ref + " is no number"));
        for (const [name, range] of Object.entries(series)) {
          if (!range.some((ref) => typeof values[ref] === "number")) problems.push(name + " has no number");
        }
        if (!(values[%(open)s] > 0)) problems.push("no open alert");
        if (values[%(burnout)s] !== 1) problems.push("burnout watch is not 1");
        const named = cell(%(burnout_name)s, board).value;
        if (named !== "Luis Ortega") problems.push("the burnout list names " + JSON.stringify(named));
        if (!cell(%(alert_name)s, board).value) problems.push("the open alerts list names nobody");
        if (document.querySelectorAll(".o-figure").length < %(figures)s) problems.push("figures missing");
        return problems.length ? console.error(problems.join("; ") + " " + JSON.stringify(values))
                               : console.log("test successful");
      }
    }
    await sleep(200); }
  console.error("timeout"); })();"""
# the Data sheet's rows as scripts/build_dashboard.py lays them out: a meta-KPI a row, then the counts,
# the weeks and the teams. The blocker figures may be empty (no blocker cleared in the period).
OPEN_ROW = len(META_KPIS) + 3
WEEK_ROW, WEEKS, TEAMS = OPEN_ROW + 3, 6, 8
TEAM_ROW = WEEK_ROW + WEEKS + 3
ALWAYS_A_NUMBER = ("call_completion", "kpi_adherence", "alerts", "hours_reclaimed", "retention")
SCORECARDS = [f"B{row}" for row, meta in enumerate(META_KPIS, start=2) if meta.code in ALWAYS_A_NUMBER] + \
    ["C2", f"B{OPEN_ROW}", f"B{OPEN_ROW + 1}"]
SERIES = {"call completion by week": [f"D{row}" for row in range(WEEK_ROW + 1, WEEK_ROW + 1 + WEEKS)],
          "KPI values on target by team": [f"D{row}" for row in range(TEAM_ROW + 1, TEAM_ROW + 1 + TEAMS)]}


class DashboardMixin:
    @property
    def dashboard(self):
        return self.env.ref("ops_coach.dashboard_ops")


@tagged("post_install", "-at_install")
class TestDashboardData(DashboardMixin, OpsCoachCase):
    def test_every_model_and_field_it_reads_exists(self):
        data = json.loads(self.dashboard.spreadsheet_data)
        for model, fields in fields_in_spreadsheet(data).items():
            for chain in fields:
                head = chain.split(".")[0]
                self.assertIn(head, self.env[model]._fields, f"{model}.{chain}")
        self.dashboard._check_spreadsheet_data()
        self.assertNotIn("is_sample", self.dashboard.get_readonly_dashboard())

    def test_directors_see_it_managers_do_not(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.user_director).search([]))
        self.assertIn(self.dashboard, Dashboard.with_user(self.user_owner).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.user_manager).search([]))
        menus = self.env["ir.ui.menu"].with_user(self.user_manager).load_menus(debug=False)
        self.assertNotIn(self.env.ref("ops_coach.menu_ops_owner_dashboard").id, menus)

    def test_every_figure_opens_records_a_director_may_see(self):
        data = json.loads(self.dashboard.spreadsheet_data)
        figures = {figure["id"] for figure in data["sheets"][0]["figures"]}
        self.assertEqual(set(data["chartOdooMenusReferences"]), figures, "every figure drills down")
        menus = self.env["ir.ui.menu"].with_user(self.user_director).load_menus(debug=False)
        for figure, xmlid in data["chartOdooMenusReferences"].items():
            menu = self.env.ref(xmlid)
            self.assertIn(menu.id, menus, f"{figure}: {xmlid} is hidden from a director")
            action = menu.action
            self.assertEqual(action._name, "ir.actions.act_window", figure)
            self.env[action.res_model].with_user(self.user_director).search([], limit=1)

    def test_no_public_frozen_copy(self):
        Share = self.env["spreadsheet.dashboard.share"].with_user(self.user_owner)
        with self.assertRaises(AccessError):
            Share.create({"dashboard_id": self.dashboard.id, "spreadsheet_binary_data": b"e30="})


@tagged("post_install", "-at_install")
class TestDashboardInBrowser(DashboardMixin, HttpCase):
    def test_owner_sees_a_number_in_every_scorecard(self):
        if not self.env.ref("ops_coach.demo_employee_luis", raise_if_not_found=False):
            self.skipTest("the dashboard is read on the demo company")
        dashboard = json.loads(self.dashboard.spreadsheet_data)
        js = CHECK_CELLS_JS % {"scorecards": json.dumps(SCORECARDS), "series": json.dumps(SERIES),
                               "figures": len(dashboard["sheets"][0]["figures"]),
                               "open": json.dumps(f"B{OPEN_ROW}"), "burnout": json.dumps(f"B{OPEN_ROW + 1}"),
                               # the named lists' first rows (scripts/build_dashboard.py, NAMED)
                               "burnout_name": json.dumps("A43"), "alert_name": json.dumps("A50")}
        self.browser_js("/odoo/action-ops_coach.action_ops_dashboard", js, ready="odoo.isReady",
                        login="admin", timeout=120)


@tagged("post_install", "-at_install")
class TestHeadlineFiguresAgree(OpsCoachCase):
    """KPI adherence is one definition (values on target ÷ values) wherever it is
    shown: the GM report, the digest and the briefing (both from the system
    KPIs the dashboard reads). Two departments of unequal size tell a weighted
    rate from a mean of rates: 1 of 1 and 1 of 3 is 50 %, not 66.7 %."""

    WEEK = datetime.date(2030, 1, 7)  # a Monday nothing else has values in

    def test_kpi_adherence_reads_the_same_on_every_screen(self):
        Department = self.env["hr.department"]
        small, large = Department.create({"name": "Small crew"}), Department.create({"name": "Large crew"})
        self.emp_tech.department_id = small
        (self.emp_lead | self.emp_other_tech | self.emp_manager).department_id = large
        for employee, value in ((self.emp_tech, 95), (self.emp_lead, 50), (self.emp_other_tech, 50),
                                (self.emp_manager, 95)):
            self.env["ops.kpi.value"].create({"employee_id": employee.id, "kpi_id": self.kpi_ftf.id,
                                              "period_start": self.WEEK, "value": value})
        report = self.env["ops.weekly_report"]._report_values(self.company, self.WEEK, self.env["ops.weekly_summary"])
        self.env["ops.system_kpi"]._cron_compute(self.WEEK)
        totals = self.env["ops.system_kpi"]._totals(
            [("company_id", "=", self.company.id), ("date", ">=", self.WEEK),
             ("date", "<", self.WEEK + datetime.timedelta(days=7))])
        shown = META_KPI["kpi_adherence"].value(totals)
        self.assertEqual(shown, 50.0, "the dashboard's and the briefing's figure")
        self.assertEqual(report["adherence_pct"], shown, "the GM report's")
        digest = self.env["digest.digest"].with_user(self.user_director).with_context(
            start_datetime=datetime.datetime(2030, 1, 7), end_datetime=datetime.datetime(2030, 1, 14))
        self.assertEqual(digest.new({}).kpi_ops_kpi_adherence_value, shown, "the digest's")

    def test_call_completion_reads_the_same_on_every_screen(self):
        """Required calls made are workdays with a morning call, on the dashboard,
        the digest, the briefing and the weekly loop alike: two calls on a
        Monday are one morning made, a Saturday call is none."""
        for days, hour in ((0, 12), (0, 15), (1, 13), (5, 14)):  # Monday twice, Tuesday, Saturday
            self._checkin(self.emp_tech, effects_done=True, ready_status="ready", energy_level=4,
                          start=datetime.datetime.combine(self.WEEK + datetime.timedelta(days=days),
                                                          datetime.time(hour)))
        for days in range(7):
            self.env["ops.system_kpi"]._cron_compute(self.WEEK + datetime.timedelta(days=days))
        next_monday = self.WEEK + datetime.timedelta(days=7)
        totals = self.env["ops.system_kpi"]._totals(
            [("company_id", "=", self.company.id), ("date", ">=", self.WEEK), ("date", "<", next_monday)])
        everyone = self.env["ops.tech_profile"].search([("company_id", "=", self.company.id)])
        required = everyone.filtered(lambda p: p.role_ids.filtered("am_required")).employee_id
        weekly = [vals for vals in self.env["ops.weekly_summary"]._summary_values(everyone, self.WEEK)
                  if vals["employee_id"] in required.ids]
        tech = next(vals for vals in weekly if vals["employee_id"] == self.emp_tech.id)
        self.assertEqual((tech["calls_made"], tech["calls_expected"]), (2, 5), "Monday and Tuesday of five")
        made, expected = sum(v["calls_made"] for v in weekly), sum(v["calls_expected"] for v in weekly)
        self.assertEqual((totals["checkins_made"], totals["checkins_expected"]), (made, expected),
                         "the dashboard's count is the weekly loop's")
        shown = META_KPI["call_completion"].value(totals)
        self.assertEqual(shown, round(100.0 * made / expected, 1))
        briefed = self.env["ops.briefing"]._company_totals(self.company, everyone, next_monday)
        self.assertEqual(META_KPI["call_completion"].value(briefed), shown, "the briefing's last 7 days")
        digest = self.env["digest.digest"].with_user(self.user_director).with_context(
            start_datetime=datetime.datetime(2030, 1, 7), end_datetime=datetime.datetime(2030, 1, 14))
        self.assertEqual(digest.new({}).kpi_ops_call_completion_value, shown, "the digest's")

    def test_blocker_clearing_reads_the_same_on_the_dashboard_the_digest_and_the_briefing(self):
        rule = self.env.ref("ops_coach.rule_blocker")
        chicago = datetime.timedelta(hours=6)  # the company's day is Chicago's
        for raised, resolved in (((2030, 1, 7, 8), (2030, 1, 7, 11)), ((2030, 1, 7, 16), (2030, 1, 8, 9))):
            alert = self._escalation(self.emp_tech, rule_id=rule.id, raised_date=datetime.datetime(*raised) + chicago)
            alert.write({"state": "resolved", "resolution_note": "done",
                         "resolved_date": datetime.datetime(*resolved) + chicago})
        self.company.partner_id.tz = "America/Chicago"
        for day in (self.WEEK, self.WEEK + datetime.timedelta(days=1)):
            self.env["ops.system_kpi"]._cron_compute(day)
        totals = self.env["ops.system_kpi"]._totals(
            [("company_id", "=", self.company.id), ("date", ">=", self.WEEK),
             ("date", "<", self.WEEK + datetime.timedelta(days=7))])
        self.assertEqual((totals["blockers_cleared"], totals["blockers_cleared_same_day"]), (2, 1))
        self.assertEqual(META_KPI["blockers_same_day"].value(totals), 50.0)
        self.assertEqual(META_KPI["blocker_hours"].value(totals), 10.0, "3 h and 17 h: 10 h on average")
        _median, same_day = self.env["ops.escalation"]._blocker_clearing(
            self.company, datetime.datetime(2030, 1, 7), datetime.datetime(2030, 1, 14))
        self.assertEqual(same_day, 50.0, "the briefing's share is the dashboard's")
        digest = self.env["digest.digest"].with_user(self.user_director).with_context(
            start_datetime=datetime.datetime(2030, 1, 7), end_datetime=datetime.datetime(2030, 1, 14))
        self.assertEqual(digest.new({}).kpi_ops_blockers_same_day_value, 50.0)


class TestKpiTrendAgainstTarget(OpsCoachCase):
    """A KPI's graph: its values and its target as two series, for the people one may see."""

    def test_values_beside_the_target_for_whom_one_may_see(self):
        self.kpi_ftf.target = 85
        for employee, values in ((self.emp_tech, (80, 90)), (self.emp_other_tech, (60, 70))):
            for week, value in zip((datetime.date(2030, 1, 7), datetime.date(2030, 1, 14)), values):
                self.env["ops.kpi.value"].create({"employee_id": employee.id, "kpi_id": self.kpi_ftf.id,
                                                  "period_start": week, "value": value})
        action = self.kpi_ftf.action_open_trend()
        self.assertEqual(action["context"]["graph_groupbys"], ["period_start:day", "series"])

        def series(user):
            rows = self.env["ops.kpi.trend"].with_user(user)._read_group(
                action["domain"] + [("period_start", ">=", datetime.date(2030, 1, 1))],
                ["period_start:day", "series"], ["value:avg"])
            return {(week.isoformat(), name): value for week, name, value in rows}

        self.assertEqual(series(self.user_tech), {
            ("2030-01-07", "actual"): 80, ("2030-01-07", "target"): 85,
            ("2030-01-14", "actual"): 90, ("2030-01-14", "target"): 85}, "his own values only")
        self.assertEqual(series(self.user_director)[("2030-01-07", "actual")], 70, "the company's mean")
        self.assertEqual(series(self.user_other_manager)[("2030-01-14", "actual")], 70, "his team: Tech U")
