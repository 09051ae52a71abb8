import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError

CLOSED_STATES = ("1_done", "1_canceled")
RETURN_REASONS = [
    ("recall", "Recall (technician error)"),
    ("second_trip", "Second trip (parts, not finished)"),
    ("warranty", "Warranty (equipment)"),
    ("customer", "Customer request"),
    ("rework", "Rework (install workmanship)"),
]


class ProjectProject(models.Model):
    _inherit = "project.project"

    ops_install_jobs = fields.Boolean(
        "Install jobs", help="A recall of one of this project's jobs is a callback for a year after the "
                             "install, not 30 days (ServiceTitan).")
    ops_sheet_id = fields.Many2one(
        "ops.sheet", "Maintenance sheet", index="btree_not_null", ondelete="set null",
        help="The readings the Ops line asks at the close-out of this job type's jobs.")


class ProjectTask(models.Model):
    """The job facts the KPIs need, kept on the job itself."""

    _inherit = "project.task"

    ops_done_date = fields.Datetime(
        "Done on", copy=False, index=True, readonly=True,
        help="When the job entered a closed state, whatever moved it there (Odoo's own end date only "
             "follows folded stages).")
    ops_arrived_at = fields.Datetime("Arrived on site", copy=False, help="Said by the technician on the line.")
    ops_is_install = fields.Boolean(related="project_id.ops_install_jobs", store=True, string="Install job")
    ops_on_time = fields.Boolean(
        "Arrived on time", compute="_compute_ops_on_time", store=True,
        help="Arrived no later than the appointment (the job's deadline) plus the grace of the company's "
             "Ops Coach settings (15 minutes by default).")
    ops_origin_task_id = fields.Many2one(
        "project.task", "Return visit of", copy=False, index="btree_not_null", ondelete="set null",
        help="The earlier job this visit goes back to: callbacks and first-time fix are counted from it.")
    ops_return_task_ids = fields.One2many("project.task", "ops_origin_task_id", "Return visits")
    ops_return_reason = fields.Selection(RETURN_REASONS, "Return reason", copy=False)
    ops_days_after_origin = fields.Integer(
        "Days after the first visit", copy=False,
        help="Days from the earlier job's completion to the booking of this return visit, fixed when they "
             "are linked (the 30-day callback window is counted on it).")

    ops_sheet_id = fields.Many2one(
        "ops.sheet", "Maintenance sheet", compute="_compute_ops_sheet_id", store=True, readonly=False,
        ondelete="set null", help="The job type's sheet unless this job names another.")
    ops_reading_ids = fields.One2many("ops.job.reading", "task_id", "Readings")
    ops_photo_count = fields.Integer(
        "Photos received", copy=False, readonly=True, help="Files that reached the job through its photo links.")
    ops_closeout_missing = fields.Char(
        "Close-out missing", copy=False, readonly=True,
        help="What the last close-out left open: the job is marked done once nothing is missing.")
    ops_upload_link_ids = fields.One2many("ops.upload_link", "task_id", "Photo links")
    ops_field_quote_ids = fields.One2many("ops.field_quote", "task_id", "Quotes from the field")

    @api.depends("project_id.ops_sheet_id")
    def _compute_ops_sheet_id(self):
        for task in self:
            task.ops_sheet_id = task.project_id.ops_sheet_id

    def _ops_missing_readings(self):
        """Labels of the sheet's required readings this job has no value for."""
        self.ensure_one()
        done = set(self.ops_reading_ids.item_id.mapped("code"))
        return [item.name for item in self.ops_sheet_id.item_ids.sorted("sequence")
                if item.required and item.code not in done]

    def action_ops_send_photo_link(self):
        """Text (or email) a photo link now to each technician assigned to this job."""
        self.ensure_one()
        employees = self.user_ids.employee_id.filtered(
            lambda employee: self.env["ops.tech_profile"].search_count([("employee_id", "=", employee.id)]))
        if not employees:
            raise UserError(self.env._("Assign the job to a technician on the Ops line first: the link goes to him."))
        Link = self.env["ops.upload_link"].sudo()
        links = Link.union(*(Link._request(self, employee, self.env["ops.call_event"]) for employee in employees))
        links._send()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "sticky": False,
            "message": self.env._("Photo link sent to %(names)s.", names=", ".join(employees.mapped("name")))}}

    def action_ops_revoke_photo_links(self):
        """Turn off every photo link of these jobs (a lost phone, a wrong number)."""
        self.ops_upload_link_ids.filtered(lambda link: not link.revoked).action_revoke()
        return True

    @api.depends("ops_arrived_at", "date_deadline")
    def _compute_ops_on_time(self):
        grace = datetime.timedelta(minutes=int(
            self.env["ir.config_parameter"].sudo().get_param("ops_coach.arrival_grace_minutes", 15)))
        for task in self:
            task.ops_on_time = bool(task.ops_arrived_at and task.date_deadline
                                    and task.ops_arrived_at <= task.date_deadline + grace)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("state") in CLOSED_STATES and not vals.get("ops_done_date"):
                vals["ops_done_date"] = now
        tasks = super().create(vals_list)
        # after create: the link may come from a default (the dispatcher's button)
        for task, vals in zip(tasks, vals_list):
            if task.ops_origin_task_id and "ops_days_after_origin" not in vals:
                task.ops_days_after_origin = self._ops_days_since(task.ops_origin_task_id, now)
        return tasks

    @staticmethod
    def _ops_days_since(origin, now):
        """Days from the earlier job's completion: fixed when a return visit is linked."""
        return max((now - origin.ops_done_date).days, 0) if origin.ops_done_date else 0

    def write(self, vals):
        result = super().write(vals)
        # after Odoo's own checks: the value written is then known to be a job this user may link
        if vals.get("ops_origin_task_id") and "ops_days_after_origin" not in vals:
            super().write({"ops_days_after_origin": self._ops_days_since(self[:1].ops_origin_task_id,
                                                                         fields.Datetime.now())})
        # the done date follows the state, whatever changed it (a button, a stage, a cascade)
        closed = self.filtered(lambda task: task.state in CLOSED_STATES and not task.ops_done_date)
        reopened = self.filtered(lambda task: task.state not in CLOSED_STATES and task.ops_done_date)
        if closed:
            super(ProjectTask, closed).write({"ops_done_date": fields.Datetime.now()})
        if reopened:
            super(ProjectTask, reopened).write({"ops_done_date": False})
        return result

    def action_ops_book_return_visit(self):
        """The dispatcher books a return visit from the job it goes back to:
        same customer and project, linked, the reason to pick."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "project.task", "view_mode": "form", "target": "current",
            "name": self.env._("Return visit of %(job)s", job=self.name),
            "context": {"default_ops_origin_task_id": self.id, "default_project_id": self.project_id.id,
                        "default_partner_id": self.partner_id.id,
                        "default_name": self.env._("Return visit: %(job)s", job=self.name)},
        }

    @api.model
    def _ops_backfill_done_dates(self):
        """On install: closed jobs get the best date Odoo kept."""
        self.flush_model(["state", "ops_done_date", "date_end", "date_last_stage_update"])
        self.env.cr.execute("""
            UPDATE project_task
               SET ops_done_date = COALESCE(date_end, date_last_stage_update, write_date)
             WHERE state IN %s AND ops_done_date IS NULL
        """, [CLOSED_STATES])
        self.invalidate_model(["ops_done_date"])
