import datetime
import logging

import requests
from markupsafe import Markup

from odoo import api, fields, models

from ..coach import delivery, lexicon, phone, twilio
from ..coach import upload
from ..coach.vocabulary import MORNING_CALL_TYPES
from .ops_tools import line_now, local_now

_logger = logging.getLogger(__name__)
SEND_TIMEOUT = 10
BATCH = 50
SAFETY = "safety_issue"  # the rule kind that is urgent: sent at once, and phoned when nobody acknowledges
DEFAULT_SAFETY_CALL_MINUTES = 15
DEFAULT_NUDGE_MINUTES = 30
NUDGE_CHANNELS = ("sms", "email", "teams", "slack")
# a company-wide incoming webhook per channel: (res.company field, name, payload)
WEBHOOKS = {"slack": ("ops_slack_webhook_url", "Slack", delivery.slack_payload),
            "teams": ("ops_teams_webhook_url", "Teams", delivery.teams_payload)}


class OpsAlertChannel(models.Model):
    """A way to reach a person; each chooses his own on his employee form."""

    _name = "ops.alert.channel"
    _description = "Ops alert channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(delivery.CHANNELS, required=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [("code_uniq", "unique(code)", "One channel per kind.")]


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    ops_alert_channel_ids = fields.Many2many(
        "ops.alert.channel", string="Ops alerts by", groups="hr.group_hr_user,ops_coach.group_ops_manager",
        help="Where this person's Ops alerts reach him, besides the Odoo to-do. Empty: the to-do only.")


