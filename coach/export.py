"""A copy of one's own data: the records as plain rows, in JSON or CSV."""

import csv
import io
import json


def as_json(person, sections):
    """``sections``: ``{name: [row dicts]}`` → one JSON document."""
    return json.dumps({"person": person, **sections}, indent=2, ensure_ascii=False, default=str)


def as_csv(sections):
    """One CSV for every section, long form (section, record, field, value): a
    spreadsheet opens it, and no column has to fit every kind of record."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "record", "field", "value"])
    for name, rows in sections.items():
        for row in rows:
            for field, value in row.items():
                if field != "id" and value not in (None, False, ""):
                    writer.writerow([name, row.get("id", ""), field, value])
    return out.getvalue()
