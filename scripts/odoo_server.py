"""A throw-away Odoo 18 database and a real server on loopback, for the load
script, the benchmark and the live-server tests (none of which import Odoo:
they drive it over HTTP and XML-RPC, as a voice provider and a user would).

Finds Odoo like scripts/test.sh: ODOO_HOME (default /opt/odoo18) and
ODOO_PYTHON (default $ODOO_HOME/../odoo-venv/bin/python, then /opt/odoo-venv/bin/python).
"""

import contextlib
import os
import pathlib
import socket
import subprocess
import tempfile
import time
import xmlrpc.client

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
ODOO_HOME = pathlib.Path(os.environ.get("ODOO_HOME", "/opt/odoo18"))
DB_USER = os.environ.get("ODOO_DB_USER", "ops_coach")
PGHOST = os.environ.get("PGHOST", "127.0.0.1")
SECRET = "line-secret"
TECH_NUMBER = "+1 212 {block:03d} {n:04d}"


def odoo_python():
    candidates = [os.environ.get("ODOO_PYTHON"), ODOO_HOME.parent / "odoo-venv/bin/python", "/opt/odoo-venv/bin/python"]
    for candidate in filter(None, candidates):
        if pathlib.Path(candidate).exists():
            return str(candidate)
    raise RuntimeError("no Python for Odoo 18: set ODOO_PYTHON")


def available():
    """Why the live checks cannot run here, or '' when they can."""
    if not (ODOO_HOME / "odoo-bin").exists():
        return f"no Odoo 18 at ODOO_HOME={ODOO_HOME}"
    try:
        odoo_python()
    except RuntimeError as error:
        return str(error)
    if subprocess.run(["pg_isready", "-q", "-h", PGHOST], check=False).returncode != 0:
        return f"PostgreSQL is not reachable at {PGHOST}"
    return ""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tech_number(n):
    return TECH_NUMBER.format(block=200 + n // 10000, n=n % 10000)


class OdooServer:
    """``with OdooServer(db) as server:`` installs ops_coach (no demo) on a new
    database, seeds profiles, runs a server with ``workers`` workers, and drops
    the database afterwards."""

    def __init__(self, db, workers=2, profiles=40, demo=False):
        self.db, self.workers, self.profiles, self.demo = db, workers, profiles, demo
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._addons = tempfile.TemporaryDirectory()
        self._process = None
        self.log_path = pathlib.Path(tempfile.gettempdir()) / f"{db}.log"

    # --------------------------------------------------------------- setup
    def _args(self):
        return [odoo_python(), str(ODOO_HOME / "odoo-bin"),
                f"--addons-path={ODOO_HOME}/addons,{ODOO_HOME}/odoo/addons,{self._addons.name}",
                # one database and no filter, as deployed: requests never list the databases
                f"--db_host={PGHOST}", f"--db_user={DB_USER}", "-d", self.db, "--max-cron-threads=0"]

    def _dropdb(self):
        subprocess.run(["dropdb", "-U", "postgres", "-h", PGHOST, "--if-exists", self.db], check=False,
                       capture_output=True)

    def install(self):
        os.symlink(ROOT, pathlib.Path(self._addons.name) / "ops_coach")
        self._dropdb()
        subprocess.run(self._args() + ["-i", "ops_coach", "--stop-after-init", f"--http-port={free_port()}",
                                       "--log-level=warn"] + ([] if self.demo else ["--without-demo=all"]),
                       check=True, capture_output=True)
        self.seed(self.profiles)

    def seed(self, total):
        """Technicians 0..total-1 with caller numbers, and the webhook secret."""
        script = f"""
import odoo
from odoo import api, SUPERUSER_ID, Command
odoo.tools.config.parse_config({self._args()[2:]!r})
registry = odoo.modules.registry.Registry({self.db!r})
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{"tracking_disable": True, "mail_create_nolog": True}})
    env["ir.config_parameter"].set_param("ops_coach.vapi_secret", {SECRET!r})
    env.company.country_id = env.ref("base.us")
    Profile = env["ops.tech_profile"]
    have = Profile.search_count([])
    role = env.ref("ops_coach.role_technician")
    for start in range(have, {total}, 500):
        batch = range(start, min(start + 500, {total}))
        employees = env["hr.employee"].create([{{"name": f"Line Tech {{n}}", "tz": "America/Chicago"}}
                                               for n in batch])
        Profile.create([{{"employee_id": emp.id, "role_ids": [Command.set(role.ids)], "goal_90d": "Lead tech",
                          "phone_ids": [Command.create({{"number": {TECH_NUMBER!r}.format(
                              block=200 + n // 10000, n=n % 10000)}})]}}
                        for n, emp in zip(batch, employees)])
        cr.commit()
    print(Profile.search_count([]))
"""
        out = subprocess.run([odoo_python(), "-c", script], check=True, capture_output=True, text=True,
                             cwd=ODOO_HOME)
        return int(out.stdout.strip().splitlines()[-1])

    # -------------------------------------------------------------- server
    def _launch(self, port, log_path, crons=0):
        """One server process on this database (a node), answering on ``port``."""
        args = self._args()[:-1] + [f"--max-cron-threads={crons}", f"--http-port={port}",
                                    "--http-interface=127.0.0.1", f"--gevent-port={free_port()}",
                                    f"--workers={self.workers}", "--log-level=info",
                                    # installing an app from a request (a test does) takes minutes
                                    "--limit-time-real=900", "--limit-time-cpu=600"]
        process = subprocess.Popen(args, stdout=log_path.open("w"), stderr=subprocess.STDOUT, cwd=ODOO_HOME)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            # the port listens before the workers are up: a slow first answer is not a failure
            with contextlib.suppress(requests.ConnectionError, requests.Timeout):
                if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                    return process
            if process.poll() is not None:
                raise RuntimeError(f"Odoo stopped: see {log_path}")
            time.sleep(0.5)
        _stop(process)
        raise RuntimeError(f"Odoo did not answer in 120 s: see {log_path}")

    def start(self):
        self._process = self._launch(self.port, self.log_path)

    def node(self, crons=1):
        """Another server process on the same database, with its own cron
        workers, as a second machine behind a proxy would run: a ``Node``."""
        port = free_port()
        log_path = pathlib.Path(tempfile.gettempdir()) / f"{self.db}-node-{port}.log"
        return Node(self, port, log_path, self._launch(port, log_path, crons))

    def stop(self):
        _stop(self._process)

    def __enter__(self):
        try:
            self.install()
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        self._dropdb()
        self._addons.cleanup()

    # ---------------------------------------------------------------- use
    def post_vapi(self, payload_bytes, session=None, secret=SECRET):
        return (session or requests).post(f"{self.url}/ops_coach/vapi", data=payload_bytes, timeout=60, headers={
            "Content-Type": "application/json", "X-Vapi-Secret": secret})

    def sql(self, statement):
        """One SQL statement on the test database, for what no RPC may write
        (the log columns such as create_date)."""
        subprocess.run(["psql", "-U", "postgres", "-h", PGHOST, "-d", self.db, "-qc", statement], check=True,
                       capture_output=True)

    def search_read(self, model, domain, fields):
        """Read as the admin over XML-RPC (what a user sees)."""
        return self.call(model, "search_read", domain, fields=fields)

    def call(self, model, method, *args, **kwargs):
        """Call a public model method as the admin over JSON-RPC (which, unlike
        XML-RPC, carries a method's ``None``)."""
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, "admin", "admin", {})
        reply = requests.post(f"{self.url}/jsonrpc", timeout=900, json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": "object", "method": "execute_kw",
                "args": [self.db, uid, "admin", model, method, list(args), kwargs]}}).json()
        if "error" in reply:
            raise RuntimeError(reply["error"].get("data", {}).get("debug") or reply["error"])
        return reply.get("result")  # Odoo leaves a None result out


