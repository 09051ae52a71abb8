from odoo import fields, models

from ..coach import vocabulary


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ops_coach_vapi_secret = fields.Char(
        "Vapi secret", config_parameter="ops_coach.vapi_secret",
        help="Sent by Vapi as X-Vapi-Secret or Authorization: Bearer on every request.",
    )
    ops_coach_vapi_credential_id = fields.Char(
        "Vapi credential id", config_parameter="ops_coach.vapi_credential_id",
        help="When set, generated tools reference this Vapi credential instead of sending the secret header.",
    )
    ops_coach_public_url = fields.Char(
        "Public URL", config_parameter="ops_coach.public_url",
        help="The address Vapi reaches this Odoo at, if not web.base.url.",
    )
    ops_coach_vapi_model_provider = fields.Char(
        "LLM provider", config_parameter="ops_coach.vapi_model_provider", default="openai")
    ops_coach_vapi_model = fields.Char("LLM model", config_parameter="ops_coach.vapi_model", default="gpt-4o")
    ops_coach_retell_api_key = fields.Char(
        "Retell API key", config_parameter="ops_coach.retell_api_key",
        help="The Retell API key with the webhook badge: it signs every request (x-retell-signature).")
    ops_coach_twilio_auth_token = fields.Char(
        "Twilio auth token", config_parameter="ops_coach.twilio_auth_token",
        help="Twilio signs every webhook with it (X-Twilio-Signature).")
    ops_coach_twilio_account_sid = fields.Char(
        "Twilio account SID", config_parameter="ops_coach.twilio_account_sid",
        help="With the auth token and a sender, photo links are texted through Twilio's Messaging API.")
    ops_coach_twilio_sms_from = fields.Char(
        "Text from", config_parameter="ops_coach.twilio_sms_from",
        help="A Twilio number in E.164, or a Messaging Service SID (MG…). US numbers need A2P 10DLC registration.")
    ops_coach_photo_link_odoo_sms = fields.Boolean(
        "Text with Odoo's SMS app", config_parameter="ops_coach.photo_link_odoo_sms",
        help="Without Twilio: send photo links through Odoo's SMS app (IAP credits, or the Twilio provider of "
             "recent 18.0 builds). Off: they are emailed.")
    ops_coach_photo_link_hours = fields.Integer(
        "Photo link lasts (hours)", config_parameter="ops_coach.photo_link_hours", default=24)
    ops_coach_photo_link_max_files = fields.Integer(
        "Files per photo link", config_parameter="ops_coach.photo_link_max_files", default=20)
    ops_coach_photo_max_mb = fields.Integer("Largest file (MB)", config_parameter="ops_coach.photo_max_mb", default=15)
    ops_coach_twilio_voice = fields.Char(
        "Twilio voice", config_parameter="ops_coach.twilio_voice",
        help="The <Say> voice, e.g. Polly.Joanna; empty: Twilio's default.")
    ops_coach_twilio_language = fields.Char(
        "Twilio language", config_parameter="ops_coach.twilio_language", default="en-US",
        help="Language of <Say> and of speech recognition, for English callers.")
    # the caller's own language: Spanish callers (employee language Spanish) hear these
    ops_coach_twilio_voice_es = fields.Char(
        "Twilio voice (Spanish)", config_parameter="ops_coach.twilio_voice.es", default="Polly.Mia",
        help="The <Say> voice for Spanish callers; it must speak the language below (Polly.Mia: es-MX).")
    ops_coach_twilio_language_es = fields.Char(
        "Twilio language (Spanish)", config_parameter="ops_coach.twilio_language.es", default="es-MX",
        help="es-MX or es-US: Twilio has no es-419.")
    ops_coach_vapi_voice_es = fields.Char(
        "Vapi voice (Spanish)", config_parameter="ops_coach.vapi_voice.es",
        help='Vapi\'s voice object for Spanish callers, as JSON; empty: '
             '{"provider": "azure", "voiceId": "es-MX-DaliaNeural"}.')
    ops_coach_vapi_transcriber_es = fields.Char(
        "Vapi transcriber (Spanish)", config_parameter="ops_coach.vapi_transcriber.es",
        help='Vapi\'s transcriber object for Spanish callers, as JSON; empty: '
             '{"provider": "deepgram", "model": "nova-3", "language": "es"}.')
    ops_coach_kpi_numbers = fields.Selection(
        list(vocabulary.KPI_MODES), "Say KPI numbers", config_parameter="ops_coach.kpi_numbers",
        default=vocabulary.DEFAULT_KPI_MODE,
        help="Whether the line tells callers their KPI's last value. Only when on target is supportive: "
             "a number off target is never read out as a reproach.")
    ops_briefing_hour = fields.Float(related="company_id.ops_briefing_hour", readonly=False)
    ops_slack_webhook_url = fields.Char(related="company_id.ops_slack_webhook_url", readonly=False)
    ops_retention_days = fields.Integer(related="company_id.ops_retention_days", readonly=False)
    ops_words_private = fields.Boolean(related="company_id.ops_words_private", readonly=False)
    ops_say_what_is_kept = fields.Boolean(related="company_id.ops_say_what_is_kept", readonly=False)
    ops_teams_webhook_url = fields.Char(related="company_id.ops_teams_webhook_url", readonly=False)
    ops_coach_line_number = fields.Char(
        "The Ops number", config_parameter="ops_coach.line_number",
        help="The number everyone calls, as it is said in the morning nudge, e.g. +1 512 555 0100.")
    ops_coach_nudge_minutes = fields.Integer(
        "Nudge before the AM cutoff (min)", config_parameter="ops_coach.nudge_minutes", default=30,
        help="A person whose morning call is required and not made gets one reminder this long before it counts as missed.")
    ops_coach_safety_call_minutes = fields.Integer(
        "Phone about safety after (min)", config_parameter="ops_coach.safety_call_minutes", default=15,
        help="A safety alert nobody acknowledged: the manager is phoned after this long, then the ops director.")
    ops_coach_quiet_margin_minutes = fields.Integer(
        "Deliver before work starts (min)", config_parameter="ops_coach.quiet_margin_minutes", default=0,
        help="Alerts due outside a person's working hours wait for his next working hour, less this margin.")
    ops_coach_minutes_per_checkin = fields.Integer(
        "Minutes per check-in", config_parameter="ops_coach.minutes_per_checkin", default=5)
