"""Writes data/files/ops_dashboard.json, the "Ops Coach" spreadsheet dashboard.

Odoo 18 community has no dashboard editor, so the JSON is written from this
description; edit here, run ``python3 scripts/build_dashboard.py``, commit both.
Every number is a scorecard or a chart (phones show figures only); each one
opens the records behind it (chartOdooMenusReferences).
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.vocabulary import META_KPIS  # noqa: E402  (the addon's pure package, not installed)

OUT = ROOT / "data" / "files" / "ops_dashboard.json"
PERIOD = "0b0e6d8a-0000-4000-8000-000000000001"
TEAM = "0b0e6d8a-0000-4000-8000-000000000002"
WEEKS = 6  # rows of the weekly series (a 30-day period spans 5 or 6 ISO weeks)
TEAMS = 8
GREEN, RED = "#00A04A", "#DC6965"


def matching(date_chain=None, team_chain=None, offset=0):
    fields = {}
    if date_chain:
        kind = "datetime" if date_chain == "raised_date" else "date"
        fields[PERIOD] = {"chain": date_chain, "type": kind, "offset": offset}
    if team_chain:
        fields[TEAM] = {"chain": team_chain, "type": "many2one"}
    return fields


def dimension(row):
    """"date:week" is the field date grouped by week."""
    name, _sep, granularity = row.partition(":")
    return {"fieldName": name, **({"granularity": granularity} if granularity else {})}


def pivot(pid, name, model, measures, rows=(), domain=(), **match):
    return {
        "type": "ODOO", "id": str(pid), "formulaId": str(pid), "name": name, "model": model,
        "domain": list(domain), "context": {}, "columns": [], "rows": [dimension(r) for r in rows],
        "measures": [{"id": m, "fieldName": m.split(":")[0], **({"aggregator": m.split(":")[1]} if ":" in m else {})}
                     for m in measures],
        "fieldMatching": matching(**match),
    }


SYSTEM = list(dict.fromkeys(measure for meta in META_KPIS for measure in meta.measures()))
OPEN = [["state", "in", ["new", "acknowledged"]]]
BURNOUT = OPEN + [["kind", "=", "low_energy_streak"]]
PIVOTS = {
    "1": pivot(1, "System KPIs, this period", "ops.system_kpi", SYSTEM, date_chain="date"),
    "2": pivot(2, "System KPIs, the period before", "ops.system_kpi", SYSTEM, date_chain="date", offset=-1),
    "3": pivot(3, "Call completion by week", "ops.system_kpi", ["checkins_made:sum", "checkins_expected:sum"],
               rows=["date:week"], date_chain="date"),
    "4": pivot(4, "KPI values on target by team", "ops.kpi.value", ["hits_target:sum", "__count"],
               rows=["department_id"], date_chain="period_start", team_chain="department_id"),
    "5": pivot(5, "Open alerts", "ops.escalation", ["__count"], domain=OPEN, team_chain="employee_id.department_id"),
    "6": pivot(6, "Burnout watch", "ops.escalation", ["__count"], domain=BURNOUT,
               team_chain="employee_id.department_id"),
    "7": pivot(7, "KPI actual against target", "ops.kpi.value", ["value:avg", "target:avg", "hits_target:sum",
                                                                 "__count"],
               rows=["kpi_id"], date_chain="period_start", team_chain="department_id"),
}


def pv(pid, measure):
    return f'PIVOT.VALUE({pid},"{measure}")'


def rates(pid):
    """The meta-KPIs of one period, each a ratio of sums, as the digest
    and the briefing compute them."""
    return [(meta.label, meta.formula(lambda measure: pv(pid, measure))) for meta in META_KPIS]


def ratio_rows(cells, first, count, pid, dim, numerator, denominator):
    """One row per group of pivot ``pid`` by ``dim``: its header, both sums and their ratio (%)."""
    for n in range(1, count + 1):
        row = first + n - 1
        cells[f"A{row}"] = f'=IFERROR(PIVOT.HEADER({pid},"#{dim}",{n}),"")'
        cells[f"B{row}"] = f'=IFERROR(PIVOT.VALUE({pid},"{numerator}","#{dim}",{n}),"")'
        cells[f"C{row}"] = f'=IFERROR(PIVOT.VALUE({pid},"{denominator}","#{dim}",{n}),"")'
        cells[f"D{row}"] = f'=IFERROR(ROUND(100*B{row}/C{row},1),"")'


# the Data sheet's rows: one a meta-KPI, then the counts, the weeks and the teams
META_ROW = {meta.code: row for row, meta in enumerate(META_KPIS, start=2)}
OPEN_ROW = len(META_KPIS) + 3
BURNOUT_ROW = OPEN_ROW + 1
WEEK_ROW = BURNOUT_ROW + 2  # the header; the weeks follow
TEAM_ROW = WEEK_ROW + WEEKS + 3


def data_cells():
    cells = {"A1": "Meta-KPI", "B1": "This period", "C1": "Period before"}
    for row, ((label, now), (_label, before)) in enumerate(zip(rates(1), rates(2)), start=2):
        cells[f"A{row}"], cells[f"B{row}"], cells[f"C{row}"] = label, now, before
    cells[f"A{OPEN_ROW}"], cells[f"B{OPEN_ROW}"] = "Open alerts", f'=IFERROR({pv(5, "__count")}+0,0)'
    cells[f"A{BURNOUT_ROW}"], cells[f"B{BURNOUT_ROW}"] = "On burnout watch", f'=IFERROR({pv(6, "__count")}+0,0)'
    cells[f"A{WEEK_ROW}"], cells[f"B{WEEK_ROW}"], cells[f"C{WEEK_ROW}"], cells[f"D{WEEK_ROW}"] = \
        "Week", "Calls made", "Calls expected", "Completion (%)"
    ratio_rows(cells, WEEK_ROW + 1, WEEKS, 3, "date:week", "checkins_made:sum", "checkins_expected:sum")
    cells[f"A{TEAM_ROW}"], cells[f"B{TEAM_ROW}"], cells[f"C{TEAM_ROW}"], cells[f"D{TEAM_ROW}"] = \
        "Team", "On target", "Values", "On target (%)"
    ratio_rows(cells, TEAM_ROW + 1, TEAMS, 4, "department_id", "hits_target:sum", "__count")
    return {ref: {"content": content} for ref, content in cells.items()}


def scorecard(fid, x, y, title, row, lower_is_better=False, baseline=True, height=110):
    data = {"type": "scorecard", "title": {"text": title, "bold": True, "color": "#434343"},
            "keyValue": f"Data!B{row}", "background": "#EFF6FF", "humanize": False,
            "baselineMode": "difference",
            "baselineColorUp": RED if lower_is_better else GREEN,
            "baselineColorDown": GREEN if lower_is_better else RED}
    if baseline:
        data["baseline"] = f"Data!C{row}"
        data["baselineDescr"] = "vs the period before"
    return {"id": fid, "tag": "chart", "x": x, "y": y, "width": 190, "height": height, "data": data}


def odoo_chart(fid, x, y, width, kind, title, model, measure, group_by, domain=(), stacked=False, **match):
    return {"id": fid, "tag": "chart", "x": x, "y": y, "width": width, "height": 300, "data": {
        "type": f"odoo_{kind}", "title": {"text": title}, "background": "#FFFFFF", "legendPosition": "top",
        "verticalAxisPosition": "left", "stacked": stacked, "fillArea": False,
        "metaData": {"groupBy": group_by, "measure": measure, "order": None, "resModel": model, "mode": kind},
        "searchParams": {"comparison": None, "context": {}, "domain": list(domain), "groupBy": group_by,
                         "orderBy": []},
        "fieldMatching": matching(**match)}}


def cell_chart(fid, x, y, width, kind, title, labels, values):
    return {"id": fid, "tag": "chart", "x": x, "y": y, "width": width, "height": 300, "data": {
        "type": kind, "title": {"text": title}, "background": "#FFFFFF", "legendPosition": "none",
        "dataSets": [{"dataRange": values, "yAxisId": "y"}], "labelRange": labels, "dataSetsHaveTitle": False,
        "labelsAsText": True, "stacked": False, "aggregated": False, "fillArea": False}}


FIGURES = [
    scorecard("fig_completion", 0, 30, "Call completion (%)", META_ROW["call_completion"]),
    scorecard("fig_adherence", 200, 30, "KPI adherence (%)", META_ROW["kpi_adherence"]),
    scorecard("fig_escalations", 400, 30, "Alerts / 10 people / week", META_ROW["alerts"], lower_is_better=True),
    scorecard("fig_reclaimed", 600, 30, "Hours reclaimed", META_ROW["hours_reclaimed"]),
    scorecard("fig_retention", 800, 30, "Tech retention (%)", META_ROW["retention"]),
    scorecard("fig_open_alerts", 0, 148, "Open alerts", OPEN_ROW, baseline=False),
    scorecard("fig_burnout", 200, 148, "On burnout watch", BURNOUT_ROW, baseline=False),
    scorecard("fig_blockers_same_day", 400, 148, "Blockers same day (%)", META_ROW["blockers_same_day"]),
    scorecard("fig_blocker_hours", 600, 148, "Hours to clear", META_ROW["blocker_hours"],
              lower_is_better=True),
    cell_chart("fig_completion_weeks", 0, 290, 490, "line", "Call completion by week (%)",
               f"Data!A{WEEK_ROW + 1}:A{WEEK_ROW + WEEKS}", f"Data!D{WEEK_ROW + 1}:D{WEEK_ROW + WEEKS}"),
    odoo_chart("fig_energy_weeks", 500, 290, 490, "line", "Average energy by week", "ops.checkin", "energy_level",
               ["checkin_date:week"], domain=[["energy_level", ">", 0]], date_chain="checkin_date",
               team_chain="department_id"),
    odoo_chart("fig_alerts_age", 0, 620, 490, "bar", "Open alerts by week raised and rule", "ops.escalation",
               "__count", ["raised_date:week", "rule_id"], domain=OPEN, stacked=True,
               team_chain="employee_id.department_id"),
    cell_chart("fig_team_target", 500, 620, 490, "bar", "KPI values on target by team (%)",
               f"Data!A{TEAM_ROW + 1}:A{TEAM_ROW + TEAMS}", f"Data!D{TEAM_ROW + 1}:D{TEAM_ROW + TEAMS}"),
]
MENUS = {
    "fig_completion": "ops_coach.menu_ops_system_kpi", "fig_completion_weeks": "ops_coach.menu_ops_system_kpi",
    "fig_adherence": "ops_coach.menu_ops_kpi_value", "fig_team_target": "ops_coach.menu_ops_kpi_value",
    "fig_escalations": "ops_coach.menu_ops_escalation", "fig_open_alerts": "ops_coach.menu_ops_escalation",
    "fig_alerts_age": "ops_coach.menu_ops_escalation", "fig_reclaimed": "ops_coach.menu_ops_checkin",
    "fig_retention": "ops_coach.menu_ops_people", "fig_burnout": "ops_coach.menu_ops_weekly_summary",
    "fig_energy_weeks": "ops_coach.menu_ops_dashboard",
    "fig_blockers_same_day": "ops_coach.menu_ops_escalation", "fig_blocker_hours": "ops_coach.menu_ops_escalation",
}


def link(label, model, domain, view="list"):
    action = {"domain": domain, "context": {}, "modelName": model,
              "views": [[False, view], [False, "form"]] if view == "list" else [[False, view], [False, "list"]]}
    target = json.dumps({"viewType": view, "action": action, "threshold": 0, "name": label}, separators=(",", ":"))
    return f"[{label}](odoo://view/{target})"


# who the figures are about, by name: (list id, title, domain, rows shown, first row of the block)
NAMED = ((1, "On burnout watch", BURNOUT, 5, 41), (2, "Open alerts, oldest first", OPEN, 12, 48))
NAMED_COLUMNS = (("A", "employee_id"), ("C", "rule_id"), ("F", "state"), ("G", "raised_date"))
PIVOT_ROW = 63  # below the named lists: the KPI pivot, a row per KPI


def odoo_list(lid, name, domain):
    return {"columns": [column for _col, column in NAMED_COLUMNS], "domain": list(domain),
            "model": "ops.escalation", "context": {}, "orderBy": [{"name": "raised_date", "asc": True}],
            "id": str(lid), "name": name,
            "fieldMatching": matching(team_chain="employee_id.department_id")}


LISTS = {str(lid): odoo_list(lid, name, domain) for lid, name, domain, _rows, _first in NAMED}


def named_cells(cells):
    for lid, name, domain, rows, first in NAMED:
        cells[f"A{first}"] = link(name, "ops.escalation", domain)
        for col, column in NAMED_COLUMNS:
            cells[f"{col}{first + 1}"] = f'=ODOO.LIST.HEADER({lid},"{column}")'
            for n in range(1, rows + 1):
                cells[f"{col}{first + 1 + n}"] = f'=ODOO.LIST({lid},{n},"{column}")'


def dashboard_cells():
    # figures float over the grid (rows are 23 px): the text sits in the rows between them
    cells = {
        "A1": "The line's own KPIs: this period, and the change since the period before",
        "A12": "Calls and energy",
        "E12": link("Open alerts", "ops.escalation", OPEN),
        "G12": link("Burnout watch", "ops.escalation", BURNOUT),
        "A27": "Alerts and KPIs",
        f"A{PIVOT_ROW}": link("KPI actual against target (desktop)", "ops.kpi.value", [], view="pivot"),
        f"A{PIVOT_ROW + 1}": "=PIVOT(7)",
    }
    named_cells(cells)
    return {ref: {"content": content} for ref, content in cells.items()}


def build():
    return {
        "version": 21, "odooVersion": 12, "revisionId": "START_REVISION", "uniqueFigureIds": True, "settings": {},
        "sheets": [
            {"id": "sheet_dashboard", "name": "Ops Coach", "colNumber": 12, "rowNumber": 110,
             "cells": dashboard_cells(), "figures": FIGURES, "areGridLinesVisible": False},
            {"id": "sheet_data", "name": "Data", "colNumber": 6, "rowNumber": 30, "cells": data_cells(),
             "figures": []},
        ],
        "pivots": PIVOTS, "pivotNextId": len(PIVOTS) + 1, "lists": LISTS, "listNextId": len(LISTS) + 1,
        "chartOdooMenusReferences": MENUS,
        "globalFilters": [
            {"id": PERIOD, "type": "date", "label": "Period", "rangeType": "relative", "defaultValue": "last_month"},
            {"id": TEAM, "type": "relation", "label": "Team", "modelName": "hr.department", "defaultValue": [],
             "defaultValueDisplayNames": []},
        ],
    }


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
