"""The close-out's maintenance sheet, completeness, quote items and photo link."""

import base64
import datetime

import pytest
from shipped_flows import load_flows

from coach import closeout, sheet, upload
from coach import flow as engine
from coach.checkin_values import InvalidValue

FLOWS = load_flows()
HVAC = (
    sheet.Reading("suction_psi", "Suction pressure", unit="psi", minimum=50, maximum=150),
    sheet.Reading("filter", "Filter condition", answer_type="choice",
                  choices=engine.parse_choices("clean:good,fine|dirty:bad|replaced:new")),
    sheet.Reading("capacitor_uf", "Capacitor", unit="µF", minimum=30, maximum=60),
    sheet.Reading("thermostat_ok", "Thermostat OK", answer_type="yes_no", required=False),
)


def closeout_state():
    flow = sheet.sheet_flow(FLOWS["tech_job_closeout"], HVAC)
    state = engine.CallState(flow)
    engine.answer(state, "Smith")  # job_ref: the block comes right after it
    return state


# ----------------------------------------------------------------- the sheet as engine steps
def test_the_sheet_is_asked_right_after_the_job_then_the_checklist_goes_on():
    keys = [step.key for step in sheet.sheet_flow(FLOWS["tech_job_closeout"], HVAC).steps]
    assert keys[:6] == ["job_ref", "reading_suction_psi", "reading_filter", "reading_capacitor_uf",
                        "reading_thermostat_ok", "diagnosis_done"]
    assert sheet.sheet_flow(FLOWS["tech_job_closeout"], ()) is FLOWS["tech_job_closeout"]


def test_an_out_of_range_reading_is_asked_again_once_then_kept_and_flagged():
    state = closeout_state()
    turn = engine.answer(state, "twelve")  # not a number word the engine knows past ten
    assert turn.kind == "invalid"
    state = closeout_state()
    turn = engine.answer(state, "20")
    assert turn.kind == "invalid" and "outside the expected 50 to 150" in turn.prompt
    assert "reading_suction_psi" not in state.answers
    turn = engine.answer(state, "20")
    assert state.answers["reading_suction_psi"] == 20.0
    assert state.flagged == {"reading_suction_psi"}
    assert turn.step.key == "reading_filter"


def test_an_in_range_reading_after_a_re_ask_is_not_flagged():
    state = closeout_state()
    engine.answer(state, "20")
    engine.answer(state, "72")
    assert state.answers["reading_suction_psi"] == 72.0 and not state.flagged


def test_flagged_readings_survive_the_call_state_round_trip():
    state = closeout_state()
    engine.answer(state, "200")
    engine.answer(state, "200")
    flows = {state.flow.code: state.flow}
    again = engine.CallState.from_dict(state.to_dict(), flows)
    assert again.flagged == {"reading_suction_psi"} and again.tried == {"reading_suction_psi"}


def test_a_number_step_without_flagging_still_refuses_out_of_range():
    step = engine.Step("team_readiness", "?", "number", minimum=0, maximum=100)
    with pytest.raises(InvalidValue, match="from 0 to 100"):
        engine.normalize_answer(step, 140)


# ----------------------------------------------------------------- readings in one tool call
def test_readings_by_label_code_or_partial_label():
    check = sheet.check_readings(HVAC, {"suction": "72", "Filter condition": "dirty", "capacitor_uf": 45,
                                        "thermostat ok": "yes"})
    assert check.values == {"suction_psi": 72.0, "filter": "dirty", "capacitor_uf": 45.0, "thermostat_ok": True}
    assert not check.problems and not check.flagged


def test_an_out_of_range_reading_in_a_tool_call_is_sent_back_once_then_flagged():
    first = sheet.check_readings(HVAC, {"capacitor": "20"})
    assert first.reask == ["capacitor_uf"] and "20 is outside the expected 30 to 60" in first.problems[0]
    assert "capacitor_uf" not in first.values
    second = sheet.check_readings(HVAC, {"capacitor": "20"}, retried={"capacitor_uf"})
    assert second.values == {"capacitor_uf": 20.0} and second.flagged == ["capacitor_uf"] and not second.problems


