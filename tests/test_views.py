from odoo.tests import Form, tagged

from .common import OpsCoachCase


@tagged("post_install", "-at_install")
class TestMenusOpen(OpsCoachCase):
    def _menu_actions(self, user):
        """The actions of the Ops Coach menus the web client shows ``user``:
        walked from the root like the client, so a hidden folder hides its leaves."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        pending = [self.env.ref("ops_coach.menu_ops_coach_root").id]
        actions = self.env["ir.actions.act_window"]
        while pending:
            menu = menus.get(pending.pop())
            if not menu:
                continue
            pending += menu["children"]
            if menu["action"] and menu["action"].startswith("ir.actions.act_window,"):
                actions |= actions.browse(int(menu["action"].split(",")[1]))
        return actions

    def _assert_actions_open(self, user):
        actions = self._menu_actions(user)
        self.assertTrue(actions)
        for action in actions:
            model = self.env[action.res_model].with_user(user)
            modes = action.view_mode.split(",")
            views = model.get_views([(False, mode) for mode in modes] + [(False, "search")])
            self.assertEqual(set(views["views"]), set(modes) | {"search"}, action.name)
            model.web_search_read([], {"display_name": {}}, limit=5)
        return actions

    def test_every_menu_opens_for_the_owner(self):
        actions = self._assert_actions_open(self.user_owner)
        self.assertIn(self.env.ref("ops_coach.action_ops_escalation_rule"), actions)

    def test_managers_menus_open_and_configuration_is_hidden(self):
        actions = self._assert_actions_open(self.user_manager)
        self.assertIn(self.env.ref("ops_coach.action_ops_checkin_dashboard"), actions)
        self.assertIn(self.env.ref("ops_coach.action_ops_flow"), actions, "managers try flows (Test call)")
        self.assertNotIn(self.env.ref("ops_coach.action_ops_role"), actions)

    def test_field_user_menus_open(self):
        actions = self._assert_actions_open(self.user_tech)
        self.assertNotIn(self.env.ref("ops_coach.action_ops_kpi_value"), actions)


@tagged("post_install", "-at_install")
class TestCheckinsNewestDayFirst(OpsCoachCase):
    def test_the_kanban_groups_days_newest_first(self):
        for day in (20, 23, 24):
            self._checkin(self.emp_tech, start=f"2026-11-{day} 13:00:00", ready_status="ready", energy_level=4)
        kanban = self.env["ops.checkin"].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        order = kanban.split('default_order="')[1].split('"')[0]
        # the web client keeps the order terms on the grouped field only
        group_order = ", ".join(term for term in order.split(", ") if term.split()[0] == "checkin_date")
        groups = self.env["ops.checkin"].web_read_group(
            [("employee_id", "=", self.emp_tech.id)], ["energy_level"], ["checkin_date:day"],
            orderby=group_order)["groups"]
        self.assertEqual([g["checkin_date:day"] for g in groups], ["24 Nov 2026", "23 Nov 2026", "20 Nov 2026"])


@tagged("post_install", "-at_install")
class TestKpiValuesReadPerKpi(OpsCoachCase):
    def test_actual_against_target_per_kpi(self):
        action = self.env.ref("ops_coach.action_ops_kpi_value")
        self.assertEqual(action.view_mode.split(",")[0], "pivot")
        self.assertNotIn("graph", action.view_mode, "units differ: a graph is one KPI's trend (ops.kpi.trend)")
        views = self.env["ops.kpi.value"].get_views([(False, "pivot")])["views"]
        self.assertIn('name="target" type="measure"', views["pivot"]["arch"])
        self.assertIn('name="kpi_id" type="row"', views["pivot"]["arch"])
        trend = self.env["ops.kpi.trend"].get_views([(False, "graph")])["views"]["graph"]["arch"]
        self.assertIn('stacked="0"', trend, "actual and target side by side, not stacked")
        value = self.env["ops.kpi.value"].create({"employee_id": self.emp_tech.id, "kpi_id": self.kpi_ftf.id,
                                                  "period_start": "2026-11-23", "value": 92})
        self.assertEqual((value.target, value.hits_target), (90.0, 1))
        self.kpi_ftf.target = 95
        self.assertEqual((value.target, value.hits_target), (95.0, 0), "a new target re-judges the values")


@tagged("post_install", "-at_install")
class TestFlowAnswersAsAList(OpsCoachCase):
    """A choice step's answers are edited one per line, "value: words", in the
    language one reads; the values stored stay the English ones."""

    def test_a_manager_adds_words_one_answer_per_line(self):
        flow = self.env.ref("ops_coach.flow_ops_only")
        step = self.env.ref("ops_coach.flow_ops_only_step_not_ready_reason")
        self.assertIn("vehicle: truck, van, car", step.choice_lines.splitlines())
        index = flow.step_ids.ids.index(step.id)
        with Form(flow) as form, form.step_ids.edit(index) as line:
            line.choice_lines = line.choice_lines.replace("vehicle: truck, van, car", "vehicle: truck, van, car, flat tire")
        self.assertIn("vehicle:truck,van,car,flat tire", step.choices)
        heard = dict(step._engine_choices())
        self.assertIn("flat tire", heard["vehicle"])

    def test_in_spanish_the_words_are_spanish_and_the_values_english(self):
        self.env["res.lang"]._activate_lang("es_419")
        step = self.env.ref("ops_coach.flow_ops_only_step_not_ready_reason")
        english = step.choices
        step.with_context(lang="es_419").choice_lines = "sick: enfermo\nvehicle: camioneta, llanta"
        self.assertEqual(step.choices, english, "the English words are untouched")
        spanish = dict(step.with_context(lang="es_419")._engine_choices())
        self.assertIn("llanta", spanish["vehicle"])
        self.assertIn("truck", spanish["vehicle"], "the English words are heard too")
