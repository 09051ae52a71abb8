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
    assert briefing.subject(datetime.date(2026, 11, 30), facts) == "Ops briefing Mon 30 Nov: 1 not ready, 1 alerts open"


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

