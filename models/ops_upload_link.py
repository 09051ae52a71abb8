import datetime
import logging

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..coach import lexicon, phone, upload
from .ops_tools import company_time_text

_logger = logging.getLogger(__name__)
CHANNELS = [("twilio", "SMS (Twilio)"), ("sms", "SMS (Odoo)"), ("email", "Email"), ("none", "No way to reach")]
SEND_TIMEOUT = 15


class OpsUploadLink(models.Model):
    """A photo link: one job, one technician, a day, a few files.

    The random token leaves Odoo only inside the text or email; the row keeps
    its hash. The link is created with the caller's answers and sent as a side
    effect; a failed send is retried with a new token (the old one never went out).
    """

    _name = "ops.upload_link"
    _description = "Ops line photo link"
    _order = "id desc"
    _rec_name = "task_id"

    task_id = fields.Many2one("project.task", "Job", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", "Technician", required=True, ondelete="cascade")
    event_id = fields.Many2one("ops.call_event", "Requested by", ondelete="set null", index="btree_not_null")
    token_hash = fields.Char(copy=False, index="btree_not_null", readonly=True, groups="base.group_system")
    expires_at = fields.Datetime(required=True, readonly=True)
    max_files = fields.Integer(required=True, readonly=True)
    file_count = fields.Integer(readonly=True)
    revoked = fields.Boolean(readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    sent_to = fields.Char(readonly=True, help="Where the link went, masked.")
    sent_at = fields.Datetime(readonly=True)
    state = fields.Selection([("to_send", "To send"), ("sent", "Sent")], default="to_send", required=True,
                             readonly=True)
    recheck_pending = fields.Boolean(
        readonly=True, help="A photo arrived but the close-out could not be rechecked: the retry cron does it.")

    # ------------------------------------------------------------ settings
    @api.model
    def _param(self, key, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(f"ops_coach.{key}") or default

    @api.model
    def _limits(self):
        return {"hours": int(self._param("photo_link_hours", 24)),
                "max_files": int(self._param("photo_link_max_files", 20)),
                "max_bytes": int(float(self._param("photo_max_mb", 15)) * 1024 * 1024)}

    @api.model
    def _route(self):
        """How links go out: Twilio when configured, else Odoo's SMS app when the
        company chose it (it installs itself with other apps and needs paid
        credits, so being installed is not enough), else email."""
        if all(self._param(key) for key in ("twilio_account_sid", "twilio_auth_token", "twilio_sms_from")):
            return "twilio"
        return "sms" if "sms.sms" in self.env and self._param("photo_link_odoo_sms") else "email"

    # -------------------------------------------------------------- create
    @api.model
    def _request(self, task, employee, event):
        """A new link for this job and technician, to be sent as a side effect."""
        limits = self._limits()
        return self.create({"task_id": task.id, "employee_id": employee.id, "event_id": event.id,
                            "expires_at": fields.Datetime.now() + datetime.timedelta(hours=limits["hours"]),
                            "max_files": limits["max_files"]})

    def _number(self, fallback=None):
        region = self.employee_id.company_id.country_id.code or self.env.company.country_id.code
        return phone.normalize_e164(self.employee_id.mobile_phone, region) or \
            phone.normalize_e164(fallback, region)

    def _public_label(self):
        """How the public page names the job: its type and number, never the customer (the link may travel)."""
        self.ensure_one()
        task = self.task_id.sudo()
        return f"{task.project_id.name} job #{task.id}" if task.project_id else f"Job #{task.id}"

    # ---------------------------------------------------------------- send
    def _send(self):
        """Send each link not sent yet: a fresh token, then the text or email."""
        base = self.env["ops.line"]._public_base()
        for link in self.filtered(lambda link: link.state != "sent" and not link.revoked):
            channel, recipient = link._destination()
            token = upload.new_token()
            link.sudo().token_hash = upload.token_hash(token)
            url = f"{base}/ops_coach/photos/{token}"
            words = lexicon.for_language(self.env["ops.line"]._language_of(link.employee_id))
            body = upload.sms_body(link.task_id.display_name[:40], url, self._limits()["hours"], words)
            if channel == "email":
                link._send_email(recipient, body, url)
            else:
                (link._send_twilio if channel == "twilio" else link._send_odoo_sms)(recipient, body)
            shown = upload.mask_number(recipient) if channel != "email" else recipient
            link.write({"channel": channel, "sent_to": shown, "sent_at": fields.Datetime.now(), "state": "sent"})
            link.task_id.message_post(
                body=self.env._("Photo link for %(tech)s sent by %(channel)s to %(to)s, expires %(when)s.",
                                tech=link.employee_id.name, channel=dict(CHANNELS)[channel], to=shown,
                                when=company_time_text(link.task_id.company_id or self.env.company,
                                                       link.expires_at)),
                author_id=self.env.ref("base.partner_root").id, subtype_xmlid="mail.mt_note")

    def _destination(self):
        """``(channel, number or email)`` the link goes to: a text when a text
        route and a mobile number exist, else the technician's email. Raises
        when there is nowhere to send it (the tool says so; a retry waits)."""
        self.ensure_one()
        route = self._route()
        number = self._number(self.event_id.caller_number)
        if route in ("twilio", "sms") and number:
            return route, number
        email = self.employee_id.work_email or self.employee_id.user_id.email
        if not email:
            raise UserError(self.env._("%(tech)s has no mobile number or email for the photo link.",
                                       tech=self.employee_id.name))
        return "email", email

    def _send_email(self, email, body, url):
        self.env["mail.mail"].sudo().create({
            "email_to": email, "subject": self.env._("Photos for %(job)s", job=self.task_id.display_name),
            "body_html": f"<p>{body[:body.index(url)]}<a href=\"{url}\">{url}</a></p>", "auto_delete": True,
        })

    def _send_twilio(self, number, body):
        url, form, headers = upload.twilio_message(
            self._param("twilio_api_base", upload.TWILIO_API_BASE), self._param("twilio_account_sid"),
            self._param("twilio_auth_token"), number, self._param("twilio_sms_from"), body)
        response = requests.post(url, data=form, headers=headers, timeout=SEND_TIMEOUT)
        if response.status_code >= 300:
            raise UserError(self.env._("Twilio refused the text (%(status)s): %(text)s",
                                       status=response.status_code, text=response.text[:300]))

    def _send_odoo_sms(self, number, body):
        self.env["sms.sms"].sudo().create({"number": number, "body": body}).send()

    # -------------------------------------------------------------- use
    @api.model
    def _for_token(self, token):
        """The link a presented token opens, or an empty recordset."""
        if not token or len(token) > 100:
            return self.browse()
        return self.sudo().search([("token_hash", "=", upload.token_hash(token))], limit=1).sudo(False)

    def _refusal(self, job_id=None):
        """Why this link takes no file now (a key of upload.REFUSALS), or None."""
        link = {"revoked": self.revoked, "expires_at": self.expires_at, "file_count": self.file_count,
                "max_files": self.max_files, "job_id": self.task_id.id} if self else None
        return upload.refusal(link, fields.Datetime.now(), job_id)

    def _accept(self, filename, raw, mimetype):
        """One file onto the job, posted in its chatter as the technician; the
        first photo makes the close-out's "photos uploaded" true."""
        self.ensure_one()
        task = self.task_id
        author = self.employee_id.work_contact_id
        # a technician often has no email: the note is theirs all the same, and goes nowhere by mail
        message = task.message_post(
            body=self.env._("Photo from %(tech)s (photo link).", tech=self.employee_id.name),
            attachments=[(filename, raw)], author_id=author.id or False,
            email_from=author.email_formatted or self.employee_id.name,
            message_type="comment", subtype_xmlid="mail.mt_note")
        self.file_count += 1
        task.ops_photo_count += 1
        if mimetype.startswith("image/") and not task.displayed_image_id:
            task.displayed_image_id = message.attachment_ids[:1]
        try:
            with self.env.cr.savepoint():
                self._photos_in()
        except Exception:  # noqa: BLE001 - the file is kept; the retry cron rechecks the close-out
            _logger.exception("Ops line: close-out recheck after a photo failed for job %s", task.id)
            self.recheck_pending = True
        return message

    def _photos_in(self):
        """Photos reached the job: its latest close-out says so, and the job is
        marked done when nothing else is missing."""
        closeout = self.env["ops.checkin"].search(
            [("job_id", "=", self.task_id.id), ("call_type", "=", "job_closeout")], order="start desc", limit=1)
        if closeout:
            closeout.photos_uploaded = True
            closeout._finish_job()

    @api.model
    def _cron_recheck(self):
        """Close-outs whose recheck failed when a photo arrived."""
        for link in self.search([("recheck_pending", "=", True)], limit=200):
            with self.env.cr.savepoint():
                link._photos_in()
                link.recheck_pending = False

    def action_revoke(self):
        self.write({"revoked": True})
        return True
