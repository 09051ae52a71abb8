import datetime
import json
import re

import pytest

from coach import flow as engine
from coach import prompt, providers, tools
from coach.tools import CHECKIN_PROPERTIES, CLOSEOUT_PROPERTIES, EOD_PROPERTIES, TOOLS, canonical_arguments, \
    function_tools

from shipped_flows import load_flows

FLOWS = load_flows()
# asked first by the scripted line only; an agent gets the same from the context tool
ASKED_BACK = "asked_back"
LOGGED_FLOWS = sorted(code for code in FLOWS if code != ASKED_BACK)
SCHEMA_BY_CALL_TYPE = {"job_closeout": CLOSEOUT_PROPERTIES, "eod_closeout": EOD_PROPERTIES}
# log_daily_checkin with exactly the arguments of seed 001 §6.2 (no commitment)
SEED_001_ARGUMENTS = {
    "call_type": "daily_checkin", "ready_status": "ready", "not_ready_reason": None, "energy_level": 4,
    "blocker_present": False, "blocker_note": "", "primary_kpi": "tech_first_time_fix",
    "kpi_action_today": "Test every capacitor before leaving", "coach_prompt_used": "Achiever line",
    "focus_summary_5_words": "Zero callbacks on capacitors", "goal_action_today": "Read one chapter",
    "call_completed": True, "duration_seconds": 95, "call_id": "call-1",
}


def test_the_asked_back_steps_are_optional_and_named_by_what_the_caller_left_open():
    steps = FLOWS[ASKED_BACK].steps
    assert [step.key for step in steps] == ["commitment_followup", "blocker_cleared"]
    assert not any(step.required for step in steps)
    nothing_open = {"commitment_when": "", "last_commitment_text": "", "open_blocker": ""}
    assert prompt.lacking_steps(FLOWS[ASKED_BACK], nothing_open) == {"commitment_followup", "blocker_cleared"}
    only_a_commitment = dict(nothing_open, commitment_when="Yesterday", last_commitment_text="Call Mrs. Lee")
    assert prompt.lacking_steps(FLOWS[ASKED_BACK], only_a_commitment) == {"blocker_cleared"}


def test_seed_001_call_types_map_to_ours():
    assert canonical_arguments({"call_type": "daily_checkin", "energy_level": 4}) == {
        "call_type": "am_checkin", "energy_level": 4}
    assert canonical_arguments({"call_type": 3}) == {"call_type": 3}


@pytest.mark.parametrize("code", LOGGED_FLOWS)
def test_every_step_key_is_an_argument_of_the_tool_that_logs_it(code):
    flow = FLOWS[code]
    schema = SCHEMA_BY_CALL_TYPE.get(flow.call_type, CHECKIN_PROPERTIES)
    missing = [step.key for step in flow.steps if step.key not in schema]
    assert missing == [], f"{code}: the tool schema lacks {missing}"


@pytest.mark.parametrize("code", LOGGED_FLOWS)
def test_the_prompt_names_answers_by_the_tool_arguments(code):
    flow = FLOWS[code]
    schema = SCHEMA_BY_CALL_TYPE.get(flow.call_type, CHECKIN_PROPERTIES)
    context = {"name": "Tech T", "first_name": "Tech", "roles": "Technician", "coaching_line": "Go",
               "strength": "Achiever", "goal_90d": "Lead tech"}
    text = prompt.describe_flow(flow, context, "log_daily_checkin")
    brackets = re.findall(r"^\d+\. \[(\w+)\]", text, re.MULTILINE)
    assert brackets and set(brackets) <= set(schema)


def test_seed_001_arguments_are_enough_and_the_kpi_action_stands_in_for_the_commitment():
    arguments = canonical_arguments(SEED_001_ARGUMENTS)
    values, problems = engine.validate_arguments(FLOWS["tech_am"], arguments)
    assert problems == []
    fields = engine.as_fields(FLOWS["tech_am"], values)
    assert fields["commitment"] == "Test every capacitor before leaving"
    assert fields["kpi_action"] == "Test every capacitor before leaving"
    assert fields["focus_summary"] == "Zero callbacks on capacitors"
    assert fields["blocker_flag"] is False
    # a commitment said in its own words wins
    values, _problems = engine.validate_arguments(FLOWS["tech_am"], dict(arguments, commitment="Photos"))
    assert values["commitment"] == "Photos"


def test_errors_name_the_tool_arguments():
    _values, problems = engine.validate_arguments(FLOWS["tech_am"], {
        "ready_status": "ready", "energy_level": 3, "blocker_present": "maybe"})
    assert problems == ["blocker_present must be yes or no", "kpi_action_today is required",
                        "focus_summary_5_words is required", "commitment is required"]


