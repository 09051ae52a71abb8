from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Closed jobs get their done date from what Odoo kept."""
    env["project.task"]._ops_backfill_done_dates()
