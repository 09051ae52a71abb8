"""The Ops line's voice tools: names and JSON schemas.

The original assistant's names and arguments (``get_tech_checkin_context``,
``log_daily_checkin``, ``daily_checkin``) are kept so an assistant built on
them works unchanged: the flows' step keys are those argument names, so the
schema, the prompt and every error speak the same names.
"""

from .blockers import KIND_CODES as BLOCKER_KIND_CODES
from .vocabulary import CALL_TYPE_ALIASES, MORNING_CALL_TYPES

# the check-ins log_daily_checkin takes: the morning call of every role
ROLE_CALL_TYPES = MORNING_CALL_TYPES
# tools that save nothing a side effect could follow (a PIN check notes only the journal row)
READ_ONLY = frozenset({"get_tech_checkin_context", "get_job_sheet", "verify_pin"})


def canonical_arguments(arguments):
    """The arguments with older assistants' call type names mapped to ours."""
    call_type = arguments.get("call_type")
    if isinstance(call_type, str):
        return dict(arguments, call_type=CALL_TYPE_ALIASES.get(call_type.strip(), call_type.strip()))
    return dict(arguments)


def _string(description):
    return {"type": "string", "description": description}


def _boolean(description):
    return {"type": "boolean", "description": description}


CHECKIN_PROPERTIES = {
    "call_type": {"type": "string", "enum": ["daily_checkin", *ROLE_CALL_TYPES],
                  "description": "daily_checkin (= am_checkin) for the AM pulse, ops_only after a "
                                 "kill-switch, or the role check-in of the flow you ran."},
    "ready_status": {"type": "string", "enum": ["ready", "not_ready"]},
    "not_ready_reason": {"type": "string", "enum": ["sick", "family", "vehicle", "schedule", "other"]},
    "energy_level": {"type": "integer", "minimum": 1, "maximum": 5},
    "blocker_present": _boolean("Any blocker today."),
    "blocker_note": _string("The blocker in one sentence."),
    "blocker_kind": {"type": "string", "enum": list(BLOCKER_KIND_CODES),
                     "description": "Who can clear it: parts (stock), schedule (dispatch), vehicle (truck, tools), "
                                    "customer, or other. Leave it out when unsure: the note decides."},
    "still_blocked": _boolean("The answer to the open_blockers question: false when the caller is no longer "
                              "blocked (it is then resolved in his name)."),
    "primary_kpi": _string("The KPI focused on (code or name)."),
    "kpi_action_today": _string("One measurable action today that moves the KPI."),
    "coach_prompt_used": _string("The strengths one-liner you said."),
    "focus_summary_5_words": _string("The caller's focus in five words or fewer."),
    "goal_action_today": _string("One action today toward the 90-day goal."),
    "commitment": _string("The micro-commitment the caller confirmed (default: kpi_action_today)."),
    "call_completed": _boolean("False when the caller hung up or ran out of time mid-flow."),
    "commitment_followup": {"type": "string", "enum": ["done", "partly", "not_done"],
                            "description": "The caller's answer about last_commitment, asked first."},
    "duration_seconds": {"type": "integer", "minimum": 0, "maximum": 86400},
    "call_id": _string("The call's id; the call is known from the message, so it is optional."),
    "owner_constraint": _string("Owner: the single constraint limiting growth."),
    "owner_mode": {"type": "string", "enum": ["creation", "reaction"]},
    "avoided_decision": _string("Owner: one decision being avoided."),
    "ops_work_today": _boolean("Owner: doing hands-on ops work today."),
    "team_readiness": {"type": "integer", "minimum": 0, "maximum": 100},
    "red_flag_note": _string("Red flags, off-track departments, overbooking, stockouts, unpaid invoices."),
    "task_confirmed": _boolean("Staffing coverage / schedule lock / replenishment / owner summary confirmed."),
    "coaching_answer": _string("The caller's answer to the role's coaching question."),
    "variance_note": _string("Warehouse: stock variance to log."),
}
CLOSEOUT_PROPERTIES = {
    "job_ref": _string("The job: its number or the customer's name."),
    "diagnosis_done": _boolean("Diagnosis completed."),
    "photos_uploaded": _boolean("Photos uploaded."),
    "options_presented": _boolean("Options presented to the customer."),
    "customer_understood": _boolean("Customer understanding confirmed."),
    "follow_up_needed": _boolean("A follow-up is needed."),
    "follow_up_note": _string("What follow-up, by when."),
    "safety_issue": _boolean("A safety issue happened."),
    "safety_note": _string("The safety issue."),
    "readings": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]},
                 "description": "The maintenance sheet's readings (get_job_sheet lists them): reading label or "
                                "code → the value said, e.g. {\"Suction pressure\": 72, \"Filter condition\": "
                                "\"dirty\"}."},
}
QUOTE_ITEM = {"anyOf": [
    {"type": "string"},
    {"type": "object", "properties": {"name": _string("The part or work, as said."),
                                      "quantity": {"type": "number", "minimum": 0},
                                      "tier": {"type": "string", "enum": ["good", "better", "best"]}},
     "required": ["name"]}]}
