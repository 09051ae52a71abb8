"""How fast the Ops line answers, as ratios to the empty route (a script, not a test).

Installs ops_coach with demo data on a throw-away database, adds technicians
with caller numbers, and runs a real Odoo 18 server with 2 workers on
loopback. wrk then drives, one after the other on the same server:

- ``/web/health`` (the empty route: what the server costs for nothing),
- Vapi's ``status-update``, which the line only journals and acknowledges (the
  floor of every message: two committed transactions),
- Vapi's ``assistant-request``, the ``get_tech_checkin_context`` tool and an
  ops-only ``log_daily_checkin`` (each request a new call, so nothing is
  answered from a repeat),

at 1 connection (latency) and 8 connections (throughput). It prints each
figure, the ratios the line is held to, and the queries per request from
Odoo's own request log. ``--sizes 1000 10000`` repeats it with ten times the
technicians and prints how each figure scaled.

    ODOO_HOME=/opt/odoo18 .venv/bin/python scripts/bench_line.py [--seconds 10] [--sizes 1000 10000]

Needs wrk (Debian: apt-get install wrk) and the same Odoo 18 and PostgreSQL
as scripts/test.sh.
"""

import argparse
import itertools
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import odoo_server

GOALS = (  # (what, figure, at most / at least, goal)
    ("assistant-request p50 at 1 connection", "assistant-request p50 ÷ empty route p50", "≤", 2.0),
    ("assistant-request throughput at 8 connections", "assistant-request rps ÷ empty route rps", "≥", 0.5),
    ("context tool p50", "get_tech_checkin_context p50 ÷ empty route p50", "≤", 1.5),
    ("log tool p50", "log_daily_checkin p50 ÷ empty route p50", "≤", 1.5),
)
# wrk builds each request: a new call id per request, callers taken in turn
LUA = r"""
local counter = 0
local numbers = {%(numbers)s}
local kind = "%(kind)s"
local headers = {["Content-Type"] = "application/json", ["X-Vapi-Secret"] = "%(secret)s"}

local threads = 0
function setup(thread)  -- runs in the main state: each thread gets its own number, so call ids never collide
  threads = threads + 1
  thread:set("tid", tostring(threads))
end

function request()
  counter = counter + 1
  local number = numbers[counter %% #numbers + 1]
  local call = string.format("bench-%%s-%%s-%%s-%%d", kind, "%(run)s", tid, counter)
  local head = string.format('{"message": {"call": {"id": "%%s", "customer": {"number": "%%s"}}, ', call, number)
  local body
  if kind == "assistant-request" then
    body = head .. '"type": "assistant-request"}}'
  elseif kind == "status-update" then
    body = head .. '"type": "status-update", "status": "in-progress"}}'
  elseif kind == "get_tech_checkin_context" then
    body = head .. string.format('"type": "tool-calls", "toolCallList": [{"id": "c-%%s", "type": "function", ' ..
      '"function": {"name": "get_tech_checkin_context", "arguments": {}}}]}}', call)
  else
    body = head .. string.format('"type": "tool-calls", "toolCallList": [{"id": "l-%%s", "type": "function", ' ..
      '"function": {"name": "log_daily_checkin", "arguments": {"call_type": "ops_only", ' ..
      '"ready_status": "ready", "blocker_present": false}}}]}}', call)
  end
  return wrk.format("POST", "/ops_coach/vapi", headers, body)
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"error"') then
    io.stderr:write("BAD " .. status .. " " .. string.sub(body, 1, 200) .. "\n")
  end
end
"""
REQUEST_LINE = re.compile(r'"POST /ops_coach/vapi HTTP/1\.1" 200 - (\d+) ')
# status-update is only journaled and acknowledged: the floor of any message on the line
KINDS = ("status-update", "assistant-request", "get_tech_checkin_context", "log_daily_checkin")


def wrk(url, seconds, connections, script=None):
    """(p50 ms, requests per second, bad answers) of one wrk run."""
    threads = min(connections, 2)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", out.stdout, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out.stdout, re.M)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    bad = out.stderr.count("BAD ")
    if bad:
        print("  first bad answer:", out.stderr.split("BAD ", 1)[1].splitlines()[0], file=sys.stderr)
    return float(p50.group(1)) * scale, float(rps.group(1)), bad


RUNS = itertools.count()


