import datetime

from coach import briefing

NOW = datetime.datetime(2026, 11, 30, 12, 30)


def test_age_reads_as_a_manager_says_it():
    assert briefing.age_text(NOW - datetime.timedelta(minutes=45), NOW) == "45 min"
    assert briefing.age_text(NOW - datetime.timedelta(hours=5), NOW) == "5 h"
    assert briefing.age_text(NOW - datetime.timedelta(hours=30), NOW) == "1 day"
    assert briefing.age_text(NOW - datetime.timedelta(days=2, hours=18), NOW) == "2 days"
    assert briefing.age_text(NOW + datetime.timedelta(hours=1), NOW) == "0 min", "a clock skew is no negative age"


def test_nothing_to_act_on_and_no_company_numbers_is_no_briefing():
    assert briefing.compose({}) == []
    assert briefing.compose({"alerts": [], "missed": []}, totals=None) == []
    assert briefing.compose({}, totals={"people_on_line": 0}) == [], "a company with nobody on the line has nothing to say"


def test_sections_keep_reading_order_and_skip_empty_ones():
    facts = {"alerts": ["Luis: Burnout watch (not acknowledged, open 2 days)"],
             "not_ready": [briefing.not_ready_line("Tom", "sick", ["Rivera: No cooling"])], "blockers": []}
    sections = briefing.compose(facts)
    assert [title for title, _lines in sections] == ["Not ready today", "Alerts waiting on you"]
    assert sections[0][1] == ["Tom: sick; jobs to cover: Rivera: No cooling"]
    assert briefing.subject(datetime.date(2026, 11, 30), facts) == "Ops briefing Mon 30 Nov: 1 not ready, 1 alert open"


def test_company_numbers_leave_out_rates_with_nothing_behind_them():
    totals = {"people_on_line": 14, "open_alerts": 7, "checkins_made": 38, "checkins_expected": 40, "kpi_on_target": 0,
              "kpi_values": 0, "minutes_reclaimed": 690}
    [(title, lines)] = briefing.compose({}, totals)
    assert title == "The company"
    assert lines == ["14 people on the line, 7 alerts open", "Required calls made over the last 7 days: 95 %",
                     "Manager time reclaimed over the last 7 days: 11.5 h"]
    assert briefing.subject(datetime.date(2026, 11, 30), {}) == "Ops briefing Mon 30 Nov: the company's numbers"


def test_alert_line_says_who_what_and_how_long():
    line = briefing.alert_line("Maya Patel", "KPI decline", "acknowledged", NOW - datetime.timedelta(days=3), NOW)
    assert line == "Maya Patel: KPI decline (acknowledged, open 3 days)"


def test_receivables_by_age_past_due():
    day = datetime.date(2026, 11, 30)
    invoices = [(day - datetime.timedelta(days=5), 100.0), (day - datetime.timedelta(days=45), 200.0),
                (day - datetime.timedelta(days=75), 300.0), (day - datetime.timedelta(days=120), 400.0),
                (day + datetime.timedelta(days=3), 999.0), (day - datetime.timedelta(days=50), 0.0)]
    lines = briefing.receivable_lines(invoices, day, money=lambda amount: f"${amount:,.0f}")
    assert lines == [("Overdue invoices: 4", "$1,000"), ("Receivables over 30 days", "$900"),
                     ("Receivables over 60 days", "$700"), ("Receivables over 90 days", "$400")]
    assert briefing.receivable_lines([(day + datetime.timedelta(days=1), 50.0)], day) == []



def test_the_spoken_briefing_counts_what_the_owner_needs_and_stays_short():
    now = datetime.datetime(2026, 11, 24, 14, 0)
    raised = [now - datetime.timedelta(hours=3), now - datetime.timedelta(days=2),
              now - datetime.timedelta(days=2, hours=5), now - datetime.timedelta(days=9)]
    ages = briefing.alert_ages(raised, now)
    assert ages == [("from today", 1), ("from the last 3 days", 2), ("older", 1)]
    said = briefing.spoken({"calls_made": 7, "calls_expected": 10,
                            "not_ready": ["Luis Ortega", "Maya Patel", "Dan Kim", "Rosa Diaz", "Jake Moss"],
                            "alert_ages": ages, "blockers_waiting": 2, "runway_months": 4.5})
    assert said == ("Company briefing. 7 of 10 morning calls in. Not ready: Luis Ortega, Maya Patel, Dan Kim "
                    "and 2 more. 4 alerts open: 1 from today, 2 from the last 3 days, 1 older. 2 blockers waiting to be "
                    "cleared. Cash runway: 4.5 months.")
    # about 150 spoken words a minute: under 30 seconds is under 75 words
    assert len(said.split()) < 75


def test_a_quiet_morning_is_said_in_one_breath_and_an_unknown_runway_is_not_guessed():
    said = briefing.spoken({"calls_made": 0, "calls_expected": 0, "not_ready": [], "alert_ages": [],
                            "blockers_waiting": 0, "runway_months": None})
    assert said == "Company briefing. 0 of 0 morning calls in. No alert open."
