"""Load on the Ops line (a script, not a test): N simulated Vapi calls, C at a
time, against a real Odoo 18 with 2 workers on loopback.

Each call sends what Vapi sends: assistant-request, get_tech_checkin_context,
log_daily_checkin, end-of-call-report. Every call also asks /web/health (an
empty route) in the same run, so the line's times can be read as a ratio to
what the server costs for nothing.

    ODOO_HOME=/opt/odoo18 .venv/bin/python scripts/load_line.py --calls 40 --concurrency 12

Keep the concurrency under the listen backlog of Odoo's prefork server
(8 per worker: 16 with 2 workers). Prints calls logged, failures, p50/p95 per
message type and throughput; exits non-zero if any call was not logged.
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import time

import requests

import odoo_server

TYPES = ("web/health", "assistant-request", "get_tech_checkin_context", "log_daily_checkin", "end-of-call-report")


def one_call(server, n, profiles):
    """One call's messages in order; returns [(type, ms, ok, detail)]."""
    session = requests.Session()
    timings = []
    started = time.perf_counter()
    response = session.get(f"{server.url}/web/health", timeout=60)
    timings.append(("web/health", (time.perf_counter() - started) * 1000, response.status_code == 200, ""))
    for kind, body in odoo_server.vapi_call(f"load-{n}", odoo_server.tech_number(n % profiles),
                                            energy=1 + n % 5).items():
        started = time.perf_counter()
        response = server.post_vapi(json.dumps(body).encode(), session=session)
        elapsed = (time.perf_counter() - started) * 1000
        ok = response.status_code == 200
        if ok and kind != "end-of-call-report" and kind != "assistant-request":
            ok = all("error" not in result for result in response.json().get("results", []))
        if ok and kind == "assistant-request":
            ok = "assistant" in response.json()
        timings.append((kind, elapsed, ok, "" if ok else f"{response.status_code} {response.text[:200]}"))
    return timings


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, int(round(fraction * len(ordered))) - 1)]


def report(server, args, results, wall):
    failures = [(kind, detail) for call in results for kind, _ms, ok, detail in call if not ok]
    logged = server.search_read("ops.checkin", [("provider_call_id", "like", "load-"),
                                                ("completion_status", "=", "complete"),
                                                ("end_reason", "=", "customer-ended-call")], ["id"])
    failed_rows = server.search_read("ops.call_event", [("outcome", "=", "failed")], ["id"])
    print(f"\n{args.calls} calls, {args.concurrency} at a time, {args.workers} workers, "
          f"{args.profiles} technicians")
    print(f"calls logged (complete, with the end-of-call report): {len(logged)} / {args.calls}")
    print(f"failures: {len(failures)} answers, {len(failed_rows)} failed journal rows")
    for kind, detail in failures[:5]:
        print(f"  {kind}: {detail}")
    health = statistics.median(ms for call in results for kind, ms, _ok, _d in call if kind == "web/health")
    print(f"\n{'message':28} {'p50 ms':>8} {'p95 ms':>8} {'p50 / health':>13}")
    for kind in TYPES:
        times = [ms for call in results for k, ms, _ok, _d in call if k == kind]
        print(f"{kind:28} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} "
              f"{statistics.median(times) / health:12.1f}x")
    print(f"\nthroughput: {args.calls / wall:.1f} calls/s ({4 * args.calls / wall:.1f} webhook requests/s), "
          f"wall {wall:.1f} s")
    return len(logged) == args.calls and not failures and not failed_rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profiles", type=int, default=40)
    args = parser.parse_args()
    why = odoo_server.available()
    if why:
        print(f"load_line: {why}")
        return 2
    with odoo_server.OdooServer(f"ops_coach_load_{os.getpid()}", workers=args.workers,
                                profiles=args.profiles) as server:
        # warm both workers up before measuring
        for n in range(4):
            server.post_vapi(json.dumps(odoo_server.vapi_call(f"warm-{n}", odoo_server.tech_number(0))[
                "assistant-request"]).encode())
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda n: one_call(server, n, args.profiles), range(args.calls)))
        wall = time.perf_counter() - started
        ok = report(server, args, results, wall)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
