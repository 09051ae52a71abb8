"""Real concurrency on a prefork server (2 workers): what an HttpCase, which
serialises every request on one cursor, cannot show."""

import json
import threading

import requests
from odoo_server import tech_number, vapi_call

DELIVERIES = 6


def at_once(requests_to_send):
    """Send every ``(server, body)`` from its own thread, released together."""
    barrier = threading.Barrier(len(requests_to_send))
    responses = [None] * len(requests_to_send)

    def send(index, server, body):
        barrier.wait()
        responses[index] = server.post_vapi(json.dumps(body).encode())

    threads = [threading.Thread(target=send, args=(i, *item)) for i, item in enumerate(requests_to_send)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return responses


def checkins(server, call_id):
    return server.search_read("ops.checkin", [("provider_call_id", "=", call_id)],
                              ["call_type", "energy_level", "blocker_note", "completion_status", "end_reason"])


def journal(server, call_id):
    return server.search_read("ops.call_event", [("call_id", "=", call_id)],
                              ["outcome", "effects_state", "error"])


def test_identical_deliveries_at_once_make_one_checkin_and_no_failure(server):
    for round_ in range(3):
        call_id = f"dup-{round_}"
        log = vapi_call(call_id, tech_number(round_), blocker=True)["log_daily_checkin"]
        responses = at_once([(server, log)] * DELIVERIES)
        assert [r.status_code for r in responses] == [200] * DELIVERIES
        results = [r.json()["results"][0] for r in responses]
        assert all("error" not in result for result in results), results
        assert all(r["result"].startswith(("Logged", "Already logged")) for r in results), results
        assert len(checkins(server, call_id)) == 1
        rows = journal(server, call_id)
        assert len(rows) == DELIVERIES
        assert {row["outcome"] for row in rows} <= {"processed", "duplicate"}, rows
        alerts = server.search_read("ops.escalation", [("checkin_ids.provider_call_id", "=", call_id)], ["kind"])
        assert [a["kind"] for a in alerts] == ["blocker"], "the side effects ran once"


def test_end_of_call_report_racing_the_log_keeps_the_answers(server):
    for round_ in range(4):
        call_id = f"race-{round_}"
        messages = vapi_call(call_id, tech_number(4 + round_), energy=3)
        server.post_vapi(json.dumps(messages["assistant-request"]).encode())
        responses = at_once([(server, messages["log_daily_checkin"]), (server, messages["end-of-call-report"])])
        assert [r.status_code for r in responses] == [200, 200]
        assert responses[0].json()["results"][0]["result"].startswith("Logged"), responses[0].text
        rows = checkins(server, call_id)
        assert len(rows) == 1, rows
        assert rows[0]["energy_level"] == 3 and rows[0]["completion_status"] == "complete", rows
        assert rows[0]["end_reason"] == "customer-ended-call", rows
        assert {row["outcome"] for row in journal(server, call_id)} == {"processed"}


def test_hostile_bodies_on_the_real_server_are_journaled_and_never_a_500(server):
    bodies = [
        b'{"message": {"type": "status-update", "raw": "nul \x00 byte"}}',
        b'{"message": {"type": "status-update", "note": "\xff\xfe"}}',
        json.dumps({"message": {"type": "end-of-call-report", "call": "not an object"}}).encode(),
        json.dumps({"message": {"type": "tool-calls", "call": {"id": "hostile", "customer": {
            "number": tech_number(9)}}, "toolCallList": [{"id": "h", "function": {
                "name": "log_daily_checkin", "arguments": {"energy_level": 10**30, "blocker_note": "a\u0000b",
                                                           "duration_seconds": 10**30}}}]}}).encode(),
        b'[' * 50000,
    ]
    before = len(server.search_read("ops.call_event", [], ["id"]))
    for body in bodies:
        response = requests.post(f"{server.url}/ops_coach/vapi", data=body, timeout=60, headers={
            "Content-Type": "application/json", "X-Vapi-Secret": "line-secret"})
        assert response.status_code in (200, 400), (response.status_code, body[:80])
        response.json()
    assert len(server.search_read("ops.call_event", [], ["id"])) == before + len(bodies)
    assert not server.search_read("ops.call_event", [("outcome", "=", "failed")], ["id"])


def test_a_change_reaches_the_callers_of_every_worker(server):
    """The start answer is cached in each worker; a change made through one
    worker (here an admin's write over RPC) is what every worker says next."""
    number = tech_number(11)

    def goals_said(round_):
        start = vapi_call(f"cache-{round_}", number)["assistant-request"]
        responses = at_once([(server, start)] * 4)  # four at once: both workers answer
        prompts = [r.json()["assistant"]["model"]["messages"][0]["content"] for r in responses]
        return {line for prompt in prompts for line in prompt.splitlines() if line.startswith("90-day goal")}

    assert goals_said("before") == {"90-day goal: Lead tech."}
    profile = server.search_read("ops.tech_profile", [("phone_ids.e164", "=", number.replace(" ", ""))], ["id"])
    server.call("ops.tech_profile", "write", [profile[0]["id"]], {"goal_90d": "Run a crew by March"})
    for round_ in range(3):
        assert goals_said(f"after-{round_}") == {"90-day goal: Run a crew by March."}
