"""The voice agent's system prompt, generated from flow records."""

import string

from .blockers import still_blocked_question
from .lexicon import ENGLISH
from .vocabulary import DEFAULT_KPI_MODE, kpi_trend, on_target

TONE = ("You are Ops Coach, the company's Ops line. Be warm, brief and practical: this is support, "
        "not surveillance. Never lecture, never judge, never read data back to the caller that they "
        "did not give you today. One question at a time; accept short answers.")
OPERATORS = {"eq": "is", "ne": "is not", "le": "is at most", "ge": "is at least",
             "truthy": "is yes", "falsy": "is no"}


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def fill(text, context):
    """Fill ``{placeholders}`` from ``context``; unknown ones stay visible."""
    return string.Formatter().vformat(text or "", (), _Blank(context))


def placeholders(text):
    """The ``{names}`` a text is filled with."""
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text or "") if name}


def lacking_steps(flow, context):
    """The optional steps that would ask about something this caller has not
    got (no 90-day goal yet): not asked, rather than "toward your 90-day goal: ?"."""
    return {step.key for step in flow.steps
            if not step.required and any(not context.get(name) for name in placeholders(step.question))}


def describe_step(number, step, context):
    line = f"{number}. [{step.key}] {fill(step.question, context)}"
    details = [step.answer_type.replace("_", " ")]
    if step.choices:
        details.append("one of " + ", ".join(value for value, _synonyms in step.choices))
    if not step.required:
        details.append("optional, drop it when short on time")
    if step.condition:
        value = "" if step.condition.operator in ("truthy", "falsy") else f" {step.condition.value}"
        details.append(f"only if {step.condition.key} {OPERATORS[step.condition.operator]}{value}")
    if step.reprompt:
        details.append(f'if vague, say once: "{fill(step.reprompt, context)}"')
    return f"{line} ({'; '.join(details)})"


CLOSEOUT_EXTRAS = (
    "Once the job is named, call get_job_sheet and ask each reading it lists, one at a time; send them as "
    "readings. If the technician has photos to send, call send_photo_link. If options were proposed, call "
    "create_quote with the items said (with tier good, better or best when tiers were given).")


def describe_flow(flow, context, tool):
    lines = [f"## {flow.name} (call_type {flow.call_type}, at most {flow.time_box_seconds} s)"]
    if flow.greeting:
        lines.append(f'Open with: "{fill(flow.greeting, context)}"')
    lacking = lacking_steps(flow, context)
    asked = [step for step in flow.steps if step.key not in lacking]
    lines += [describe_step(n, step, context) for n, step in enumerate(asked, start=1)]
    if flow.call_type == "job_closeout":
        lines.append(CLOSEOUT_EXTRAS)
    lines.append(f"Then call {tool} with call_type {flow.call_type} and the answers named by the "
                 "keys in brackets.")
    if flow.closing:
        lines.append(f'Close with: "{fill(flow.closing, context)}"')
    return "\n".join(lines)


def system_prompt(context, flows, ops_only, tool_for_call_type, lexicon=ENGLISH):
    """The whole prompt: tone, the caller's language, the caller, the flows on
    offer, the kill switch. What the caller hears is quoted in his language."""
    parts = [f"{TONE}\n{lexicon.say('speak')}", _caller_section(context, flows, lexicon)]
    parts += [describe_flow(flow, context, tool_for_call_type(flow.call_type)) for flow in flows]
    said = dict.fromkeys(lexicon.kill_phrases + (flows[0].kill_phrases if flows else ()))
    phrases = ", ".join(f'"{p}"' for p in said)
    parts.append(
        f"## Kill switch\nIf the caller says {phrases} or stays silent twice, stop the script at once and "
        "run this instead, then log it with call_type ops_only:\n"
        + describe_flow(ops_only, context, "log_daily_checkin"))
    parts.append("## Rules\n- A tool result starting with an error names what to fix: ask again for "
                 "that answer only.\n- If the caller reports a safety issue at any point, call "
                 "report_safety_issue at once.\n- Every call must end with exactly one log tool call, "
                 "even if incomplete (set call_completed false)."
                 "\n- If the caller asks for another language (\"en español\", \"in English\"), speak it for the "
                 "rest of the call, and say the quoted lines in it."
                 + (f"\n- After the log, end every call with: \"{context['kept_sentence']}\""
                    if context.get("kept_sentence") else ""))
    return "\n\n".join(parts)


