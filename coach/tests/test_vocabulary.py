import pytest

from coach import prompt, tools, vocabulary

CODES = [code for code, _label in vocabulary.CALL_TYPES]


def test_trends():
    assert vocabulary.trend(3.5, 3.0) == "up"
    assert vocabulary.trend(3.1, 3.0) == "flat"
    assert vocabulary.trend(2.0, 3.0) == "down"
    assert vocabulary.trend(None, 3.0) == "flat"
    assert vocabulary.kpi_trend([90, 85], True, 90) == "down"
    assert vocabulary.kpi_trend([5, 3], False, 3) == "up"  # fewer callbacks is better
    assert vocabulary.kpi_trend([90], True, 90) == "flat"
    assert vocabulary.kpi_trend_words([5, 3], False, 3) == "better", "fewer callbacks reads as better, not down"
    assert vocabulary.kpi_trend_words([2, 4], False, 3) == "worse"
    assert vocabulary.kpi_trend_words([90, 90], True, 90) == "steady"


@pytest.mark.parametrize(("value", "target", "higher", "expected"),
                         [(90, 90, True, True), (89, 90, True, False), (3, 3, False, True), (4, 3, False, False)])
def test_on_target_is_inclusive_and_honours_direction(value, target, higher, expected):
    assert vocabulary.on_target(value, target, higher) is expected


SPOKEN = {"better": "better than the period before", "worse": "worse than the period before",
          "steady": "about the same as the period before"}


@pytest.mark.parametrize(("values", "higher"), [
    ([90, 90.5], True), ([90, 91], True), ([90, 89.5], True), ([90, 80], True),
    ([5, 4.98], False), ([5, 3], False), ([3, 3.01], False), ([3, 4], False)])
def test_the_line_says_the_trend_the_weekly_summary_writes(values, higher):
    # the line used to call 90 → 90.5 "better" while the summary called it "steady"
    target = values[0]
    kpi = {"name": "KPI", "unit": "", "values": values, "target": target, "higher_is_better": higher}
    spoken, _guidance = prompt.kpi_numbers(kpi, "always")
    assert SPOKEN[vocabulary.kpi_trend_words(values, higher, target)] in spoken


def test_the_morning_call_is_one_set_that_the_tools_offer():
    assert set(vocabulary.MORNING_CALL_TYPES) <= set(CODES)
    assert tools.ROLE_CALL_TYPES == vocabulary.MORNING_CALL_TYPES
    enum = tools.CHECKIN_PROPERTIES["call_type"]["enum"]
    assert set(enum) == set(vocabulary.MORNING_CALL_TYPES) | set(vocabulary.CALL_TYPE_ALIASES) - {"daily"}
    not_morning = {code for code in CODES if not code in vocabulary.MORNING_CALL_TYPES}
    assert not_morning == {"job_closeout", "eod_closeout", "safety_report"}
    assert "weekly" not in CODES, "no call ever had that type"


def test_every_alias_names_a_morning_call():
    for alias, call_type in vocabulary.CALL_TYPE_ALIASES.items():
        assert tools.canonical_arguments({"call_type": alias})["call_type"] == call_type
        assert call_type in vocabulary.MORNING_CALL_TYPES


TOTALS = {"checkins_made": 27, "checkins_expected": 30, "kpi_on_target": 3, "kpi_values": 8, "escalations": 6,
          "people": 140, "minutes_reclaimed": 690, "field_departures": 1, "field_headcount": 20,
          "blockers_cleared": 4, "blockers_cleared_same_day": 3, "blocker_hours": 22.0}


def test_meta_kpis_are_ratios_of_sums():
    values = {meta.code: meta.value(TOTALS) for meta in vocabulary.META_KPIS}
    assert values == {"call_completion": 90.0, "kpi_adherence": 37.5, "alerts": 3.0, "hours_reclaimed": 11.5,
                      "retention": 95.0, "blockers_same_day": 75.0, "blocker_hours": 5.5}
    assert vocabulary.META_KPI["call_completion"].value(dict(TOTALS, checkins_expected=0)) is None
    assert vocabulary.META_KPI["hours_reclaimed"].value({}) == 0.0


def test_the_spreadsheet_formula_computes_the_same_ratio():
    # evaluate the formula as the spreadsheet would, with each pivot measure's total
    def evaluate(meta):
        formula = meta.formula(lambda measure: repr(float(TOTALS[measure.split(":")[0]])))
        expression = formula[len("=IFERROR(ROUND("):-len(',1),"")')]
        return round(eval(expression), 1)  # pylint: disable=eval-used  # our own arithmetic, no input
    for meta in vocabulary.META_KPIS:
        assert evaluate(meta) == meta.value(TOTALS), meta.code


def test_the_summed_columns_are_those_the_ratios_need():
    needed = {column for meta in vocabulary.META_KPIS for column in (meta.numerator, meta.denominator) if column}
    assert set(vocabulary.META_KPI_SUMS) == needed - {"field_headcount"}


def test_a_follow_up_is_read_from_its_code_or_a_plain_word():
    said = {"done": "done", "Yes": "done", "did it": "done", "partly": "partly", "Partially ": "partly",
            "not_done": "not_done", "not done": "not_done", "NO": "not_done", "maybe": None, "": None, None: None}
    for words, code in said.items():
        assert vocabulary.commitment_followup(words) == code, words
    assert [code for code, _label in vocabulary.COMMITMENT_FOLLOWUPS] == list(vocabulary.FOLLOWUP_WORDS)


def test_follow_through_counts_partly_as_half_and_nothing_asked_as_unknown():
    assert vocabulary.follow_through(done=2, partly=1, asked=4) == 62.5
    assert vocabulary.follow_through(done=0, partly=0, asked=0) is None


def test_access_follows_the_highest_role():
    from coach.vocabulary import access_for
    assert access_for(["field"]) == "user"
    assert access_for(["field", "management"]) == "manager"
    assert access_for(["owner", "exec"]) == "director"
    assert access_for([]) == "user"
