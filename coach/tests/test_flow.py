import pytest
from shipped_flows import load_flows, sample_answer

from coach import flow as engine
from coach.checkin_values import InvalidValue

FLOWS = load_flows()
ROLE_FLOWS = [code for code in FLOWS if code != engine.OPS_ONLY]


def run(flow_code, answers_by_key=None, default=sample_answer):
    """Answer every step the engine asks; return the final state and the keys asked."""
    answers_by_key = answers_by_key or {}
    state = engine.CallState(FLOWS[flow_code])
    asked = []
    turn = engine.start(state)
    while not turn.done:
        asked.append(turn.step.key)
        raw = answers_by_key.get(turn.step.key, default(turn.step))
        turn = engine.answer(state, raw, FLOWS)
        assert turn.kind in ("ask", "done", "reprompt"), (flow_code, turn)
    return state, asked


def test_every_role_and_call_type_of_seed_000_has_a_flow():
    call_types = {flow.call_type for flow in FLOWS.values()}
    assert {"am_checkin", "ops_only", "job_closeout", "eod_closeout", "owner_checkin", "gm_checkin",
            "manager_checkin", "dispatch_checkin", "accounting_checkin", "warehouse_checkin"} <= call_types
    roles = {role for flow in FLOWS.values() for role in flow.role_codes}
    assert {"owner", "ops_director", "service_manager", "install_manager", "office_manager",
            "technician", "installer", "dispatch", "csr", "accounting", "warehouse", "it"} <= roles


def test_technician_am_flow_is_the_eight_steps_of_seed_001():
    flow = FLOWS["tech_am"]
    assert "under two minutes" in flow.greeting  # 1. greeting and time box
    keys = [step.key for step in flow.steps]
    assert keys == ["ready_status", "not_ready_reason", "energy_level", "blocker_present", "blocker_note",
                    "kpi_action_today", "focus_summary_5_words", "goal_action_today", "commitment"]
    assert "{coaching_line}" in flow.step("focus_summary_5_words").question  # strengths micro-coach
    assert flow.step("kpi_action_today").reprompt.startswith("Make it measurable")
    assert flow.time_box_seconds <= 120


@pytest.mark.parametrize("code", sorted(FLOWS))
def test_every_default_flow_runs_to_a_complete_checkin(code):
    state, asked = run(code)
    values = engine.checkin_values(state)
    assert values["call_type"] == FLOWS[code].call_type
    for step in FLOWS[code].steps:
        if step.required and step.applies(state.answers):
            assert step.key in asked and step.target in values, step.key
    # 60–180 s a call: at most nine questions, and the time box never beyond three minutes
    assert len(asked) <= 9 and FLOWS[code].time_box_seconds <= 180


@pytest.mark.parametrize(
    ("code", "step_key"),
    [(code, step.key) for code, flow in sorted(FLOWS.items()) for step in flow.steps if step.condition],
)
def test_every_conditional_step_is_asked_only_when_its_condition_holds(code, step_key):
    flow = FLOWS[code]
    condition = flow.step(step_key).condition
    trigger = flow.step(condition.key)
    opposite = {
        "yes_no": ("yes", "no"),
        "choice": tuple(value for value, _syn in trigger.choices[:2]),
    }[trigger.answer_type]
    when_true, when_false = opposite
    if condition.operator == "eq" and condition.value != when_true:
        when_true, when_false = condition.value, when_true
    _state, asked = run(code, {condition.key: when_true})
    assert step_key in asked
    _state, asked = run(code, {condition.key: when_false})
    assert step_key not in asked


def test_not_ready_caller_is_asked_the_reason_and_nothing_else():
    state, asked = run("tech_am", {"ready_status": "no, I'm sick", "not_ready_reason": "I have the flu"})
    assert asked == ["ready_status", "not_ready_reason"]
    assert engine.checkin_values(state) == {
        "call_type": "am_checkin", "ready_status": "not_ready", "not_ready_reason": "sick"}