def _caller_section(context, flows, lexicon):
    lines = [f"## The caller\n{context['name']} ({context['roles']})."]
    if context.get("company_briefing"):
        lines.append(f"Open the call with this company briefing, as written, then run the check-in: "
                     f"\"{context['company_briefing']}\"")
    if context.get("primary_kpi"):
        lines.append(f"Primary KPI: {context['primary_kpi']}. {context.get('kpi_guidance', '')}".rstrip())
    if context.get("goal_90d"):
        lines.append(f"90-day goal: {context['goal_90d']}.")
    if context.get("coaching_line"):
        lines.append(f"Today's strengths one-liner ({context['strength']}): {context['coaching_line']}")
    if context.get("last_commitment"):
        question = followup_question(context["last_commitment"], context["today"], lexicon)
        lines.append(f"Before the check-in, ask: \"{question}\" "
                     "and send the answer as commitment_followup (done, partly or not_done) with the log.")
    for news in context.get("blocker_news") or ():
        lines.append(f"Tell the caller first: \"{news}\"")
    for note in context.get("open_blockers") or ():
        lines.append(f"Ask: \"{still_blocked_question(note, lexicon)}\" and send still_blocked (false when he is no "
                     "longer blocked) with the log.")
    if context.get("suggested_training"):
        lines.append(f"His manager approved a training for him: offer it as today's commitment: "
                     f"\"{context['suggested_training']}\" (say: \"{training_offer(context['suggested_training'], lexicon)}\")")
    if context.get("agenda"):
        lines.append(agenda_text(context["agenda"]))
    if len(flows) > 1:
        names = lexicon.say("or").join(flow.name for flow in flows)
        lines.append(f"Several check-ins fit now: ask first which one: {names}.")
    return "\n".join(lines)


def agenda_text(agenda):
    """A manager's day, for the agent: who needs him, and his alerts to act on by voice."""
    lines = ["## Who needs you today (tell the manager first, briefly)"]
    for title, items in agenda:
        lines.append(f"{title}: " + "; ".join(items) + ".")
    lines.append("Offer to act on the alerts: acknowledge_alert or resolve_alert (with a note of what was "
                 "done), naming the alert by the number in brackets. Say back what changed.")
    return "\n".join(lines)


def what_is_kept(words_private, lexicon=ENGLISH):
    """The one sentence that ends every call: what the manager sees, and what stays the caller's."""
    return lexicon.say("kept_private" if words_private else "kept_shared")


def training_offer(training, lexicon=ENGLISH):
    """What the line says of a training the caller's manager approved."""
    return lexicon.say("training_offer", training=training)


def followup_question(commitment, today, lexicon=ENGLISH):
    """The question that asks a commitment back; ``commitment`` is ``(text, day it was made)``."""
    text, day = commitment
    return lexicon.say("followup", when=followup_when(day, today, lexicon), text=text)


def followup_when(day, today, lexicon=ENGLISH):
    """When a commitment was made, as the line says it: "Yesterday", "On Friday"."""
    days = (today - day).days
    if days <= 0:
        return lexicon.say("earlier_today")
    if days == 1:
        return lexicon.say("yesterday")
    return lexicon.say("on_day", day=lexicon.day_name(day) if days < 7 else lexicon.month_day(day))


def kpi_numbers(kpi, mode=DEFAULT_KPI_MODE, lexicon=ENGLISH):
    """What the line says about the primary KPI's numbers: ``(spoken, guidance)``.

    ``kpi``: dict with name, unit, values (oldest first), target, higher_is_better.
    ``spoken`` is a sentence the caller may hear ('' when no number is to be said);
    ``guidance`` tells an LLM agent what it may say. Numbers are supportive by
    default: said when on target, never read out as a reproach.
    """
    values = [v for v in kpi.get("values") or () if v is not None]
    if not values or mode == "never":
        return "", "Do not quote KPI numbers; ask for one action that moves it."
    unit = kpi.get("unit") or ""
    last = f"{values[-1]:g}{' ' + unit if unit and unit != '%' else unit}"
    target = kpi.get("target")
    higher_is_better = kpi.get("higher_is_better", True)
    # the same trend, with the same tolerance, as the weekly summary and the person's page
    direction = kpi_trend(values, higher_is_better, target) if len(values) >= 2 else None
    hit = bool(target) and on_target(values[-1], target, higher_is_better)
    if mode == "on_target" and not hit:
        return "", ("Its last value is off target: do not quote the number; be supportive and ask for one "
                    "action today that moves it.")
    sentence = lexicon.say("kpi_last", value=last)
    if target:
        sentence += lexicon.say("kpi_target", target=f"{target:g}{unit if unit == '%' else ''}")
    if direction:
        sentence += lexicon.say(f"kpi_{direction}")
    sentence += lexicon.say("kpi_end_on_target" if hit else "kpi_end")
    return sentence, "You may say: " + sentence
