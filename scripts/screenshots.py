"""Takes the README's screenshots from a running Odoo with the demo company.

    python3 scripts/screenshots.py http://127.0.0.1:8069 DB [file.png ...]

The demo runs on to the install's morning, so any hour after the morning
calls reads true; a server run the same day as the install shows *Today*
with this morning's calls.

Needs Chromium (Debian `chromium`) and `websocket-client` + `requests` in the
Python that runs it. Each shot logs in as the user who would look at it.
"""

import base64
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import requests
import websocket

OUT = pathlib.Path(__file__).resolve().parent.parent / "static" / "description"
SHOTS = [  # file, login, path, wait for this CSS selector
    ("owner_dashboard.png", "admin", "/odoo/action-ops_coach.action_ops_dashboard", ".o-figure canvas"),
    ("manager_today.png", "ops_manager", "/odoo/action-ops_coach.action_ops_today", ".o_ops_flag_streak"),
    ("morning_briefing.png", "ops_manager", "/odoo/action-ops_coach.action_ops_briefing", ".o_data_row"),
    ("my_page.png", "ops_tech", "/odoo/action-ops_coach.action_ops_my_page", ".o_ops_kpi_board"),
    # taken on a new database without the demo (admin/admin): what a GM sees first
    ("setup_checklist.png", "admin", "/odoo/action-ops_coach.action_ops_setup", ".o_ops_setup_step"),
]


def session(base, db, login):
    reply = requests.post(f"{base}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}}, timeout=30)
    reply.raise_for_status()
    return reply.cookies["session_id"]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=9333",
             f"--user-data-dir={self.profile}", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                target = requests.get("http://127.0.0.1:9333/json", timeout=1).json()[0]
                break
            except (requests.ConnectionError, IndexError):
                time.sleep(0.2)
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def shot(self, base, cookie, path, selector, file):
        self.send("Network.enable")
        self.send("Network.setCookie", name="session_id", value=cookie, url=base)
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", url=base + path)
        for _ in range(150):
            found = self.send("Runtime.evaluate", expression=f"!!document.querySelector({json.dumps(selector)})")
            if found.get("result", {}).get("value"):
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"{file}: {selector} never appeared")
        time.sleep(2.5)  # charts animate
        if file == "morning_briefing.png":  # open the newest briefing
            self.send("Runtime.evaluate", expression="document.querySelector('.o_data_row td.o_data_cell').click()")
            time.sleep(2.5)
        # a notification (e.g. "the page is out of date" from a dev server) is not the screen
        self.send("Runtime.evaluate", expression="document.querySelectorAll('.o_notification').forEach(n => n.remove())")
        data = self.send("Page.captureScreenshot", format="png")["data"]
        (OUT / file).write_bytes(base64.b64decode(data))
        print("wrote", OUT / file)

    def close(self):
        self.proc.terminate()


def main(base, db, *only):
    browser = Browser()
    try:
        for file, login, path, selector in SHOTS:
            if only and file not in only:
                continue
            browser.shot(base, session(base, db, login), path, selector, file)
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
