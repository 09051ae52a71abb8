"""The call-flow engine, shared by every channel.

A flow is an ordered list of steps. Each step asks one question, normalises the
answer to the check-in field it fills, and may depend on an earlier answer.
Flows come from Odoo records (``ops.flow``); this module only sees plain data.
"""

import dataclasses
import math
import re

from .checkin_values import InvalidValue, OutOfRange, check_energy, check_focus_words
from .lexicon import ENGLISH, LEXICONS, fold, switch_asked
from .lexicon import words as _words
from .vocabulary import OPS_ONLY


@dataclasses.dataclass(frozen=True)
class Condition:
    """Ask a step only when an earlier answer matches: ``key op value``."""

    key: str
    operator: str
    value: object = None

    def holds(self, answers):
        if self.key not in answers:
            return False
        answer = answers[self.key]
        if self.operator == "truthy":
            return bool(answer)
        if self.operator == "falsy":
            return not answer
        value = _coerce_like(self.value, answer)
        return {
            "eq": lambda: answer == value,
            "ne": lambda: answer != value,
            "le": lambda: answer is not None and answer <= value,
            "ge": lambda: answer is not None and answer >= value,
        }[self.operator]()


@dataclasses.dataclass(frozen=True)
class Step:
    """One question. ``key`` is the answer's name everywhere the caller's agent
    sees it (tool argument, prompt, errors); ``field`` the check-in field it
    fills when that differs."""

    key: str
    question: str
    answer_type: str = "text"
    field: str = ""
    required: bool = True
    choices: tuple = ()
    condition: Condition = None
    reprompt: str = ""
    fallback_key: str = ""  # a tool call that leaves this step out takes that step's answer
    minimum: float = None
    maximum: float = None
    # the bounds are what is expected, not what is possible (a meter reading): a value
    # outside them is asked again once, then kept and flagged
    flag_outside: bool = False

    @property
    def target(self):
        """The check-in field this step fills (its key unless named)."""
        return self.field or self.key

    def applies(self, answers):
        return self.condition is None or self.condition.holds(answers)


@dataclasses.dataclass(frozen=True)
class Flow:
    code: str
    name: str
    call_type: str
    steps: tuple
    greeting: str = ""
    closing: str = ""
    kill_phrases: tuple = ()  # the company's own, beside the caller's language's
    time_box_seconds: int = 120
    role_codes: tuple = ()
    window: tuple = (0.0, 24.0)

    def step(self, key):
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def in_window(self, local_hour):
        return in_window(self.window, local_hour)


@dataclasses.dataclass
class CallState:
    """Where one call stands: the flow it runs and the answers so far."""

    flow: Flow
    answers: dict = dataclasses.field(default_factory=dict)
    reprompted: set = dataclasses.field(default_factory=set)
    elapsed_seconds: float = 0.0
    switched_from: str = ""
    tried: set = dataclasses.field(default_factory=set)  # steps that got one invalid answer
    skipped: set = dataclasses.field(default_factory=set)  # steps given up on after a second one
    flagged: set = dataclasses.field(default_factory=set)  # out-of-range answers kept on the second try
    left_out: set = dataclasses.field(default_factory=set)  # optional steps this caller has nothing for
    language: str = ENGLISH.code  # the lexicon the caller is heard and spoken to in

    @property
    def lexicon(self):
        return LEXICONS.get(self.language, ENGLISH)

    @property
    def time_up(self):
        return self.elapsed_seconds >= self.flow.time_box_seconds

    def to_dict(self):
        """JSON-ready, so a channel can keep the call between turns."""
        return {"flow": self.flow.code, "answers": self.answers, "reprompted": sorted(self.reprompted),
                "elapsed_seconds": self.elapsed_seconds, "switched_from": self.switched_from,
                "tried": sorted(self.tried), "skipped": sorted(self.skipped), "flagged": sorted(self.flagged),
                "left_out": sorted(self.left_out), "language": self.language}

    @classmethod
    def from_dict(cls, data, flows_by_code):
        return cls(flow=flows_by_code[data["flow"]], answers=dict(data.get("answers") or {}),
                   reprompted=set(data.get("reprompted") or ()), elapsed_seconds=data.get("elapsed_seconds", 0.0),
                   switched_from=data.get("switched_from", ""), tried=set(data.get("tried") or ()),
                   skipped=set(data.get("skipped") or ()), flagged=set(data.get("flagged") or ()),
                   left_out=set(data.get("left_out") or ()), language=data.get("language") or ENGLISH.code)


