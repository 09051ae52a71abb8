"""Benchmark of the daily rules and the weekly loop (not a test).

Seeds 1,000 and then 10,000 employees with Ops profiles, 90 days of AM
check-ins and 13 weeks of three KPIs, then times the daily rules (first run,
which raises the alerts, and a second run the same day, which must raise
none), the weekly loop, the managers' Today flags over everyone and the
owner's company-wide morning briefing, counting SQL queries.

    ODOO_HOME=/opt/odoo18 /opt/odoo-venv/bin/python scripts/bench_rules.py

People come in through the ORM; check-ins and KPI values through SQL (the
ORM would spend the whole run creating 900,000 rows). About 2% of people
sit at energy 2 for their last three workdays, 1% have a KPI falling
three weeks running and about 3% have not called yet today; everyone else
is healthy noise.
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from odoo_server import DB_USER, ODOO_HOME, ROOT, free_port  # noqa: E402

DB = "ops_coach_bench_rules"


def odoo_args(addons):
    return [sys.executable, str(ODOO_HOME / "odoo-bin"),
            f"--addons-path={ODOO_HOME}/addons,{ODOO_HOME}/odoo/addons,{addons}",
            "--db_host=127.0.0.1", f"--db_user={DB_USER}", "-d", DB, "--max-cron-threads=0"]


def install(addons):
    subprocess.run(["dropdb", "-U", "postgres", "-h", "127.0.0.1", "--if-exists", DB], check=True)
    subprocess.run(odoo_args(addons) + ["-i", "ops_coach", "--without-demo=all", "--stop-after-init",
                                        f"--http-port={free_port()}", "--log-level=warn"], check=True)

RUN = """
import datetime, time
WALL_CLOCK = time.perf_counter.__call__  # a bound method: freezegun does not replace it
import odoo
from odoo import api, SUPERUSER_ID, Command
odoo.tools.config.parse_config({args!r})
registry = odoo.modules.registry.Registry({db!r})
TODAY = datetime.date(2026, 11, 24)  # a Tuesday


