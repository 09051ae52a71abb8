"""The close-out that finishes the job, through the Vapi webhook: the
maintenance sheet's readings, the photo link (texted through a local fake of
Twilio's Messages API, opened in headless Chromium), the quote without Sales,
the return visit, and the link's refusals."""

import base64
import hashlib
import http.server
import json
import re
import urllib.parse

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import serve_on_loopback, use_twilio
from .test_vapi import JOURNAL_LOG, VapiCase, tool_calls

SID, TOKEN, SENDER = "AC00000000000000000000000000000001", "sms-auth-token", "+15550100000"
TODAY = "2026-11-24 15:00:00"  # 09:00 in Chicago
LINK = re.compile(r"(/ops_coach/photos/[A-Za-z0-9_-]+)")
READINGS = {"Suction pressure": 72, "Discharge pressure": "310", "filter": "dirty", "Capacitor": 45,
            "Thermostat OK": "yes"}
CHECKLIST = {"diagnosis_done": True, "photos_uploaded": False, "options_presented": True,
             "customer_understood": True, "follow_up_needed": False}


class FakeTwilio(http.server.BaseHTTPRequestHandler):
    """Twilio's Messages endpoint, on loopback: records what it was sent."""

    received = []
    status = 201

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        FakeTwilio.received.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                    "content_type": self.headers.get("Content-Type"),
                                    "form": dict(urllib.parse.parse_qsl(body))})
        self.send_response(FakeTwilio.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"sid": "SM1", "status": "queued", "error_code": None}).encode())

    def log_message(self, *_args):
        pass


