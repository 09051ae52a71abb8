"""Calendar periods of KPIs."""

import datetime


def period_start(day, period):
    """First day of the daily/weekly (ISO, Monday)/monthly period holding ``day``."""
    if period == "daily":
        return day
    if period == "weekly":
        return day - datetime.timedelta(days=day.weekday())
    if period == "monthly":
        return day.replace(day=1)
    raise ValueError(f"unknown period {period!r}")


def last_full_workweek(today):
    """Monday of the latest Monday-to-Friday week that is over on ``today``:
    this week's on a Saturday or Sunday, last week's on a workday."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday if today.weekday() >= 5 else this_monday - datetime.timedelta(days=7)
