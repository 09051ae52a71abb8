import collections
import datetime

import pytz

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..coach import blockers, lexicon
from ..coach import rules as rule_logic
from ..coach.vocabulary import BLOCKER_KINDS
from .ops_escalation_rule import PRIORITIES
from .ops_kpi_training import COURSE_MODEL, course_models
from .ops_tools import company_tz, line_now, local_now, schedule_todos

LEVEL_NAMES = {1: "the rule's recipients", 2: "the ops director", 3: "the owner"}
MAX_LEVEL = 3


class OpsEscalation(models.Model):
    """An alert a rule raised about one employee, with its lifecycle."""

    _name = "ops.escalation"
    _description = "Ops escalation"
    _inherit = ["mail.thread", "mail.activity.mixin", "ops.team.mixin"]
    _order = "priority desc, raised_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    manager_id = fields.Many2one(related="employee_id.parent_id", store=True, string="Manager")
    rule_id = fields.Many2one("ops.escalation_rule", required=True, ondelete="restrict", index=True)
    kind = fields.Selection(related="rule_id.kind", store=True)
    checkin_ids = fields.Many2many("ops.checkin", string="Check-ins behind it")
    kpi_value_ids = fields.Many2many("ops.kpi.value", string="KPI values behind it")
    reason = fields.Text(required=True)
    priority = fields.Selection(PRIORITIES, default="0", required=True, tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("acknowledged", "Acknowledged"),
            ("resolved", "Resolved"),
            ("dismissed", "Dismissed"),
        ],
        default="new", required=True, tracking=True, group_expand=True, index=True,
    )
    level = fields.Integer(default=1, tracking=True, help="1 manager, 2 ops director, 3 owner.")
    raised_date = fields.Datetime("Raised", default=fields.Datetime.now, required=True, index=True)
    ack_deadline = fields.Datetime("Acknowledge by")
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    acknowledged_date = fields.Datetime(readonly=True)
    resolved_by_id = fields.Many2one("res.users", readonly=True)
    resolved_date = fields.Datetime(readonly=True)
    resolution_note = fields.Text(tracking=True)
    # a blocker goes to whoever can clear it (blocker routes), and its news back to the caller
    blocker_kind = fields.Selection(BLOCKER_KINDS, readonly=True)
    assigned_user_id = fields.Many2one(
        "res.users", "Assigned to", index="btree_not_null", tracking=True,
        help="Who clears it: a blocker's route names them; they get the to-do and see it in Today.")
    # a KPI decline carries a training the manager may approve; the person hears it as a suggested commitment
    training_suggestion = fields.Char(help="The first training suggestion of the declining KPI.")
    training_state = fields.Selection([("suggested", "Suggested"), ("approved", "Approved")], tracking=True)
    training_course_ref = fields.Reference(
        selection="_course_selection", string="Training course", readonly=True,
        help="The suggestion's eLearning course: the person is enrolled in it when the training is approved.")
    training_approved_by_id = fields.Many2one("res.users", "Training approved by", readonly=True)
    training_approved_date = fields.Datetime(readonly=True)
    training_told_checkin_id = fields.Many2one(
        "ops.checkin", "Training suggested on", readonly=True, ondelete="set null",
        help="The person's check-in on which the line suggested the approved training.")
    told_checkin_id = fields.Many2one(
        "ops.checkin", "Told on", readonly=True, ondelete="set null",
        help="The caller's check-in on which the line told him how his blocker was resolved.")

    @api.depends("employee_id", "rule_id")
    def _compute_name(self):
        for alert in self:
            alert.name = f"{alert.rule_id.name or ''}: {alert.employee_id.name or ''}"

    # ------------------------------------------------------------- raising
    @api.model
    def _raise_alerts(self, candidates):
        """Turn rule hits into alerts, once: a hit whose rule and employee
        already have an open alert adds its evidence there; one inside the
        rule's cooldown after a closed alert is dropped.

        ``candidates``: dicts with rule, employee, reason and optional
        checkins / kpi_values recordsets. Returns the alerts created.
        """
        if not candidates:
            return self.browse()
        rules = self.env["ops.escalation_rule"].union(*[c["rule"] for c in candidates])
        employees = self.env["hr.employee"].union(*[c["employee"] for c in candidates])
        # one open alert per rule and person; a blocker's per kind too, since each kind has its own clearer
        pair = lambda alert_rule, employee, kind: (alert_rule.id, employee.id, kind or False)  # noqa: E731
        scope = [("rule_id", "in", rules.ids), ("employee_id", "in", employees.ids)]
        open_alerts = {pair(a.rule_id, a.employee_id, a.blocker_kind): a
                       for a in self.search(scope + [("state", "in", ("new", "acknowledged"))])}
        closed = {pair(r, e, k): last for r, e, k, last in self._read_group(
            scope + [("state", "in", ("resolved", "dismissed"))], ["rule_id", "employee_id", "blocker_kind"],
            ["resolved_date:max"])}
        now = line_now(self.env)
        to_create = {}
        for candidate in candidates:
            key = pair(candidate["rule"], candidate["employee"], self._blocker_kind_of(candidate))
            if key in open_alerts:
                open_alerts[key]._add_evidence(candidate)
            elif key in to_create:  # two hits for one person in one run: one alert
                to_create[key] = self._merge(to_create[key], candidate)
            elif not rule_logic.in_cooldown(closed.get(key), candidate["rule"].cooldown_days, now):
                to_create[key] = candidate
        alerts = self.create([self._alert_values(c, now) for c in to_create.values()])
        alerts._notify(level=1)
        return alerts

    @api.model
    def _merge(self, first, second):
        no_checkins, no_values = self.env["ops.checkin"], self.env["ops.kpi.value"]
        return dict(first, reason=f"{first['reason']}\n{second['reason']}",
                    checkins=first.get("checkins", no_checkins) | second.get("checkins", no_checkins),
                    kpi_values=first.get("kpi_values", no_values) | second.get("kpi_values", no_values))

    @api.model
    def _blocker_kind_of(self, candidate):
        if candidate["rule"].kind != "blocker":
            return False
        return candidate.get("checkins", self.env["ops.checkin"])[:1].blocker_kind or False

    @api.model
    def _alert_values(self, candidate, now):
        rule = candidate["rule"]
        employee = candidate["employee"]
        kind = self._blocker_kind_of(candidate)
        assignee = self.env["ops.blocker.route"]._assignee(employee, kind) if kind else self.env["res.users"]
        training = candidate.get("kpi_values", self.env["ops.kpi.value"])[:1].kpi_id.training_ids[:1]
        return {
            "blocker_kind": kind, "assigned_user_id": assignee.id,
            "training_suggestion": training.name or False, "training_state": training and "suggested",
            "training_course_ref": training.course_ref and f"{training.course_ref._name},{training.course_ref.id}",
            "employee_id": employee.id, "company_id": employee.company_id.id, "rule_id": rule.id,
            "reason": candidate["reason"], "priority": rule.priority,
            "checkin_ids": [fields.Command.set(candidate.get("checkins", self.env["ops.checkin"]).ids)],
            "kpi_value_ids": [fields.Command.set(candidate.get("kpi_values", self.env["ops.kpi.value"]).ids)],
            "raised_date": now, "ack_deadline": now + datetime.timedelta(hours=rule.ack_deadline_hours or 24),
        }

    def _add_evidence(self, candidate):
        new_checkins = candidate.get("checkins", self.env["ops.checkin"]) - self.checkin_ids
        new_values = candidate.get("kpi_values", self.env["ops.kpi.value"]) - self.kpi_value_ids
        if not (new_checkins or new_values):
            return
        self.write({"checkin_ids": [fields.Command.link(c.id) for c in new_checkins],
                    "kpi_value_ids": [fields.Command.link(v.id) for v in new_values]})
        # authored by OdooBot: the Ops line's technical user has no email to post with
        self.message_post(body=Markup("<p>%s</p>%s") % (candidate["reason"], self._evidence_html(
            new_checkins, new_values)), subtype_xmlid="mail.mt_note", author_id=self.env.ref("base.partner_root").id)

    @staticmethod
    def _evidence_html(checkins, kpi_values):
        items = [Markup("<li>%s %s: %s</li>") % (c.name, c.checkin_date or "", c._evidence_line())
                 for c in checkins]
        items += [Markup("<li>%s %s: %s</li>") % (v.kpi_id.name, v.period_start, v.value) for v in kpi_values]
        return Markup("<ul>%s</ul>") % Markup("").join(items) if items else Markup("")

    def _notify(self, level):
        """One to-do per recipient, a delivery per channel each chose, and a
        chatter note with the evidence."""
        todos, bodies, role_users = [], {}, {}
        Delivery = self.env["ops.delivery"]
        for alert in self:
            # the one who can clear it first; nobody named, the rule's recipients
            users = (alert.assigned_user_id if level == 1 and alert.assigned_user_id
                     else alert.rule_id._recipient_users(alert.employee_id, level, role_users))
            # told once: whoever holds several levels has his to-do already
            users -= alert.activity_ids.user_id
            # and where each recipient chose to be reached: sent once this is committed
            Delivery._queue_alert(alert, users, "" if level == 1 else f"for {LEVEL_NAMES[level]}")
            deadline = fields.Date.context_today(self, alert.ack_deadline)
            todos += [{"res_id": alert.id, "user_id": user.id, "summary": alert.name,
                       "note": escape(alert.reason), "date_deadline": deadline} for user in users]
            names = ", ".join(users.mapped("name")) or "nobody with a user account"
            bodies[alert.id] = (Markup("<p>%s</p><p>Alerted %s (%s).</p>%s") % (
                alert.reason, names, LEVEL_NAMES[level],
                self._evidence_html(alert.checkin_ids, alert.kpi_value_ids)))
        schedule_todos(self.env, self._name, todos)
        if bodies:
            self._message_log_batch(bodies=bodies, author_id=self.env.ref("base.partner_root").id)

    @api.model
    def _cron_reescalate(self):
        """Alerts nobody acknowledged in time go one level up, once per level,
        as far as their rule lets them; first, those whose cause is gone close."""
        self._cron_resolve_gone()
        now = line_now(self.env)
        overdue = self.search([("state", "=", "new"), ("ack_deadline", "<", now),
                               ("level", "<", MAX_LEVEL)]).filtered(lambda a: a.level < int(a.rule_id.top_level))
        # batches are taken before any write, so an alert climbs one level per run
        batches = {level: overdue.filtered(lambda a, lv=level: a.level == lv - 1)
                   for level in range(2, MAX_LEVEL + 1)}
        for level, batch in batches.items():
            for alert in batch:
                alert.write({"level": level, "ack_deadline": now + datetime.timedelta(
                    hours=alert.rule_id.ack_deadline_hours or 24)})
            batch._notify(level=level)
        return overdue

    # ------------------------------------------------ causes that went away
    @api.model
    def _cron_resolve_gone(self):
        """Alerts whose cause is gone resolve themselves, saying why: a close-out
        whose job now misses nothing; a person not ready on a day that is over."""
        now = line_now(self.env)
        open_alerts = self.search([("state", "in", ("new", "acknowledged")),
                                   ("kind", "in", ("missed_steps", "attendance"))])
        gone = {}
        for alert in open_alerts:
            if alert.kind == "missed_steps" and alert.checkin_ids and not any(
                    alert.checkin_ids.mapped("missed_steps")):
                gone[alert] = self.env._("Nothing is missing any more: the job's steps are all done.")
            elif alert.kind == "attendance" and alert.checkin_ids and max(alert.checkin_ids.mapped("checkin_date")) \
                    < local_now(alert.employee_id, now).date():
                gone[alert] = self.env._("The day is over: not ready was for that day only.")
        for alert, why in gone.items():
            alert.write({"state": "resolved", "resolution_note": why, "resolved_date": now,
                         "resolved_by_id": self.env.ref("base.user_root").id})
            alert.sudo().activity_ids.unlink()
        return self.union(*gone) if gone else self.browse()

    def _ensure_state(self, allowed, action):
        for alert in self:
            if alert.state not in allowed:
                raise UserError(
                    self.env._("%(alert)s is %(state)s and cannot be %(action)s.",
                               alert=alert.name, state=alert.state, action=action)
                )

    def action_acknowledge(self):
        self._ensure_state(("new",), "acknowledged")
        self.write({
            "state": "acknowledged",
            "acknowledged_by_id": self.env.user.id,
            "acknowledged_date": line_now(self.env),
        })

    def action_resolve(self):
        self._ensure_state(("new", "acknowledged"), "resolved")
        unexplained = self.filtered(lambda a: not (a.resolution_note or "").strip())
        if unexplained:
            raise UserError(self.env._("Write what was done in the resolution note of %(alerts)s, then resolve.",
                                       alerts=", ".join(unexplained.mapped("name"))))
        self.write({
            "state": "resolved",
            "resolved_by_id": self.env.user.id,
            "resolved_date": line_now(self.env),
        })
        self.activity_ids.action_done()

    def action_approve_training(self):
        """The manager approves the suggested training: the person hears it on his next call."""
        for alert in self:
            if alert.training_state != "suggested":
                raise UserError(self.env._("%(alert)s has no training waiting for approval.", alert=alert.name))
        self.write({"training_state": "approved", "training_approved_by_id": self.env.user.id,
                    "training_approved_date": line_now(self.env)})
        self._enrol_in_course()

    @api.model
    def _course_selection(self):
        return course_models(self.env)

    def _enrol_in_course(self):
        """eLearning enrols the person in the approved training's course (as
        the system: a manager need not be a course officer)."""
        for alert in self.filtered(lambda a: a.training_course_ref and a.training_course_ref._name == COURSE_MODEL):
            partner = alert.employee_id._ops_partner()
            if not partner:
                continue
            course = alert.training_course_ref.sudo()
            course._action_add_members(partner)
            alert.message_post(body=self.env._("%(name)s is enrolled in the course %(course)s.",
                                               name=alert.employee_id.name, course=course.name))

    @api.model
    def _courses_completed(self, employees, start, end):
        """``{employee: count}`` of approved trainings' courses each person
        finished between ``start`` and ``end`` (the day the enrolment last
        changed: eLearning keeps no completion date)."""
        if COURSE_MODEL not in self.env:
            return {}
        approved = self.search([("employee_id", "in", employees.ids), ("training_state", "=", "approved"),
                                ("training_course_ref", "!=", False)])
        wanted = {(alert.training_course_ref.id, alert.employee_id._ops_partner().id): alert.employee_id
                  for alert in approved if alert.training_course_ref._name == COURSE_MODEL}
        if not wanted:
            return {}
        finished = self.env["slide.channel.partner"].sudo().search([
            ("channel_id", "in", [course for course, _p in wanted]), ("partner_id", "in", [p for _c, p in wanted]),
            ("member_status", "=", "completed"), ("write_date", ">=", start),
            ("write_date", "<", end + datetime.timedelta(days=1))])
        counts = collections.Counter()
        for membership in finished:
            employee = wanted.get((membership.channel_id.id, membership.partner_id.id))
            if employee:
                counts[employee] += 1
        return dict(counts)

    # --------------------------------------------------- blockers, back to the caller
    @api.model
    def _said_back_of(self, employee_id):
        """What the line tells a caller of his alerts, in one query: ``(news,
        still_open, training)``: sentences about the blockers someone resolved
        since he last heard, the notes of the ones still open, and the oldest
        approved training he has not heard yet ("" when none)."""
        alerts = self.sudo().search([
            ("employee_id", "=", employee_id),
            "|", "&", ("kind", "=", "blocker"), "|", ("state", "in", ("new", "acknowledged")),
            "&", ("state", "=", "resolved"), ("told_checkin_id", "=", False),
            "&", ("training_state", "=", "approved"), ("training_told_checkin_id", "=", False),
        ], order="raised_date, id")
        blocked = alerts.filtered(lambda alert: alert.kind == "blocker")
        words = lexicon.for_language(self.env.lang)  # the caller's: the line runs in his language
        news = tuple(blockers.news(alert._blocker_note(), (alert.resolved_by_id.name or "").split(" ")[0],
                                   alert.resolution_note, words)
                     for alert in blocked if alert.state == "resolved" and not alert.told_checkin_id)
        still_open = tuple(alert._blocker_note() for alert in blocked if alert.state in ("new", "acknowledged"))
        trainings = alerts.filtered(lambda alert: alert.training_state == "approved"
                                    and not alert.training_told_checkin_id).sorted("training_approved_date")
        return news, still_open, trainings[:1].training_suggestion or ""

    @api.model
    def _blocker_clearing(self, company, start, end):
        """``(median hours, % the same day)`` from raised to resolved, of the
        company's blockers resolved between ``start`` and ``end`` (its days)."""
        return blockers.clearing_figures(self._blockers_resolved(company, start, end))

    @api.model
    def _blockers_resolved(self, company, start, end):
        """``(raised, resolved)`` on the company's clock of its blockers resolved
        between ``start`` and ``end``: the briefing's figures and the daily system KPIs read them."""
        tz = pytz.timezone(company_tz(company))
        alerts = self.search([("company_id", "=", company.id), ("kind", "=", "blocker"), ("state", "=", "resolved"),
                              ("resolved_date", ">=", start), ("resolved_date", "<", end)])
        local = lambda moment: pytz.utc.localize(moment).astimezone(tz)  # noqa: E731
        return [(local(alert.raised_date), local(alert.resolved_date)) for alert in alerts]

    def _blocker_note(self):
        return self.checkin_ids.filtered("blocker_note")[:1].blocker_note or self.reason

    def _told_on(self, checkin):
        """The caller heard, on ``checkin``, how his resolved blockers ended."""
        self.filtered(lambda a: a.state == "resolved" and not a.told_checkin_id
                      and a.resolved_date <= checkin.start).write(
            {"told_checkin_id": checkin.id})

    def _cleared_by_caller(self, checkin):
        """The caller said he is no longer blocked: resolved in his name, and the
        to-dos of whoever had it are closed."""
        if not self:
            return
        self.write({"state": "resolved", "told_checkin_id": checkin.id, "resolved_date": line_now(self.env),
                    "resolved_by_id": checkin.employee_id.user_id.id or self.env.user.id,
                    "resolution_note": self.env._("Cleared: %(name)s said on %(call)s he is no longer blocked.",
                                                  name=checkin.employee_id.name, call=checkin.name)})
        self.sudo().activity_ids.unlink()

    def action_dismiss(self):
        self._ensure_state(("new", "acknowledged"), "dismissed")
        self.write({"state": "dismissed", "resolved_by_id": self.env.user.id,
                    "resolved_date": line_now(self.env)})
        self.activity_ids.unlink()

    def action_reopen(self):
        self._ensure_state(("resolved", "dismissed"), "reopened")
        self.write({"state": "new", "resolved_by_id": False, "resolved_date": False})
