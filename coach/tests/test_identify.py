import datetime

from coach.identify import pin_locked, strength_of_the_day

NOW = datetime.datetime(2026, 11, 21, 9, 0, 0)


def test_three_failures_in_the_window_lock():
    failures = [NOW - datetime.timedelta(minutes=m) for m in (1, 5, 14)]
    assert pin_locked(failures, NOW)
    assert not pin_locked(failures[:2], NOW)


def test_old_failures_do_not_count():
    failures = [NOW - datetime.timedelta(minutes=m) for m in (1, 5, 16)]
    assert not pin_locked(failures, NOW)


def test_failures_stamped_in_the_same_second_count():
    # the database keeps microseconds, Odoo's now() does not
    failures = [NOW + datetime.timedelta(microseconds=500)] * 3
    assert pin_locked(failures, NOW)


def test_strength_rotates_daily_best_first_on_day_zero():
    lines = [("Achiever", "a"), ("Learner", "b"), ("Focus", "c")]
    day = datetime.date.fromordinal(3 * 1000)
    assert strength_of_the_day(lines, day) == ("Achiever", "a")
    assert strength_of_the_day(lines, day + datetime.timedelta(days=1)) == ("Learner", "b")
    assert strength_of_the_day([], day) is None
