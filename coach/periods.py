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
