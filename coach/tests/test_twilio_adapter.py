import base64
import hashlib
import hmac
import urllib.parse

import pytest

from coach import twilio

OPTIONS = [("Technician AM pulse and coaching", "am_checkin"), ("Job close-out", "job_closeout"),
           ("End-of-day close-out", "eod_closeout")]


def reference_signature(token, url, params):
    """Twilio's documented algorithm, written out independently of the module."""
    data = url + "".join(k + v for k in sorted(params) for v in sorted(params[k]))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def test_signature_with_and_without_the_default_port():
    params = {"CallSid": ["CA1"], "From": ["+15125550191"], "Digits": ["4"]}
    signed = reference_signature("tok", "https://odoo.example.com/ops_coach/twilio/gather", params)
    assert twilio.signature_matches("tok", ["https://odoo.example.com/ops_coach/twilio/gather"], params, signed)
    assert twilio.signature_matches("tok", ["https://odoo.example.com:443/ops_coach/twilio/gather"], params, signed)
    assert not twilio.signature_matches("tok", ["https://other.example.com/ops_coach/twilio/gather"], params, signed)
    assert not twilio.signature_matches("tok", ["https://odoo.example.com/ops_coach/twilio/gather"],
                                        dict(params, Digits=["5"]), signed)
    assert not twilio.signature_matches("", ["https://odoo.example.com/x"], params, signed)


@pytest.mark.parametrize(("said", "expected"), [
    ("1", 0), ("3", 2), ("4", None), ("the morning check-in please", 0), ("job close out", 1),
    ("end of day", 2), ("close-out", None), ("", None), (None, None)])
def test_choosing_a_flow_by_key_or_words(said, expected):
    assert twilio.chosen_option(OPTIONS, said) == expected


def test_a_gather_request_and_its_answer():
    body = urllib.parse.urlencode({"CallSid": "CA1", "From": "+15125550191", "SpeechResult": "four\x00",
                                   "Digits": ""}).encode()
    message = twilio.parse_body(body, "gather")
    assert (message.type, message.call_id, message.caller_number, message.answer) == (
        "gather", "CA1", "+15125550191", "four")
    silent = twilio.parse_body(b"CallSid=CA1&SpeechResult=&Digits=", "gather")
    assert silent.answer is None
    status = twilio.parse_body(b"CallSid=CA1&CallStatus=completed&CallDuration=41", "status")
    assert (status.duration_seconds(), status.ended_reason) == (41, "twilio-completed")


@pytest.mark.parametrize("body", [b"From=%2B1", b"\xff\xfe", b""])
def test_requests_without_a_call_sid_or_not_utf8_are_refused(body):
    with pytest.raises(twilio.PayloadError):
        twilio.parse_body(body, "voice")


def test_twiml_is_escaped_and_listens_for_speech_and_keys():
    xml = twilio.ask("Energy <today> & tomorrow?", "/ops_coach/twilio/gather", "Polly.Joanna", "en-US",
                     ["yes", "no"])
    assert "Energy &lt;today&gt; &amp; tomorrow?" in xml
    assert 'input="speech dtmf"' in xml and 'actionOnEmptyResult="true"' in xml and 'hints="yes, no"' in xml
    assert twilio.say_and_hang_up("Bye").endswith("<Say language=\"en-US\">Bye</Say><Hangup /></Response>")


def test_the_keys_pressed_on_a_safety_call_are_read_as_sent():
    message = twilio.parse_body(b"CallSid=CA42&Digits=1&From=%2B15550100000", "alert_ack")
    assert (message.type, message.call_id, message.digits) == ("alert_ack", "CA42", "1")
    assert twilio.parse_body(b"CallSid=CA42", "alert_ack").digits == ""