def test_function_tools_point_at_the_server():
    server = {"url": "https://odoo.example.com/ops_coach/vapi"}
    tools = function_tools(server, list(TOOLS))
    assert [t["function"]["name"] for t in tools] == list(TOOLS)
    assert all(t["server"] == server and t["async"] is False for t in tools)
    log = next(t for t in tools if t["function"]["name"] == "log_daily_checkin")
    assert log["function"]["parameters"]["required"] == ["call_type"]
    assert log["function"]["parameters"]["properties"]["energy_level"] == {
        "type": "integer", "minimum": 1, "maximum": 5}


def test_retell_functions_post_to_the_retell_url_with_the_same_schemas():
    from coach.tools import retell_functions

    functions = retell_functions("https://odoo.example.com/ops_coach/retell", list(TOOLS))
    assert [f["name"] for f in functions] == list(TOOLS)
    assert all(f["url"] == "https://odoo.example.com/ops_coach/retell" and f["type"] == "custom" for f in functions)
    log = next(f for f in functions if f["name"] == "log_daily_checkin")
    assert log["parameters"]["properties"] == CHECKIN_PROPERTIES


def test_kpi_numbers_are_said_supportively():
    ftf = {"name": "First-time fix rate", "unit": "%", "values": [80, 84], "target": 90, "higher_is_better": True}
    assert prompt.kpi_numbers(ftf, "on_target")[0] == ""  # off target: no number
    assert "do not quote" in prompt.kpi_numbers(ftf, "on_target")[1]
    assert prompt.kpi_numbers(ftf, "always")[0] == "Last period 84%, target 90%, better than the period before."
    assert prompt.kpi_numbers(dict(ftf, values=[92, 91]), "on_target")[0] == (
        "Last period 91%, target 90%, worse than the period before: on target, nice work.")
    callbacks = {"name": "Callback %", "unit": "%", "values": [4, 2], "target": 3, "higher_is_better": False}
    assert prompt.kpi_numbers(callbacks, "on_target")[0].endswith("better than the period before: on target, nice work.")
    assert prompt.kpi_numbers(ftf, "never")[0] == "" and prompt.kpi_numbers({"values": []}, "always")[0] == ""


def _vapi(kind, *tool_names):
    message = {"type": kind, "call": {"id": "c1"}}
    if tool_names:
        message["toolCallList"] = [{"id": f"t{n}", "type": "function", "function": {"name": name, "arguments": {}}}
                                   for n, name in enumerate(tool_names)]
    adapter = providers.ADAPTERS["vapi"]
    return adapter, adapter.parse(json.dumps({"message": message}).encode(), None)


def test_only_a_start_answer_and_read_only_tools_save_nothing():
    # the journal skips looking for side effects of these, and no savepoint wraps them
    for kind, names in (("assistant-request", ()), ("tool-calls", ("get_tech_checkin_context",)),
                        ("tool-calls", ("verify_pin", "get_job_sheet")), ("status-update", ())):
        adapter, message = _vapi(kind, *names)
        assert adapter.saves_nothing(message), (kind, names)
    for kind, names in (("tool-calls", ("get_tech_checkin_context", "log_daily_checkin")),
                        ("tool-calls", ("create_quote",)), ("end-of-call-report", ())):
        adapter, message = _vapi(kind, *names)
        assert not adapter.saves_nothing(message), (kind, names)
    assert tools.READ_ONLY <= set(tools.TOOLS)
    twilio = providers.ADAPTERS["twilio"]
    turn = twilio.parse(b"CallSid=CA1&From=%2B15125550191&SpeechResult=yes", "gather")
    assert not twilio.saves_nothing(turn), "a scripted line saves answers on its turns"


def test_a_commitment_is_asked_back_by_when_it_was_made():
    today = datetime.date(2026, 11, 24)  # a Tuesday
    asked = {0: "Earlier today", 1: "Yesterday", 4: "On Friday", 30: "On October 25"}
    for days, when in asked.items():
        question = prompt.followup_question(("Call back Mrs. Lee", today - datetime.timedelta(days=days)), today)
        assert question == f"{when} you committed to: Call back Mrs. Lee. Done, partly, or not?"
    assert "commitment_followup" in tools.CHECKIN_PROPERTIES and "commitment_followup" in tools.EOD_PROPERTIES


def test_an_optional_step_about_what_the_caller_lacks_is_not_asked():
    am = load_flows()["tech_am"]
    without_goal = {"first_name": "Tom", "goal_90d": "", "primary_kpi": "First-time fix", "coaching_line": ""}
    assert prompt.lacking_steps(am, without_goal) == {"goal_action_today"}
    assert prompt.lacking_steps(am, dict(without_goal, goal_90d="Lead tech by March")) == set()
    described = prompt.describe_flow(am, without_goal, "log_daily_checkin")
    assert "[goal_action_today]" not in described and "90-day goal: ?" not in described
    assert "[commitment]" in described, "a required step is asked whatever the caller lacks"


def test_the_last_sentence_says_what_the_manager_sees_and_what_stays_private():
    private = prompt.what_is_kept(True)
    assert "your manager sees whether you're ready, your blockers, your energy trend" in private
    assert private.endswith("stay between you and the coach.")
    assert prompt.what_is_kept(False).endswith("he can read your coaching answers too.")