@pytest.mark.parametrize(
    ("code", "position"),
    [(code, i) for code in ROLE_FLOWS for i in range(len(FLOWS[code].steps))],
)
def test_kill_switch_at_each_step_moves_to_ops_only(code, position):
    state = engine.CallState(FLOWS[code])
    turn = engine.start(state)
    for _ in range(position):
        if turn.done:
            return  # this path asks fewer steps
        turn = engine.answer(state, sample_answer(turn.step), FLOWS)
    if turn.done:
        return
    turn = engine.answer(state, "sorry, I'm busy, ops only today", FLOWS)
    assert turn.kind == "switched"
    assert state.flow.code == "ops_only" and state.switched_from == code
    assert turn.prompt.startswith("No problem, two quick ones.")
    # the two questions, answers shared with the first flow kept
    while not turn.done:
        turn = engine.answer(state, sample_answer(turn.step), FLOWS)
    values = engine.checkin_values(state)
    assert values["call_type"] == "ops_only"
    assert set(values) <= {"call_type", "ready_status", "not_ready_reason", "blocker_flag", "blocker_note"}
    assert "ready_status" in values


def test_kill_switch_needs_the_phrase_not_a_word_inside_another():
    flow = FLOWS["tech_am"]
    assert engine.wants_out(flow, "Skip it")
    assert engine.wants_out(flow, "I'm not doing this today")
    assert not engine.wants_out(flow, "business as usual")
    assert not engine.wants_out(flow, "skipping lunch to finish")


def test_vague_action_is_reprompted_once_then_accepted():
    state = engine.CallState(FLOWS["tech_am"])
    for raw in ("yes", "4", "no"):
        engine.answer(state, raw, FLOWS)
    turn = engine.answer(state, "work hard", FLOWS)
    assert turn.kind == "reprompt" and "measurable" in turn.prompt
    turn = engine.answer(state, "just work hard", FLOWS)
    assert turn.kind == "ask" and state.answers["kpi_action_today"] == "just work hard"


def test_measurable_answer_is_not_reprompted():
    state = engine.CallState(FLOWS["tech_am"])
    for raw in ("yes", "4", "no"):
        engine.answer(state, raw, FLOWS)
    turn = engine.answer(state, "Present three options on every job", FLOWS)
    assert turn.kind == "ask" and turn.step.key == "focus_summary_5_words"


def test_invalid_answer_is_explained_and_the_question_repeated():
    state = engine.CallState(FLOWS["tech_am"])
    engine.answer(state, "yes", FLOWS)
    turn = engine.answer(state, "seven", FLOWS)
    assert turn.kind == "invalid"
    assert turn.prompt.startswith("Sorry, that answer must be 1 to 5, got 7.")
    assert turn.prompt.endswith("Energy today, one to five?")
    assert "energy_level" not in state.answers


def test_time_box_drops_optional_steps_but_keeps_required_ones():
    state = engine.CallState(FLOWS["tech_am"])
    for raw in ("yes", "3", "no", "Three options every door by noon"):
        engine.answer(state, raw, FLOWS)
    turn = engine.answer(state, "Three options every door", FLOWS, elapsed_seconds=130)
    assert turn.step.key == "commitment"  # goal_action (optional) skipped
    turn = engine.answer(state, "Photos on every job", FLOWS)
    assert turn.done and "goal_action_today" not in state.answers


def test_focus_over_five_words_is_refused():
    step = FLOWS["tech_am"].step("focus_summary_5_words")
    with pytest.raises(InvalidValue, match="5 words or fewer"):
        engine.normalize_answer(step, "fix it right the first time today")


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("Yep!", True), ("nope", False),
                                               (True, True), (False, False)])
def test_yes_no_answers(raw, expected):
    assert engine.normalize_answer(FLOWS["tech_am"].step("blocker_present"), raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "yes and no", ""])
def test_unclear_yes_no_is_refused(raw):
    with pytest.raises(InvalidValue):
        engine.normalize_answer(FLOWS["tech_am"].step("blocker_present"), raw)


@pytest.mark.parametrize(("raw", "expected"), [("truck broke down", "vehicle"), ("my kid is sick", None),
                                               ("schedule", "schedule"), ("other", "other")])
def test_reason_choices_by_synonym(raw, expected):
    step = FLOWS["tech_am"].step("not_ready_reason")
    if expected is None:  # "kid" and "sick" point two ways: ask again
        with pytest.raises(InvalidValue, match="must be one of"):
            engine.normalize_answer(step, raw)
    else:
        assert engine.normalize_answer(step, raw) == expected