@dataclasses.dataclass(frozen=True)
class Turn:
    """What the channel does next: say ``prompt``; ``done`` ends the flow."""

    kind: str  # ask, reprompt, invalid, skipped, switched, language, done
    prompt: str = ""
    step: Step = None
    done: bool = False


def in_window(window, local_hour):
    """True when ``local_hour`` (e.g. 9.5) falls in ``window`` = (start, end) hours."""
    start, end = window
    if start <= end:
        return start <= local_hour < end
    return local_hour >= start or local_hour < end  # window across midnight


def _coerce_like(value, answer):
    if isinstance(answer, bool):
        return str(value).lower() in ("1", "true", "yes") if isinstance(value, str) else bool(value)
    if isinstance(answer, (int, float)) and not isinstance(value, (int, float)):
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return value


def parse_choices(spec):
    """``"ready:yes,yeah|not_ready:no,nope"`` → ((value, (synonyms…)), …)."""
    parsed = []
    for part in (spec or "").split("|"):
        if not part.strip():
            continue
        value, _sep, synonyms = part.partition(":")
        value = value.strip()
        words = tuple(" ".join(_words(s)) for s in synonyms.split(",") if _words(s))
        parsed.append((value, (" ".join(_words(value.replace("_", " "))),) + words))
    return tuple(parsed)


def _typed_choices(spec):
    """``"ready:yes,yeah|not_ready:no"`` → ((value, (words as typed…)), …)."""
    typed = []
    for part in (spec or "").split("|"):
        value, _sep, words = part.partition(":")
        if value.strip():
            typed.append((value.strip(), tuple(w.strip() for w in words.split(",") if w.strip())))
    return tuple(typed)


def choices_as_lines(spec):
    """The stored choices as a manager edits them: one answer per line, its
    value, a colon, then the words that mean it ("not_ready: no, nope")."""
    return "\n".join(f"{value}: {', '.join(words)}" if words else value for value, words in _typed_choices(spec))


def choices_from_lines(text):
    """Lines as :func:`choices_as_lines` writes them → the stored spec; blank
    lines are skipped, and a value given twice keeps the words of both."""
    merged = {}
    for line in (text or "").splitlines():
        value, _sep, words = line.partition(":")
        if value.strip():
            # "|" and ":" part answers and words in the stored form: never inside a word
            words = words.replace("|", " ").replace(":", " ")
            merged.setdefault(value.strip(), []).extend(w.strip() for w in words.split(",") if w.strip())
    return "|".join(f"{value}:{','.join(dict.fromkeys(words))}" if words else value
                    for value, words in merged.items())


def merge_choices(source, translated):
    """The choices of ``source`` (their values are what is stored) heard also
    by the synonyms of a translation; a translated value the source lacks is ignored."""
    extra = dict(translated)
    return tuple((value, tuple(dict.fromkeys(synonyms + extra.get(value, ())))) for value, synonyms in source)


