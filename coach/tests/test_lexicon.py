"""The line in the caller's language: answers heard and sentences said through a lexicon."""

import datetime

import pytest
from shipped_flows import load_flows

from coach import blockers, closeout, delivery, lexicon, prompt, sheet, twilio, upload
from coach import flow as engine
from coach.checkin_values import InvalidValue

FLOWS = load_flows()
SPANISH = lexicon.SPANISH


def spanish_call(code="tech_am"):
    return engine.CallState(FLOWS[code], language="es")


def test_words_are_read_in_any_script_with_accents_folded():
    assert lexicon.words("¡Sí, CUATRO! can't") == ["si", "cuatro", "can't"]
    assert lexicon.fold("Miércoles") == "miercoles"


@pytest.mark.parametrize("lang, expected", [("es_419", "es"), ("es_MX", "es"), ("es-US", "es"), ("en_US", "en"),
                                            ("fr_FR", "en"), ("", "en"), (None, "en")])
def test_an_odoo_language_finds_its_lexicon_and_english_is_the_fallback(lang, expected):
    assert lexicon.for_language(lang).code == expected


def test_spanish_numbers_yes_and_no_are_understood():
    energy = FLOWS["tech_am"].step("energy_level")
    blocker = FLOWS["tech_am"].step("blocker_present")
    assert engine.normalize_answer(energy, "Cuatro.", SPANISH) == 4
    assert engine.normalize_answer(blocker, "Sí", SPANISH) is True
    assert engine.normalize_answer(blocker, "si, hay uno", SPANISH) is True
    assert engine.normalize_answer(blocker, "No.", SPANISH) is False
    with pytest.raises(InvalidValue):
        engine.normalize_answer(energy, "cuatro", lexicon.ENGLISH)  # an English caller's words are English


def test_a_two_way_choice_takes_a_plain_spanish_yes_or_no():
    ready = FLOWS["tech_am"].step("ready_status")
    assert engine.normalize_answer(ready, "sí", SPANISH) == "ready"
    assert engine.normalize_answer(ready, "no", SPANISH) == "not_ready"


def test_a_translated_choice_adds_its_words_and_keeps_the_stored_values():
    source = engine.parse_choices("done:yes,did it|partly:some|not_done:no")
    translated = engine.parse_choices("done:sí,lo hice|partly:a medias|not_done:no lo hice|bogus:x")
    merged = engine.merge_choices(source, translated)
    assert [value for value, _words in merged] == ["done", "partly", "not_done"]
    step = engine.Step("commitment_followup", "?", "choice", choices=merged)
    assert engine.normalize_answer(step, "A medias", SPANISH) == "partly"
    assert engine.normalize_answer(step, "Sí, lo hice", SPANISH) == "done"


def test_salta_switches_a_spanish_caller_to_ops_only():
    state = spanish_call()
    engine.start(state)
    turn = engine.answer(state, "Salta, estoy en un trabajo", FLOWS)
    assert turn.kind == "switched" and state.flow.code == engine.OPS_ONLY


def test_english_kill_phrases_do_not_depend_on_the_flow_record():
    state = engine.CallState(FLOWS["tech_am"])
    engine.start(state)
    assert engine.answer(state, "ops only please", FLOWS).kind == "switched"


def test_a_spanish_caller_asked_again_hears_spanish():
    state = spanish_call()
    engine.start(state)
    engine.answer(state, "sí", FLOWS)  # ready
    turn = engine.answer(state, "muy bien", FLOWS)  # energy: no number
    assert turn.kind == "invalid" and turn.prompt.startswith("Perdón, dime un número del 1 al 5.")
    turn = engine.answer(state, "pues bien", FLOWS)
    assert turn.kind == "skipped" and turn.prompt.startswith("Sigamos.")


def test_a_caller_who_asks_for_spanish_keeps_it_for_the_rest_of_the_call():
    state = engine.CallState(FLOWS["tech_am"])
    first = engine.start(state)
    turn = engine.answer(state, "En español, por favor", FLOWS)
    assert turn.kind == "language" and state.language == "es"
    assert turn.step.key == first.step.key and turn.prompt.startswith("Claro, seguimos en español.")
    assert engine.answer(state, "sí", FLOWS).kind == "ask" and state.answers["ready_status"] == "ready"
    restored = engine.CallState.from_dict(state.to_dict(), FLOWS)
    assert restored.language == "es"
    engine.answer(restored, "In English please", FLOWS)
    assert restored.language == "en"


