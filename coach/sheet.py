"""Maintenance sheets: the readings a job type asks for, said by voice.

A sheet is a list of readings (refrigerant pressure, filter condition, ...).
The close-out flow asks them as a block of ordinary engine steps right after
the job is named, so they get the same parsing and the same re-ask rule as
every other answer; an out-of-range reading is asked again once, then kept and
flagged.
"""

import dataclasses

from . import lexicon as lexicons
from .checkin_values import InvalidValue, OutOfRange
from .flow import Step, normalize_answer, with_block
from .lexicon import ENGLISH

KEY_PREFIX = "reading_"
ASKED_AFTER = "job_ref"  # the sheet depends on the job: it is known once the job is named
READING_TYPES = ("number", "yes_no", "choice", "text")


@dataclasses.dataclass(frozen=True)
class Reading:
    code: str
    label: str
    answer_type: str = "number"
    unit: str = ""
    minimum: float = None
    maximum: float = None
    required: bool = True
    choices: tuple = ()  # as flow.parse_choices returns them
    question: str = ""

    @property
    def key(self):
        return KEY_PREFIX + self.code

    def step(self, lexicon=ENGLISH):
        asked = lexicon.say("reading_in_unit" if self.unit else "reading", label=self.label, unit=self.unit)
        return Step(key=self.key, question=self.question or asked, answer_type=self.answer_type,
                    required=self.required, choices=self.choices, minimum=self.minimum, maximum=self.maximum,
                    flag_outside=self.answer_type == "number")

    def spoken(self, value, lexicon=ENGLISH):
        """The value as a person reads it: "42 psi", "yes", "dirty"."""
        if isinstance(value, bool):
            return lexicon.spoken_bool(value)
        if isinstance(value, float):
            value = f"{value:g}"
        return f"{value} {self.unit}".strip() if self.answer_type == "number" else str(value)


@dataclasses.dataclass
class ReadingCheck:
    """What a set of spoken readings came to."""

    values: dict = dataclasses.field(default_factory=dict)  # code -> normalised value
    flagged: list = dataclasses.field(default_factory=list)  # codes kept although out of range
    reask: list = dataclasses.field(default_factory=list)  # codes out of range for the first time
    problems: list = dataclasses.field(default_factory=list)  # speakable, one per refused reading
    unknown: list = dataclasses.field(default_factory=list)  # "label value" of readings the sheet lacks

    def unknown_note(self):
        """The readings the sheet does not have, as said: kept for the office."""
        return "; ".join(self.unknown)


def sheet_flow(flow, readings, lexicon=ENGLISH):
    """The close-out flow with the job's sheet asked right after the job."""
    return with_block(flow, [reading.step(lexicon) for reading in readings], ASKED_AFTER) if readings else flow


def _words(text):
    return " ".join(lexicons.words(text))


def find_reading(readings, said):
    """The reading a spoken label names: its code, its label, else the one
    reading whose label holds every word said ("suction" → "Suction pressure")."""
    wanted = _words(said)
    if not wanted:
        return None
    for reading in readings:
        if wanted in (_words(reading.code), _words(reading.label), _words(reading.key)):
            return reading
    words = set(wanted.split())
    matches = [reading for reading in readings if words <= set(_words(reading.label).split())]
    return matches[0] if len(matches) == 1 else None


def _said(raw):
    if isinstance(raw, bool):
        return ENGLISH.spoken_bool(raw)  # kept for the office, in the addon's own language
    return f"{raw:g}" if isinstance(raw, float) else str(raw)[:60]


def check_readings(readings, spoken, retried=()):
    """Check readings given at once (a tool call): ``spoken`` maps a label or
    code to what was said; ``retried`` holds the codes already sent back once
    in this call as out of range, which are now kept and flagged. A reading the
    sheet does not have (or a job with no sheet) is never refused: it is kept
    as said, for the office."""
    result = ReadingCheck()
    if spoken in (None, ""):
        return result
    if not isinstance(spoken, dict):
        result.problems.append("readings must be an object: reading name → value")
        return result
    for label, raw in spoken.items():
        reading = find_reading(readings, label)
        if reading is None:
            result.unknown.append(" ".join(f"{str(label).strip()[:60]} {_said(raw)}".split()))
            continue
        try:
            result.values[reading.code] = normalize_answer(reading.step(), raw)
        except OutOfRange as error:
            if reading.code in retried:
                result.values[reading.code] = error.value
                result.flagged.append(reading.code)
            else:
                result.reask.append(reading.code)
                result.problems.append(f"{error}{' ' + reading.unit if reading.unit else ''}: ask the technician "
                                       "to check it; if it is confirmed, send the same value again")
        except InvalidValue as error:
            result.problems.append(str(error))
    return result

