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
