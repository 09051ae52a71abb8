import datetime

from coach import blockers

WORDS = [("parts", "capacitor, part, parts, stock, supply house"),
         ("vehicle", "truck, van, ladder, tool, tools"),
         ("schedule", "schedule, double booked, dispatch"),
         ("customer", "customer, homeowner, not home")]


def test_a_note_is_read_by_the_first_kind_whose_word_it_says():
    assert blockers.kind_of("No run capacitor on the truck", WORDS) == "parts"
    assert blockers.kind_of("Truck AC is out", WORDS) == "vehicle"
    assert blockers.kind_of("I'm double booked at 2", WORDS) == "schedule"
    assert blockers.kind_of("Homeowner not home", WORDS) == "customer"


def test_whole_words_only_and_other_when_nothing_matches():
    assert blockers.kind_of("The apartment gate code is wrong", WORDS) == "other"
    assert blockers.kind_of("", WORDS) == "other"
    assert blockers.kind_of("parts", []) == "other"


def test_an_agents_kind_is_taken_only_when_known():
    assert blockers.valid_kind(" Parts ") == "parts"
    assert blockers.valid_kind("weather") is None
    assert blockers.valid_kind(None) is None


def test_the_news_names_who_cleared_it_and_how():
    said = blockers.news("the capacitor you were missing.", "Wes Grant", "two left at the front desk")
    assert said == "The capacitor you were missing: Wes Grant resolved it: two left at the front desk."
    assert blockers.news("no ladder", "", "") == "No ladder: The office resolved it."


def test_still_blocked_names_the_blocker():
    assert blockers.still_blocked_question(" no run  capacitor ") == \
        "Last time you were blocked: no run capacitor. Still blocked?"


def test_clearing_figures_are_the_median_and_the_same_day_share():
    at = datetime.datetime
    pairs = [(at(2026, 11, 23, 8), at(2026, 11, 23, 10)),    # 2 h, same day
             (at(2026, 11, 23, 16), at(2026, 11, 24, 9)),    # 17 h, next day
             (at(2026, 11, 24, 7), at(2026, 11, 24, 11)),    # 4 h, same day
             (at(2026, 11, 24, 7), None)]                    # still open: not counted
    assert blockers.clearing_figures(pairs) == (4.0, 66.7)
    assert blockers.clearing_figures([]) == (None, None)


def test_a_days_clearing_sums_add_up_to_the_dashboards_figures():
    day = datetime.datetime(2026, 11, 24, 8)
    sums = blockers.clearing_sums([(day, day + datetime.timedelta(hours=3)),
                                   (day + datetime.timedelta(hours=8), day + datetime.timedelta(hours=25)),
                                   (None, day)])
    assert sums == {"blockers_cleared": 2, "blockers_cleared_same_day": 1, "blocker_hours": 20.0}