def seed(env, total):
    \"\"\"Grow to ``total`` people; lay their history anew (today's calls: all but ~3%).\"\"\"
    Profile = env["ops.tech_profile"]
    have = Profile.search_count([])
    role = env.ref("ops_coach.role_technician")
    for start in range(have, total, 1000):
        batch = range(start, min(start + 1000, total))
        employees = env["hr.employee"].create([{{"name": f"Bench {{n}}", "tz": "America/Chicago"}} for n in batch])
        Profile.create([{{"employee_id": e.id, "role_ids": [Command.set(role.ids)]}} for e in employees])
        env.cr.commit()
    env.cr.execute(\"\"\"
        DELETE FROM ops_checkin; DELETE FROM ops_kpi_value;
        INSERT INTO ops_checkin (name, active, employee_id, company_id, call_type, start, checkin_date, energy_level,
                                 low_energy, ready_status, provider, completion_status, commitment,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'B', true, e.id, e.company_id, 'am_checkin', d + time '13:00', d,
               CASE WHEN e.id %% 50 = 0 AND d > %(today)s - 5 THEN 2 ELSE 3 + (e.id + extract(doy from d)::int) %% 3 END,
               e.id %% 50 = 0 AND d > %(today)s - 5, 'ready', 'manual', 'complete', 'Photos on every job',
               1, 1, now(), now()
          FROM hr_employee e JOIN ops_tech_profile p ON p.employee_id = e.id
         CROSS JOIN generate_series(%(today)s - 90, %(today)s, interval '1 day') AS d
         WHERE extract(isodow from d) < 6 AND NOT (d = %(today)s AND e.id %% 37 = 0);
        INSERT INTO ops_kpi_value (employee_id, company_id, department_id, kpi_id, period, period_start, value,
                                   target, hits_target, origin, create_uid, write_uid, create_date, write_date)
        SELECT e.id, e.company_id, e.department_id, k.id, 'weekly', (%(monday)s - 7 * w)::date, v.value,
               k.target, (CASE WHEN k.higher_is_better THEN v.value >= k.target ELSE v.value <= k.target END)::int,
               'manual', 1, 1, now(), now()
          FROM hr_employee e JOIN ops_tech_profile p ON p.employee_id = e.id
          JOIN ops_kpi k ON k.code IN ('tech_first_time_fix', 'tech_callback', 'tech_close_rate')
         CROSS JOIN generate_series(0, 12) AS w
         CROSS JOIN LATERAL (SELECT CASE WHEN e.id %% 100 = 0 AND w < 3 THEN k.target - 3 + w
                                         ELSE k.target * (1 + CASE WHEN w %% 2 = 0 THEN 0.01 ELSE -0.01 END)
                                    END AS value) v;
        DELETE FROM ops_escalation; DELETE FROM ops_weekly_summary; DELETE FROM mail_activity;
    \"\"\", {{"today": TODAY, "monday": TODAY - datetime.timedelta(days=TODAY.weekday())}})
    env.cr.commit()
    env.invalidate_all()
    owner = env.ref("hr.employee_admin")  # the admin is the owner: his briefing covers the company
    if not Profile.search([("employee_id", "=", owner.id)]):
        Profile.create({{"employee_id": owner.id, "role_ids": [Command.set(env.ref("ops_coach.role_owner").ids)]}})
    env["ops.briefing"].search([]).unlink()
    env.cr.commit()
    return Profile.search_count([])


import collections, os, re
from odoo.sql_db import Cursor
STATEMENTS = collections.Counter()
_execute = Cursor.execute


def counting_execute(cursor, query, params=None, log_exceptions=True):
    STATEMENTS[re.sub(r"\\s+", " ", getattr(query, "code", str(query)))[:100]] += 1
    return _execute(cursor, query, params, log_exceptions)


def measure(env, label, call):
    if os.environ.get("OPS_BENCH_PROFILE"):  # which statements a step runs, most frequent first
        STATEMENTS.clear()
        Cursor.execute = counting_execute
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = WALL_CLOCK()
    result = call()
    env.flush_all()
    seconds = WALL_CLOCK() - started
    in_call = env.cr.sql_log_count - queries
    Cursor.execute = _execute
    for statement, count in STATEMENTS.most_common(5):
        print(f"PROFILE {{label}} {{count}} {{statement}}")
    env.cr.commit()
    print(f"RESULT {{label}} {{seconds:.2f}} {{in_call}} {{len(result)}}")


with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{"tracking_disable": True, "mail_create_nolog": True,
                                              "mail_notify_noemail": True}})
    people = seed(env, {size})
    print("PEOPLE", people)
    from odoo.tests.common import freeze_time
    with freeze_time("2026-11-24 18:00:00"):
        Rule = env["ops.escalation_rule"]
        measure(env, "daily-rules-first", Rule._cron_daily)
        measure(env, "daily-rules-again", Rule._cron_daily)
        measure(env, "weekly-loop", env["ops.weekly_summary"]._cron_weekly)
        # the morning: Today's flags over everyone, and the owner's company-wide briefing
        measure(env, "today-flags", lambda: env["ops.tech_profile"].search([("needs_me_today", "=", True)]))
        company = env.company
        now = datetime.datetime(2026, 11, 24, 18, 0)
        measure(env, "owner-briefing", lambda: env["ops.briefing"]._brief_company(company, TODAY, now))
"""


def run(addons, size):
    script = RUN.format(args=odoo_args(addons)[2:], db=DB, size=size)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ODOO_HOME)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    people = next(int(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("PEOPLE"))
    results = {}
    for line in out.stdout.splitlines():
        if line.startswith("PROFILE"):
            print(line)
        if line.startswith("RESULT"):
            _tag, label, seconds, queries, count = line.split()
            results[label] = (float(seconds), int(queries), int(count))
    return people, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB} for inspection")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as addons:
        os.symlink(ROOT, pathlib.Path(addons) / "ops_coach")
        install(addons)
        table = {}
        for size in args.sizes:
            people, table[size] = run(addons, size)
            print(f"\n{people} people, 90 days of check-ins")
            print(f"{'step':20} {'seconds':>8} {'queries':>8} {'records':>8}")
            for label, (seconds, queries, count) in table[size].items():
                print(f"{label:20} {seconds:8.2f} {queries:8d} {count:8d}")
        if len(args.sizes) == 2:
            small, large = args.sizes
            print(f"\nratio {large} / {small} people")
            for label in table[small]:
                (t1, q1, _c1), (t2, q2, _c2) = table[small][label], table[large][label]
                print(f"{label:20} time {t2 / t1:5.2f}x   queries {q2 / max(q1, 1):5.2f}x")
    if not args.keep:
        subprocess.run(["dropdb", "-U", "postgres", "-h", "127.0.0.1", "--if-exists", DB], check=False)


if __name__ == "__main__":
    main()
