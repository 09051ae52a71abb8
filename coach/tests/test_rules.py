import datetime

import pytest

from coach import rules

D = datetime.date
MON, TUE, WED, THU, FRI = (D(2026, 11, 16) + datetime.timedelta(days=n) for n in range(5))
NEXT_MON, NEXT_TUE = D(2026, 11, 23), D(2026, 11, 24)
WORKDAYS = [MON, TUE, WED, THU, FRI, NEXT_MON, NEXT_TUE]


def test_friday_and_monday_are_a_streak_the_weekend_is_not_a_break():
    readings = {THU: 4, FRI: 2, NEXT_MON: 1}
    assert rules.low_energy_streak(readings, WORKDAYS, 2, NEXT_MON) == [NEXT_MON, FRI]


def test_a_leave_day_is_skipped_not_a_break():
    workdays = [d for d in WORKDAYS if d != NEXT_MON]  # on leave Monday
    readings = {FRI: 2, NEXT_TUE: 2}
    assert rules.low_energy_streak(readings, workdays, 2, NEXT_TUE) == [NEXT_TUE, FRI]


def test_a_missed_workday_breaks_the_streak_but_today_may_not_have_called_yet():
    readings = {THU: 2, FRI: 2}
    assert rules.low_energy_streak(readings, WORKDAYS, 2, NEXT_MON) == [FRI, THU]  # today not called yet
    assert rules.low_energy_streak(readings, WORKDAYS, 2, NEXT_TUE) == []  # Monday missed


@pytest.mark.parametrize(("energies", "streak"), [((2, 2), 2), ((3, 2), 1), ((2, 3), 0), ((1, 1), 2)])
def test_threshold_is_inclusive(energies, streak):
    readings = {THU: energies[0], FRI: energies[1]}
    assert len(rules.low_energy_streak(readings, WORKDAYS, 2, FRI)) == streak


@pytest.mark.parametrize(
    ("values", "higher_is_better", "declines"),
    [([90, 88, 85], True, 2), ([90, 88, 89], True, 0), ([90, 90, 85], True, 1), ([94, 94, 90, 86, 82], True, 3),
     ([2, 3, 4], False, 2), ([4, 3, 2], False, 0), ([5], True, 0), ([], True, 0)],
)
def test_consecutive_declines_honour_direction(values, higher_is_better, declines):
    assert rules.consecutive_declines(values, higher_is_better) == declines


def test_cooldown():
    now = datetime.datetime(2026, 11, 21, 9)
    assert rules.in_cooldown(now - datetime.timedelta(days=2), 3, now)
    assert not rules.in_cooldown(now - datetime.timedelta(days=3), 3, now)
    assert not rules.in_cooldown(now, 0, now)
    assert not rules.in_cooldown(None, 3, now)


def test_burnout_flag():
    assert rules.burnout_flag([4, 2, 2], streak_days=2)
    assert rules.burnout_flag([2, 2, 3, 1], streak_days=1)  # average 2.0
    assert not rules.burnout_flag([2], streak_days=1)
    assert not rules.burnout_flag([3, 2, 3], streak_days=1)


def test_load_imbalance():
    assert rules.load_imbalance({"Sam": 4, "Ivy": 2}) == (True, "Sam", "Ivy")
    assert rules.load_imbalance({"Sam": 3, "Ivy": 2}) == (False, "Sam", "Ivy")
    assert rules.load_imbalance({"Sam": 2, "Ivy": 0}) == (True, "Sam", "Ivy")
    assert rules.load_imbalance({"Sam": 1, "Ivy": 0})[0] is False
    assert rules.load_imbalance({"Sam": 5}) == (False, None, None)


def test_weekly_text():
    text = rules.weekly_text("Luis", 4, 5, 2.2, "down", [("First-time fix", "down")], 40, 4, True)
    assert text == ("Luis: 4 of 5 check-ins; energy 2.2 (down); First-time fix down; 90-day goal 40%; "
                    "4 commitments. Burnout watch: check in personally.")


def test_weekly_text_without_expected_calls():
    text = rules.weekly_text("Alan", 1, 0, 5.0, "up", [], None, 1, False)
    assert text == "Alan: 1 check-in; energy 5.0 (up); 1 commitment."