def test_readings_the_sheet_lacks_are_kept_as_said_and_bad_values_are_speakable_problems():
    check = sheet.check_readings(HVAC, {"voltage": 240, "suction pressure": 72, "Superheat OK": True})
    assert check.values == {"suction_psi": 72.0} and not check.problems
    assert check.unknown_note() == "voltage 240; Superheat OK yes"
    assert sheet.check_readings((), {"suction pressure": 118.5}).unknown == ["suction pressure 118.5"], "no sheet"
    check = sheet.check_readings(HVAC, {"filter": "purple"})
    assert "filter must be one of: clean, dirty, replaced" in check.problems[0]
    assert sheet.check_readings(HVAC, ["72"]).problems == ["readings must be an object: reading name → value"]
    assert sheet.check_readings(HVAC, None).values == {}


def test_spoken_values():
    assert HVAC[0].spoken(72.0) == "72 psi" and HVAC[3].spoken(True) == "yes" and HVAC[1].spoken("dirty") == "dirty"


# ----------------------------------------------------------------- completeness
def test_a_job_is_complete_with_its_checklist_photos_and_required_readings():
    done = {"diagnosis_done": True, "photos_uploaded": True, "options_presented": True, "customer_understood": True}
    assert closeout.missing_items(done) == []
    assert closeout.missing_items(dict(done, photos_uploaded=False)) == ["photos uploaded"]
    assert closeout.missing_items(dict(done, photos_uploaded=False), photos_in=True) == []
    assert closeout.missing_items(dict(done, photos_uploaded=False), photos_required=False) == []
    assert closeout.missing_items(done, missing_readings=["Capacitor"]) == ["reading: Capacitor"]


# ----------------------------------------------------------------- quote items
def test_spoken_proposals_become_items_with_quantities():
    items = closeout.parse_items(["a new capacitor and a surge protector", "two filters"])
    assert [(i.text, i.quantity, i.tier) for i in items] == [
        ("capacitor", 1.0, ""), ("surge protector", 1.0, ""), ("filters", 2.0, "")]
    assert closeout.parse_items("3 x condensate pumps")[0].quantity == 3.0


def test_objects_with_tiers_make_one_quote_per_tier():
    items = closeout.parse_items([{"name": "Service call"},
                                  {"name": "capacitor", "tier": "good"},
                                  {"name": "capacitor and hard start kit", "tier": "Better", "quantity": "2"},
                                  {"name": "new condenser", "tier": "option 3"}])
    quotes = closeout.by_tier(items)
    assert list(quotes) == ["Good", "Better", "Best"]
    assert [i.text for i in quotes["Best"]] == ["Service call", "condenser"]
    assert quotes["Better"][1].quantity == 2.0
    assert list(closeout.by_tier(closeout.parse_items(["capacitor"]))) == [""]


@pytest.mark.parametrize("items, message", [
    ([], "items must list"), ("", "items must list"), ([{"quantity": 2}], "an object with a name"),
    ([{"name": "pump", "quantity": 0}], "more than 0"), ([{"name": "pump", "tier": "gold"}], "good, better or best"),
    ([{"name": "pump", "quantity": True}], "must be a number"), (["pump"] * 31, "at most 30"),
])
def test_bad_items_are_refused_with_a_speakable_reason(items, message):
    with pytest.raises(InvalidValue, match=message):
        closeout.parse_items(items)


# ----------------------------------------------------------------- photo link
NOW = datetime.datetime(2026, 11, 24, 15, 0)


def link(**values):
    return dict({"revoked": False, "expires_at": NOW + datetime.timedelta(hours=24), "file_count": 0,
                 "max_files": 20, "job_id": 7}, **values)


