import datetime

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_amount

from ..coach import briefing
from ..coach.vocabulary import HEAD_ROLES, MORNING_CALL_TYPES
from .ops_tools import company_now, line_now

SEND_WINDOW_HOURS = 3  # a cron that ran late still briefs the morning, not the evening


class OpsBriefing(models.Model):
    """One person's morning briefing: who needs them today, from records only.
    Kept as an archive, with when the reader opened it."""

    _name = "ops.briefing"
    _description = "Ops morning briefing"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "subject"

    user_id = fields.Many2one("res.users", "For", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(required=True, index=True, help="The company's day the briefing is for.")
    scope = fields.Selection([("team", "My team"), ("company", "The company")], required=True)
    subject = fields.Char(required=True)
    body = fields.Html(sanitize=True, readonly=True)
    item_count = fields.Integer("Things to act on")
    read_date = fields.Datetime(compute="_compute_read_date",
                                help="When the reader read it in the inbox or marked it read.")
    marked_read_date = fields.Datetime(readonly=True)

    _sql_constraints = [("user_date_uniq", "unique(user_id, date)", "One briefing per person and day.")]

    def _inbox_notifications(self):
        return self.env["mail.notification"].sudo().search([
            ("mail_message_id.model", "=", self._name), ("mail_message_id.res_id", "in", self.ids),
            ("notification_type", "=", "inbox")])

    def _compute_read_date(self):
        read = {(n.mail_message_id.res_id, n.res_partner_id.id): n.read_date
                for n in self._inbox_notifications() if n.is_read}
        for record in self:
            record.read_date = read.get((record.id, record.user_id.partner_id.id)) or record.marked_read_date

    def action_mark_read(self):
        """The reader marks their own briefing read (nobody else's), in the inbox too."""
        mine = self.filtered(lambda b: b.user_id == self.env.user and not b.read_date)
        now = fields.Datetime.now()
        mine.sudo().marked_read_date = now
        mine._inbox_notifications().filtered(
            lambda n: n.res_partner_id == self.env.user.partner_id and not n.is_read).write(
            {"is_read": True, "read_date": now})

    # ---------------------------------------------------------------- sending
    @api.model
    def _cron_send(self):
        """Every company whose morning has come (its briefing hour, its
        timezone, a workday) briefs each person who manages someone on the line."""
        now = line_now(self.env)
        briefings = self.browse()
        for [company] in self.env["ops.tech_profile"]._read_group([], ["company_id"]):
            day = self._morning_of(company, now)
            if day:
                briefings |= self._brief_company(company, day, now)
        return briefings

    @api.model
    def _morning_of(self, company, now):
        """The company's date when ``now`` is within its briefing window on one of its workdays."""
        local = company_now(company, now)
        hours = local.hour + local.minute / 60 - company.ops_briefing_hour
        if 0 <= hours < SEND_WINDOW_HOURS and local.weekday() in company._ops_weekdays():
            return local.date()
        return None

    @api.model
    def _brief_company(self, company, day, now):
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", company.id)])
        heads = self._heads(company)
        done = self.search([("company_id", "=", company.id), ("date", "=", day)]).user_id
        views = {}  # the company's view is worked out once for all its heads
        created = self.browse()
        assigned = self._assigned_blockers(company, now)
        for user in (heads | profiles.manager_id.user_id | self.env["res.users"].union(*assigned)) - done:
            key = "company" if user in heads else user.id
            if key not in views:
                views[key] = self._facts_for(user, company, profiles, heads, day, now)
            facts, totals = views[key]
            facts = dict(facts, assigned=assigned.get(user, []))
            sections = briefing.compose(facts, totals)
            if sections:
                created |= self._deliver(user, company, day, "company" if totals else "team", facts, sections)
        return created

    @api.model
    def _assigned_blockers(self, company, now):
        """``{user: lines}``: the open blockers each person was assigned to clear."""
        lines = {}
        for alert in self.env["ops.escalation"].search([
                ("company_id", "=", company.id), ("assigned_user_id", "!=", False),
                ("state", "in", ("new", "acknowledged")), ("raised_date", "<=", now)], order="raised_date"):
            lines.setdefault(alert.assigned_user_id, []).append(briefing.alert_line(
                alert.employee_id.name, alert._blocker_note(), alert.state, alert.raised_date, now))
        return lines

    @api.model
    def _heads(self, company):
        """The owner and ops director (by role): they are briefed on the whole company."""
        Rule = self.env["ops.escalation_rule"]
        return self.env["res.users"].union(*(Rule._role_users(code, company) for code in HEAD_ROLES))

    @api.model
    def _facts_for(self, user, company, profiles, heads, day, now):
        """``(facts, totals)``: the whole company for its heads (with the
        numbers), the people under them for the others."""
        Profile = self.env["ops.tech_profile"]
        if user in heads:
            return Profile._briefing_facts(profiles, now), self._company_totals(company, profiles, day)
        managers = user.employee_ids.filtered(lambda e: e.company_id == company)
        team = self.env["hr.employee"].search([("id", "child_of", managers.ids)]) - managers
        return Profile._briefing_facts(profiles.filtered(lambda p: p.employee_id in team), now), None

    def action_preview(self):
        """This morning's briefing of the current user, as the cron would write
        it now (read with the cron's rights, for this user only); nothing is
        archived or sent. A list header button: the records selected, if any,
        do not matter."""
        if not self.env.user.has_group("ops_coach.group_ops_manager"):
            raise AccessError(self.env._("Only managers get a morning briefing."))
        now = line_now(self.env)
        company = self.env.company
        day = company_now(company, now).date()
        cron = self.sudo()
        profiles = cron.env["ops.tech_profile"].search([("company_id", "=", company.id)])
        facts, totals = cron._facts_for(self.env.user, company, profiles, cron._heads(company), day, now)
        facts = dict(facts, assigned=cron._assigned_blockers(company, now).get(self.env.user, []))
        sections = briefing.compose(facts, totals)
        preview = self.env["ops.briefing.preview"].create({
            "subject": briefing.subject(day, facts),
            "body": self._html(sections) if sections else Markup("<p>%s</p>") % self.env._(
                "Nothing needs you this morning: no briefing would be sent.")})
        return {"type": "ir.actions.act_window", "res_model": preview._name, "res_id": preview.id,
                "name": preview.subject, "views": [(False, "form")], "target": "new"}

    @api.model
    def _company_totals(self, company, profiles, day):
        """The last 7 days' system KPIs, the people and the open alerts, and the money lines."""
        totals = self.env["ops.system_kpi"]._totals(
            [("company_id", "=", company.id), ("date", ">=", day - datetime.timedelta(days=7)), ("date", "<", day)])
        median_hours, same_day = self.env["ops.escalation"]._blocker_clearing(
            company, day - datetime.timedelta(days=30), day)
        return dict(totals, people_on_line=len(profiles), receivables=self._receivables(company, day),
                    blocker_median_hours=median_hours, blocker_same_day=same_day,
                    open_alerts=self.env["ops.escalation"].search_count(
                        [("company_id", "=", company.id), ("state", "in", ("new", "acknowledged")),
                         ("raised_date", "<=", line_now(self.env))]))

    @api.model
    def _receivables(self, company, day):
        """Seed 004's money lines, where Invoicing is installed: overdue
        customer invoices by age, and the cash runway where its KPI has a value."""
        if "account.move" not in self.env:
            return []
        invoices = self.env["account.move"].search_read([
            ("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")), ("invoice_date_due", "<", day)],
            ["invoice_date_due", "amount_residual_signed"])
        money = lambda amount: format_amount(self.env, amount, company.currency_id)  # noqa: E731
        lines = briefing.receivable_lines(
            [(row["invoice_date_due"], row["amount_residual_signed"]) for row in invoices], day, money)
        runway = self.env["ops.kpi.value"].search(
            [("company_id", "=", company.id), ("kpi_id.method", "=", "cash_runway")], order="period_start desc",
            limit=1)
        if runway:  # the owner's cash-runway KPI, computed from the bank journals
            months = "%g" % runway.value  # outside the translated text: the extractor reads literals only
            lines.append((self.env._("Cash runway"), self.env._("%(months)s months", months=months)))
        return lines

    @api.model
    def _spoken_company_briefing(self, company, now):
        """What the owner and ops director hear as their call opens: the
        morning briefing's facts for the whole company, said in a few lines."""
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", company.id)])
        facts = profiles._today_facts(now)
        expected = profiles.filtered(lambda p: p.role_ids.filtered("am_required"))
        called = {(employee.id, day) for employee, day in self.env["ops.checkin"]._read_group(
            [("employee_id", "in", expected.employee_id.ids), ("call_type", "in", MORNING_CALL_TYPES),
             ("checkin_date", "in", list({fact["day"] for fact in facts.values()}))],
            ["employee_id", "checkin_date:day"])}
        alerts = self.env["ops.escalation"].search([("company_id", "=", company.id), ("state", "in", ("new", "acknowledged"))])
        runway = self.env["ops.kpi.value"].search(
            [("company_id", "=", company.id), ("kpi_id.method", "=", "cash_runway")], order="period_start desc", limit=1)
        return briefing.spoken({
            "calls_made": sum(1 for p in expected if (p.employee_id.id, facts[p.id]["day"]) in called),
            "calls_expected": len(expected),
            "not_ready": [p.name for p in profiles.sorted("name") if facts[p.id]["not_ready"]],
            "alert_ages": briefing.alert_ages(alerts.mapped("raised_date"), now),
            "blockers_waiting": len(alerts.filtered(lambda a: a.kind == "blocker")),
            "runway_months": runway.value if runway else None,
        })

    @api.model
    def _deliver(self, user, company, day, scope, facts, sections):
        """Archive the briefing first, then notify: in the inbox (or by email,
        as the user chose), and by email too when the company sends mail."""
        body = self._html(sections)
        record = self.create({
            "user_id": user.id, "company_id": company.id, "date": day, "scope": scope, "body": body,
            "subject": briefing.subject(day, facts), "item_count": sum(len(v) for v in facts.values()),
        })
        record.message_notify(partner_ids=user.partner_id.ids, subject=record.subject, body=body,
                              author_id=self.env.ref("base.partner_root").id,
                              email_layout_xmlid="mail.mail_notification_light")
        if user.notification_type == "inbox" and user.email and self.env["ir.mail_server"].sudo().search_count([]):
            self.env["mail.mail"].sudo().create({
                "subject": record.subject, "body_html": body, "email_to": user.email_formatted,
                "model": self._name, "res_id": record.id, "auto_delete": True})
        self.env["ops.delivery"]._queue_briefing(record)
        return record

    @staticmethod
    def _html(sections):
        return Markup("").join(
            Markup("<h4>%s</h4><ul>%s</ul>") % (title, Markup("").join(Markup("<li>%s</li>") % line for line in lines))
            for title, lines in sections)

