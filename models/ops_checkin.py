from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..coach import checkin_values, closeout
from ..coach import providers
from ..coach.vocabulary import BLOCKER_KINDS, CALL_TYPES, COMMITMENT_FOLLOWUPS, MORNING_CALL_TYPES
from .ops_tools import check_or_raise, local_now

JOB_DONE_STATE = "1_done"
WORDS_GROUP = "ops_coach.group_ops_read_words"
YES_NO_PARTLY = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]


class OpsCheckin(models.Model):
    """One call to the Ops line, as structured data."""

    _name = "ops.checkin"
    _description = "Ops line check-in"
    _inherit = ["mail.thread", "mail.activity.mixin", "ops.team.mixin"]
    _order = "start desc, id desc"
    _check_company_auto = True

    name = fields.Char("Reference", readonly=True, copy=False, default="/")
    active = fields.Boolean(
        default=True, help="Test calls from the flow console are archived: no rule, report or KPI sees them.")
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    manager_id = fields.Many2one(related="employee_id.parent_id", store=True, string="Manager")
    role_id = fields.Many2one("ops.role", index=True)
    call_type = fields.Selection(list(CALL_TYPES), required=True, default="am_checkin", index=True)
    start = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    checkin_date = fields.Date(
        "Day", compute="_compute_checkin_date", store=True, index=True,
        help="The day of the call in the employee's timezone.",
    )
    duration_seconds = fields.Integer("Duration (s)", aggregator="avg")
    # pulse
    ready_status = fields.Selection([("ready", "Ready"), ("not_ready", "Not ready")])
    not_ready_reason = fields.Selection([(r, r.capitalize()) for r in checkin_values.NOT_READY_REASONS])
    energy_level = fields.Integer("Energy (1-5)", aggregator="avg")
    low_energy = fields.Boolean(compute="_compute_low_energy", store=True)
    blocker_flag = fields.Boolean("Blocker")
    blocker_note = fields.Text()
    blocker_cleared = fields.Boolean(
        "Last blocker cleared", help="Asked back, the caller said he is no longer blocked: his open "
                                     "blocker alerts are resolved in his name.")
    blocker_kind = fields.Selection(
        BLOCKER_KINDS, compute="_compute_blocker_kind", store=True, readonly=False,
        help="Who can clear it: said by the agent, else read from the note by the blocker routes' words.")
    # KPI alignment and coaching
    primary_kpi_id = fields.Many2one("ops.kpi", string="Primary KPI")
    kpi_action = fields.Char("Today's action")
    coach_strength_id = fields.Many2one("ops.strength", string="Coaching template")
    coach_prompt_used = fields.Char("Coaching line used")
    focus_summary = fields.Char("Focus in five words")
    commitment = fields.Char("Micro-commitment")
    commitment_followup = fields.Selection(
        COMMITMENT_FOLLOWUPS, "Last commitment kept",
        help="What the caller said, on this call, of the commitment made on the check-in below.")
    followed_checkin_id = fields.Many2one(
        "ops.checkin", "Commitment followed up", index="btree_not_null", ondelete="set null", copy=False)
    followup_ids = fields.One2many("ops.checkin", "followed_checkin_id", "Followed up on")
    commitment_kept = fields.Selection(COMMITMENT_FOLLOWUPS, "Kept?", compute="_compute_commitment_kept",
                                       help="What the caller said of this commitment when the line asked it back.")
    goal_action = fields.Char("90-day goal action")
    # role check-ins
    owner_constraint = fields.Char("Constraint limiting growth")
    owner_mode = fields.Selection([("creation", "Creation"), ("reaction", "Reaction")], "Mode")
    avoided_decision = fields.Char("Decision being avoided")
    ops_work_today = fields.Boolean("Doing ops work today")
    team_readiness = fields.Integer("Team ready (%)", aggregator="avg")
    red_flag_note = fields.Text("Red flags / off-track")
    task_confirmed = fields.Boolean(
        "Role task confirmed", help="Staffing coverage, schedule lock, replenishment or owner summary."
    )
    # what the caller said in his own words: his, and Ops administrators' (managers' when the company opens it)
    coaching_answer = fields.Text("Answer to the coaching question", groups=WORDS_GROUP)
    variance_note = fields.Char("Stock variance")
    # job close-out
    job_id = fields.Many2one("project.task", index="btree_not_null")
    diagnosis_done = fields.Boolean("Diagnosis completed")
    photos_uploaded = fields.Boolean()
    options_presented = fields.Boolean()
    customer_understood = fields.Boolean("Customer understanding confirmed")
    follow_up_needed = fields.Boolean()
    follow_up_note = fields.Text()
    missed_steps = fields.Char(compute="_compute_missed_steps", store=True)
    extra_readings = fields.Text(
        "Readings not on the sheet", readonly=True,
        help="Readings the technician gave that the job's maintenance sheet does not have, as said.")
    skipped_steps = fields.Char(
        "Steps left unanswered", readonly=True,
        help="Flow steps a scripted call gave up on after two invalid or silent answers.")
    # end of day
    eod_kpi_hit = fields.Selection(YES_NO_PARTLY, string="KPI focus hit")
    eod_did_well = fields.Char("One thing done well")
    eod_improve = fields.Char("One thing to improve")
    # safety and outcome
    safety_issue = fields.Boolean(tracking=True)
    safety_note = fields.Text()
    completion_status = fields.Selection(
        [("complete", "Complete"), ("partial", "Partial"), ("incomplete", "Incomplete")],
        default="complete", required=True, tracking=True,
    )
    provider = fields.Selection(providers.checkin_sources(), default="manual", required=True)
    provider_call_id = fields.Char(copy=False, index="btree_not_null")
    end_reason = fields.Char()
    transcript = fields.Text(groups=WORDS_GROUP)
    summary = fields.Text(groups=WORDS_GROUP)
    escalation_ids = fields.Many2many("ops.escalation", string="Escalations", copy=False)
    effects_done = fields.Boolean(
        "Side effects run", copy=False, readonly=True,
        help="The check-in rules and the job update have run for this check-in. The line saves the "
        "answers first and runs these after, retrying them when they fail.")
    is_placeholder = fields.Boolean(
        copy=False, readonly=True,
        help="Left by an end-of-call report for a call that logged nothing; answers arriving later fill it.")
    in_progress = fields.Boolean(
        "Call under way", copy=False, readonly=True,
        help="A scripted call saves its answers as they come; they are final when the call ends.")
    color = fields.Integer(compute="_compute_color")

    @api.depends("followup_ids.commitment_followup")
    def _compute_commitment_kept(self):
        for checkin in self:
            checkin.commitment_kept = checkin.followup_ids[:1].commitment_followup

    @api.model
    def _last_open_commitment(self, employee_id):
        """The person's latest commitment no later call has asked about yet."""
        return self.search_fetch([("employee_id", "=", employee_id), ("commitment", "!=", False),
                                  ("is_placeholder", "=", False), ("in_progress", "=", False),
                                  ("followup_ids", "=", False)], ["commitment", "checkin_date"],
                                 order="start desc, id desc", limit=1)

    _sql_constraints = [
        (
            "team_readiness_range",
            "CHECK(team_readiness BETWEEN 0 AND 100)",
            "Team readiness is a percentage from 0 to 100.",
        ),
        (
            "duration_positive",
            "CHECK(duration_seconds >= 0)",
            "A call cannot last a negative number of seconds.",
        ),
    ]

    def init(self):
        # one check-in per provider call, call type and job: retries change nothing,
        # yet one call may close out several jobs
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS ops_checkin_provider_call_uniq
                ON ops_checkin (provider, provider_call_id, call_type, COALESCE(job_id, 0))
             WHERE provider_call_id IS NOT NULL
        """)

    @api.depends("start", "employee_id.tz")
    def _compute_checkin_date(self):
        for checkin in self:
            checkin.checkin_date = checkin.start and local_now(checkin.employee_id, checkin.start).date()

    @api.depends("energy_level", "company_id")
    def _compute_low_energy(self):
        # low as the company's low-energy rule says, when the call is saved
        thresholds = {company: self.env["ops.escalation_rule"]._line_thresholds(company)["low_energy"]
                      for company in self.company_id}
        for checkin in self:
            checkin.low_energy = 0 < checkin.energy_level <= thresholds.get(checkin.company_id, 0)

    @api.depends("blocker_flag", "blocker_note", "company_id")
    def _compute_blocker_kind(self):
        Route = self.env["ops.blocker.route"]
        for checkin in self:
            if not checkin.blocker_flag:
                checkin.blocker_kind = False
            else:
                checkin.blocker_kind = Route._kind_of(checkin.blocker_note, checkin.company_id)

    @api.depends(
        "call_type", "is_placeholder", "diagnosis_done", "photos_uploaded", "options_presented",
        "customer_understood", "job_id.ops_photo_count", "job_id.ops_sheet_id.photos_required", "job_id.ops_reading_ids.item_id",
    )
    def _compute_missed_steps(self):
        for checkin in self:
            missing = []
            # a placeholder is a hang-up before any answer: nothing was skipped, nothing was said
            if checkin.call_type == "job_closeout" and not checkin.is_placeholder:
                job = checkin.job_id
                missing = closeout.missing_items(
                    {key: checkin[key] for key, _label in checkin_values.JOB_CHECKLIST},
                    photos_required=not job.ops_sheet_id or job.ops_sheet_id.photos_required,
                    photos_in=job.ops_photo_count > 0, missing_readings=job._ops_missing_readings() if job else ())
            checkin.missed_steps = ", ".join(missing) or False

    def _compute_color(self):
        # kanban stripe: red for safety, orange for low energy or blockers
        for checkin in self:
            if checkin.safety_issue:
                checkin.color = 1
            elif checkin.low_energy or checkin.blocker_flag:
                checkin.color = 2
            else:
                checkin.color = 0

    @api.constrains("energy_level")
    def _check_energy(self):
        # 0 means "not asked" (ops-only and close-out calls do not ask it)
        for checkin in self.filtered("energy_level"):
            check_or_raise(checkin_values.check_energy, checkin.energy_level)

    @api.constrains("ready_status", "not_ready_reason", "completion_status")
    def _check_ready(self):
        for checkin in self.filtered("ready_status"):
            check_or_raise(
                checkin_values.check_not_ready_reason,
                checkin.ready_status == "ready",
                checkin.not_ready_reason,
                checkin.completion_status == "complete",
            )

    @api.constrains("focus_summary")
    def _check_focus(self):
        for checkin in self.filtered("focus_summary"):
            check_or_raise(checkin_values.check_focus_words, checkin.focus_summary)

    @api.constrains("call_type", "job_id", "is_placeholder")
    def _check_job(self):
        # a call that hung up in the close-out window, before naming its job, is still kept
        for checkin in self:
            if checkin.call_type == "job_closeout" and not checkin.job_id and not checkin.is_placeholder:
                raise ValidationError(self.env._("A job close-out needs the job it closes."))

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("ops.checkin") or "/"
        checkins = super().create(vals_list)
        if not self.env.context.get("ops_coach_defer_effects"):
            checkins.filtered(lambda checkin: not checkin.effects_done)._run_side_effects()
        return checkins

    def _run_side_effects(self):
        """What a saved check-in sets off: the check-in rules (alerts, notes,
        to-dos) and, for a job close-out, the job's note and state. Runs once
        per check-in; the line runs it after the answers are committed."""
        self.env["ops.escalation_rule"]._apply_checkin_rules(self)
        self._close_the_loops()
        for closeout in self.filtered(lambda checkin: checkin.call_type == "job_closeout" and checkin.job_id):
            closeout._update_job()
        self.effects_done = True

    def _close_the_loops(self):
        """On a call that could ask them back: the blockers he said are cleared are
        resolved, the resolved ones he was told of are marked told, and so is the
        approved training he heard suggested (the oldest). One query per call."""
        Alert = self.env["ops.escalation"]
        for checkin in self.filtered(lambda c: c.call_type in MORNING_CALL_TYPES + ("eod_closeout",)):
            waiting = Alert.search([
                ("employee_id", "=", checkin.employee_id.id), ("checkin_ids", "not in", checkin.ids),
                "|", "&", "&", ("kind", "=", "blocker"), ("state", "in", ("new", "acknowledged", "resolved")),
                ("told_checkin_id", "=", False),
                "&", ("training_state", "=", "approved"), ("training_told_checkin_id", "=", False),
            ], order="training_approved_date, id")
            blocked = waiting.filtered(lambda a: a.kind == "blocker" and not a.told_checkin_id)
            if checkin.blocker_cleared:
                blocked.filtered(lambda a: a.state != "resolved")._cleared_by_caller(checkin)
            blocked._told_on(checkin)
            waiting.filtered(lambda a: a.training_state == "approved" and not a.training_told_checkin_id
                             and a.training_approved_date <= checkin.start)[:1].training_told_checkin_id = checkin

    def _update_job(self):
        """The close-out finishes the job: a note of the checklist and readings, the
        arrival when nobody said it earlier, the job done when nothing is missing
        (what is missing flagged on the job), and a linked return visit when a
        follow-up is needed."""
        self.ensure_one()
        job = self.job_id
        lines = [f"Close-out {self.name} by {self.employee_id.name}."]
        lines.append(f"Missing: {self.missed_steps}." if self.missed_steps else "Checklist complete.")
        readings = job.ops_reading_ids.filtered(lambda reading: reading.checkin_id == self)
        if readings:
            lines.append("Readings: " + "; ".join(
                f"{r.item_id.name} {r.value}{' (out of range, confirmed)' if r.out_of_range else ''}"
                for r in readings) + ".")
        if self.extra_readings:
            lines.append(f"Not on this job's sheet, as said: {self.extra_readings}.")
        if not job.ops_arrived_at:
            job.ops_arrived_at = self.start
        self._finish_job()
        if self.follow_up_needed:  # booked after the job is done: its days count from there
            visit = self._book_return_visit()
            lines.append(f"Follow-up: {self.follow_up_note or 'needed'} (return visit {visit.name}).")
        # automated notes are authored by OdooBot, who can post without a mail server
        job.message_post(body="\n".join(lines), author_id=self.env.ref("base.partner_root").id,
                         subtype_xmlid="mail.mt_note")

    def _finish_job(self):
        """Mark the job done when this close-out leaves nothing missing; else
        flag what is missing on the job. Runs again when photos arrive."""
        self.ensure_one()
        values = {"ops_closeout_missing": self.missed_steps or False}
        if not self.missed_steps and self.job_id.state != JOB_DONE_STATE:
            values["state"] = JOB_DONE_STATE
        self.job_id.write(values)

    def _book_return_visit(self):
        """The follow-up the technician asked for: same customer and project,
        "Return visit of" this job, unassigned, for dispatch to schedule."""
        job = self.job_id
        return self.env["project.task"].create({
            "name": f"Return visit: {job.name}", "project_id": job.project_id.id, "partner_id": job.partner_id.id,
            "ops_origin_task_id": job.id, "ops_return_reason": "second_trip", "user_ids": [fields.Command.clear()],
            "description": self.follow_up_note or False,
        })

    def _rule_facts(self):
        """What the check-in rules read of this call (coach.rules decides)."""
        self.ensure_one()
        return {"name": self.employee_id.name, "call_type": self.call_type, "safety_issue": self.safety_issue,
                "safety_note": self.safety_note, "missed_steps": self.missed_steps, "job": self.job_id.name,
                "ready_status": self.ready_status, "not_ready_reason": self.not_ready_reason,
                "blocker_flag": self.blocker_flag, "blocker_note": self.blocker_note,
                "followups": self._followups_newest_first(), "followed_commitment": self.followed_checkin_id.commitment}

    def _followups_newest_first(self, limit=10):
        """This person's follow-up answers up to this call (none asked on it: no query)."""
        if not self.commitment_followup:
            return ()
        earlier = self.search_fetch([("employee_id", "=", self.employee_id.id), ("commitment_followup", "!=", False),
                                     ("start", "<=", self.start)], ["commitment_followup"],
                                    order="start desc, id desc", limit=limit)
        return tuple(earlier.mapped("commitment_followup"))

    def _evidence_line(self):
        """One line a manager reads in an alert: what this call said."""
        self.ensure_one()
        parts = [dict(self._fields["call_type"].selection).get(self.call_type)]
        if self.energy_level:
            parts.append(f"energy {self.energy_level}")
        if self.not_ready_reason:
            parts.append(f"not ready ({self.not_ready_reason})")
        if self.blocker_note:
            parts.append(f"blocker: {self.blocker_note}")
        if self.safety_note:
            parts.append(f"safety: {self.safety_note}")
        if self.missed_steps:
            parts.append(f"missed: {self.missed_steps}")
        return ", ".join(p for p in parts if p)