class CloseoutCase(VapiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        use_twilio(cls.env, serve_on_loopback(cls, FakeTwilio), SID, TOKEN, SENDER)
        # the demo's HVAC job (job type "HVAC maintenance", sheet "HVAC tune-up"), closed out by the test tech
        cls.job = cls.env.ref("ops_coach.demo_job_hvac_rivera")
        cls.job.user_ids = cls.user_tech
        cls.other_job = cls.env["project.task"].create({"name": "Other job", "project_id": cls.job.project_id.id})

    def setUp(self):
        super().setUp()
        FakeTwilio.received.clear()
        FakeTwilio.status = 201

    def tool(self, tool_id, name, arguments, call_id="call-co"):
        status, body = self.post(tool_calls((tool_id, name, arguments), call_id=call_id))
        self.assertEqual(status, 200)
        return body["results"][0]

    def send_link(self, job=None, call_id="call-co"):
        result = self.tool(f"link-{call_id}", "send_photo_link", {"job_ref": str((job or self.job).id)}, call_id)
        self.assertIn("result", result, result)
        return LINK.search(FakeTwilio.received[-1]["form"]["Body"]).group(1)

    def csrf(self, path):
        page = self.url_open(path)
        return page, re.search(r'data-csrf="([^"]+)"', page.text).group(1) if page.status_code == 200 else None

    def upload(self, path, csrf, name="a.png", raw=None, job=None):
        raw = raw or base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        response = self.url_open(f"{path}/upload", files={"ufile": (name, raw)},
                                 data={"csrf_token": csrf, "job": str(job or self.job.id)})
        return response.status_code, response.json()


@tagged("post_install", "-at_install")
class TestCloseoutThroughVapi(CloseoutCase):
    @freeze_time(TODAY)
    @mute_logger(JOURNAL_LOG)
    def test_a_demo_hvac_closeout_records_readings_texts_a_link_notes_the_quote_and_books_the_return_visit(self):
        sheet = json.loads(self.tool("s1", "get_job_sheet", {"job_ref": str(self.job.id)})["result"])
        self.assertEqual(sheet["sheet"], "HVAC tune-up")
        self.assertEqual([r["label"] for r in sheet["readings"]],
                         ["Suction pressure", "Discharge pressure", "Filter condition", "Capacitor", "Thermostat OK"])
        self.assertEqual(sheet["readings"][3]["expected_range"], [30.0, 60.0])

        closeout = dict(CHECKLIST, job_ref=str(self.job.id), follow_up_needed=True,
                        follow_up_note="Bring a 45/5 capacitor by Friday", readings=dict(READINGS, Capacitor=20))
        first = self.tool("c1", "log_job_closeout", closeout)
        self.assertIn("capacitor_uf 20 is outside the expected 30 to 60 µF", first["error"])
        self.assertFalse(self.checkins("call-co"), "a re-asked reading writes nothing")
        second = self.tool("c2", "log_job_closeout", closeout)  # the technician confirms 20
        self.assertIn("Missing: photos uploaded", second["result"])
        readings = {r.item_id.code: r for r in self.job.ops_reading_ids}
        self.assertEqual({code: r.value for code, r in readings.items()}, {
            "suction_psi": "72 psi", "discharge_psi": "310 psi", "filter_condition": "dirty",
            "capacitor_uf": "20 µF", "thermostat_ok": "yes"})
        self.assertEqual([code for code, r in readings.items() if r.out_of_range], ["capacitor_uf"])
        self.assertEqual(readings["suction_psi"].value_number, 72.0)

        self.assertEqual(self.job.state, "01_in_progress", "photos are missing: not done")
        self.assertEqual(self.job.ops_closeout_missing, "photos uploaded")
        self.assertEqual(self.job.ops_arrived_at.isoformat(" "), TODAY)
        visit = self.job.ops_return_task_ids
        self.assertRecordValues(visit, [{"partner_id": self.job.partner_id.id, "project_id": self.job.project_id.id,
                                         "ops_return_reason": "second_trip", "user_ids": []}])
        self.assertIn("Bring a 45/5 capacitor by Friday", visit.description)

        result = self.tool("l1", "send_photo_link", {"job_ref": str(self.job.id)})["result"]
        self.assertIn("number ending 0191", result)
        [sent] = FakeTwilio.received
        self.assertEqual(sent["path"], f"/2010-04-01/Accounts/{SID}/Messages.json")
        self.assertEqual(sent["content_type"], "application/x-www-form-urlencoded")
        self.assertEqual(sent["authorization"], "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode())
        self.assertEqual(set(sent["form"]), {"To", "From", "Body"})
        self.assertEqual((sent["form"]["To"], sent["form"]["From"]), ("+15125550191", SENDER))
        token = LINK.search(sent["form"]["Body"]).group(1).rsplit("/", 1)[1]
        link = self.job.ops_upload_link_ids
        self.assertRecordValues(link, [{"state": "sent", "channel": "twilio", "sent_to": "…0191",
                                        "employee_id": self.emp_tech.id, "file_count": 0}])
        self.assertEqual(link.sudo().token_hash, hashlib.sha256(token.encode()).hexdigest())
        self.assertNotIn(token, "".join(self.job.message_ids.mapped("body")), "the chatter never holds the link")

        quote = self.tool("q1", "create_quote", {"job_ref": str(self.job.id),
                                                 "items": ["a new capacitor and a surge protector"]})["result"]
        self.assertIn("Sales is not set up here", quote)
        self.assertEqual(self.job.ops_field_quote_ids.state, "noted")
        note = self.job.message_ids.filtered(lambda m: "Proposed by Tech T" in (m.body or ""))
        self.assertIn("capacitor (to price); 1 × a surge protector (to price)", note.body)

    @freeze_time(TODAY)
    def test_photos_arriving_finish_the_job_when_nothing_else_is_missing(self):
        self.tool("c1", "log_job_closeout", dict(CHECKLIST, job_ref=str(self.job.id), readings=READINGS))
        self.assertEqual(self.job.ops_closeout_missing, "photos uploaded")
        path = self.send_link()
        _page, csrf = self.csrf(path)
        status, answer = self.upload(path, csrf)
        self.assertEqual((status, answer["received"]), (200, 1))
        self.assertEqual(self.job.state, "1_done")
        self.assertFalse(self.job.ops_closeout_missing)
        self.assertTrue(self.checkins("call-co").photos_uploaded)

    @freeze_time(TODAY)
    def test_a_missing_required_reading_keeps_the_job_open_and_is_said_back(self):
        readings = {k: v for k, v in READINGS.items() if k != "Capacitor"}
        result = self.tool("c1", "log_job_closeout", dict(CHECKLIST, photos_uploaded=True, job_ref=str(self.job.id),
                                                          readings=readings))["result"]
        self.assertIn("Missing: reading: Capacitor", result)
        self.assertNotEqual(self.job.state, "1_done")
        alert = self.env["ops.escalation"].search([("employee_id", "=", self.emp_tech.id),
                                                   ("rule_id.kind", "=", "missed_steps")])
        self.assertTrue(alert, "the missed-required-steps rule raises it")

    @freeze_time(TODAY)
    def test_bad_readings_are_refused_with_what_to_fix(self):
        error = self.tool("c1", "log_job_closeout", dict(CHECKLIST, job_ref=str(self.job.id),
                                                         readings={"filter": "purple"}))["error"]
        self.assertIn("must be one of: clean, dirty, replaced", error)
        self.assertFalse(self.checkins("call-co"))

    @freeze_time(TODAY)
    def test_readings_the_sheet_lacks_are_logged_noted_for_the_office_and_said_back(self):
        # a plumbing job: its project has no maintenance sheet
        job = self.env["project.task"].create({"name": "Leak under sink", "project_id": self.env["project.project"].create(
            {"name": "Plumbing calls"}).id})
        self.assertFalse(job.ops_sheet_id)
        result = self.tool("c1", "log_job_closeout", dict(
            CHECKLIST, photos_uploaded=True, follow_up_needed=True, follow_up_note="Replace the contactor",
            job_ref=str(job.id), readings={"suction pressure": 118}))["result"]
        self.assertIn("I noted 'suction pressure 118' for the office; it is not on this job's sheet.", result)
        checkin = self.checkins("call-co")
        self.assertRecordValues(checkin, [{"extra_readings": "suction pressure 118", "diagnosis_done": True,
                                           "follow_up_needed": True, "follow_up_note": "Replace the contactor"}])
        notes = job.message_ids.mapped("body")
        self.assertTrue(any("Not on this job's sheet, as said: suction pressure 118." in str(n) for n in notes), notes)
        self.assertTrue(job.ops_return_task_ids, "the follow-up still books the return visit")

    @freeze_time(TODAY)
    @mute_logger(JOURNAL_LOG)
    def test_a_text_twilio_refuses_is_retried_with_a_new_token(self):
        FakeTwilio.status = 500
        self.tool("l1", "send_photo_link", {"job_ref": str(self.job.id)})
        event = self.Event.search([("tool_call_ids", "=", "l1")])
        link = self.job.ops_upload_link_ids
        self.assertEqual((event.effects_state, link.state), ("failed", "to_send"))
        self.assertIn("Twilio refused the text (500)", event.error)
        first = LINK.search(FakeTwilio.received[-1]["form"]["Body"]).group(1)
        FakeTwilio.status = 201
        event.action_replay()
        link.invalidate_recordset()
        self.assertEqual((event.effects_state, link.state), ("done", "sent"))
        second = LINK.search(FakeTwilio.received[-1]["form"]["Body"]).group(1)
        self.assertNotEqual(first, second)
        self.assertEqual(self.url_open(first).status_code, 404, "the token that failed to go out opens nothing")
        self.assertEqual(self.url_open(second).status_code, 200)

    @freeze_time(TODAY)
    def test_without_a_text_route_the_link_is_emailed(self):
        self.env["ir.config_parameter"].set_param("ops_coach.twilio_sms_from", "")
        self.emp_tech.work_email = "tech.t@example.com"
        result = self.tool("l1", "send_photo_link", {"job_ref": str(self.job.id)})["result"]
        self.assertIn("Emailing the photo link", result)
        mail = self.env["mail.mail"].search([("email_to", "=", "tech.t@example.com")])
        self.assertRegex(mail.body_html, LINK)
        self.assertFalse(FakeTwilio.received)
        self.assertEqual(self.job.ops_upload_link_ids.channel, "email")


@tagged("post_install", "-at_install")
class TestPhotoLinkFromTheJob(CloseoutCase):
    @freeze_time(TODAY)
    def test_a_manager_sends_the_link_to_the_assigned_technician_from_the_job(self):
        self.job.with_user(self.user_manager).action_ops_send_photo_link()
        self.assertEqual(len(FakeTwilio.received), 1, "texted once, through Twilio's Messages API")
        self.assertEqual(FakeTwilio.received[-1]["form"]["To"], "+15125550191")
        path = LINK.search(FakeTwilio.received[-1]["form"]["Body"]).group(1)
        page, _csrf = self.csrf(path)
        self.assertIn(f"Photos for {self.job.project_id.name} job #{self.job.id}", page.text)
        note = self.job.message_ids.filtered(lambda m: "Photo link for" in (m.body or ""))[:1]
        self.assertIn("expires 2026-11-25 09:00 CST", note.body, "said in the company's time, not UTC")

    def test_a_job_with_nobody_on_the_line_says_so(self):
        job = self.env["project.task"].create({"name": "Nobody's job", "project_id": self.job.project_id.id})
        with self.assertRaises(UserError):
            job.with_user(self.user_manager).action_ops_send_photo_link()


@tagged("post_install", "-at_install")
class TestPhotoLinkRefusals(CloseoutCase):
    def test_an_expired_link_gets_a_clear_page(self):
        with freeze_time(TODAY):
            path = self.send_link()
        with freeze_time("2026-11-25 15:00:01"):
            page = self.url_open(path)
        self.assertEqual(page.status_code, 410)
        self.assertIn("This link has expired", page.text)
        self.assertNotIn("Rivera", page.text)
        self.assertEqual(page.headers["Cache-Control"], "no-store")

    @freeze_time(TODAY)
    def test_a_used_up_link_takes_no_more_files(self):
        self.env["ir.config_parameter"].set_param("ops_coach.photo_link_max_files", "1")
        path = self.send_link()
        _page, csrf = self.csrf(path)
        self.assertEqual(self.upload(path, csrf)[0], 200)
        status, answer = self.upload(path, csrf)
        self.assertEqual(status, 410)
        self.assertIn("This link is used up", answer["error"])
        self.assertEqual(self.job.ops_photo_count, 1)

    @freeze_time(TODAY)
    def test_a_token_for_another_job_puts_nothing_on_this_one(self):
        path = self.send_link()
        _page, csrf = self.csrf(path)
        status, answer = self.upload(path, csrf, job=self.other_job.id)
        self.assertEqual(status, 410)
        self.assertIn("This link is for another job", answer["error"])
        self.assertFalse(self.other_job.ops_photo_count or self.job.ops_photo_count)

    @freeze_time(TODAY)
    def test_a_wrong_or_revoked_token_gets_a_clear_page(self):
        page = self.url_open("/ops_coach/photos/not-a-real-token")
        self.assertEqual(page.status_code, 404)
        self.assertIn("This link does not work", page.text)
        path = self.send_link()
        self.job.action_ops_revoke_photo_links()
        page = self.url_open(path)
        self.assertEqual(page.status_code, 410)
        self.assertIn("This link was turned off", page.text)

    @freeze_time(TODAY)
    def test_only_photos_and_pdf_are_taken(self):
        path = self.send_link()
        _page, csrf = self.csrf(path)
        status, answer = self.upload(path, csrf, name="x.html", raw=b"<html><script>alert(1)</script></html>")
        self.assertEqual((status, answer["error"]), (400, "Only photos and PDF files can be sent."))
        self.assertEqual(self.job.ops_photo_count, 0)

    @freeze_time(TODAY)
    def test_the_page_shows_the_job_number_and_nothing_of_the_customer(self):
        page, _csrf = self.csrf(self.send_link())
        self.assertIn(f"Photos for {self.job.project_id.name} job #{self.job.id}", page.text)
        for private in ("Rivera", "Austin", "HVAC tune-up Rivera"):
            self.assertNotIn(private, page.text)
        self.assertEqual(page.headers["Referrer-Policy"], "no-referrer")


@tagged("post_install", "-at_install")
class TestPhotoPageInBrowser(CloseoutCase):
    # the browser's waits read the clock: a frozen one would never let them end
    freeze_time = None

    def test_the_link_page_uploads_two_photos_onto_the_job(self):
        self.tool("c1", "log_job_closeout", dict(CHECKLIST, job_ref=str(self.job.id), readings=READINGS))
        path = self.send_link()
        code = """(async () => {
            const transfer = new DataTransfer();
            for (const name of ["gauge.png", "unit.png"]) {
                const canvas = document.createElement("canvas");
                canvas.width = canvas.height = 16;
                canvas.getContext("2d").fillRect(0, 0, 16, 16);
                const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
                transfer.items.add(new File([blob], name, {type: "image/png"}));
            }
            const input = document.getElementById("ops_files");
            input.files = transfer.files;
            input.dispatchEvent(new Event("change"));
            const until = Date.now() + 30000;
            while (window.opsPhotoPage.sent() < 2) {
                if (Date.now() > until || document.querySelector("#ops_list .error")) {
                    console.error("uploads did not finish: " + document.getElementById("ops_list").innerText);
                    return;
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            console.log("test successful");
        })()"""
        self.browser_js(path, code, ready="window.opsPhotoPage && window.opsPhotoPage.ready")
        posted = self.job.message_ids.filtered(lambda m: m.attachment_ids and m.author_id == self.emp_tech.work_contact_id)
        self.assertEqual(sorted(posted.attachment_ids.mapped("name")), ["gauge.png", "unit.png"])
        self.assertEqual(set(posted.attachment_ids.mapped("res_model")), {"project.task"})
        self.assertEqual(self.job.ops_photo_count, 2)
        self.assertEqual(self.job.state, "1_done", "the first photo completed the close-out")
