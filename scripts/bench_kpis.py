"""Benchmark of the KPI computation (not a test): 1,000 then 10,000 technicians
with 13 weeks of jobs (about 15 done jobs a week each, arrival times, one in
twenty recalled) and a close-out call for one job in three, then every KPI the
daily cron computes on a database with Project only. Prints seconds and queries per KPI at
both sizes and the ratios.

    ODOO_HOME=/opt/odoo18 .venv/bin/python scripts/bench_kpis.py [--sizes 1000 10000]

Jobs are written with SQL (the ORM would take longer than what is measured);
the computation itself runs through the ORM, as the cron does.
"""

import argparse
import json
import os
import subprocess
import sys

import odoo_server

MEASURE = """
import json, time, datetime
import odoo
from odoo import api, SUPERUSER_ID
odoo.tools.config.parse_config(ARGS)
registry = odoo.modules.registry.Registry(DB)
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    company = env.company
    Kpi = env["ops.kpi"]
    today = datetime.date(2026, 11, 24)
    results = {}
    for kpi in Kpi.search([("source", "!=", "manual")]).filtered(lambda kpi: kpi._computable()):
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        kpi._compute_values(company, today)
        env.flush_all()
        results[kpi.code] = {"seconds": time.perf_counter() - started, "queries": cr.sql_log_count - queries,
                             "values": env["ops.kpi.value"].search_count([("kpi_id", "=", kpi.id)])}
    print(json.dumps(results))
"""

SEED_JOBS = """
WITH techs AS (
    SELECT row_number() OVER (ORDER BY e.id) AS n, e.user_id
      FROM hr_employee e WHERE e.user_id IS NOT NULL AND e.name LIKE 'Line Tech %%'
), jobs AS (
    INSERT INTO project_task (name, state, active, project_id, company_id, ops_done_date, date_deadline,
                              ops_arrived_at, ops_on_time, create_date, write_date, priority, sequence,
                              display_in_project)
    SELECT 'Job ' || t.user_id || '-' || d, '1_done', true,
           (SELECT id FROM project_project WHERE name->>'en_US' = 'Bench jobs' LIMIT 1), NULL,
           slot + interval '2 hours', slot, slot + (d %% 5) * interval '10 minutes', d %% 5 < 2,
           now(), now(), '0', 10, true
      FROM techs t, generate_series(0, %(jobs_each)s - 1) AS d,
           LATERAL (SELECT timestamp '2026-08-24 12:00' + (d * 7 / %(per_week)s) * interval '1 day'
                           + (t.n %% 7) * interval '1 hour' AS slot) s
    RETURNING id, name, ops_done_date
), closeouts AS (
    INSERT INTO ops_checkin (employee_id, company_id, call_type, completion_status, provider, start, checkin_date,
                             job_id, diagnosis_done, photos_uploaded, customer_understood, active, effects_done)
    SELECT e.id, e.company_id, 'job_closeout', 'complete', 'vapi', j.ops_done_date, j.ops_done_date::date,
           j.id, true, j.id %% 4 > 0, true, true, true
      FROM jobs j JOIN hr_employee e ON e.user_id = split_part(substr(j.name, 5), '-', 1)::int
     WHERE j.id %% 3 = 0
)
INSERT INTO project_task_user_rel (task_id, user_id)
     SELECT id, split_part(substr(name, 5), '-', 1)::int FROM jobs;
-- one job in twenty gets a recall within 30 days
INSERT INTO project_task (name, state, active, project_id, ops_origin_task_id, ops_return_reason,
                          ops_days_after_origin, create_date, write_date, priority, sequence, display_in_project)
     SELECT 'Recall of ' || id, '01_in_progress', true, project_id, id, 'recall', 7, now(), now(), '0', 10, true
       FROM project_task WHERE name LIKE 'Job %%' AND id %% 20 = 0 AND ops_origin_task_id IS NULL;
"""


def users_for_techs(server):
    """Give each seeded technician a user (KPIs credit the users on a job), and the jobs a project."""
    script = f"""
import odoo
from odoo import api, SUPERUSER_ID
odoo.tools.config.parse_config({server._args()[2:]!r})
registry = odoo.modules.registry.Registry({server.db!r})
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{"no_reset_password": True, "tracking_disable": True}})
    if not env["project.project"].search_count([("name", "=", "Bench jobs")]):
        env["project.project"].create({{"name": "Bench jobs"}})
    employees = env["hr.employee"].search([("name", "like", "Line Tech %"), ("user_id", "=", False)])
    for start in range(0, len(employees), 500):
        batch = employees[start:start + 500]
        users = env["res.users"].create([{{"name": e.name, "login": f"bench{{e.id}}"}} for e in batch])
        for employee, user in zip(batch, users):
            employee.user_id = user
        cr.commit()
"""
    subprocess.run([odoo_server.odoo_python(), "-c", script], check=True, cwd=odoo_server.ODOO_HOME,
                   capture_output=True)


def psql(db, sql, params):
    subprocess.run(["psql", "-U", "postgres", "-h", odoo_server.PGHOST, "-d", db, "-v", "ON_ERROR_STOP=1", "-q",
                    "-c", sql % params], check=True)


def measure(server):
    script = MEASURE.replace("ARGS", repr(server._args()[2:])).replace("DB", repr(server.db))
    out = subprocess.run([odoo_server.odoo_python(), "-c", script], check=True, capture_output=True, text=True,
                         cwd=odoo_server.ODOO_HOME)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs-per-week", type=int, default=15)
    args = parser.parse_args()
    why = odoo_server.available()
    if why:
        print(f"bench_kpis: {why}")
        return 2
    server = odoo_server.OdooServer(f"ops_coach_bench_kpis_{os.getpid()}", profiles=0)
    results = {}
    try:
        server.install()
        seeded = 0
        for size in args.sizes:
            server.seed(size)
            users_for_techs(server)
            psql(server.db, "DELETE FROM ops_checkin; DELETE FROM project_task WHERE name LIKE 'Job %%' "
                            "OR name LIKE 'Recall of %%'", ())
            psql(server.db, SEED_JOBS, {"jobs_each": 13 * args.jobs_per_week, "per_week": args.jobs_per_week})
            seeded = size
            results[size] = measure(server)
            print(f"\n{seeded} technicians, 13 weeks, {13 * args.jobs_per_week} done jobs each")
            print(f"{'KPI':24} {'seconds':>8} {'queries':>8} {'values':>8}")
            for code, row in results[size].items():
                print(f"{code:24} {row['seconds']:8.2f} {row['queries']:8d} {row['values']:8d}")
    finally:
        server.__exit__(None, None, None)
    if len(args.sizes) == 2:
        small, large = args.sizes
        print(f"\nratio {large} / {small} technicians")
        for code in results[small]:
            time_ratio = results[large][code]["seconds"] / max(results[small][code]["seconds"], 1e-6)
            print(f"{code:24} time {time_ratio:5.1f}x, queries {results[small][code]['queries']} → "
                  f"{results[large][code]['queries']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