def test_call_streak_counts_workdays_in_a_row_up_to_today():
    monday = datetime.date(2026, 11, 23)
    workdays = {monday + datetime.timedelta(days=n) for n in (-7, -6, -5, -4, -3, 0, 1, 2)}  # two weeks, Tue off
    called = {monday - datetime.timedelta(days=n) for n in (3, 4, 6)} | {monday, monday + datetime.timedelta(days=1)}
    wednesday = monday + datetime.timedelta(days=2)
    assert rules.call_streak(called, workdays, wednesday) == 4, "today (Wed 25) waits; Wed 18 was missed"
    assert rules.call_streak(called | {wednesday}, workdays, wednesday) == 5
    assert rules.call_streak(set(), workdays, wednesday) == 0
    on_leave = workdays - {monday - datetime.timedelta(days=5)}
    assert rules.call_streak(called, on_leave, wednesday) == 5, "a leave day on Wed 18 does not break it"


def test_every_rule_kind_is_registered_once_with_known_parameters():
    assert [code for code, _label in rules.kind_selection()] == list(rules.RULE_KINDS)
    for kind in rules.RULE_KINDS.values():
        assert kind.trigger in ("checkin", "daily")
        assert {name for name, _meaning in kind.parameters} <= set(rules.PARAMETERS)
    with pytest.raises(ValueError, match="registered twice"):
        rules.register(rules.RULE_KINDS["blocker"])


CALL = {"name": "Tom", "call_type": "am_checkin", "safety_issue": False, "safety_note": "", "missed_steps": False,
        "job": False, "ready_status": "not_ready", "not_ready_reason": "vehicle", "blocker_flag": True,
        "blocker_note": "No capacitor on the truck", "followups": (), "followed_commitment": False}


def test_checkin_kinds_decide_from_the_call_and_the_rule_parameters():
    kinds = rules.RULE_KINDS
    assert kinds["blocker"].reason_if_applies(CALL, {}) == "Tom is blocked: No capacitor on the truck"
    assert kinds["safety_issue"].reason_if_applies(CALL, {}) is None
    attendance = kinds["attendance"]
    assert attendance.reason_if_applies(CALL, {"not_ready_reasons": "sick,family"}) is None
    assert attendance.reason_if_applies(CALL, {"not_ready_reasons": "sick, vehicle"}) == \
        "Tom is not ready today (vehicle)."
    assert kinds["missed_steps"].reason_if_applies(dict(CALL, missed_steps="photos"), {}) is None, "not a close-out"


def test_daily_kinds_compare_with_their_parameters():
    streak = [D(2026, 11, 24), D(2026, 11, 23)]
    low = rules.RULE_KINDS["low_energy_streak"]
    params = {"threshold_value": 2.0, "consecutive_periods": 2, "window_days": 14}
    assert low.reason_if_applies({"streak": streak}, params) == \
        "Energy at or below 2 on 2 workdays in a row (since 2026-11-23)."
    assert low.reason_if_applies({"streak": streak}, dict(params, consecutive_periods=3)) is None
    owner = rules.RULE_KINDS["owner_ops_work"]
    assert owner.reason_if_applies({"name": "O", "days": 3}, {"threshold_value": 3, "window_days": 14}) is None


def test_commitments_not_kept_count_only_the_latest_not_done_in_a_row():
    assert rules.unkept_in_a_row(("not_done", "not_done", "done", "not_done")) == 2
    assert rules.unkept_in_a_row(("partly", "not_done")) == 0
    assert rules.unkept_in_a_row(()) == 0
    kind = rules.RULE_KINDS["commitments_not_kept"]
    three = dict(CALL, followups=("not_done",) * 3, followed_commitment="Call back Mrs. Lee")
    assert kind.reason_if_applies(three, {"consecutive_periods": 3}) == (
        "Tom has not kept the last 3 commitments (latest: Call back Mrs. Lee). A coaching cue, not a "
        "reprimand: help make the next one smaller.")
    assert kind.reason_if_applies(three, {"consecutive_periods": 4}) is None
    assert kind.reason_if_applies(dict(three, followups=("done",) + ("not_done",) * 3), {"consecutive_periods": 3}) is None


def test_paused_days_are_the_overlap_and_an_open_pause_runs_on():
    start, end = datetime.date(2026, 11, 23), datetime.date(2026, 11, 27)
    assert rules.paused_days(datetime.date(2026, 11, 25), datetime.date(2026, 12, 4), start, end) == {
        datetime.date(2026, 11, 25), datetime.date(2026, 11, 26), datetime.date(2026, 11, 27)}
    assert rules.paused_days(datetime.date(2026, 11, 20), None, start, end) == {
        start + datetime.timedelta(days=n) for n in range(5)}
    assert rules.paused_days(None, None, start, end) == set()
    assert rules.paused_days(datetime.date(2026, 12, 1), None, start, end) == set()


def test_the_weekly_text_says_paused():
    text = rules.weekly_text("Tom", 1, 2, None, "flat", [], None, 0, False, paused=True)
    assert text.startswith("Paused part of this week. Tom: 1 of 2 check-ins")
