"""The words the line hears and says, one lexicon per language.

The flow engine, the close-out, the sheet and the channels read answers
("four", "cuatro", "sí") and speak their fixed sentences through a lexicon;
what a company writes (flow questions, KPI names) is translated by Odoo.
Words are compared folded: lower case, accents dropped, so "Sí" and "si"
are one word.
"""

import dataclasses
import re
import unicodedata

from . import registry

# letters of any script, digits and inner apostrophes ("can't")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def fold(text):
    """``text`` lower-cased with its accents dropped: "Sí, CUATRO" → "si, cuatro"."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The folded words of ``text``."""
    return WORD.findall(fold(text))


@dataclasses.dataclass(frozen=True)
class Lexicon:
    """One language of the line. ``phrases`` are ``str.format`` templates by name."""

    code: str  # "en", "es": the start of Odoo's language codes (en_US, es_419)
    label: str
    speech_code: str  # Twilio's <Say>/<Gather> language (it takes es-MX, not es-419)
    twilio_voice: str  # a <Say> voice of that language ("" : Twilio's default)
    agent_language: str  # Retell's agent language
    # Vapi's recogniser and voice for this language; {} keeps the assistant's defaults
    vapi_transcriber: dict
    vapi_voice: dict
    yes_words: frozenset
    no_words: frozenset
    number_words: dict
    quantity_words: dict  # how a quantity is said before a part ("a couple of")
    kill_phrases: tuple  # switch the call to the two ops-only questions
    switch_phrases: tuple  # what a caller says to be spoken to in this language
    measurable_words: tuple  # a commitment holding one says what, how many or by when
    small_words: frozenset  # said around a choice, telling nothing
    call_type_words: dict  # what callers say for each kind of check-in
    weekdays: tuple  # Monday first
    months: tuple
    phrases: dict
    reask: dict = dataclasses.field(default_factory=dict)  # answer type → what is asked again, when generic

    def __post_init__(self):
        hints = "|".join(re.escape(fold(word)) for word in self.measurable_words)
        object.__setattr__(self, "_measurable", re.compile(rf"\d|\b({hints})\b"))

    def say(self, phrase, **values):
        return self.phrases[phrase].format(**values)

    def number(self, word):
        """A number word as its value, else the word unchanged."""
        return self.number_words.get(fold(word), word)

    def is_measurable(self, text):
        return bool(self._measurable.search(fold(text)))

    def yes_no(self, text):
        """True, False, or None when ``text`` is neither or both."""
        said = set(words(text))
        yes, no = bool(said & self.yes_words), bool(said & self.no_words)
        return None if yes == no else yes

    def spoken_bool(self, value):
        return self.phrases["yes"] if value else self.phrases["no"]

    def day_name(self, day):
        return self.weekdays[day.weekday()]

    def month_day(self, day):
        return self.say("month_day", month=self.months[day.month - 1], day=day.day)


def _folded(*items):
    return frozenset(fold(item) for item in items)


