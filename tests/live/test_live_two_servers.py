"""Two servers on one database, as two machines behind a proxy: separate
processes, each with its own cron worker. A webhook may land on either, and
every cron's work is done once, even when both are told to run it at once."""

import collections
import json
import subprocess
import time

from odoo_server import PGHOST, tech_number, vapi_call

OPS_CRONS = ("cron_ops_daily_rules", "cron_ops_compute_kpis", "cron_ops_reescalate", "cron_ops_retry",
             "cron_ops_weekly", "cron_ops_briefing")


def xmlid_ids(server, model, names):
    rows = server.search_read("ir.model.data", [("module", "=", "ops_coach"), ("model", "=", model),
                                                ("name", "in", list(names))], ["res_id"])
    return [row["res_id"] for row in rows]


def server_now(server, node):
    """The servers' own clock (Python's, which a faked test run fakes too): a
    journal row's arrival time, stamped by the server that took it."""
    node.post_vapi(json.dumps({"message": {"type": "status-update", "call": {"id": "clock"}}}).encode())
    [row] = server.search_read("ops.call_event", [("call_id", "=", "clock")], ["received_at"])
    server.call("ops.call_event", "unlink", [row["id"]])
    return row["received_at"]


def run_crons_on_both_at_once(server, cron_ids):
    """Due now on both servers' cron workers, woken together. Readiness is
    judged by the database's clock, so the trigger is dated by it (a minute
    ago: Odoo's autovacuum drops triggers over a week old)."""
    ids = ", ".join(str(i) for i in cron_ids)
    server.sql(f"INSERT INTO ir_cron_trigger (cron_id, call_at) SELECT id, (now() AT TIME ZONE 'UTC') - "
               f"interval '1 minute' FROM ir_cron WHERE id IN ({ids}); NOTIFY cron_trigger, '{server.db}'")


def wait_until_ran(server, cron_ids, since, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        crons = server.search_read("ir.cron", [("id", "in", cron_ids)], ["name", "lastcall"])
        if all(cron["lastcall"] and cron["lastcall"] >= since for cron in crons):
            return crons
        time.sleep(2)
    raise AssertionError(f"crons not run in {timeout} s: {crons}")


def test_two_servers_share_the_line_and_do_each_crons_work_once(server):
    owner = server.call("hr.employee", "create", {"name": "Olive Owner", "tz": "America/Chicago"})
    [role] = xmlid_ids(server, "ops.role", ["role_owner"])
    server.call("ops.tech_profile", "create", {"employee_id": owner, "role_ids": [(6, 0, [role])]})
    # the owner did ops work today, and the rule says any day is too many: the daily scan raises one alert
    server.call("ops.checkin", "create", {"employee_id": owner, "call_type": "owner_checkin",
                                          "ops_work_today": True, "energy_level": 3})
    [rule] = xmlid_ids(server, "ops.escalation_rule", ["rule_owner_ops_work"])
    server.call("ops.escalation_rule", "write", [rule], {"threshold_value": 0})
    cron_ids = xmlid_ids(server, "ir.cron", OPS_CRONS)
    assert len(cron_ids) == len(OPS_CRONS)

    with server.node(crons=1) as first, server.node(crons=1) as second:
        # a call's messages land on either server, as a proxy spreads them
        messages = vapi_call("two-nodes", tech_number(11), energy=4)
        for node, kind in ((first, "assistant-request"), (second, "get_tech_checkin_context"),
                           (first, "log_daily_checkin"), (second, "end-of-call-report")):
            assert node.post_vapi(json.dumps(messages[kind]).encode()).status_code == 200
        [checkin] = server.search_read("ops.checkin", [("provider_call_id", "=", "two-nodes")],
                                       ["energy_level", "end_reason", "completion_status"])
        assert (checkin["energy_level"], checkin["end_reason"], checkin["completion_status"]) == (
            4, "customer-ended-call", "complete")

        for node in (first, second):  # told twice, at once on both: still done once each time
            since = server_now(server, node)
            run_crons_on_both_at_once(server, cron_ids)
            wait_until_ran(server, cron_ids, since)
        logs = {"first": first.log(), "second": second.log()}

    alerts = server.search_read("ops.escalation", [("employee_id", "=", owner)], ["kind", "state"])
    assert [(a["kind"], a["state"]) for a in alerts] == [("owner_ops_work", "new")], alerts
    per_day = collections.Counter((row["company_id"][0], row["date"]) for row in server.search_read(
        "ops.system_kpi", [], ["company_id", "date"]))
    assert per_day and max(per_day.values()) == 1, per_day
    per_week = collections.Counter((row["employee_id"][0], row["week_start"]) for row in server.search_read(
        "ops.weekly_summary", [], ["employee_id", "week_start"]))
    assert per_week and max(per_week.values()) == 1
    per_value = collections.Counter((row["kpi_id"][0], row["employee_id"][0], row["period_start"])
                                    for row in server.search_read("ops.kpi.value", [("employee_id", "!=", False)],
                                                                  ["kpi_id", "employee_id", "period_start"]))
    assert not per_value or max(per_value.values()) == 1
    for name, text in logs.items():
        # Odoo's own crons may fail offline (its publisher calls home): only the line's count here
        ours = [line for line in text.splitlines() if " ERROR " in line and ("Ops Coach" in line or "ops_coach." in line)]
        assert not ours and "Exception in cron" not in text, f"the {name} server logged an error: {ours[:3]}"
        assert "cron" in text.lower(), f"the {name} server ran a cron worker"
    started = sum(text.count("Ops Coach: daily escalation rules and system KPIs' (") for text in logs.values())
    assert started >= 2, "each round ran the daily rules on one of the two servers"
    subprocess.run(["psql", "-U", "postgres", "-h", PGHOST, "-d", server.db, "-qc",
                    "DELETE FROM ir_cron_trigger"], check=True, capture_output=True)