EOD_PROPERTIES = {
    "eod_kpi_hit": {"type": "string", "enum": ["yes", "partly", "no"]},
    "eod_did_well": _string("One thing done well today."),
    "eod_improve": _string("One thing to improve tomorrow."),
    "commitment_followup": CHECKIN_PROPERTIES["commitment_followup"],
    "still_blocked": CHECKIN_PROPERTIES["still_blocked"],
    "safety_issue": _boolean("A safety issue happened today."),
    "safety_note": _string("The safety issue."),
}

TOOLS = {
    "get_tech_checkin_context": (
        "Returns the caller's name, roles, primary KPI, top strengths with today's coaching line, "
        "90-day goal and WHY, last_commitment (the last commitment not yet followed up, to ask about "
        "first), blocker_news (say each: how a blocker was resolved), open_blockers (ask: still blocked?) and "
        "suggested_commitment (a training his manager approved: offer it as today's commitment). "
        "Call it once at the start of a check-in.", {}, []),
    "log_daily_checkin": (
        "Logs the AM check-in, an ops-only check-in or a role check-in. Call it once, at the end.",
        CHECKIN_PROPERTIES, ["call_type"]),
    "log_job_closeout": (
        "Logs a job close-out, updates the job and lists any missing checklist items.",
        CLOSEOUT_PROPERTIES, ["job_ref"]),
    "log_eod_closeout": ("Logs the end-of-day close-out.", EOD_PROPERTIES, ["eod_kpi_hit"]),
    "report_safety_issue": (
        "Reports a safety issue at once; the ops director and owner are alerted.",
        {"safety_note": _string("What happened."), "job_ref": _string("The job, if any.")},
        ["safety_note"]),
    "get_job_sheet": (
        "Lists the maintenance sheet of a job: the readings to ask at close-out, with unit and expected range. "
        "Call it as soon as the technician names the job.",
        {"job_ref": _string("The job: its number or the customer's name.")}, ["job_ref"]),
    "send_photo_link": (
        "Texts the technician a link to upload this job's photos and documents from the phone (email when no "
        "text route exists). Never read the link out: say where it went.",
        {"job_ref": _string("The job: its number or the customer's name.")}, ["job_ref"]),
    "create_quote": (
        "Makes a draft quotation for the job's customer from what the technician proposed; one per tier when "
        "good/better/best options were given. Items not matched to a product go on a to-be-priced line.",
        {"job_ref": _string("The job: its number or the customer's name."),
         "items": {"type": "array", "items": QUOTE_ITEM, "minItems": 1,
                   "description": "What was proposed: texts (\"a new capacitor\") or {name, quantity, tier}."}},
        ["job_ref", "items"]),
    "acknowledge_alert": (
        "Manager: acknowledges an open alert about someone on his team (or assigned to him), as himself. Name "
        "it by alert_ref (the number in brackets in the list you were given) or by the person's name.",
        {"alert_ref": _string("The alert's number, e.g. 12."),
         "employee_name": _string("Whose alert, when no number was said.")}, []),
    "resolve_alert": (
        "Manager: resolves an open alert, as himself, with what was done. Name it as for acknowledge_alert.",
        {"alert_ref": _string("The alert's number, e.g. 12."),
         "employee_name": _string("Whose alert, when no number was said."),
         "note": _string("What was done, in the manager's words.")}, ["note"]),
    "approve_training": (
        "Manager: approves the training suggested on a KPI-decline alert (\"training to approve\" in your list); "
        "the person hears it as a suggested commitment on his next call. Name it as for acknowledge_alert.",
        {"alert_ref": _string("The alert's number, e.g. 12."),
         "employee_name": _string("Whose alert, when no number was said.")}, []),
    "verify_pin": (
        "Checks the caller's employee PIN when the number is not recognised.",
        {"pin": _string("The PIN the caller said, digits only."),
         "name": _string("The caller's name, if they gave it.")}, ["pin"]),
}


def function_tools(server, names):
    """Vapi ``function`` tool definitions for ``names``, all pointing at ``server``."""
    tools = []
    for name in names:
        description, properties, required = TOOLS[name]
        tools.append({
            "type": "function",
            "async": False,
            "function": {"name": name, "description": description,
                         "parameters": {"type": "object", "properties": properties,
                                        "required": required}},
            "server": server,
        })
    return tools


def retell_functions(url, names):
    """Retell custom-function definitions for ``names``, all posting to ``url``."""
    functions = []
    for name in names:
        description, properties, required = TOOLS[name]
        functions.append({"type": "custom", "name": name, "description": description, "url": url,
                          "method": "POST", "speak_during_execution": False, "speak_after_execution": True,
                          "parameters": {"type": "object", "properties": properties, "required": required}})
    return functions
