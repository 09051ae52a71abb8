"""Benchmark of the Vapi webhook over HTTP on loopback (not a test).

Seeds 1,000 and then 10,000 Ops profiles into a throw-away database, runs a
real Odoo server, and times assistant-request, get_tech_checkin_context and
log_daily_checkin. Reports median and p95 of the server time (from Odoo's
request log: SQL time + Python time) and of the round trip, and the ratio of
the 10,000 figures to the 1,000 ones.

    ODOO_HOME=/opt/odoo18 /opt/odoo-venv/bin/python scripts/bench_vapi.py [--requests 300]

Needs the same Odoo 18 and PostgreSQL as scripts/test.sh.
"""

import argparse
import json
import os
import pathlib
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
ODOO_HOME = pathlib.Path(os.environ.get("ODOO_HOME", "/opt/odoo18"))
DB = "ops_coach_bench"
SECRET = "bench-secret"
DB_USER = os.environ.get("ODOO_DB_USER", "ops_coach")
LOG_LINE = re.compile(r'"POST /ops_coach/vapi HTTP/1\.1" 200 - (\d+) ([\d.]+) ([\d.]+)')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_args(addons):
    return [sys.executable, str(ODOO_HOME / "odoo-bin"),
            f"--addons-path={ODOO_HOME}/addons,{ODOO_HOME}/odoo/addons,{addons}",
            "--db_host=127.0.0.1", f"--db_user={DB_USER}", "-d", DB, f"--db-filter=^{DB}$",
            "--max-cron-threads=0"]


def install(addons):
    subprocess.run(["dropdb", "-U", "postgres", "-h", "127.0.0.1", "--if-exists", DB], check=True)
    subprocess.run(odoo_args(addons) + ["-i", "ops_coach", "--without-demo=all", "--stop-after-init",
                                        f"--http-port={free_port()}", "--log-level=warn"], check=True)


def seed(addons, total):
    """Grow the database to ``total`` profiles, through the ORM."""
    script = f"""
import odoo
from odoo import api, SUPERUSER_ID, Command
odoo.tools.config.parse_config({odoo_args(addons)[2:]!r})
registry = odoo.modules.registry.Registry({DB!r})
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{"tracking_disable": True, "mail_create_nolog": True,
                                              "mail_create_nosubscribe": True}})
    env["ir.config_parameter"].set_param("ops_coach.vapi_secret", {SECRET!r})
    env.company.country_id = env.ref("base.us")
    Profile = env["ops.tech_profile"]
    have = Profile.search_count([])
    role = env.ref("ops_coach.role_technician")
    strengths = env["ops.strength"].search([], limit=5)
    for start in range(have, {total}, 500):
        batch = range(start, min(start + 500, {total}))
        employees = env["hr.employee"].create([{{"name": f"Bench Tech {{n}}", "tz": "America/Chicago"}}
                                               for n in batch])
        Profile.create([{{
            "employee_id": emp.id, "role_ids": [Command.set(role.ids)], "goal_90d": "Bench goal",
            "phone_ids": [Command.create({{"number": f"+1 212 {{200 + n // 10000:03d}} {{n % 10000:04d}}"}})],
            "strength_line_ids": [Command.create({{"sequence": i, "strength_id": s.id}})
                                  for i, s in enumerate(strengths)],
        }} for n, emp in zip(batch, employees)])
        cr.commit()
    print(Profile.search_count([]))
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                         cwd=ODOO_HOME)
    return int(out.stdout.strip().splitlines()[-1])


def number(n):
    return f"+1212{200 + n // 10000:03d}{n % 10000:04d}"


def payloads(n_profiles, call_seq):
    who = random.randrange(n_profiles)
    call = {"id": f"bench-{call_seq}", "customer": {"number": number(who)}}
    checkin = {"call_type": "daily_checkin", "ready_status": "ready", "energy_level": random.randint(1, 5),
               "blocker_present": False, "kpi_action_today": "Three options on every job",
               "focus_summary_5_words": "Three options every door", "commitment": "Photos on every job"}
    return {
        "assistant-request": {"message": {"type": "assistant-request", "call": call}},
        "get_tech_checkin_context": {"message": {"type": "tool-calls", "call": call, "toolCallList": [
            {"id": f"c{call_seq}", "type": "function",
             "function": {"name": "get_tech_checkin_context", "arguments": {}}}]}},
        "log_daily_checkin": {"message": {"type": "tool-calls", "call": call, "toolCallList": [
            {"id": f"l{call_seq}", "type": "function",
             "function": {"name": "log_daily_checkin", "arguments": checkin}}]}},
    }


def measure(addons, n_profiles, n_requests):
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    server = subprocess.Popen(odoo_args(addons) + [f"--http-port={port}", "--http-interface=127.0.0.1",
                                                   "--workers=0", "--log-level=info"],
                              stdout=log, stderr=subprocess.STDOUT, cwd=ODOO_HOME)
    url = f"http://127.0.0.1:{port}/ops_coach/vapi"
    headers = {"Content-Type": "application/json", "X-Vapi-Secret": SECRET}
    try:
        for _ in range(120):
            try:
                requests.post(url, data="{}", headers=headers, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        session = requests.Session()
        round_trips = {name: [] for name in payloads(1, 0)}
        for seq in range(n_requests + 20):
            for name, body in payloads(n_profiles, f"{n_profiles}-{seq}").items():
                started = time.perf_counter()
                response = session.post(url, data=json.dumps(body), headers=headers, timeout=30)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text
                assert "error" not in json.dumps(response.json().get("results", [{}])[0]), response.text
                if seq >= 20:  # warm-up excluded
                    round_trips[name].append(elapsed)
    finally:
        server.terminate()
        server.wait(30)
    server_times = {name: [] for name in round_trips}
    queries = {name: [] for name in round_trips}
    order = list(round_trips)
    lines = [m for m in LOG_LINE.finditer(pathlib.Path(log.name).read_text())][1:]  # first: readiness
    for index, match in enumerate(lines[20 * 3:]):
        name = order[index % 3]
        server_times[name].append((float(match.group(2)) + float(match.group(3))) * 1000)
        queries[name].append(int(match.group(1)))
    os.unlink(log.name)
    return {name: {"server": server_times[name], "round_trip": round_trips[name],
                   "queries": statistics.median(queries[name])} for name in order}


def p95(values):
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    random.seed(18)
    with tempfile.TemporaryDirectory() as addons:
        os.symlink(ROOT, pathlib.Path(addons) / "ops_coach")
        install(addons)
        results = {}
        for size in args.sizes:
            have = seed(addons, size)
            results[size] = measure(addons, have, args.requests)
            print(f"\n{have} profiles, {args.requests} requests each (ms)")
            print(f"{'call':28} {'server median':>13} {'server p95':>10} {'round trip p95':>14} {'queries':>7}")
            for name, figures in results[size].items():
                print(f"{name:28} {statistics.median(figures['server']):13.1f} {p95(figures['server']):10.1f} "
                      f"{p95(figures['round_trip']):14.1f} {figures['queries']:7.0f}")
        if len(args.sizes) == 2:
            small, large = args.sizes
            print(f"\nratio {large} / {small} profiles (server p95)")
            for name in results[small]:
                ratio = p95(results[large][name]["server"]) / p95(results[small][name]["server"])
                print(f"{name:28} {ratio:5.2f}x")
    subprocess.run(["dropdb", "-U", "postgres", "-h", "127.0.0.1", "--if-exists", DB], check=False)


if __name__ == "__main__":
    main()