def test_tokens_are_random_and_stored_only_as_a_hash():
    token = upload.new_token()
    assert len(token) >= 32 and token != upload.new_token()
    stored = upload.token_hash(token)
    assert token not in stored and stored == upload.token_hash(token) != upload.token_hash(token + "x")


@pytest.mark.parametrize("values, job_id, reason", [
    (None, None, "unknown"), ({"revoked": True}, None, "revoked"),
    ({"expires_at": NOW}, None, "expired"), ({"file_count": 20}, None, "used_up"), ({}, 8, "other_job"),
    ({}, 7, None), ({}, None, None),
])
def test_a_link_is_refused_for_one_clear_reason(values, job_id, reason):
    assert upload.refusal(None if values is None else link(**values), NOW, job_id) == reason
    if reason:
        assert reason in upload.REFUSALS


def test_files_must_be_photos_or_pdf_under_the_cap():
    assert upload.file_problem("image/jpeg", 1000, 10 * 2**20) is None
    assert upload.file_problem("application/pdf", 1000, 10 * 2**20) is None
    assert upload.file_problem("text/html", 1000, 10 * 2**20) == "Only photos and PDF files can be sent."
    assert upload.file_problem("image/png", 11 * 2**20, 10 * 2**20) == "The file is over 10 MB."
    assert upload.file_problem("image/png", 0, 10 * 2**20) == "The file is empty."


def test_the_twilio_request_is_the_documented_form_with_basic_auth():
    url, form, headers = upload.twilio_message("http://127.0.0.1:9/", "AC123", "tok", "+15125550191",
                                               "+15550100000", "hello")
    assert url == "http://127.0.0.1:9/2010-04-01/Accounts/AC123/Messages.json"
    assert form == {"To": "+15125550191", "From": "+15550100000", "Body": "hello"}
    assert base64.b64decode(headers["Authorization"].split()[1]) == b"AC123:tok"
    _url, form, _headers = upload.twilio_message("", "AC1", "t", "+1", "MG42", "x")
    assert form["MessagingServiceSid"] == "MG42" and "From" not in form
    assert _url.startswith("https://api.twilio.com/2010-04-01/Accounts/AC1/")


def test_the_text_fits_one_message_and_names_the_phone_by_its_last_digits():
    body = upload.sms_body("Job 1234", "https://ops.example.com/ops_coach/photos/" + upload.new_token(), 24)
    assert len(body) <= 160
    assert upload.mask_number("+15125550191") == "…0191" and upload.mask_number("") == ""


CATALOG = [{"id": 1, "default_code": "CAP-405", "name": "Run capacitor 45/5 µF"},
           {"id": 2, "default_code": "SP-100", "name": "Surge protector"},
           {"id": 3, "default_code": "CAP-370", "name": "Start capacitor"},
           {"id": 4, "default_code": False, "name": "Blower motor 1/2 HP"},
           {"id": 5, "default_code": False, "name": "Blower motor 3/4 HP"}]


@pytest.mark.parametrize(("said", "product"), [
    ("CAP-405 run capacitor", 1),  # the internal reference among the words
    ("cap-405", 1),
    ("Surge protector", 2),
    ("a run capacitor", 1),  # the words said stand in one name
    ("a new surge protector for the condenser", 2),  # every word of one name was said
    ("start capacitor, dual", 3),
    ("capacitor", None),  # two capacitors: the office picks
    ("blower motor", None),
    ("a new thermostat", None),
    ("", None),
])
def test_a_spoken_item_matches_the_one_product_it_names(said, product):
    assert closeout.match_product(said, CATALOG) == product


def test_the_search_words_keep_a_reference_whole():
    words = closeout.product_search_words("CAP-405 run capacitor")
    assert "cap-405" in words and "capacitor" in words and "the" not in closeout.product_search_words("the unit")
