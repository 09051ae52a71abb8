import datetime

import pytest

from coach.checkin_values import (
    InvalidValue,
    check_count,
    check_energy,
    check_focus_words,
    check_not_ready_reason,
)
from coach.periods import last_full_workweek, period_start


@pytest.mark.parametrize("value", [1, 5, "3", 4.0])
def test_energy_in_range(value):
    assert check_energy(value) == int(float(value))


@pytest.mark.parametrize("value", [0, 6, -1, "high", None, 2.5])
def test_energy_out_of_range_is_refused_with_a_speakable_message(value):
    with pytest.raises(InvalidValue, match="energy must be"):
        check_energy(value)


def test_not_ready_needs_a_known_reason():
    assert check_not_ready_reason(False, "sick") == "sick"
    with pytest.raises(InvalidValue, match="sick, family, vehicle, schedule, other"):
        check_not_ready_reason(False, "hungover")
    with pytest.raises(InvalidValue):
        check_not_ready_reason(False, None)


def test_ready_takes_no_reason():
    assert check_not_ready_reason(True, None) is None
    with pytest.raises(InvalidValue, match="only applies"):
        check_not_ready_reason(True, "sick")


def test_focus_is_five_words_or_fewer():
    assert check_focus_words("  clean   close-outs every job ") == "clean close-outs every job"
    with pytest.raises(InvalidValue, match="5 words or fewer, got 6"):
        check_focus_words("one two three four five six")


def test_count_bounds():
    assert check_count(3, "KPIs", 1, 3) == 3
    with pytest.raises(InvalidValue, match="KPIs: 1 to 3 required, got 4"):
        check_count(4, "KPIs", 1, 3)
    with pytest.raises(InvalidValue, match="got 0"):
        check_count(0, "KPIs", 1, 3)



@pytest.mark.parametrize(
    ("period", "expected"),
    [("daily", datetime.date(2026, 11, 19)), ("weekly", datetime.date(2026, 11, 16)),
     ("monthly", datetime.date(2026, 11, 1))],
)
def test_period_start(period, expected):
    assert period_start(datetime.date(2026, 11, 19), period) == expected


def test_unknown_period_is_an_error():
    with pytest.raises(ValueError):
        period_start(datetime.date(2026, 11, 19), "hourly")


@pytest.mark.parametrize(
    ("today", "monday"),
    # Monday to Friday: last week (this one is not over); Saturday and Sunday: this week
    [(datetime.date(2026, 11, 23 + n), datetime.date(2026, 11, 16)) for n in range(5)]
    + [(datetime.date(2026, 11, 28), datetime.date(2026, 11, 23)),
       (datetime.date(2026, 11, 29), datetime.date(2026, 11, 23))],
)
def test_last_full_workweek(today, monday):
    assert last_full_workweek(today) == monday


def test_a_call_cut_short_before_the_reason_is_still_a_valid_not_ready():
    assert check_not_ready_reason(False, False, complete=False) is None
    with pytest.raises(InvalidValue):
        check_not_ready_reason(False, False, complete=True)
