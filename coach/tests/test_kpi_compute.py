import datetime

import pytest

from coach import kpi_compute as kc

MON = datetime.date(2026, 11, 16)


def test_literal_domains_only():
    assert kc.parse_domain("[('state', '=', '1_done'), ('ops_return_task_ids', 'not any', "
                           "[('ops_return_reason', 'in', ['recall', 'second_trip'])])]") == [
        ("state", "=", "1_done"), ("ops_return_task_ids", "not any", [("ops_return_reason", "in", ["recall", "second_trip"])])]
    assert kc.parse_domain("") == []
    assert kc.parse_domain("['|', ('a', '=', 1), ('b', '!=', False)]")[0] == "|"


@pytest.mark.parametrize("text", [
    "__import__('os').system('x')", "[('a', '=', uid)]", "[('a', 'exec', 1)]", "[('A; drop', '=', 1)]",
    "[('a', '=', {'x': 1})]", "[('a', '=')]", "{'a': 1}", "[('a', 'in', [object])]", "[" * 500])
def test_anything_else_is_refused_with_a_reason(text):
    with pytest.raises(kc.InvalidDomain):
        kc.parse_domain(text)


def test_periods():
    assert kc.recent_periods(datetime.date(2026, 11, 24), "weekly", 3) == [
        datetime.date(2026, 11, 9), MON, datetime.date(2026, 11, 23)]
    assert kc.recent_periods(datetime.date(2026, 3, 5), "monthly", 3)[0] == datetime.date(2026, 1, 1)
    assert kc.period_end(datetime.date(2026, 12, 1), "monthly") == datetime.date(2027, 1, 1)


def test_days_fold_into_iso_weeks_and_ratios_need_enough_jobs():
    rows_num = [(7, MON, 3), (7, MON + datetime.timedelta(days=6), 5), (7, MON + datetime.timedelta(days=7), 1)]
    rows_den = [(7, MON, 4), (7, MON + datetime.timedelta(days=6), 6), (7, MON + datetime.timedelta(days=7), 2),
                (8, MON, 3)]
    num, den = kc.fold(rows_num, "weekly"), kc.fold(rows_den, "weekly")
    assert num == {(7, MON): 8, (7, MON + datetime.timedelta(days=7)): 1}
    result = kc.values(num, den, factor=100, min_denominator=5)
    assert result == {(7, MON): 80.0}, "2 jobs and 3 jobs are too few: nothing, not 50 % or 0 %"
    assert kc.values(den, factor=1) [(8, MON)] == 3


def test_provisional_while_the_callback_window_is_open():
    assert kc.is_provisional(MON, "weekly", 30, datetime.date(2026, 12, 22))
    assert not kc.is_provisional(MON, "weekly", 30, datetime.date(2026, 12, 23))
    assert not kc.is_provisional(MON, "weekly", 0, MON)


def test_team_and_company_scopes_sum_their_people():
    totals = {(1, MON): 4, (2, MON): 6, (3, MON): 5}
    managers = {1: 10, 2: 10, 3: False}
    assert kc.rescope(totals, managers.get) == {(10, MON): 10}
    assert kc.rescope(totals, lambda who: None) == {(None, MON): 15}
    assert kc.spread({(None, MON): 42.0}, [7, 8]) == {(7, MON): 42.0, (8, MON): 42.0}


def test_a_count_with_nothing_counted_is_zero_for_the_people_coached_on_it():
    later = MON + datetime.timedelta(days=7)
    assert kc.zero_fill({(1, MON): 2}, [1, 2], [MON, later]) == {
        (1, MON): 2, (2, MON): 0, (1, later): 0, (2, later): 0}


def test_methods_arithmetic():
    day = datetime.date(2026, 11, 2)
    assert kc.mean_days([(day, day + datetime.timedelta(days=3)), (day, day + datetime.timedelta(days=1))]) == 2
    assert kc.mean_days([]) is None
    assert kc.runway_months(60000, [-10000, -20000, -30000]) == 3
    assert kc.runway_months(60000, [5000, -1000]) is None  # gaining cash: no runway to speak of
    assert kc.runway_months(-500, [-1000]) == 0


def test_cash_runway_per_month_from_the_cash_account_flows():
    sep, octo, nov = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    assert kc.add_months(nov, -2) == sep and kc.add_months(datetime.date(2026, 12, 5), 1) == datetime.date(2027, 1, 1)
    flows = {sep: -10000, octo: -20000, nov: -30000}
    # 100k before September; 40k left at the end of November, burning 20k a month
    assert kc.runways(100000, flows, [nov]) == {(None, nov): 2}
    # at the end of October, 70k left, burn averaged over Aug (nothing), Sep and Oct
    assert kc.runways(100000, flows, [octo]) == {(None, octo): 70000 / 10000}
    assert kc.runways(100000, {nov: 5000}, [nov]) == {}


def test_local_wall_time_to_stored_utc_and_back():
    day = datetime.date(2026, 11, 2)  # Chicago is UTC-6 after the DST change of 1 November
    assert kc.utc_naive(day, "America/Chicago") == datetime.datetime(2026, 11, 2, 6, 0)
    assert kc.utc_naive(datetime.date(2026, 10, 30), "America/Chicago", 8) == datetime.datetime(2026, 10, 30, 13, 0)
    assert kc.local_date(datetime.datetime(2026, 11, 9, 3, 0), "America/Chicago") == datetime.date(2026, 11, 8)