def _stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


class Node:
    """A second server on an ``OdooServer``'s database: same calls, its own URL,
    its own log. ``with server.node() as node:`` stops it afterwards."""

    def __init__(self, server, port, log_path, process):
        self.server, self.port, self.log_path, self.process = server, port, log_path, process
        self.url = f"http://127.0.0.1:{port}"

    def post_vapi(self, payload_bytes, session=None, secret=SECRET):
        return (session or requests).post(f"{self.url}/ops_coach/vapi", data=payload_bytes, timeout=60, headers={
            "Content-Type": "application/json", "X-Vapi-Secret": secret})

    def log(self):
        return self.log_path.read_text(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _stop(self.process)


# ------------------------------------------------------ Vapi-shaped messages
def vapi_call(call_id, number, energy=4, blocker=False):
    """The four messages of one Vapi call, in Vapi's documented shapes:
    assistant-request, the context tool, the log tool, the end-of-call report."""
    call = {"id": call_id, "orgId": "org-load", "type": "inboundPhoneCall", "customer": {"number": number},
            "phoneCallProvider": "twilio", "phoneCallProviderId": f"CA{call_id}",
            "startedAt": "2026-11-24T13:00:01.500Z"}
    common = {"call": call, "customer": {"number": number}, "phoneNumber": {"id": "pn_line", "number": "+15550100000"},
              "timestamp": 1795524001500}
    checkin = {"call_type": "daily_checkin", "ready_status": "ready", "energy_level": energy,
               "blocker_present": blocker, "blocker_note": "Truck AC is out" if blocker else "",
               "kpi_action_today": "Three options on every job", "focus_summary_5_words": "Three options every door",
               "goal_action_today": "Read one chapter", "call_completed": True, "duration_seconds": 95}
    return {
        "assistant-request": {"message": dict(common, type="assistant-request")},
        "get_tech_checkin_context": {"message": dict(common, type="tool-calls", toolCallList=[
            {"id": f"ctx-{call_id}", "type": "function",
             "function": {"name": "get_tech_checkin_context", "arguments": {}}}])},
        "log_daily_checkin": {"message": dict(common, type="tool-calls", toolCallList=[
            {"id": f"log-{call_id}", "type": "function",
             "function": {"name": "log_daily_checkin", "arguments": checkin}}])},
        "end-of-call-report": {"message": dict(
            common, type="end-of-call-report", endedReason="customer-ended-call",
            startedAt="2026-11-24T13:00:01.500Z", endedAt="2026-11-24T13:02:07.900Z",
            analysis={"summary": f"Energy {energy}.", "structuredData": {}, "successEvaluation": "true"},
            artifact={"transcript": "AI: Morning\nUser: Four", "messages": []})},
    }
