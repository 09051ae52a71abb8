import datetime

from coach import delivery


def test_a_providers_answer_is_sent_retried_or_final():
    assert delivery.outcome(201, "{}") == ("sent", "")
    assert delivery.outcome(500, "oops") == ("retry", "500: oops")
    assert delivery.outcome(429, "slow down")[0] == "retry"
    assert delivery.outcome(None, "connection refused") == ("retry", "connection refused")
    assert delivery.outcome(400, '{"code": 21211}') == ("final", '400: {"code": 21211}')
    assert delivery.outcome(404, "no_service")[0] == "final"


def test_retries_back_off_then_give_up():
    assert [delivery.next_try_minutes(n) for n in range(1, 7)] == [1, 5, 15, 60, 240, None]


def test_the_text_keeps_its_link_whole():
    url = "https://odoo.example.com/ops_coach/alert/" + "x" * 32
    body = delivery.sms_body("Ops Coach: Blocker for Tom Baker: " + "long reason " * 40, url)
    assert body.endswith(" " + url) and len(body) <= delivery.SMS_LIMIT
    assert delivery.sms_body("short", url) == f"short {url}"


def test_slack_and_teams_carry_the_text_and_a_button_to_the_alert():
    slack = delivery.slack_payload("Blocker for Tom", "https://x/a")
    assert slack["text"] == "Blocker for Tom"
    assert slack["blocks"][1]["elements"][0]["url"] == "https://x/a"
    teams = delivery.teams_payload("Blocker for Tom", "https://x/a")
    card = teams["attachments"][0]["content"]
    assert teams["type"] == "message" and card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "Blocker for Tom" and card["actions"][0]["url"] == "https://x/a"


def test_an_alert_link_works_until_it_expires_or_the_alert_closes():
    now = datetime.datetime(2026, 11, 24, 12)
    later = now + datetime.timedelta(hours=1)
    assert delivery.ack_refusal(None, now) == "unknown"
    assert delivery.ack_refusal({"expires_at": now, "alert_open": True}, now) == "expired"
    assert delivery.ack_refusal({"expires_at": later, "alert_open": False}, now) == "closed"
    assert delivery.ack_refusal({"expires_at": later, "alert_open": True}, now) is None


def test_the_alert_text_names_person_rule_and_reason():
    assert delivery.alert_text("Tom Baker", "Blocker reported", "Tom Baker is blocked:  no  capacitor") == \
        "Ops Coach: Blocker reported for Tom Baker: Tom Baker is blocked: no capacitor"


def test_a_nudge_names_the_person_and_the_number_in_the_last_half_hour_only():
    assert delivery.nudge_text("Tom", "+1 512 555 0100") == \
        "Morning Tom, the Ops line hasn't heard from you yet: call +1 512 555 0100 when you can."
    assert delivery.nudge_text("Tom", "").endswith("call the Ops line when you can.")
    assert [delivery.nudge_due(hour, 10.0, 30) for hour in (9.0, 9.5, 9.99, 10.0)] == [False, True, True, False]


def test_without_an_alert_there_is_no_button_and_no_link():
    assert delivery.sms_body("Morning Tom") == "Morning Tom"
    assert len(delivery.slack_payload("Morning Tom")["blocks"]) == 1
    assert "actions" not in delivery.teams_payload("Morning Tom")["attachments"][0]["content"]


def test_ones_own_data_reads_back_from_json_and_csv():
    import csv
    import io
    import json

    from coach import export

    sections = {"checkins": [{"id": 7, "energy_level": 4, "commitment": "Call Mrs. Lee, today", "transcript": False}],
                "alerts": []}
    assert json.loads(export.as_json("Tom", sections)) == {"person": "Tom", **sections}
    rows = list(csv.reader(io.StringIO(export.as_csv(sections))))
    assert rows == [["section", "record", "field", "value"], ["checkins", "7", "energy_level", "4"],
                    ["checkins", "7", "commitment", "Call Mrs. Lee, today"]]
