import datetime
import random

import pytz

from odoo import api, fields, models

from ..coach import kpi_compute
from ..coach.vocabulary import MORNING_CALL_TYPES
from ..coach.periods import last_full_workweek, period_start

DEMO_DAYS = 60  # two dashboard periods: this one and the one before
DEMO_EVENING_HOUR = 18  # the anchor Friday's local hour the demo's rules run at
JOB_WEEKS = 13  # the jobs behind the computed KPIs: the last 13 full work weeks
JOBS_PER_WEEK = 8
# the two stories a newcomer should find in the demo
LOW_ENERGY_TECH = "ops_coach.demo_employee_luis"
DECLINING_KPI_TECH = "ops_coach.demo_employee_maya"
SILENT_TODAY_TECH = "ops_coach.demo_employee_dan"  # has not called this morning
DEMO_TZ = "America/Chicago"
COMMITMENTS = [
    "Photos before I leave every job",
    "Call the customer 30 minutes out",
    "Present three options on every repair",
    "Finish notes in the driveway",
    "Check the filter on every visit",
]
FOCUSES = ["Clean close-outs every job", "Fix it first time", "Three options every door",
           "On time all day", "Notes done before leaving"]
BLOCKERS = ["Waiting on a capacitor from the supply house", "Truck AC is out",
            "Permit not back from the city", "Customer keeps rescheduling"]
CHECKLIST = ("diagnosis_done", "photos_uploaded", "options_presented", "customer_understood")
CALL_TYPE_BY_ROLE = {
    "owner": "owner_checkin", "ops_director": "gm_checkin", "service_manager": "manager_checkin",
    "install_manager": "manager_checkin", "dispatch": "dispatch_checkin",
    "accounting": "accounting_checkin", "warehouse": "warehouse_checkin",
}