def lua_script(folder, kind, numbers):
    """A wrk script for one run: its call ids are new (a repeat would be answered from the first)."""
    run = next(RUNS)
    path = pathlib.Path(folder) / f"{kind}-{run}.lua"
    path.write_text(LUA % {"numbers": ", ".join(f'"{number}"' for number in numbers), "kind": kind,
                           "secret": odoo_server.SECRET, "run": f"{os.getpid()}-{run}"})
    return str(path)


def queries_per_request(log_text, since):
    counts = [int(m.group(1)) for m in REQUEST_LINE.finditer(log_text[since:])]
    return statistics.median(counts) if counts else 0


def measure(server, callers, seconds):
    """Every figure of one size, on one running server."""
    figures = {}
    numbers = [row["e164"] for row in server.call("ops.caller_number", "search_read", [("e164", "like", "+1212")],
                                                   fields=["e164"], limit=callers, order="id")]
    with tempfile.TemporaryDirectory() as folder:
        health = f"{server.url}/web/health"
        wrk(health, 2, 1)  # warm-up: workers up, code loaded
        figures["empty route p50"], _rps, _bad = wrk(health, seconds, 1)
        _p50, figures["empty route rps"], _bad = wrk(health, seconds, 8)
        for kind in KINDS:
            wrk(f"{server.url}/ops_coach/vapi", 2, 1, lua_script(folder, kind, numbers))  # warm-up: caches filled
            since = len(server.log_path.read_text(errors="replace"))
            figures[f"{kind} p50"], _rps, bad = wrk(f"{server.url}/ops_coach/vapi", seconds, 1,
                                                    lua_script(folder, kind, numbers))
            figures[f"{kind} queries"] = queries_per_request(server.log_path.read_text(errors="replace"), since)
            figures[f"{kind} bad answers"] = bad
        script = lua_script(folder, "assistant-request", numbers)
        _p50, figures["assistant-request rps"], bad = wrk(f"{server.url}/ops_coach/vapi", seconds, 8, script)
        figures["assistant-request bad answers"] += bad
    for kind in KINDS:
        figures[f"{kind} p50 ÷ empty route p50"] = figures[f"{kind} p50"] / figures["empty route p50"]
    figures["assistant-request rps ÷ empty route rps"] = figures["assistant-request rps"] / figures["empty route rps"]
    return figures


def report(size, figures):
    print(f"\n{size} technicians, 2 workers, demo data")
    print(f"  empty route /web/health: p50 {figures['empty route p50']:.1f} ms at 1 connection, "
          f"{figures['empty route rps']:.0f} requests/s at 8")
    for kind in KINDS:
        print(f"  {kind:26} p50 {figures[f'{kind} p50']:6.1f} ms  "
              f"{figures[f'{kind} p50 ÷ empty route p50']:4.2f}× the empty route  "
              f"{figures[f'{kind} queries']:3.0f} queries  {figures[f'{kind} bad answers']} bad answers")
    print(f"  assistant-request at 8 connections: {figures['assistant-request rps']:.0f} requests/s, "
          f"{figures['assistant-request rps ÷ empty route rps']:.2f}× the empty route")
    for what, key, sense, goal in GOALS:
        value = figures[key]
        met = value <= goal if sense == "≤" else value >= goal
        print(f"  {'met ' if met else 'MISSED'} {what}: {value:.2f}× (goal {sense} {goal}×)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--callers", type=int, default=25,
                        help="technicians calling in turn (a morning's callers, each calling again)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    why_not = odoo_server.available()
    if why_not:
        sys.exit(why_not)
    results = {}
    with odoo_server.OdooServer(f"ops_coach_bench_line_{os.getpid()}", workers=2, profiles=args.sizes[0],
                                demo=True) as server:
        for size in args.sizes:
            have = server.seed(size)
            results[size] = measure(server, args.callers, args.seconds)
            report(have, results[size])
    if len(results) > 1:
        small, large = min(results), max(results)
        print(f"\nscaling, {large} ÷ {small} technicians")
        for kind in KINDS:
            print(f"  {kind:26} p50 {results[large][f'{kind} p50'] / results[small][f'{kind} p50']:4.2f}×  "
                  f"queries {results[small][f'{kind} queries']:.0f} → {results[large][f'{kind} queries']:.0f}")


if __name__ == "__main__":
    main()