def normalize_answer(step, raw, lexicon=ENGLISH):
    """The answer as the value stored in the check-in, or :class:`InvalidValue`;
    words are read in ``lexicon``'s language."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InvalidValue(f"{step.key} needs an answer")
    kind = step.answer_type
    if kind == "scale":
        return _normalize_scale(step, raw, lexicon)
    if kind == "yes_no":
        return _normalize_yes_no(step, raw, lexicon)
    if kind == "choice":
        return _normalize_choice(step, raw, lexicon)
    if kind == "number":
        return _normalize_number(step, raw, lexicon)
    if isinstance(raw, (dict, list)):
        raise InvalidValue(f"{step.key} must be said in words")
    text = " ".join(str(raw).split())
    if kind == "short_text":
        return check_focus_words(text, step.key)
    return text


def _normalize_number(step, raw, lexicon):
    if isinstance(raw, str):
        words = [lexicon.number(w) for w in re.findall(r"-?\d+(?:\.\d+)?|[^\W\d_]+", fold(raw))]
        raw = words[0] if len(words) == 1 else raw
    try:
        number = float(raw)
    except (TypeError, ValueError, OverflowError):
        raise InvalidValue(f"{step.key} must be a number") from None
    low = -1e9 if step.minimum is None else step.minimum
    high = 1e9 if step.maximum is None else step.maximum
    if isinstance(raw, bool) or not math.isfinite(number):
        raise InvalidValue(f"{step.key} must be a number")
    if not low <= number <= high:
        if step.flag_outside:
            raise OutOfRange(f"{step.key} {number:g} is outside the expected {low:g} to {high:g}", number)
        raise InvalidValue(f"{step.key} must be a number from {low:g} to {high:g}")
    return number


def _normalize_scale(step, raw, lexicon):
    if isinstance(raw, str):
        numbers = [lexicon.number(w) for w in _words(raw)]
        digits = [n for n in numbers if isinstance(n, int) or str(n).isdecimal()]
        raw = digits[0] if len(digits) == 1 else raw
    return check_energy(raw, step.key)


def _normalize_yes_no(step, raw, lexicon):
    if isinstance(raw, bool):
        return raw
    said = lexicon.yes_no(raw) if isinstance(raw, (str, int)) else None
    if said is None:
        raise InvalidValue(f"{step.key} must be yes or no")
    return said


def _normalize_choice(step, raw, lexicon):
    if isinstance(raw, bool) and len(step.choices) == 2:
        return step.choices[0][0] if raw else step.choices[1][0]
    text = " ".join(_words(raw)) if isinstance(raw, (str, int, float)) else ""
    for value, synonyms in step.choices:
        if text == fold(value) or text in synonyms:
            return value
    matches = [value for value, synonyms in step.choices
               if any(re.search(rf"\b{re.escape(s)}\b", text) for s in synonyms)]
    if len(set(matches)) == 1:
        return matches[0]
    said = lexicon.yes_no(text) if len(step.choices) == 2 else None
    if said is not None:  # a two-way choice (ready / not ready) answered with a plain yes or no
        return step.choices[0][0] if said else step.choices[1][0]
    names = ", ".join(value for value, _synonyms in step.choices)
    raise InvalidValue(f"{step.key} must be one of: {names}")


def is_measurable(text, lexicon=ENGLISH):
    """Rough test for "what, how many, by when": a number, a time or a quantifier."""
    return lexicon.is_measurable(str(text or ""))


def wants_out(flow, text, lexicon=ENGLISH):
    """True when the caller used one of the kill-switch phrases: the flow's, or his language's."""
    said = " ".join(_words(text))
    return any(re.search(rf"\b{re.escape(' '.join(_words(p)))}\b", said)
               for p in flow.kill_phrases + lexicon.kill_phrases if _words(p))


def next_step(state):
    """The next step to ask, or ``None`` when the flow is complete.

    Once the time box is spent only required steps are still asked.
    """
    for step in state.flow.steps:
        if step.key in state.answers or step.key in state.skipped or step.key in state.left_out \
                or not step.applies(state.answers):
            continue
        if state.time_up and not step.required:
            continue
        return step
    return None


def start(state):
    step = next_step(state)
    prompt = " ".join(p for p in (state.flow.greeting, step and step.question) if p)
    return Turn("ask", prompt, step, done=step is None)


def answer(state, raw, flows_by_code=None, elapsed_seconds=None):
    """Apply the caller's answer to the current step and say what comes next.

    ``flows_by_code`` lets the kill switch move the call to the ops-only flow,
    keeping the answers the two flows share.
    """
    if elapsed_seconds is not None:
        state.elapsed_seconds = elapsed_seconds
    step = next_step(state)
    if step is None:
        return Turn("done", state.flow.closing, done=True)
    if isinstance(raw, str):
        asked_for = switch_asked(raw, state.lexicon)
        if asked_for:  # "en español": the rest of the call is in that language
            state.language = asked_for.code
            return resume(state)
    if isinstance(raw, str) and state.flow.code != OPS_ONLY and wants_out(state.flow, raw, state.lexicon):
        return _switch_to_ops_only(state, flows_by_code or {})
    try:
        value = normalize_answer(step, raw, state.lexicon)
    except OutOfRange as error:
        if step.key not in state.tried:
            return _invalid(state, step, error)
        value = error.value  # said twice: keep it, flagged for the office
        state.flagged.add(step.key)
    except InvalidValue as error:
        return _invalid(state, step, error)
    if step.reprompt and step.key not in state.reprompted and not is_measurable(value, state.lexicon):
        state.reprompted.add(step.key)
        return Turn("reprompt", step.reprompt, step)
    state.answers[step.key] = value
    following = next_step(state)
    if following is None:
        return Turn("done", state.flow.closing, done=True)
    return Turn("ask", following.question, following)


# the choice a step given up on takes, when it offers one (a not-ready reason that was not understood)
CATCH_ALL = "other"


def resume(state):
    """The step the call stands at, asked again in the call's language (once a
    channel has its flows in that language): after the caller switched."""
    step = next_step(state)
    prompt = " ".join(p for p in (state.lexicon.say("switched"), step and step.question) if p)
    return Turn("language", prompt, step, done=step is None)


def sorry(lexicon, step, problem):
    """Asking ``step`` again after ``problem`` (an :class:`InvalidValue`'s text), in ``lexicon``'s words."""
    generic = lexicon.reask.get(step.answer_type)
    if generic:
        return generic.format(question=step.question)
    spoken = str(problem).replace(step.key, lexicon.say("that_answer"), 1)
    return lexicon.say("sorry", problem=spoken, question=step.question)


def _invalid(state, step, error):
    """Ask again once; after a second invalid (or silent) answer, move on."""
    if step.key not in state.tried:
        state.tried.add(step.key)
        return Turn("invalid", sorry(state.lexicon, step, error), step)
    state.skipped.add(step.key)
    if CATCH_ALL in dict(step.choices):  # "something else": kept as its catch-all, never left empty
        state.answers[step.key] = CATCH_ALL
    following = next_step(state)
    if following is None:
        return Turn("done", state.flow.closing, done=True)
    return Turn("skipped", state.lexicon.say("move_on", question=following.question), following)


def _switch_to_ops_only(state, flows_by_code):
    ops_only = flows_by_code.get(OPS_ONLY)
    if ops_only is None:
        raise KeyError("the ops-only flow is missing")
    shared = {step.key for step in ops_only.steps}
    state.switched_from = state.flow.code
    state.flow = ops_only
    state.answers = {k: v for k, v in state.answers.items() if k in shared}
    state.reprompted = set()
    step = next_step(state)
    prompt = " ".join(p for p in (ops_only.greeting, step and step.question) if p)
    return Turn("switched", prompt, step, done=step is None)


def with_block(flow, steps, after):
    """``flow`` with ``steps`` asked right after the step ``after`` (e.g. the
    maintenance sheet of the job just named), every step under the same rules."""
    position = [step.key for step in flow.steps].index(after) + 1
    return dataclasses.replace(flow, steps=flow.steps[:position] + tuple(steps) + flow.steps[position:])


def as_fields(flow, answers):
    """Answers by step key → values by the check-in field each step fills."""
    return {step.target: answers[step.key] for step in flow.steps if step.key in answers}


def checkin_values(state):
    """The answers as ``ops.checkin`` field values (call type included)."""
    return dict(as_fields(state.flow, state.answers), call_type=state.flow.call_type)


def validate_arguments(flow, arguments, lexicon=ENGLISH):
    """Check a whole set of answers given at once (a voice agent's tool call).

    Returns ``(values, problems)``: the normalised values by step key, and one
    speakable problem per invalid or missing required answer. Conditions are
    evaluated on the normalised answers, in flow order.
    """
    values, problems = {}, []
    for step in flow.steps:
        if not step.applies(values):
            continue
        raw = arguments.get(step.key, arguments.get(step.target))
        if (raw is None or raw == "") and step.fallback_key:
            raw = values.get(step.fallback_key)
        if raw is None or raw == "":
            if step.required:
                problems.append(f"{step.key} is required")
            continue
        try:
            values[step.key] = normalize_answer(step, raw, lexicon)
        except InvalidValue as error:
            problems.append(str(error))
    return values, problems