ENGLISH = Lexicon(
    code="en", label="English", speech_code="en-US", twilio_voice="", agent_language="en-US",
    vapi_transcriber={}, vapi_voice={},
    yes_words=_folded("yes", "y", "yeah", "yep", "yup", "sure", "true", "correct", "affirmative", "1", "ready"),
    no_words=_folded("no", "n", "nope", "nah", "false", "negative", "0", "not"),
    number_words={"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10},
    quantity_words={"a": 1, "an": 1, "a couple of": 2, "a pair of": 2},
    kill_phrases=("skip", "busy", "ops only", "not doing this"),
    switch_phrases=("in english", "english please", "speak english"),
    measurable_words=("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "every",
                      "each", "all", "before", "by", "until", "per", "first", "last", "noon", "morning",
                      "tonight", "today"),
    small_words=_folded("the", "a", "an", "and", "of", "please", "i", "to", "do", "my", "it", "is", "for", "in",
                        "out"),
    call_type_words={"am_checkin": "morning am pulse check in checkin", "job_closeout": "job close out closeout",
                     "eod_closeout": "end of day evening eod wrap"},
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"),
    phrases={
        "yes": "yes", "no": "no",
        "reading": "{label}?", "reading_in_unit": "{label} in {unit}?",
        "sorry": "Sorry, {problem}. {question}",
        "that_answer": "that answer",
        "move_on": "Let's move on. {question}",
        "switched": "Sure, English it is.",
        "goodbye": "Thanks. Bye.",
        "office_follows_up": "{problem}. The office will follow up.",
        "photo_link": "I'm sending you this job's photo link now.",
        "nudge": "Morning {first}, the Ops line hasn't heard from you yet: {call} when you can.",
        "nudge_call": "call {number}", "nudge_call_line": "call the Ops line",
        "photo_unknown_title": "This link does not work",
        "photo_unknown": "It is not a photo link of ours, or it was typed wrong. Ask the office for a new one.",
        "photo_revoked_title": "This link was turned off",
        "photo_revoked": "The office turned it off. Ask the office for a new one.",
        "photo_expired_title": "This link has expired",
        "photo_expired": "Photo links last a day. Call the Ops line for a new one.",
        "photo_used_up_title": "This link is used up",
        "photo_used_up": "It has taken all the files it can. Call the Ops line for a new one.",
        "photo_other_job_title": "This link is for another job",
        "photo_other_job": "Files only go to the job the link was sent for. Call the Ops line for this job's link.",
        "alert_link_unknown_title": "This link does not work",
        "alert_link_unknown": "It is not an alert link of ours, or it was typed wrong.",
        "alert_link_expired_title": "This link has expired",
        "alert_link_expired": "Alert links last three days. Open the alert in Odoo.",
        "alert_link_closed_title": "This alert is closed",
        "alert_link_closed": "Someone resolved or dismissed it already: nothing left to do.",
        "photo_sms": "Ops line: photos and documents for {job} (link works {hours} h): {url}",
        "pin_ask": "Ops line. Please enter your employee PIN, then press pound.",
        "pin_again": "{said} Please enter your PIN again, then press pound.",
        "pin_ask_agent": "Ops line. I didn't recognise this number: what's your employee PIN?",
        "pin_failed": "I couldn't verify that PIN.",
        "pin_locked": "I couldn't verify that PIN. Too many tries: please call back later.",
        "pin_verified": "Verified. Hi {first}.",
        "option": "{name}, press {number}",
        "which_one": "Hi {first}, Ops line. Which one is it? For {options}.",
        "which_one_agent": "Hi {first}, Ops line. Which one is it: {names}?",
        "or": " or ",
        "which_again": "Sorry, which one? For {options}.",
        "ack_nothing": "Nothing was changed. Goodbye.",
        "ack_done": "Acknowledged. Thank you.",
        "ack_already": "This alert is already {state}. Goodbye.",
        "alert_press": "{text} Press 1 to acknowledge.",
        "alert_no_key": "No key pressed. The alert stays open.",
        "kept_for_later": "Thanks, I have what you said so far and it will be saved. "
                          "Please call back in a few minutes to finish.",
        "earlier_today": "Earlier today", "yesterday": "Yesterday", "on_day": "On {day}",
        "month_day": "{month} {day}",
        "followup": "{when} you committed to: {text}. Done, partly, or not?",
        "training_offer": "Your manager approved a training for you: {training}. "
                          "Make it today's commitment if it fits.",
        "kept_private": "One last thing: your manager sees whether you're ready, your blockers, your energy "
                        "trend and your commitments; your own words, like your coaching answers, stay between "
                        "you and the coach.",
        "kept_shared": "One last thing: your manager sees whether you're ready, your blockers, your energy trend "
                       "and your commitments, and he can read your coaching answers too.",
        "kpi_last": "Last period {value}", "kpi_target": ", target {target}",
        "kpi_up": ", better than the period before", "kpi_down": ", worse than the period before",
        "kpi_flat": ", about the same as the period before",
        "kpi_end": ".", "kpi_end_on_target": ": on target, nice work.",
        "still_blocked": "Last time you were blocked: {note}. Still blocked?",
        "blocker_news": "{what}: {who} resolved it.", "blocker_news_how": "{what}: {who} resolved it: {how}.",
        "the_office": "The office",
        "speak": "Speak English with the caller.",
    },
)

SPANISH = Lexicon(
    code="es", label="Español", speech_code="es-MX", twilio_voice="Polly.Mia", agent_language="es-419",
    vapi_transcriber={"provider": "deepgram", "model": "nova-3", "language": "es"},
    vapi_voice={"provider": "azure", "voiceId": "es-MX-DaliaNeural"},
    yes_words=_folded("sí", "si", "claro", "correcto", "afirmativo", "dale", "órale", "simón", "1"),
    no_words=_folded("no", "nel", "negativo", "nada", "0"),
    number_words={"uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
                  "siete": 7, "ocho": 8, "nueve": 9, "diez": 10},
    quantity_words={"un par de": 2, "unos": 2, "unas": 2},
    kill_phrases=("salta", "saltar", "sáltalo", "estoy ocupado", "estoy ocupada", "ocupado", "ocupada",
                  "solo operaciones", "ahorita no"),
    switch_phrases=("en español", "en espanol", "español por favor", "in spanish", "habla español"),
    measurable_words=("uno", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
                      "cada", "todos", "todas", "antes", "para", "hasta", "por", "primero", "primera", "último",
                      "mediodía", "mañana", "hoy", "noche"),
    small_words=_folded("el", "la", "los", "las", "un", "una", "y", "de", "del", "por", "favor", "yo", "a", "es",
                        "para", "en", "mi", "lo", "que", "quiero", "hacer"),
    call_type_words={"am_checkin": "mañana matutino am reporte pulso", "job_closeout": "trabajo cierre orden",
                     "eod_closeout": "fin del día tarde noche cierre jornada"},
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
            "noviembre", "diciembre"),
    phrases={
        "yes": "sí", "no": "no",
        "reading": "¿{label}?", "reading_in_unit": "¿{label}, en {unit}?",
        "sorry": "Perdón, {problem}. {question}",
        "that_answer": "esa respuesta",
        "move_on": "Sigamos. {question}",
        "switched": "Claro, seguimos en español.",
        "goodbye": "Gracias. Hasta luego.",
        "office_follows_up": "No encontré ese trabajo. La oficina le dará seguimiento.",
        "photo_link": "Te mando ahorita el enlace para las fotos de este trabajo.",
        "photo_unknown_title": "Este enlace no funciona",
        "photo_unknown": "No es un enlace de fotos nuestro, o está mal escrito. Pide uno nuevo a la oficina.",
        "photo_revoked_title": "Este enlace se apagó",
        "photo_revoked": "La oficina lo apagó. Pide uno nuevo a la oficina.",
        "photo_expired_title": "Este enlace ya venció",
        "photo_expired": "Los enlaces de fotos duran un día. Llama a la línea de Operaciones para pedir uno nuevo.",
        "photo_used_up_title": "Este enlace ya se llenó",
        "photo_used_up": "Ya recibió todos los archivos que puede. Llama a la línea de Operaciones para pedir "
                         "uno nuevo.",
        "photo_other_job_title": "Este enlace es de otro trabajo",
        "photo_other_job": "Los archivos solo van al trabajo para el que se mandó el enlace. Llama a la línea de "
                           "Operaciones para pedir el de este trabajo.",
        "alert_link_unknown_title": "Este enlace no funciona",
        "alert_link_unknown": "No es un enlace de alerta nuestro, o está mal escrito.",
        "alert_link_expired_title": "Este enlace ya venció",
        "alert_link_expired": "Los enlaces de alerta duran tres días. Abre la alerta en Odoo.",
        "alert_link_closed_title": "Esta alerta está cerrada",
        "alert_link_closed": "Alguien ya la resolvió o la descartó: no queda nada por hacer.",
        # a text: GSM-7 letters only (no á, í, ó, ú), so it stays one 160-character segment
        "nudge": "Buenos dias {first}, la linea de Ops no ha sabido de ti: {call} cuando puedas.",
        "nudge_call": "llama al {number}", "nudge_call_line": "llama a la linea de Ops",
        "photo_sms": "Ops: fotos y documentos de {job} (el enlace dura {hours} h): {url}",
        "pin_ask": "Línea de Operaciones. Marca tu PIN de empleado y luego la tecla de gato.",
        "pin_again": "{said} Marca tu PIN otra vez y luego la tecla de gato.",
        "pin_ask_agent": "Línea de Operaciones. No reconocí este número: ¿cuál es tu PIN de empleado?",
        "pin_failed": "No pude verificar ese PIN.",
        "pin_locked": "No pude verificar ese PIN. Demasiados intentos: vuelve a llamar más tarde.",
        "pin_verified": "Verificado. Hola {first}.",
        "option": "{name}, marca {number}",
        "which_one": "Hola {first}, Línea de Operaciones. ¿Cuál es? Para {options}.",
        "which_one_agent": "Hola {first}, Línea de Operaciones. ¿Cuál es: {names}?",
        "or": " o ",
        "which_again": "Perdón, ¿cuál? Para {options}.",
        "ack_nothing": "No se cambió nada. Hasta luego.",
        "ack_done": "Recibido. Gracias.",
        "ack_already": "Esta alerta ya está {state}. Hasta luego.",
        "alert_press": "{text} Marca 1 para confirmar que la recibiste.",
        "alert_no_key": "No marcaste ninguna tecla. La alerta sigue abierta.",
        "kept_for_later": "Gracias, ya tengo lo que dijiste y se va a guardar. "
                          "Vuelve a llamar en unos minutos para terminar.",
        "earlier_today": "Hoy más temprano", "yesterday": "Ayer", "on_day": "El {day}",
        "month_day": "{day} de {month}",
        "followup": "{when} te comprometiste a: {text}. ¿Lo hiciste, a medias, o no?",
        "training_offer": "Tu encargado aprobó una capacitación para ti: {training}. "
                          "Si te queda, que sea tu compromiso de hoy.",
        "kept_private": "Una última cosa: tu encargado ve si estás listo, tus bloqueos, cómo va tu energía y tus "
                        "compromisos; tus propias palabras, como tus respuestas de coaching, quedan entre tú y "
                        "el coach.",
        "kept_shared": "Una última cosa: tu encargado ve si estás listo, tus bloqueos, cómo va tu energía y tus "
                       "compromisos, y también puede leer tus respuestas de coaching.",
        "kpi_last": "El periodo pasado {value}", "kpi_target": ", meta {target}",
        "kpi_up": ", mejor que el periodo anterior", "kpi_down": ", peor que el periodo anterior",
        "kpi_flat": ", más o menos igual que el periodo anterior",
        "kpi_end": ".", "kpi_end_on_target": ": en la meta, buen trabajo.",
        "still_blocked": "La última vez estabas bloqueado: {note}. ¿Sigues bloqueado?",
        "blocker_news": "{what}: {who} lo resolvió.", "blocker_news_how": "{what}: {who} lo resolvió: {how}.",
        "the_office": "La oficina",
        "speak": "Speak Latin American Spanish with the caller, informally (tú), in plain words for a field "
                 "crew; the lines quoted below are already in Spanish: say them as written.",
    },
    reask={"scale": "Perdón, dime un número del 1 al 5. {question}",
           "yes_no": "Perdón, contesta sí o no. {question}",
           "number": "Perdón, dime un número. {question}",
           "choice": "Perdón, no te entendí. {question}",
           "text": "Perdón, no te entendí. {question}",
           "short_text": "Perdón, dilo en pocas palabras. {question}"},
)

LEXICONS = registry.Registry("lexicon")
for _lexicon in (ENGLISH, SPANISH):
    LEXICONS.register(_lexicon)


def for_language(lang):
    """The lexicon of an Odoo language code ("es_419", "es_MX", "en_US"), English when none fits."""
    code = str(lang or "").split("_")[0].split("-")[0].lower()
    return LEXICONS.get(code) or ENGLISH


def switch_asked(text, current):
    """The lexicon the caller asked to be spoken in ("en español"), or None."""
    said = " " + " ".join(words(text)) + " "
    for lexicon in LEXICONS.values():
        if lexicon.code != current.code and any(f" {' '.join(words(p))} " in said for p in lexicon.switch_phrases):
            return lexicon
    return None