def test_validate_arguments_of_a_whole_call():
    flow = FLOWS["tech_am"]
    values, problems = engine.validate_arguments(flow, {
        "ready_status": "ready", "energy_level": 4, "blocker_present": True, "blocker_note": "No capacitor",
        "kpi_action_today": "Three options on every job", "focus_summary_5_words": "Three options every door",
        "commitment": "Photos on every job"})
    assert problems == []
    assert values["energy_level"] == 4 and values["ready_status"] == "ready"


def test_validate_arguments_reports_each_problem_and_conditional_requirements():
    flow = FLOWS["tech_am"]
    _values, problems = engine.validate_arguments(flow, {
        "ready_status": "ready", "energy_level": 9, "blocker_present": "yes",
        "kpi_action_today": "x", "focus_summary_5_words": "a b c d e f", "commitment": "c"})
    assert problems == ["energy_level must be 1 to 5, got 9", "blocker_note is required",
                        "focus_summary_5_words must be 5 words or fewer, got 6"]
    _values, problems = engine.validate_arguments(flow, {"ready_status": "not_ready"})
    assert problems == ["not_ready_reason is required"]


def test_window_across_midnight():
    flow = engine.Flow("night", "Night", "am_checkin", (), window=(22.0, 6.0))
    assert flow.in_window(23) and flow.in_window(5.5)
    assert not flow.in_window(12)


def test_conditions_compare_like_typed_answers():
    assert engine.Condition("energy_level", "le", "2").holds({"energy_level": 2})
    assert not engine.Condition("energy_level", "le", "2").holds({"energy_level": 3})
    assert engine.Condition("blocker_present", "eq", "true").holds({"blocker_present": True})
    assert not engine.Condition("blocker_present", "truthy").holds({})


def test_a_second_invalid_or_silent_answer_moves_on_and_the_state_survives_json():
    import json

    state = engine.CallState(FLOWS["tech_am"])
    engine.answer(state, "yes", FLOWS)  # ready
    turn = engine.answer(state, "purple", FLOWS)
    assert turn.kind == "invalid" and turn.step.key == "energy_level"
    state = engine.CallState.from_dict(json.loads(json.dumps(state.to_dict())), FLOWS)
    turn = engine.answer(state, None, FLOWS)  # silence
    assert turn.kind == "skipped" and turn.step.key == "blocker_present"
    assert "energy_level" in state.skipped and "energy_level" not in state.answers


def test_a_step_left_out_for_this_caller_is_not_asked_nor_counted_as_skipped():
    flow = load_flows()["tech_am"]
    state = engine.CallState(flow, left_out={"goal_action_today"})
    state.answers.update(ready_status="ready", energy_level=4, blocker_present=False,
                         kpi_action_today="Three calls", focus_summary_5_words="Three calls before noon")
    assert engine.next_step(state).key == "commitment"
    kept = engine.CallState.from_dict(state.to_dict(), {flow.code: flow})
    assert kept.left_out == {"goal_action_today"} and not kept.skipped


def test_a_choice_given_up_on_takes_its_catch_all_so_the_answers_still_save():
    flows = load_flows()
    state = engine.CallState(flows["tech_am"])
    engine.start(state)
    engine.answer(state, "nope", flows)  # not ready
    engine.answer(state, "my truck, no, the other thing", flows)
    turn = engine.answer(state, "it's complicated", flows)
    assert turn.kind in ("skipped", "done")
    assert state.answers["not_ready_reason"] == "other"
    assert "not_ready_reason" in state.skipped


def test_choices_are_edited_one_answer_per_line():
    spec = "ready:yes,yeah,yep|not_ready:no,nope"
    lines = engine.choices_as_lines(spec)
    assert lines == "ready: yes, yeah, yep\nnot_ready: no, nope"
    assert engine.choices_from_lines(lines) == spec
    assert engine.parse_choices(engine.choices_from_lines(lines)) == engine.parse_choices(spec)


def test_lines_are_forgiving_and_never_break_the_stored_form():
    typed = "\n  ready : yes ,  yeah\n\nnot_ready: no | nope, sick: today\nready: sure, yes\nunsure\n"
    spec = engine.choices_from_lines(typed)
    assert spec == "ready:yes,yeah,sure|not_ready:no   nope,sick  today|unsure"
    values = [value for value, _words in engine.parse_choices(spec)]
    assert values == ["ready", "not_ready", "unsure"], "a stray | or : never makes an answer"
    assert engine.choices_from_lines("") == ""