class OpsDelivery(models.Model):
    """One message to one person on one channel, journaled: written with the
    alert, sent after the commit by the cron, retried with backoff."""

    _name = "ops.delivery"
    _description = "Ops alert delivery"
    _order = "id desc"

    kind = fields.Selection(delivery.KINDS, required=True, default="alert")
    alert_id = fields.Many2one("ops.escalation", index="btree_not_null", ondelete="cascade")
    user_id = fields.Many2one("res.users", "To", index=True, ondelete="cascade",
                              help="Empty for a nudge to someone who has no login: his employee record says where.")
    employee_id = fields.Many2one("hr.employee", ondelete="set null")
    channel = fields.Selection([c for c in delivery.CHANNELS if c[0] in delivery.SENT_CHANNELS], required=True)
    body = fields.Text(required=True)
    state = fields.Selection(delivery.STATES, default="queued", required=True, index=True)
    due_at = fields.Datetime("Send at", required=True, index=True, default=fields.Datetime.now)
    urgent = fields.Boolean(help="Safety: sent at once, whatever the hour.")
    sent_to = fields.Char(readonly=True, help="Where it went (a number shown masked).")
    sent_at = fields.Datetime(readonly=True)
    provider_ref = fields.Char("Provider's id", readonly=True)
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(readonly=True)
    token_hash = fields.Char(readonly=True, index=True, groups="base.group_system", copy=False)
    link_expires_at = fields.Datetime(readonly=True)

    # ------------------------------------------------------------ queueing
    @api.model
    def _queue_alert(self, alert, users, level_note=""):
        """One delivery per chosen channel of each recipient, written in the
        alert's transaction; the cron sends them once it is committed."""
        now = line_now(self.env)
        text = delivery.alert_text(alert.employee_id.name, alert.rule_id.name, alert.reason, level_note)
        urgent = alert.kind == SAFETY
        rows = []
        texted = self._safety_people(alert) if urgent and not level_note else self.env["res.users"]
        for user in users | texted:
            employee = self._employee_of(user, alert.company_id)
            chosen = set(employee.sudo().ops_alert_channel_ids.mapped("code")) if user in users else set()
            if user in texted:  # safety: a text at once, whatever he chose
                chosen.add("sms")
            for channel in sorted(chosen & set(delivery.SENT_CHANNELS) - {"call"}):
                rows.append({"alert_id": alert.id, "user_id": user.id, "employee_id": employee.id,
                             "kind": "safety" if urgent else "alert", "channel": channel, "body": text, "urgent": urgent,
                             "due_at": now if urgent else self._working_time(employee, now)})
        created = self.sudo().create(rows)
        created._note_waiting(now)
        if created:
            cron = self.env.ref("ops_coach.ir_cron_ops_delivery_send", raise_if_not_found=False)
            if cron:
                cron._trigger()
        return created

    @api.model
    def _queue_briefing(self, briefing_record):
        """The morning briefing on the reader's text, Slack or Teams too: its
        subject (what needs him, counted) and a link to it; his working hours apply."""
        user = briefing_record.user_id
        employee = self._employee_of(user, briefing_record.company_id)
        channels = [c for c in employee.sudo().ops_alert_channel_ids.mapped("code") if c in ("sms", "slack", "teams")]
        if not channels:
            return self.browse()
        now = line_now(self.env)
        link = f"{self.env['ops.line']._public_base()}/odoo/action-ops_coach.action_ops_briefing/{briefing_record.id}"
        due = self._working_time(employee, now)
        created = self.sudo().create([{
            "kind": "briefing", "user_id": user.id, "employee_id": employee.id, "channel": channel,
            "body": f"{briefing_record.subject} {link}", "due_at": due} for channel in channels])
        created._note_waiting(now)
        return created

    @api.model
    def _employee_of(self, user, company):
        return user.employee_ids.filtered(lambda e: e.company_id == company)[:1] or user.employee_ids[:1]

    @api.model
    def _safety_people(self, alert):
        """Who is texted, then phoned, about a safety report: the person's manager, then the ops director."""
        directors = self.env["ops.escalation_rule"]._role_users("ops_director", alert.company_id)
        return (alert.employee_id.parent_id.user_id | directors) - alert.employee_id.user_id

    @api.model
    def _queue_safety_calls(self, now):
        """A safety alert nobody acknowledged: phone the manager after the set
        minutes, then the ops director after as many again, one call each."""
        minutes = int(self._param("safety_call_minutes", DEFAULT_SAFETY_CALL_MINUTES) or DEFAULT_SAFETY_CALL_MINUTES)
        alerts = self.env["ops.escalation"].sudo().search([
            ("kind", "=", SAFETY), ("state", "=", "new"),
            ("raised_date", "<=", now - datetime.timedelta(minutes=minutes))])
        calls = self.sudo().search([("alert_id", "in", alerts.ids), ("channel", "=", "call")])
        rows = []
        for alert in alerts:
            people = list(self._safety_people(alert))
            made = len(calls.filtered(lambda c, a=alert: c.alert_id == a))
            if made < len(people) and alert.raised_date + datetime.timedelta(minutes=minutes * (made + 1)) <= now:
                user = people[made]
                rows.append({"alert_id": alert.id, "user_id": user.id, "kind": "safety", "channel": "call",
                             "employee_id": self._employee_of(user, alert.company_id).id, "urgent": True,
                             "due_at": now, "body": delivery.alert_text(alert.employee_id.name, alert.rule_id.name,
                                                                        alert.reason)})
        return self.sudo().create(rows)

    @api.model
    def _queue_nudges(self, now):
        """One reminder, on his working day, to each person whose morning call is
        required and not made, in the last minutes before it counts as missed."""
        cutoff = self.env["ops.escalation_rule"]._am_cutoff()
        lead = int(self._param("nudge_minutes", DEFAULT_NUDGE_MINUTES) or DEFAULT_NUDGE_MINUTES)
        profiles = self.env["ops.tech_profile"].search([("role_ids.am_required", "=", True)])
        due = {}
        for profile in profiles:
            local = local_now(profile.employee_id, now)
            if delivery.nudge_due(local.hour + local.minute / 60, cutoff, lead):
                due[profile.employee_id] = local.date()
        if not due:
            return self.browse()
        employees = self.env["hr.employee"].union(*due)
        called = {(employee.id, day) for employee, day in self.env["ops.checkin"]._read_group(
            [("employee_id", "in", employees.ids), ("checkin_date", "in", list(set(due.values()))),
             ("call_type", "in", MORNING_CALL_TYPES)], ["employee_id", "checkin_date:day"])}
        # leaves (Time Off, when installed) are off the calendar: no working day, no nudge
        workdays = self.env["ops.workdays"]._workdays(employees, min(due.values()), max(due.values()))
        nudged = set(self.sudo().search([("kind", "=", "nudge"), ("employee_id", "in", employees.ids),
                                         ("create_date", ">=", now - datetime.timedelta(hours=20))]).employee_id.ids)
        number = self._param("line_number", "")
        line = self.env["ops.line"]
        rows = []
        for employee, day in due.items():
            if (employee.id, day) in called or employee.id in nudged or day not in workdays.get(employee.id, ()):
                continue
            chosen = [c for c in employee.sudo().ops_alert_channel_ids.mapped("code") if c in NUDGE_CHANNELS]
            channel = chosen[0] if chosen else ("sms" if employee.sudo().mobile_phone else "")
            if channel:
                rows.append({"kind": "nudge", "employee_id": employee.id, "user_id": employee.user_id.id,
                             "channel": channel, "due_at": now,
                             "body": delivery.nudge_text((employee.name or "").split(" ")[0], number,
                                                         lexicon.for_language(line._language_of(employee)))})
        return self.sudo().create(rows)

    def _note_waiting(self, now):
        self.filtered(lambda d: d.due_at > now).write({"state": "waiting"})

    @api.model
    def _working_time(self, employee, now):
        """``now`` when the person is at work, else the start of his next
        working hour (his calendar, leaves included), less the margin setting."""
        calendar = employee.resource_calendar_id or employee.company_id.resource_calendar_id
        if not employee or not calendar or calendar.flexible_hours:
            return now
        margin = datetime.timedelta(minutes=int(self.env["ir.config_parameter"].sudo().get_param(
            "ops_coach.quiet_margin_minutes", 0) or 0))
        start = calendar.plan_hours(0, now + margin, compute_leaves=True, resource=employee.resource_id)
        return max(now, start - margin) if start else now

    # ------------------------------------------------------------- sending
    @api.model
    def _cron_send(self, limit=BATCH):
        """Send what is due; each row locked while it is sent, so two workers never send it twice."""
        now = line_now(self.env)
        self._queue_safety_calls(now)
        self._queue_nudges(now)
        self.flush_model()
        self.env.cr.execute("""
            SELECT id FROM ops_delivery
             WHERE state IN ('queued', 'waiting', 'failed') AND due_at <= %s
          ORDER BY urgent DESC, due_at, id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
        """, (now, limit))
        due = self.browse([row[0] for row in self.env.cr.fetchall()])
        for row in due:
            row._send_one(now)
        return due

    def _send_one(self, now):
        self.ensure_one()
        token = delivery.new_token() if self.alert_id else ""
        url = f"{self.env['ops.line']._public_base()}/ops_coach/alert/{token}" if token else ""
        try:
            status, answer, where, ref = getattr(self, f"_send_{self.channel}")(url)
        except requests.RequestException as error:  # no answer: retried
            status, answer, where, ref = None, str(error), "", ""
        except ValueError as error:  # nowhere to send it (no number, no webhook): final
            status, answer, where, ref = 0, str(error), "", ""
        result, why = delivery.outcome(status, answer) if status != 0 else ("final", answer)
        values = {"attempts": self.attempts + 1, "last_error": why or False}
        if result == "sent":
            values.update(state="sent", sent_at=now, sent_to=where, provider_ref=ref or False,
                          token_hash=delivery.token_hash(token) if token else False,
                          link_expires_at=now + datetime.timedelta(hours=delivery.LINK_HOURS) if token else False)
        elif result == "retry" and delivery.next_try_minutes(values["attempts"]):
            values.update(state="failed", due_at=now + datetime.timedelta(
                minutes=delivery.next_try_minutes(values["attempts"])))
        else:
            values.update(state="undeliverable")
        self.sudo().write(values)
        if result != "sent":
            _logger.info("Ops delivery %s (%s) not sent: %s", self.id, self.channel, why)

    def _param(self, key, default=None):
        return self.env["ir.config_parameter"].sudo().get_param(f"ops_coach.{key}", default)

    def _twilio_account(self, purpose):
        """``(account SID, auth token, sender)``, the photo links' Twilio settings."""
        account = tuple(self._param(key) for key in ("twilio_account_sid", "twilio_auth_token", "twilio_sms_from"))
        if not all(account):
            raise ValueError(f"Twilio {purpose} is not set up (account SID, auth token, sender)")
        return account

    def _text(self, url):
        return delivery.sms_body(self.body, url)

    def _send_sms(self, url):
        number = self._mobile()
        sid, token, sender = self._twilio_account("texting")
        target, form, headers = upload.twilio_message(self._param("twilio_api_base", upload.TWILIO_API_BASE), sid,
                                                      token, number, sender, self._text(url))
        response = requests.post(target, data=form, headers=headers, timeout=SEND_TIMEOUT)
        return response.status_code, response.text, upload.mask_number(number), self._sid_of(response)

    def _send_slack(self, url):
        return self._send_webhook("slack", url)

    def _send_teams(self, url):
        return self._send_webhook("teams", url)

    def _send_webhook(self, channel, url):
        """Slack and Teams: a JSON post to the company's incoming-webhook URL."""
        field, label, build = WEBHOOKS[channel]
        hook = self.employee_id.company_id.sudo()[field]
        if not hook:
            raise ValueError(f"no {label} webhook is set for the company")
        response = requests.post(hook, json=build(self.body, url), timeout=SEND_TIMEOUT)
        return response.status_code, response.text, label, ""

    def _send_email(self, url):
        email = self.user_id.email or self.employee_id.sudo().work_email
        if not email:
            raise ValueError(f"{self.employee_id.name} has no email address")
        link = Markup('<p><a href="%s">Acknowledge or resolve</a></p>') % url if url else ""
        self.env["mail.mail"].sudo().create({
            "email_to": email, "subject": self.body[:120], "auto_delete": True,
            "body_html": Markup("<p>%s</p>%s") % (self.body, link)})
        return 200, "", email, ""

    def _send_call(self, url):
        number = self._mobile()
        sid, token, sender = self._twilio_account("calling")
        if sender.startswith("MG"):
            raise ValueError("a call needs a Twilio number to call from, not a Messaging Service")
        line = self.env["ops.line"]
        line = line.with_context(lang=line._language_of(self.employee_id))  # the person called: his language
        voice, language = line._twilio_voice()
        action = f"{line._public_base()}/ops_coach/twilio/alert_ack"
        twiml = twilio.alert_call(self.body, action, voice, language, line._lexicon())
        target, form, headers = twilio.twilio_call(self._param("twilio_api_base", upload.TWILIO_API_BASE), sid, token,
                                                   number, sender, twiml)
        response = requests.post(target, data=form, headers=headers, timeout=SEND_TIMEOUT)
        return response.status_code, response.text, upload.mask_number(number), self._sid_of(response)

    @staticmethod
    def _sid_of(response):
        if response.ok and response.headers.get("Content-Type", "").startswith("application/json"):
            return response.json().get("sid", "")
        return ""

    def _mobile(self):
        region = self.employee_id.company_id.country_id.code or self.env.company.country_id.code
        number = phone.normalize_e164(self.employee_id.sudo().mobile_phone, region)
        if not number:
            raise ValueError(f"{self.employee_id.name} has no mobile number")
        return number

    # -------------------------------------------------------------- links
    @api.model
    def _for_token(self, token):
        """The delivery a presented alert link belongs to, or an empty recordset."""
        if not token or len(token) > 100:
            return self.browse()
        return self.sudo().search([("token_hash", "=", delivery.token_hash(token))], limit=1)

    def _refusal(self):
        now = line_now(self.env)
        link = {"expires_at": self.link_expires_at,
                "alert_open": self.alert_id.state in ("new", "acknowledged")} if self else None
        return delivery.ack_refusal(link, now)
