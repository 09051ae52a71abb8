"""Small helpers shared by the models (Odoo side of the pure package)."""

import pytz

from odoo import fields
from odoo.exceptions import ValidationError

from ..coach.checkin_values import InvalidValue


def check_or_raise(check, *args):
    """Run a pure check; its speakable message becomes a ValidationError."""
    try:
        return check(*args)
    except InvalidValue as error:
        raise ValidationError(str(error)) from error


def schedule_todos(env, model_name, todos):
    """Create to-dos in one batch, assigned by OdooBot (the notification needs an
    author with a mailbox, which the Ops line's technical user does not have).

    ``todos``: dicts with res_id, user_id, summary and optional note / date_deadline.
    """
    if not todos:
        return env["mail.activity"]
    model_id = env["ir.model"]._get_id(model_name)
    todo_type = env.ref("mail.mail_activity_data_todo").id
    return env["mail.activity"].with_user(env.ref("base.user_root")).create([
        dict(todo, res_model_id=model_id, activity_type_id=todo_type, automated=True) for todo in todos])


def local_now(employee, now=None):
    """``now`` (UTC, default the current time) in the employee's timezone: their
    own, else their working calendar's, else UTC."""
    tz = pytz.timezone(employee.tz or employee.resource_calendar_id.tz or "UTC")
    return pytz.utc.localize(now or fields.Datetime.now()).astimezone(tz)


def company_tz(company):
    """The company's timezone: its address's, else its working calendar's, else UTC."""
    return company.partner_id.tz or company.resource_calendar_id.tz or "UTC"


def company_now(company, now):
    """``now`` (naive UTC) on the company's wall clock."""
    return pytz.utc.localize(now).astimezone(pytz.timezone(company_tz(company)))


def company_time_text(company, moment):
    """A stored (naive UTC) datetime as people there read it: "2026-11-24 09:00 CST"."""
    return company_now(company, moment).strftime("%Y-%m-%d %H:%M %Z")


def line_now(env):
    """The line's clock: now, unless a replay sets ``ops_now`` (a naive UTC
    datetime) in the context, as the demo does to tell its anchor week."""
    return env.context.get("ops_now") or fields.Datetime.now()
