"""Read the flows shipped in data/ops_flow_data.xml into engine objects, the
same way ops.flow._to_engine does, so the pure tests run on the real data."""

import pathlib
import re
import xml.etree.ElementTree as ET

from coach import flow as engine

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "ops_flow_data.xml"


def _fields(record):
    values = {}
    for field in record.findall("field"):
        values[field.get("name")] = field.get("eval") or field.get("ref") or (field.text or "")
    return values


def load_flows():
    root = ET.parse(DATA).getroot()
    flows, steps = {}, {}
    for record in root.findall("record"):
        values = _fields(record)
        if record.get("model") == "ops.flow":
            flows[record.get("id")] = values
        else:
            steps.setdefault(values["flow_id"], []).append(values)
    result = {}
    for xmlid, values in flows.items():
        ordered = sorted(steps.get(xmlid, []), key=lambda s: int(s["sequence"]))
        result[values["code"]] = engine.Flow(
            code=values["code"], name=values["name"], call_type=values["call_type"],
            steps=tuple(_step(s) for s in ordered), greeting=values.get("greeting", ""),
            closing=values.get("closing", ""), time_box_seconds=int(values["time_box_seconds"]),
            role_codes=tuple(re.findall(r"role_(\w+)", values.get("role_ids", ""))),
            window=(float(values["window_start"]), float(values["window_end"])),
        )
    return result


def _step(values):
    condition = None
    if values.get("condition_key"):
        condition = engine.Condition(values["condition_key"], values["condition_operator"],
                                     values.get("condition_value") or None)
    bounds = {k: float(values[k]) for k in ("minimum", "maximum") if values.get(k)}
    return engine.Step(
        key=values["key"], question=values["question"], answer_type=values["answer_type"],
        field=values.get("field_name", ""), required=values["required"] == "True",
        choices=engine.parse_choices(values.get("choices")), condition=condition,
        reprompt=values.get("reprompt", ""), fallback_key=values.get("fallback_key", ""), **bounds,
    )


def sample_answer(step):
    """A valid, measurable spoken answer for any step."""
    return {
        "scale": "four",
        "yes_no": "yes",
        "choice": step.choices[0][0] if step.choices else "",
        "number": "80",
        "text": "Call 3 customers by noon",
        "short_text": "Clean close-outs every job",
    }[step.answer_type]