def test_a_measurable_spanish_commitment_is_not_asked_again():
    assert SPANISH.is_measurable("llamar a la señora Lee antes del mediodía")
    assert not SPANISH.is_measurable("echarle ganas")


def test_spoken_sentences_come_from_the_lexicon():
    today = datetime.date(2026, 11, 25)  # a Wednesday
    assert prompt.followup_question(("llamar a la Sra. Lee", today - datetime.timedelta(days=1)), today,
                                    SPANISH) == "Ayer te comprometiste a: llamar a la Sra. Lee. ¿Lo hiciste, a medias, o no?"
    assert prompt.followup_when(today - datetime.timedelta(days=2), today, SPANISH) == "El lunes"
    assert prompt.followup_when(datetime.date(2026, 11, 2), today, SPANISH) == "El 2 de noviembre"
    assert "quedan entre tú y el coach" in prompt.what_is_kept(True, SPANISH)
    assert blockers.still_blocked_question("sin capacitor", SPANISH) == \
        "La última vez estabas bloqueado: sin capacitor. ¿Sigues bloqueado?"
    assert blockers.news("sin capacitor", "Dana", "hay dos en recepción", SPANISH) == \
        "Sin capacitor: Dana lo resolvió: hay dos en recepción."
    kpi = {"name": "FTF", "unit": "%", "values": [80, 92], "target": 90, "higher_is_better": True}
    assert prompt.kpi_numbers(kpi, "always", SPANISH)[0] == \
        "El periodo pasado 92%, meta 90%, mejor que el periodo anterior: en la meta, buen trabajo."


def test_every_lexicon_says_every_phrase_english_has():
    for words in lexicon.LEXICONS.values():
        assert set(words.phrases) == set(lexicon.ENGLISH.phrases), words.code
        assert len(words.weekdays) == 7 and len(words.months) == 12
        for name, template in words.phrases.items():  # each fills from the same names as English
            names = prompt.placeholders(template)
            assert names <= prompt.placeholders(lexicon.ENGLISH.phrases[name]) | {"problem"}, (words.code, name)


def test_a_spanish_sheet_reading_is_asked_and_said_in_spanish():
    reading = sheet.Reading("suction", "Presión de succión", unit="psi", minimum=50, maximum=150)
    assert reading.step(SPANISH).question == "¿Presión de succión, en psi?"
    assert reading.spoken(True, SPANISH) == "sí"
    assert sheet.find_reading([reading], "presion de succion") is reading


def test_spanish_quantities_before_a_part():
    assert closeout.spoken_item("dos filtros", SPANISH) == (2.0, "filtros")
    assert closeout.spoken_item("un par de capacitores", SPANISH) == (2.0, "capacitores")


def test_a_spanish_caller_picks_the_check_in_by_its_spanish_words():
    options = [("Reporte de la mañana", "am_checkin"), ("Cierre de trabajo", "job_closeout")]
    assert twilio.chosen_option(options, "el cierre del trabajo", SPANISH) == 1
    assert twilio.chosen_option(options, "el de la mañana", SPANISH) == 0


def test_a_spanish_safety_call_says_spanish_in_es_mx():
    twiml = twilio.alert_call("Alerta de seguridad: Luis.", "https://x/ack", "Polly.Mia", "es-MX", SPANISH)
    assert 'language="es-MX"' in twiml and "Marca 1 para confirmar" in twiml


GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
           "¿abcdefghijklmnopqrstuvwxyzäöñüà")


def test_a_spanish_photo_text_is_one_gsm7_message():
    body = upload.sms_body("Servicio de calentador - Rivera", "https://ops.example.com/ops_coach/photos/"
                           + upload.new_token(), 24, SPANISH)
    assert body.startswith("Ops: fotos y documentos de") and len(body) <= 160
    assert set(body) <= GSM7, set(body) - GSM7


def test_a_spanish_nudge_is_one_gsm7_message_in_his_words():
    text = delivery.nudge_text("Rosa", "+1 512 555 0100", SPANISH)
    assert text == "Buenos dias Rosa, la linea de Ops no ha sabido de ti: llama al +1 512 555 0100 cuando puedas."
    assert set(text) <= GSM7


def test_every_refused_link_has_its_page_in_every_language():
    for words in lexicon.LEXICONS.values():
        for reason in upload.REFUSALS:
            assert all(upload.refusal_words(reason, words)), (words.code, reason)
        for reason in delivery.ACK_REFUSALS:
            assert all(delivery.ack_refusal_words(reason, words)), (words.code, reason)
    assert upload.refusal_words("revoked", SPANISH)[0] == "Este enlace se apagó"