class OpsCoachDemo(models.AbstractModel):
    """Generates the demo company's history relative to today, so the demo
    always shows the two months up to its anchor week."""

    _name = "ops.coach.demo"
    _description = "Ops Coach demo data generator"

    @api.model
    def _generate(self):
        """The demo replays the last full work week (Monday to Friday) and the
        month before it, with the line's clock set to that Friday's evening,
        so an install on any weekday tells the same story."""
        monday = last_full_workweek(fields.Date.context_today(self))
        friday = monday + datetime.timedelta(days=4)
        demo = self.with_context(ops_now=self._local(friday, DEMO_EVENING_HOUR))
        demo._replay(friday)
        self._since_the_story(friday, fields.Datetime.now())

    def _since_the_story(self, friday, now):
        """The workdays after the story's Friday, up to this morning, loaded
        quietly (no rules), so Today, streaks and "this week" read true on any
        day: full days before today, today's morning calls only, and one
        technician who has not called yet. Then each manager's briefing of the
        last workday morning."""
        local = pytz.utc.localize(now).astimezone(pytz.timezone(DEMO_TZ))
        days = [friday + datetime.timedelta(days=n) for n in range(1, (local.date() - friday).days + 1)]
        days = [day for day in days if day.weekday() < 5]
        if days:
            self._demo_days_since(days, local.date(), now)
            for day in days[:-1] if days[-1] == local.date() else days:  # whole days only
                self.env["ops.system_kpi"]._cron_compute(day)
        # the briefing of the last workday whose briefing hour has come (before 06:30, yesterday's)
        company = self.env.ref("ops_coach.demo_employee_sam").company_id
        for day in reversed([friday] + days):
            brief_at = self._local(day, 0) + datetime.timedelta(hours=company.ops_briefing_hour)
            if brief_at <= now:
                self.env["ops.briefing"].with_context(ops_now=brief_at)._brief_company(company, day, brief_at)
                break

    def _demo_days_since(self, days, today, now):
        rng = random.Random(26)  # its own: the story's draws stay the same
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", self.env.company.id)])
        jobs = self._demo_week_jobs(profiles, days, today)
        low_energy, silent = self.env.ref(LOW_ENERGY_TECH), self.env.ref(SILENT_TODAY_TECH)
        vals_list = []
        for day in days:
            for profile in profiles:
                if "field" in profile.role_ids.mapped("level"):
                    calls = self._demo_field_day(rng, profile, day, jobs, low=profile.employee_id == low_energy)
                else:
                    calls = self._demo_office_day(rng, profile, day)
                if day == today:  # this morning: the morning calls made so far
                    calls = [] if profile.employee_id == silent else [
                        vals for vals in calls if vals["call_type"] in MORNING_CALL_TYPES and vals["start"] <= now]
                vals_list += calls
        self.env["ops.checkin"].create([dict(vals, effects_done=True) for vals in vals_list])

    def _demo_week_jobs(self, profiles, days, today):
        """The field people's two jobs a day since the story: done on the days
        before today, booked and open today."""
        project = self.env.ref("ops_coach.demo_project_jobs")
        field = profiles.filtered(lambda p: "field" in p.role_ids.mapped("level") and p.employee_id.user_id)
        jobs = []
        for profile in field:
            for day in days:
                for n, kind in enumerate(("Tune-up", "No cooling")):
                    appointment = self._local(day, 8 + 4 * n)
                    done = day < today
                    jobs.append({
                        "name": f"{profile.employee_id.name.split()[0]}: {kind}", "project_id": project.id,
                        "user_ids": [fields.Command.set(profile.employee_id.user_id.ids)],
                        "date_deadline": appointment, "ops_arrived_at": done and appointment or False,
                        "state": "1_done" if done else "01_in_progress",
                        "ops_done_date": done and appointment + datetime.timedelta(hours=2),
                    })
        created = self.env["project.task"].with_context(tracking_disable=True, mail_create_nolog=True).create(jobs)
        return self._morning_jobs(created)

    def _morning_jobs(self, jobs):
        """``{(employee id, day): job}``: each person's first job of a day, the one a close-out closes."""
        morning = {}
        for job in jobs.sorted("date_deadline"):
            key = (job.user_ids.employee_ids[:1].id, kpi_compute.local_date(job.date_deadline, DEMO_TZ))
            morning.setdefault(key, job)
        return morning

    def _replay(self, today):
        rng = random.Random(18)  # the same demo on every install
        profiles = self.env["ops.tech_profile"].search([("company_id", "=", self.env.company.id)])
        workdays = [today - datetime.timedelta(days=n) for n in range(DEMO_DAYS, -1, -1)]
        workdays = [day for day in workdays if day.weekday() < 5]
        for profile in profiles.filtered(lambda p: not p.goal_progress):
            profile.goal_progress = rng.randint(20, 75)
        jobs = self._demo_jobs(profiles, today)
        self._demo_checkins(rng, profiles, workdays, today, jobs)
        # what Odoo can count is counted (jobs, check-ins); the rest is typed, as a company would
        self.env["ops.kpi"]._cron_compute_values(periods=JOB_WEEKS + 1)
        self._demo_kpi_values(rng, profiles, today)
        # the rules, not a script, decide which alerts the demo shows
        self.env["ops.escalation_rule"]._cron_daily()
        self._demo_acknowledge()
        monday = today - datetime.timedelta(days=today.weekday())
        self.env["ops.weekly_summary"]._cron_weekly(monday)
        for days_ago in range(DEMO_DAYS, -1, -1):
            self.env["ops.system_kpi"]._cron_compute(today - datetime.timedelta(days=days_ago))

    def _demo_checkins(self, rng, profiles, workdays, today, jobs):
        """History older than a week is loaded quietly; the last week's calls
        run through the check-in rules as live calls would."""
        low_energy = self.env.ref(LOW_ENERGY_TECH)
        quiet_until = today - datetime.timedelta(days=7)
        history, last_week = [], {}
        for day in workdays:
            vals_list = history if day < quiet_until else last_week.setdefault(day, [])
            recent = day >= workdays[-3]
            for profile in profiles:
                roles = profile.role_ids
                if roles.filtered(lambda r: r.level == "field"):
                    vals_list += self._demo_field_day(
                        rng, profile, day, jobs, low=recent and profile.employee_id == low_energy
                    )
                else:
                    vals_list += self._demo_office_day(rng, profile, day)
        Checkin = self.env["ops.checkin"]
        history = [dict(vals, effects_done=True) for vals in history]  # loaded quietly: no rules
        checkins = Checkin.create(history)
        for day, vals_list in last_week.items():  # each day's alerts raised that evening
            checkins |= Checkin.with_context(ops_now=self._local(day, DEMO_EVENING_HOUR)).create(vals_list)
        self._demo_followups(checkins)
        return checkins

    def _demo_followups(self, checkins):
        """Each morning call asked back the commitment before it: mostly done.
        The newest commitment of each person stays open, for their next call."""
        rng = random.Random(7)  # its own: the story above keeps its draws
        for employee in checkins.employee_id:
            made = None
            for checkin in checkins.filtered(lambda c, e=employee: c.employee_id == e).sorted("start"):
                if made and checkin.commitment:
                    checkin.write({"followed_checkin_id": made.id, "commitment_followup": rng.choices(
                        ["done", "partly", "not_done"], weights=[7, 2, 1])[0]})
                made = checkin if checkin.commitment else made

    def _at(self, day, hour, minute):
        # demo times are written in UTC; the demo people work in America/Chicago (UTC-5/-6)
        return datetime.datetime.combine(day, datetime.time(hour + 6, minute))

    def _demo_field_day(self, rng, profile, day, jobs, low):
        employee = profile.employee_id
        role = profile.role_ids[:1]
        kpi = profile.primary_kpi_ids[:1]
        base = {"employee_id": employee.id, "role_id": role.id, "company_id": employee.company_id.id,
                "provider": "vapi", "primary_kpi_id": kpi.id}
        if not low and rng.random() < 0.05:
            return [dict(base, call_type="ops_only", start=self._at(day, 6, rng.randint(30, 59)),
                         duration_seconds=rng.randint(25, 50), ready_status="not_ready",
                         not_ready_reason=rng.choice(["sick", "vehicle", "family"]))]
        blocker = rng.random() < 0.05
        strength = profile.strength_line_ids[:1].strength_id
        am = dict(
            base, call_type="am_checkin", start=self._at(day, 6, rng.randint(30, 59)),
            duration_seconds=rng.randint(70, 150), ready_status="ready",
            energy_level=2 if low else rng.choice([3, 3, 4, 4, 4, 5]),
            blocker_flag=blocker, blocker_note=blocker and rng.choice(BLOCKERS) or False,
            kpi_action="Run the full checklist on every call", focus_summary=rng.choice(FOCUSES),
            commitment=rng.choice(COMMITMENTS), goal_action="Study one chapter at lunch",
            coach_strength_id=strength.id, coach_prompt_used=strength.coaching_prompt,
        )
        rng.choice(['No cooling', 'Tune-up', 'Water heater', 'Install'])  # drawn as ever: the story keeps its draws
        checklist = {key: rng.random() > 0.02 for key in CHECKLIST}
        closeout = dict(base, call_type="job_closeout", start=self._at(day, 11, rng.randint(0, 59)),
                        duration_seconds=rng.randint(45, 100), follow_up_needed=rng.random() < 0.2, **checklist)
        # the close-out is of the person's morning job; a day without one (Friday) has none
        job = jobs.get((employee.id, day))
        eod = dict(base, call_type="eod_closeout", start=self._at(day, 16, rng.randint(0, 59)),
                   duration_seconds=rng.randint(40, 90), eod_kpi_hit=rng.choice(["yes", "yes", "partly", "no"]),
                   eod_did_well="Explained options clearly", eod_improve="Start notes earlier")
        if not job:
            return [am, eod]
        return [am, dict(closeout, job_id=job.id, follow_up_needed=False), eod]

    def _demo_office_day(self, rng, profile, day):
        role = profile.role_ids[:1]
        if role.code == "accounting" and day.weekday() != 0:
            return []
        if role.code == "owner" and day.weekday() not in (0, 3):
            return []
        employee = profile.employee_id
        return [{
            "employee_id": employee.id, "role_id": role.id, "company_id": employee.company_id.id,
            "provider": "vapi", "call_type": CALL_TYPE_BY_ROLE.get(role.code, "am_checkin"),
            "start": self._at(day, 7, rng.randint(0, 59)), "duration_seconds": rng.randint(60, 170),
            "ready_status": "ready", "energy_level": rng.choice([3, 4, 4, 5]),
            "primary_kpi_id": profile.primary_kpi_ids[:1].id,
            "focus_summary": "Unblock the field today", "commitment": "Clear two blockers before noon",
        }]

    def _demo_jobs(self, profiles, today):
        """Two jobs a day, Monday to Thursday, for every field person over the
        last full work weeks, done and arrived at as the line would record
        them. One technician in two has a recall every other week (noise, no
        trend); Maya's second trips grow over the last four weeks, so her
        computed first-time fix falls."""
        project = self.env.ref("ops_coach.demo_project_jobs")
        maya = self.env.ref(DECLINING_KPI_TECH)
        last_monday = period_start(today, "weekly")  # the anchor week
        field = profiles.filtered(lambda p: "field" in p.role_ids.mapped("level") and p.employee_id.user_id)
        Task = self.env["project.task"].with_context(tracking_disable=True, mail_create_nolog=True)
        jobs, returns = [], []
        for index, profile in enumerate(field.sorted("id")):
            employee = profile.employee_id
            for week in range(JOB_WEEKS):  # 0 is the last full week
                monday = last_monday - datetime.timedelta(weeks=week)
                if employee == maya:
                    returning = {n: "second_trip" for n in range(max(0, 3 - week))}  # 3, 2, 1 back in time
                else:
                    returning = {0: "recall"} if (week + index) % 2 else {}
                for n in range(JOBS_PER_WEEK):
                    day = monday + datetime.timedelta(days=n // 2)
                    appointment = self._local(day, 8 + 4 * (n % 2))
                    late = (n + week) % JOBS_PER_WEEK == 0  # one late arrival a week
                    arrived = appointment + datetime.timedelta(minutes=25 if late else -10)
                    jobs.append({
                        "name": f"{employee.name.split()[0]}: {['No cooling', 'Tune-up', 'Water heater', 'Leak'][n % 4]}",
                        "project_id": project.id, "user_ids": [fields.Command.set(employee.user_id.ids)],
                        "date_deadline": appointment, "ops_arrived_at": arrived, "state": "1_done",
                        "ops_done_date": arrived + datetime.timedelta(hours=2),
                    })
                    if n in returning:
                        returns.append((len(jobs) - 1, returning[n]))
        created = Task.create(jobs)
        Task.create([{
            "name": f"Return visit: {created[position].name}", "project_id": project.id,
            "ops_origin_task_id": created[position].id, "ops_return_reason": reason,
            "ops_days_after_origin": 6, "user_ids": [fields.Command.clear()],
        } for position, reason in returns])
        return self._morning_jobs(created)

    def _local(self, day, hour):
        """A Chicago wall-clock time on ``day`` as the UTC datetime Odoo stores."""
        return kpi_compute.utc_naive(day, DEMO_TZ, hour)

    def _demo_kpi_values(self, rng, profiles, today):
        """Typed values for the KPIs this database cannot compute (no app, or no
        source at all): levels that wobble, never a trend."""
        vals_list = []
        for profile in profiles:
            for kpi in profile.primary_kpi_ids.filtered(lambda k: not k._computable()):
                step = {"daily": 1, "weekly": 7, "monthly": 30}[kpi.period]
                target = kpi.target or 10
                for n in range(6, 0, -1):
                    level = target * (0.97 + 0.06 * ((profile.id * 7 + kpi.id) % 5) / 4)
                    vals_list.append({"employee_id": profile.employee_id.id, "kpi_id": kpi.id,
                                      "period_start": today - datetime.timedelta(days=step * n),
                                      "value": round(level * (1.015 if n % 2 else 0.985), 1)})
        self.env["ops.kpi.value"].create(vals_list)

    def _demo_acknowledge(self):
        """Sam has already acknowledged Maya's KPI alert: the demo shows both states."""
        maya = self.env.ref(DECLINING_KPI_TECH)
        self.env["ops.escalation"].search([("employee_id", "=", maya.id), ("state", "=", "new"),
                                           ("kind", "=", "kpi_decline")]).with_user(
            self.env.ref("ops_coach.demo_user_manager")).action_acknowledge()
