"""Each caller in his own language: a technician whose employee language is
Spanish hears Spanish on the scripted Twilio line and from Vapi, and is
understood in Spanish; the shipped Spanish (i18n/es_419.po) is what he hears."""

import re

from freezegun import freeze_time

from odoo.tests import tagged

from ..coach import upload
from .test_retell import NUMBER, RetellCase
from .test_twilio import EARLY, TwilioCase
from .test_vapi import envelope

SPANISH = "es_419"


def says(twiml):
    """The words of every <Say>, and the language of every <Say> and <Gather>."""
    return " ".join(re.findall(r"<Say[^>]*>([^<]*)</Say>", twiml)), re.findall(r'language="([^"]+)"', twiml)


def speaks_spanish(env, employee):
    """Latin American Spanish active, this module's Spanish loaded, and ``employee`` speaking it."""
    env["res.lang"]._activate_lang(SPANISH)
    env["ir.module.module"]._load_module_terms(["ops_coach"], [SPANISH], overwrite=True)
    employee.sudo().lang = SPANISH


@tagged("post_install", "-at_install")
class TestSpanishCaller(TwilioCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        speaks_spanish(cls.env, cls.emp_tech)

    @freeze_time(EARLY)
    def test_spanish_on_twilio_cuatro_si_and_salta_are_understood(self):
        opening = self.twilio("voice", "CAES1")[1]
        words, languages = says(opening)
        self.assertIn("Buenos días Tech, reporte rápido", words)
        self.assertIn("¿Listo para salir hoy?", words)
        self.assertEqual(languages, ["es-MX", "es-MX"], "both <Gather> and <Say> are Spanish")
        self.assertIn('voice="Polly.Mia"', opening)

        self.twilio("gather", "CAES1", SpeechResult="Sí", Confidence="0.9")
        twiml = self.twilio("gather", "CAES1", SpeechResult="Cuatro.", Confidence="0.9")[1]
        self.assertIn("¿Algo te está frenando hoy?", says(twiml)[0])
        checkin = self.twilio_checkin("CAES1")
        self.assertRecordValues(checkin, [{"ready_status": "ready", "energy_level": 4,
                                           "completion_status": "partial"}])

        twiml = self.twilio("gather", "CAES1", SpeechResult="Salta, estoy ocupado", Confidence="0.9")[1]
        self.assertIn("No hay problema, dos rapiditas.", says(twiml)[0])
        twiml = self.twilio("gather", "CAES1", SpeechResult="no", Confidence="0.9")[1]
        words, languages = says(twiml)
        self.assertIn("<Hangup", twiml)
        self.assertIn("Entendido. Gracias.", words)
        self.assertIn("quedan entre tú y el coach", words, "the end-of-call sentence, in his language")
        self.assertEqual(set(languages), {"es-MX"})
        self.assertRecordValues(checkin, [{"call_type": "ops_only", "ready_status": "ready", "blocker_flag": False,
                                           "completion_status": "complete"}])

    @freeze_time(EARLY)
    def test_an_invalid_answer_is_asked_again_in_spanish(self):
        self.twilio("voice", "CAES2")
        self.twilio("gather", "CAES2", SpeechResult="sí")
        twiml = self.twilio("gather", "CAES2", SpeechResult="pues bien")[1]
        self.assertIn("Perdón, dime un número del 1 al 5. ¿Tu energía hoy, del uno al cinco?", says(twiml)[0])

    @freeze_time(EARLY)
    def test_an_english_caller_who_asks_for_spanish_keeps_it_for_the_call(self):
        self.emp_tech.sudo().lang = "en_US"
        opening = self.twilio("voice", "CAES3")[1]
        self.assertIn("Ready to roll today?", says(opening)[0])
        twiml = self.twilio("gather", "CAES3", SpeechResult="en español por favor")[1]
        words, languages = says(twiml)
        self.assertIn("Claro, seguimos en español. ¿Listo para salir hoy?", words)
        self.assertEqual(set(languages), {"es-MX"})
        twiml = self.twilio("gather", "CAES3", SpeechResult="sí")[1]
        self.assertIn("¿Tu energía hoy, del uno al cinco?", says(twiml)[0])
        self.assertEqual(self.twilio_checkin("CAES3").ready_status, "ready")

    @freeze_time(EARLY)
    def test_a_company_sets_the_spanish_voice_and_language(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("ops_coach.twilio_voice.es", "Polly.Lupe")
        params.set_param("ops_coach.twilio_language.es", "es-US")
        opening = self.twilio("voice", "CAES4")[1]
        self.assertIn('voice="Polly.Lupe"', opening)
        self.assertEqual(set(says(opening)[1]), {"es-US"})

    @freeze_time(EARLY)
    def test_spanish_on_vapi_prompt_first_message_and_transcriber(self):
        status, body = self.post(envelope("assistant-request", call_id="vapi-es"))
        self.assertEqual(status, 200)
        assistant = body["assistant"]
        self.assertTrue(assistant["firstMessage"].startswith("Buenos días Tech, reporte rápido"),
                        assistant["firstMessage"])
        self.assertEqual(assistant["transcriber"], {"provider": "deepgram", "model": "nova-3", "language": "es"})
        self.assertEqual(assistant["voice"]["voiceId"], "es-MX-DaliaNeural")
        system = assistant["model"]["messages"][0]["content"]
        self.assertIn("Latin American Spanish", system)
        self.assertIn("¿Tu energía hoy, del uno al cinco?", system)
        self.assertIn('"salta"', system, "the Spanish kill phrases are the agent's too")
        self.assertIn("quedan entre tú y el coach", system, "the end-of-call sentence, in his language")

    @freeze_time(EARLY)
    def test_an_english_caller_keeps_vapis_own_recogniser_and_voice(self):
        self.emp_tech.sudo().lang = "en_US"
        assistant = self.post(envelope("assistant-request", call_id="vapi-en"))[1]["assistant"]
        self.assertNotIn("transcriber", assistant)
        self.assertNotIn("voice", assistant)
        self.assertIn("Ready to roll today?", assistant["model"]["messages"][0]["content"])

    def test_the_photo_page_speaks_the_technicians_language(self):
        job = self.env["project.task"].create({"name": "Calentador", "user_ids": [(4, self.user_tech.id)]})
        link = self.env["ops.upload_link"]._request(job, self.emp_tech, self.env["ops.call_event"])
        token = "a-token-for-the-spanish-page"
        link.sudo().token_hash = upload.token_hash(token)
        page = self.url_open(f"/ops_coach/photos/{token}").text
        self.assertIn("Tomar foto", page)
        self.assertIn("Cada archivo se va directo al trabajo.", page)


@tagged("post_install", "-at_install")
class TestSpanishCallerOnRetell(RetellCase):
    """The same Spanish technician through Retell: the agent's language for this
    call, and the prompt variables in Spanish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        speaks_spanish(cls.env, cls.emp_tech)

    @freeze_time(EARLY)
    def test_retell_gets_the_agent_language_and_spanish_variables(self):
        status, body = self.post_retell({"event": "call_inbound", "call_inbound": {
            "agent_id": "agent_ops", "from_number": NUMBER, "to_number": "+15550100000"}})
        self.assertEqual(status, 200)
        inbound = body["call_inbound"]
        self.assertEqual(inbound["agent_override"]["agent"]["language"], "es-419")
        self.assertTrue(inbound["dynamic_variables"]["ops_first_message"].startswith("Buenos días Tech"))
        self.assertIn("¿Listo para salir hoy?", inbound["dynamic_variables"]["ops_prompt"])

    def test_a_turned_off_photo_link_says_so_in_his_language(self):
        job = self.env["project.task"].create({"name": "Calentador", "user_ids": [(4, self.user_tech.id)]})
        link = self.env["ops.upload_link"]._request(job, self.emp_tech, self.env["ops.call_event"])
        token = "a-token-turned-off"
        link.sudo().token_hash = upload.token_hash(token)
        link.action_revoke()
        page = self.url_open(f"/ops_coach/photos/{token}")
        self.assertEqual(page.status_code, 410)
        self.assertIn("Este enlace se apagó", page.text)
        # a token that is nobody's is answered in the company's language (English here)
        self.assertIn("This link does not work", self.url_open("/ops_coach/photos/nobodys-token").text)
