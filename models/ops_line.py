import collections
import json
import logging

import pytz

from odoo import api, fields, models
from odoo.tools import ormcache
from odoo.exceptions import ValidationError

from ..coach import flow as engine
from ..coach import blockers, briefing, identify, lexicon, payload, prompt, providers, tools, vocabulary
from .ops_tools import line_now
from ..coach.checkin_values import InvalidValue

_logger = logging.getLogger(__name__)
LINE_USER = "ops_coach.user_ops_line"
CHECKIN_TOOL = {"job_closeout": "log_job_closeout", "eod_closeout": "log_eod_closeout"}
CALLER_TOOLS = ("get_tech_checkin_context", "log_daily_checkin", "log_job_closeout", "get_job_sheet",
                "send_photo_link", "create_quote", "log_eod_closeout", "report_safety_issue")
# a manager acts on his alerts by voice, as his own user
MANAGER_TOOLS = ("acknowledge_alert", "resolve_alert", "approve_training")
OPEN_ALERT = ("new", "acknowledged")
MAX_ALERTS_SAID = 10
MAX_JOB_ID = payload.LARGEST_INT
# how the call ended: the provider's report says it, and answers never overwrite it
ENDING_FIELDS = ("end_reason", "transcript", "summary", "duration_seconds")
# what every message of a call needs to know of its caller, kept between requests
CallerFacts = collections.namedtuple(
    "CallerFacts",
    "profile_id employee_id company_id name tz role_ids flows primary_kpis user_id manages heads lang")
FlowFacts = collections.namedtuple("FlowFacts", "id code call_type window role_ids")


class OpsLine(models.AbstractModel):
    """The Ops phone line: who is calling, which flow, and what their answers
    write, whatever the channel: the providers' adapters (coach.providers) put
    its answers in their own shape."""

    _name = "ops.line"
    _description = "Ops line service"

    # ------------------------------------------------------------ identity
    @api.model
    def _line_env(self):
        """The environment webhooks run in: the Ops line's technical user, so
        access rules apply and records are attributed to it (not superuser)."""
        return self.env(user=self._line_uid(), su=False)

    @api.model
    def _line_uid(self):
        # cached by Odoo: every webhook transaction starts here
        return self.env["ir.model.data"]._xmlid_to_res_id(LINE_USER)

    @api.model
    @ormcache("self.env.uid")
    def _line_region(self):
        """Where numbers without a country code are read (the company's country)."""
        return self.env.company.country_id.code

    @api.model
    def _profile_for_call(self, provider, call_id, caller_number):
        """Caller ID first, else the identity a PIN proved earlier in this call."""
        Number = self.env["ops.caller_number"]
        region = self._line_region()
        profile = Number._profile_for_number(caller_number, region) if caller_number else Number.profile_id
        if profile or not call_id:
            return profile
        verified = self.env["ops.call_event"].search(
            [("provider", "=", provider), ("call_id", "=", call_id), ("employee_id", "!=", False),
             ("outcome", "=", "processed")], limit=1)
        return self.env["ops.tech_profile"].search([("employee_id", "=", verified.employee_id.id)], limit=1)

    # ------------------------------------------------------ cached facts
    # The line answers every message of a call from these; they are Odoo method
    # caches, cleared when a record they are built from changes (ops.line.cache.source),
    # and Odoo signals that to every worker and node.
    @api.model
    def _caller_facts(self, profile):
        return self._caller_facts_of(profile.id)

    @api.model
    @ormcache("profile_id")
    def _caller_facts_of(self, profile_id):
        profile = self.env["ops.tech_profile"].browse(profile_id)
        employee = profile.employee_id
        flows = self.env["ops.flow"].search([("role_ids", "in", profile.role_ids.ids),
                                             ("code", "!=", engine.OPS_ONLY)])
        return CallerFacts(
            profile_id=profile.id, employee_id=employee.id, company_id=employee.company_id.id,
            name=employee.name or "", tz=employee.tz or employee.resource_calendar_id.tz or "UTC",
            role_ids=tuple(profile.role_ids.ids),
            flows=tuple(FlowFacts(flow.id, flow.code, flow.call_type, (flow.window_start, flow.window_end),
                                  frozenset(flow.role_ids.ids)) for flow in flows),
            primary_kpis=tuple((kpi.id, kpi.code or "", kpi.name or "") for kpi in profile.primary_kpi_ids),
            user_id=employee.user_id.id,
            manages=bool(employee.user_id) and employee.user_id.has_group("ops_coach.group_ops_manager"),
            heads=any(code in vocabulary.HEAD_ROLES for code in profile.role_ids.mapped("code")),
            lang=self._language_of(employee))

    # ------------------------------------------------------------ language
    @api.model
    def _language_of(self, employee):
        """The language a person is spoken to in: his employee language, else
        his user's, else his company's; one Odoo has active, else English."""
        installed = dict(self.env["res.lang"].get_installed())
        employee = employee.sudo()  # the employee language is HR's field
        company = employee.company_id or self.env.company  # a caller not known yet: the line's company
        for lang in (employee.lang, employee.user_id.lang, company.partner_id.lang):
            if lang in installed:
                return lang
        return "en_US"

    @api.model
    def _odoo_language(self, lexicon_code):
        """An active Odoo language for a lexicon ("es" → es_419, else es_MX…), else English."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        matching = sorted((code for code in installed if lexicon.for_language(code).code == lexicon_code),
                          key=lambda code: (code != "es_419", code))
        return matching[0] if matching else "en_US"

    @api.model
    def _lexicon(self):
        """The words this line hears and says, in the language it runs in."""
        return lexicon.for_language(self.env.lang)

    @api.model
    def _for_caller(self, event, message):
        """This line speaking the caller's language: his own, else the company's
        (a scripted call keeps the one he switched to, see _handle_twilio)."""
        profile = self._profile_for_call(event.provider, message.call_id, message.caller_number)
        lang = self._caller_facts(profile).lang if profile else self._language_of(self.env["hr.employee"])
        return self.with_context(lang=lang)

    @api.model
    def _local_now(self, facts, now=None):
        return pytz.utc.localize(now or fields.Datetime.now()).astimezone(pytz.timezone(facts.tz))

    @api.model
    @ormcache("flow_id", "self.env.lang")
    def _engine_flow(self, flow_id):
        """A flow as the engine reads it (immutable)."""
        return self.env["ops.flow"].browse(flow_id)._to_engine()

    @api.model
    @ormcache("flow_id")
    def _flow_role_ids(self, flow_id):
        return tuple(self.env["ops.flow"].browse(flow_id).role_ids.ids)

    @api.model
    @ormcache()
    def _ops_only_flow_id(self):
        return self.env["ops.flow"].search([("code", "=", engine.OPS_ONLY)], limit=1).id

    @api.model
    def _candidate_flows(self, profile, now=None):
        """The flows of the caller's roles open at their local time; all of
        their role flows when none is open."""
        facts = self._caller_facts(profile)
        local = self._local_now(facts, now)
        hour = local.hour + local.minute / 60
        open_now = [flow.id for flow in facts.flows if engine.in_window(flow.window, hour)]
        return self.env["ops.flow"].browse(open_now or [flow.id for flow in facts.flows])

    @api.model
    def _caller_context(self, profile, day=None):
        """What the line says to and of the caller today (a fresh dict)."""
        facts = self._caller_facts(profile)
        today = day or self._local_now(facts).date()
        return dict(self._caller_context_of(profile.id, today))

    @api.model
    @ormcache("profile_id", "day", "self.env.lang")
    def _caller_context_of(self, profile_id, day):
        profile = self.env["ops.tech_profile"].browse(profile_id)
        employee = profile.employee_id
        strengths = profile.coaching_lines()
        strength = identify.strength_of_the_day(strengths, day)
        kpi = profile.primary_kpi_ids[:1]
        spoken, guidance = self._kpi_numbers(employee, kpi)
        return tuple({
            "kpi_numbers": spoken,
            "kpi_guidance": guidance,
            "name": employee.name,
            "first_name": (employee.name or "").split()[0] if employee.name else "",
            "roles": ", ".join(profile.role_ids.mapped("name")),
            "primary_kpi": kpi.name or "",
            "primary_kpi_code": kpi.code or "",
            "strength": strength[0] if strength else "",
            "coaching_line": strength[1] if strength else "",
            "top_strengths": tuple(name for name, _line in strengths),
            "goal_90d": profile.goal_90d or "",
            "personal_why": profile.personal_why or "",
        }.items())

    @api.model
    def _kpi_numbers(self, employee, kpi):
        """The primary KPI's last two values, as the company lets the line say them."""
        if not kpi:
            return "", ""
        values = self.env["ops.kpi.value"].search([("employee_id", "=", employee.id), ("kpi_id", "=", kpi.id)],
                                                  order="period_start desc", limit=2)
        mode = self.env["ir.config_parameter"].sudo().get_param("ops_coach.kpi_numbers", "on_target")
        return prompt.kpi_numbers({"name": kpi.name, "unit": kpi.unit, "values": values.mapped("value")[::-1],
                                   "target": kpi.target, "higher_is_better": kpi.higher_is_better}, mode,
                                  self._lexicon())

    @api.model
    def _last_commitment(self, profile):
        """``(text, local day)`` of the caller's commitment to ask back, or None."""
        checkin = self.env["ops.checkin"]._last_open_commitment(self._caller_facts(profile).employee_id)
        return (checkin.commitment, checkin.checkin_date) if checkin else None

    @api.model
    def _said_back(self, profile):
        """``(blocker news, blockers still open, approved training)`` of the caller (see ops.escalation)."""
        return self.env["ops.escalation"]._said_back_of(self._caller_facts(profile).employee_id)

    @api.model
    def _agenda(self, profile):
        """For a manager: who needs him today, section by section, as his
        morning briefing says it; his open alerts numbered, to act on by voice."""
        facts = self._caller_facts(profile)
        if not facts.manages:
            return ()
        Profile = self.env["ops.tech_profile"]
        now = line_now(self.env)
        if facts.heads:  # the company briefing says the rest: only what he may act on, oldest first
            alerts = self._alerts_of(facts)[:MAX_ALERTS_SAID]
            return (("Alerts you can act on", tuple(f"[{alert.id}] " + briefing.alert_line(
                alert.employee_id.name, alert.rule_id.name, alert.state, alert.raised_date, now)
                for alert in alerts)),) if alerts else ()
        team = Profile.search([("employee_id", "child_of", facts.employee_id),
                               ("employee_id", "!=", facts.employee_id)])
        sections = Profile._briefing_facts(team, now)
        sections["alerts"] = [f"[{alert.id}] " + briefing.alert_line(
            alert.employee_id.name, alert.rule_id.name, alert.state, alert.raised_date, now)
            + (f"; training to approve: {alert.training_suggestion}" if alert.training_state == "suggested" else "")
            for alert in self._alerts_of(facts)]
        return tuple((title, tuple(lines)) for title, lines in briefing.compose(sections))

    @api.model
    def _kept_sentence(self, profile):
        """The sentence that ends the caller's calls ("" when his company says none)."""
        return self._kept_sentence_of(self._caller_facts(profile).company_id)

    @api.model
    @ormcache("company_id", "self.env.lang")
    def _kept_sentence_of(self, company_id):
        company = self.env["res.company"].sudo().browse(company_id)
        return prompt.what_is_kept(company.ops_words_private, self._lexicon()) if company.ops_say_what_is_kept else ""

    @api.model
    def _company_briefing(self, profile):
        """The spoken company briefing for the owner and ops director; "" for the others."""
        facts = self._caller_facts(profile)
        if not facts.heads:
            return ""
        company = self.env["res.company"].browse(facts.company_id)
        # the briefing's facts are the company's, whoever may read them: read as the line's cron would
        return self.env["ops.briefing"].sudo()._spoken_company_briefing(company, line_now(self.env))

    @api.model
    def _alerts_of(self, facts):
        """The open alerts a manager may act on: read as his own user, under his access rules."""
        return self.env["ops.escalation"].with_user(facts.user_id).search(
            [("state", "in", OPEN_ALERT), ("employee_id", "!=", facts.employee_id)], order="raised_date, id")

    # ----------------------------------------------------------- assistant
    @api.model
    def _public_base(self):
        """The address the outside world reaches this Odoo at (no trailing slash)."""
        params = self.env["ir.config_parameter"].sudo()
        return (params.get_param("ops_coach.public_url") or params.get_param("web.base.url") or "").rstrip("/")

    @api.model
    def _server(self):
        """Where Vapi sends tool calls: this controller, with the shared secret."""
        params = self.env["ir.config_parameter"].sudo()
        server = {"url": self._public_base() + "/ops_coach/vapi", "timeoutSeconds": 20}
        credential = params.get_param("ops_coach.vapi_credential_id")
        if credential:
            server["credentialId"] = credential
        else:
            server["headers"] = {"X-Vapi-Secret": params.get_param("ops_coach.vapi_secret") or ""}
        return server

    @api.model
    def _agent_settings(self, provider):
        """What this provider's start answer needs of the company's settings
        (a ``_<provider>_settings`` method; none for a provider that needs none)."""
        settings = getattr(self, f"_{provider}_settings", None)
        return settings() if settings else {}

    @api.model
    def _vapi_settings(self):
        # Vapi takes the model, where to send tool calls, and the caller's language's
        # recogniser and voice in each start answer
        params = self.env["ir.config_parameter"].sudo()
        words = self._lexicon()
        return {"server": self._server(), "model_provider": params.get_param("ops_coach.vapi_model_provider"),
                "model": params.get_param("ops_coach.vapi_model"),
                "transcriber": self._language_setting("vapi_transcriber", words.vapi_transcriber),
                "voice": self._language_setting("vapi_voice", words.vapi_voice)}

    @api.model
    def _retell_settings(self):
        return {"language": self._lexicon().agent_language}

    @api.model
    def _language_setting(self, name, default):
        """A provider setting of the caller's language: ``ops_coach.<name>.<lexicon code>``
        (JSON for Vapi's objects), else the lexicon's default."""
        code = self._lexicon().code
        value = self.env["ir.config_parameter"].sudo().get_param(f"ops_coach.{name}.{code}")
        if not value:
            return default
        if isinstance(default, dict):
            try:
                parsed = json.loads(value)
            except ValueError:
                _logger.warning("ops_coach.%s.%s is not JSON: the default is used", name, code)
                return default
            return parsed if isinstance(parsed, dict) else default
        return value

    @api.model
    def _script_for(self, profile, flows):
        """What any voice agent needs for this caller: ``(first_message,
        system_prompt, max_seconds)``, from the flow records; the same all day
        until one of them changes."""
        today = self._local_now(self._caller_facts(profile)).date()
        return self._script_of(profile.id, tuple(flows.ids), today, self._last_commitment(profile),
                               self._said_first(profile))

    @api.model
    def _said_first(self, profile):
        """What changes from call to call and opens it: news of his blockers
        (and the open ones), an approved training to suggest, a manager's agenda,
        the owner's company briefing."""
        return (self._said_back(profile), self._agenda(profile), self._company_briefing(profile),
                self._kept_sentence(profile))

    @api.model
    @ormcache("profile_id", "flow_ids", "day", "last_commitment", "said_first", "self.env.lang")
    def _script_of(self, profile_id, flow_ids, day, last_commitment, said_first):
        (news, still_open, training), agenda, company_briefing, kept_sentence = said_first
        context = dict(self._caller_context(self.env["ops.tech_profile"].browse(profile_id), day),
                       last_commitment=last_commitment, today=day, blocker_news=news, open_blockers=still_open,
                       suggested_training=training, agenda=agenda, company_briefing=company_briefing,
                       kept_sentence=kept_sentence)
        ops_only = self._engine_flow(self._ops_only_flow_id()) if self._ops_only_flow_id() else None
        engine_flows = [self._engine_flow(flow_id) for flow_id in flow_ids]
        words = self._lexicon()
        system_text = prompt.system_prompt(
            context, engine_flows, ops_only, lambda call_type: CHECKIN_TOOL.get(call_type, "log_daily_checkin"),
            words)
        first = prompt.fill(engine_flows[0].greeting, context) if len(engine_flows) == 1 else words.say(
            "which_one_agent", first=context["first_name"],
            names=words.say("or").join(flow.name for flow in engine_flows))
        longest = max(flow.time_box_seconds for flow in engine_flows)
        return first, system_text, max(180, longest + 60)

    @api.model
    def _pin_script(self):
        """The same answer for an unknown and a withheld number: callers never
        learn whether a number is on file."""
        system_text = (prompt.TONE + "\n" + self._lexicon().say("speak") + "\n\nThe caller was not recognised "
                       "by number. Ask for their "
                       "employee PIN, then call verify_pin. If it is verified, call "
                       "get_tech_checkin_context and run the check-in it describes; log it with "
                       "log_daily_checkin. If not, apologise once, allow one more try, then end politely. "
                       "Never say whether a number or a PIN exists.")
        return self._lexicon().say("pin_ask_agent"), system_text, 240

    @api.model
    def _identify_caller(self, event, message):
        """The caller's profile and the flows offered now, noted on the journal row."""
        profile = self._profile_for_call(event.provider, message.call_id, message.caller_number)
        if not profile:
            return profile, self.env["ops.flow"]
        flows = self._candidate_flows(profile)
        event.write({"employee_id": self._caller_facts(profile).employee_id, "flow_id": flows[:1].id})
        return profile, flows

    @api.model
    def _start_script(self, event, message):
        """What the caller's agent runs: the caller's flows, or the PIN check
        for a number the line does not know."""
        profile, flows = self._identify_caller(event, message)
        settings = self._agent_settings(event.provider)
        if not profile:
            first, system_text, max_seconds = self._pin_script()
            return providers.Script("Ops Coach (PIN)", first, system_text, max_seconds,
                                    ("verify_pin",) + CALLER_TOOLS + MANAGER_TOOLS, {}, "", settings)
        first, system_text, max_seconds = self._script_for(profile, flows)
        facts = self._caller_facts(profile)
        codes = [flow.code for flow in facts.flows if flow.id in flows.ids]
        return providers.Script("Ops Coach", first, system_text, max_seconds,
                                CALLER_TOOLS + (MANAGER_TOOLS if facts.manages else ()),
                                {"employee_id": facts.employee_id, "flows": codes}, facts.name, settings)

    # ------------------------------------------------------------- agents
    @api.model
    def _handle_agent(self, event, message, adapter):
        """Answer one journaled message of an LLM agent's provider (Vapi,
        Retell): ``(http_status, body)`` in the provider's own shape."""
        if adapter.starts_call(message):
            return 200, adapter.start_answer(self._start_script(event, message))
        if adapter.is_tool(message):
            return 200, adapter.tool_answer(self._tool_calls(event, message))
        if adapter.ends_call(message):
            self._end_of_call(event, message)
        return 200, {}

    # ------------------------------------------------------ tool dispatch
    @api.model
    def _tool_calls(self, event, message):
        """Answer each tool call in order, whatever the channel; the caller is
        looked up once per message, and again only after a PIN check may have
        proved who it is."""
        results, profile = [], None
        for call in message.tool_calls:
            if call.name == "verify_pin":
                results.append(payload.ToolResult(call, self._tool_verify_pin(event, message, call.arguments)))
                profile = None
                continue
            if profile is None:
                profile = self._profile_for_call(event.provider, message.call_id, message.caller_number)
            results.append(self._tool_call(event, message, call, profile))
        return results

    @api.model
    def _tool_call(self, event, message, call, profile):
        handler = getattr(self, f"_tool_{call.name}", None)
        if call.name not in tools.TOOLS or handler is None:
            return payload.ToolResult(call, error=f"unknown tool {call.name}")
        if not profile:
            return payload.ToolResult(call, error="caller not identified yet: ask for the PIN and call verify_pin")
        arguments = tools.canonical_arguments(call.arguments)
        try:
            if call.name in tools.READ_ONLY:  # nothing to undo: no savepoint
                result = handler(profile, event, message, arguments)
            else:
                with self.env.cr.savepoint():
                    result = handler(profile, event, message, arguments)
        except (InvalidValue, ValidationError) as error:  # the agent can ask again; nothing was written
            self._remember_reasked(event, getattr(error, "reasked", ()))
            result = payload.ToolResult(call, error=str(error))
        else:
            result = payload.ToolResult(call, result)
        # after the savepoint: written with the journal row's outcome, in one statement
        event.employee_id = self._caller_facts(profile).employee_id
        return result

    # -------------------------------------------------------------- tools
    def _tool_get_tech_checkin_context(self, profile, event, message, arguments):
        context = self._caller_context(profile)
        flows = [self._engine_flow(flow_id) for flow_id in self._candidate_flows(profile).ids]
        return {
            "name": context["name"], "roles": context["roles"], "primary_kpi": context["primary_kpi"],
            "primary_kpi_numbers": context["kpi_numbers"], "kpi_guidance": context["kpi_guidance"],
            "top_strengths": list(context["top_strengths"]), "coaching_tip": context["coaching_line"],
            "90_day_goal": context["goal_90d"], "personal_why": context["personal_why"],
            "flows": [{"code": f.code, "name": f.name, "call_type": f.call_type} for f in flows],
            "last_commitment": self._last_commitment_said(profile),
            **self._said_back_items(profile),
        }

    def _said_back_items(self, profile):
        news, still_open, training = self._said_back(profile)
        return {"blocker_news": list(news),
                "open_blockers": [{"note": note, "ask": blockers.still_blocked_question(note, self._lexicon())}
                                  for note in still_open],
                "suggested_commitment": training or None}

    def _last_commitment_said(self, profile):
        last = self._last_commitment(profile)
        if not last:
            return None
        today = self._local_now(self._caller_facts(profile)).date()
        return {"text": last[0], "date": last[1].isoformat(),
                "ask": prompt.followup_question(last, today, self._lexicon())}

    def _flow_for(self, profile, call_type):
        """The caller's flow for a call type (ops-only is everyone's)."""
        if call_type == engine.OPS_ONLY and self._ops_only_flow_id():
            return self.env["ops.flow"].browse(self._ops_only_flow_id())
        mine = [flow.id for flow in self._caller_facts(profile).flows if flow.call_type == call_type]
        if not mine:
            raise InvalidValue(f"call_type {call_type} is not a check-in of this caller's roles")
        return self.env["ops.flow"].browse(mine[0])

    def _validated(self, flow, arguments):
        """The tool's arguments checked against the flow: check-in field values."""
        engine_flow = self._engine_flow(flow.id)
        answers, problems = engine.validate_arguments(engine_flow, arguments, self._lexicon())
        if problems:
            raise InvalidValue("; ".join(problems))
        return engine.as_fields(engine_flow, answers)

    def _write_checkin(self, profile, event, message, call_type, values, flow=None, placeholder=False, final=True):
        """The one writer of a call's answers, for every channel. Returns
        ``(checkin, written)``; ``written`` is False for a repeat.

        - A repeat of the same call, call type and job is answered from the first.
        - A call has at most one *open* check-in: the placeholder an end-of-call
          report left, or a scripted call's answers so far (``final`` False).
          Answers fill it, whatever call type it guessed; what the report said
          of how the call ended stays.
        - A final write links the check-in to the journal row, whose side
          effects run once this is committed.
        """
        Checkin = self.env["ops.checkin"]
        # archived too: the console's rehearsals are archived as they are written
        calls = Checkin.with_context(active_test=False).search(
            [("provider", "=", event.provider), ("provider_call_id", "=", message.call_id)]) \
            if message.call_id else Checkin
        still_open = calls.filtered(lambda checkin: checkin.is_placeholder or checkin.in_progress)[:1]
        same = calls.filtered(lambda checkin: checkin.call_type == call_type
                              and checkin.job_id.id == (values.get("job_id") or False)) - still_open
        if same or (still_open and placeholder):
            checkin = same[:1] or still_open
            event.checkin_ids = [fields.Command.link(checkin.id)]
            return checkin, False
        fixed = {"call_type": call_type, "role_id": self._role_for(profile, call_type, flow).id,
                 "is_placeholder": placeholder, "in_progress": not final}
        if still_open:
            kept = {key: value for key, value in values.items() if key not in ENDING_FIELDS or not still_open[key]}
            still_open.write(dict({"completion_status": "complete", "effects_done": False}, **kept, **fixed))
            checkin = still_open
        else:
            facts = self._caller_facts(profile)
            # no "created" note and the line's user follows nothing: the journal row records the call
            checkin = Checkin.with_context(ops_coach_defer_effects=True, mail_create_nolog=True, mail_create_nosubscribe=True).create(dict(
                values, **fixed, employee_id=facts.employee_id, company_id=facts.company_id, provider=event.provider,
                provider_call_id=message.call_id or False, start=message.started_at() or fields.Datetime.now()))
        if final:
            event.checkin_ids = [fields.Command.link(checkin.id)]
        return checkin, True

    def _role_for(self, profile, call_type, flow=None):
        """The caller's role the check-in was made in: the flow's, else any."""
        facts = self._caller_facts(profile)
        if flow and flow.id not in [known.id for known in facts.flows]:
            flow_roles = set(self._flow_role_ids(flow.id))  # ops-only: no role's own flow
        else:
            flow_roles = set().union(*(known.role_ids for known in facts.flows
                                       if (known.id == flow.id if flow else known.call_type == call_type)))
        in_flow = [role_id for role_id in facts.role_ids if role_id in flow_roles]
        return self.env["ops.role"].browse((in_flow or list(facts.role_ids))[:1])

    def _tool_log_daily_checkin(self, profile, event, message, arguments):
        call_type = arguments.get("call_type") or "am_checkin"
        if call_type not in tools.ROLE_CALL_TYPES:
            raise InvalidValue("call_type must be one of: " + ", ".join(tools.ROLE_CALL_TYPES))
        flow = self._flow_for(profile, call_type)
        values = self._validated(flow, arguments)
        values.update(self._extras(profile, arguments))
        checkin, created = self._write_checkin(profile, event, message, call_type, values, flow)
        if not created:
            return f"Already logged as {checkin.name}."
        return f"Logged {checkin.name}." + (" Blocker noted for ops." if checkin.blocker_flag else "")

    def _extras(self, profile, arguments):
        """Optional fields outside the flow steps (seed 001's extras)."""
        extras = {}
        kpis = self._caller_facts(profile).primary_kpis
        wanted = payload.text(arguments.get("primary_kpi")).strip().lower()
        named = [kpi_id for kpi_id, code, name in kpis if wanted and wanted in (code.lower(), name.lower())]
        if named or kpis:
            extras["primary_kpi_id"] = (named or [kpis[0][0]])[0]
        if payload.text(arguments.get("coach_prompt_used")):
            extras["coach_prompt_used"] = payload.text(arguments["coach_prompt_used"])[:500]
        if arguments.get("call_completed") is False:
            extras["completion_status"] = "partial"
        duration = payload.bounded_int(arguments.get("duration_seconds"), 0, payload.MAX_CALL_SECONDS)
        if duration is not None:
            extras["duration_seconds"] = duration
        return dict(extras, **self._followup(profile, arguments), **self._blocker_answers(arguments))

    @staticmethod
    def _blocker_answers(arguments):
        """The blocker's kind when the agent said a known one, and whether the
        caller's open blockers are cleared (a "no" to "still blocked?")."""
        answers = {}
        kind = blockers.valid_kind(arguments.get("blocker_kind"))
        if kind and arguments.get("blocker_present") is not False:
            answers["blocker_kind"] = kind
        if arguments.get("still_blocked") is False:
            answers["blocker_cleared"] = True
        return answers

    def _followup(self, profile, arguments):
        """The answer about the caller's last commitment, linked to the check-in that made it."""
        said = arguments.get("commitment_followup")
        if said in (None, ""):
            return {}
        code = vocabulary.commitment_followup(payload.text(said))
        if not code:
            raise InvalidValue("commitment_followup must be one of: done, partly, not_done")
        followed = self.env["ops.checkin"]._last_open_commitment(self._caller_facts(profile).employee_id)
        return {"commitment_followup": code, "followed_checkin_id": followed.id} if followed else {}

    def _find_job(self, profile, job_ref):
        """A job by number, else by name among the caller's open tasks."""
        Task = self.env["project.task"]
        ref = payload.text(job_ref).strip().lstrip("#")[:200]
        if ref.isdecimal():
            job = Task.search([("id", "=", int(ref))], limit=1) if len(ref) < 11 and int(ref) <= MAX_JOB_ID \
                else Task
        else:
            domain = [("name", "ilike", ref), ("state", "not in", ("1_done", "1_canceled"))]
            user = profile.employee_id.user_id
            jobs = Task.search(domain + ([("user_ids", "in", user.ids)] if user else []), limit=2)
            job = jobs if len(jobs) == 1 else Task
            if len(jobs) > 1:
                raise InvalidValue(f"more than one open job matches {ref!r}: ask for the job number")
        if not job:
            raise InvalidValue(f"no job found for {ref!r}: ask for the job number")
        return job

    def _tool_log_job_closeout(self, profile, event, message, arguments):
        flow = self._flow_for(profile, "job_closeout")
        values = self._validated(flow, arguments)
        job = self._find_job(profile, values.pop("job_ref"))
        readings = self._checked_readings(event, job, arguments.get("readings"))
        values.update(job_id=job.id, extra_readings=readings.unknown_note() or False)
        checkin, created = self._write_checkin(profile, event, message, "job_closeout", values, flow)
        if not created:
            return f"Already logged as {checkin.name}."
        self.env["ops.job.reading"]._record(job, checkin, readings.values, readings.flagged)
        noted = (f" I noted {checkin.extra_readings!r} for the office; it is not on this job's sheet."
                 if checkin.extra_readings else "")
        if checkin.missed_steps:
            return f"Logged {checkin.name} for {job.name}. Missing: {checkin.missed_steps}.{noted}"
        return f"Logged {checkin.name}. {job.name} is closed out.{noted}"

    def _tool_log_eod_closeout(self, profile, event, message, arguments):
        flow = self._flow_for(profile, "eod_closeout")
        values = dict(self._validated(flow, arguments), **self._followup(profile, arguments),
                      **self._blocker_answers(arguments))
        checkin, created = self._write_checkin(profile, event, message, "eod_closeout", values, flow)
        return f"{'Logged' if created else 'Already logged as'} {checkin.name}."

    def _tool_report_safety_issue(self, profile, event, message, arguments):
        note = " ".join(payload.text(arguments.get("safety_note")).split())
        if not note:
            raise InvalidValue("safety_note is required: what happened?")
        values = {"safety_issue": True, "safety_note": note}
        if arguments.get("job_ref"):
            values["job_id"] = self._find_job(profile, arguments["job_ref"]).id
        checkin, _created = self._write_checkin(profile, event, message, "safety_report", values)
        return f"Safety issue recorded as {checkin.name}."

    def _tool_acknowledge_alert(self, profile, event, message, arguments):
        alert = self._named_alert(profile, arguments)
        if alert.state != "new":
            raise InvalidValue(f"{alert.name} is already acknowledged: resolve it with a note, or pick another")
        alert.action_acknowledge()
        return f"Acknowledged: {alert.name}."

    def _tool_resolve_alert(self, profile, event, message, arguments):
        note = " ".join(payload.text(arguments.get("note")).split())[:2000]
        if not note:
            raise InvalidValue("note is required: what was done?")
        alert = self._named_alert(profile, arguments)
        alert.resolution_note = note
        alert.action_resolve()
        return f"Resolved: {alert.name}. Noted: {note}"

    def _tool_approve_training(self, profile, event, message, arguments):
        alert = self._named_alert(profile, arguments, waiting_training=True)
        alert.action_approve_training()
        return f"Approved for {alert.employee_id.name}: {alert.training_suggestion}. He hears it on his next call."

    def _named_alert(self, profile, arguments, waiting_training=False):
        """The one open alert the manager named, by number or by whose it is,
        read as his own user: a technician, or an alert outside his team, is refused."""
        facts = self._caller_facts(profile)
        if not facts.manages:
            raise InvalidValue("only a manager can act on alerts by phone: this caller is not one")
        alerts = self._alerts_of(facts)
        if waiting_training:
            alerts = alerts.filtered(lambda alert: alert.training_state == "suggested")
        ref = "".join(ch for ch in payload.text(arguments.get("alert_ref")) if ch.isdecimal())[:12]
        name = " ".join(payload.text(arguments.get("employee_name")).lower().split())
        if ref:
            found = alerts.filtered(lambda alert: alert.id == int(ref))
        elif name:
            found = alerts.filtered(lambda alert: name in (alert.employee_id.name or "").lower())
        else:
            raise InvalidValue("say which alert: its number or whose it is")
        if not found:
            raise InvalidValue("no open alert of yours matches: read the list again")
        if len(found) > 1:
            raise InvalidValue("more than one open alert matches: "
                               + "; ".join(f"[{alert.id}] {alert.name}" for alert in found) + ". Ask which number")
        return found

    @api.model
    def _tool_verify_pin(self, event, message, arguments):
        number = message.caller_number or ""
        failures = self.env["ops.call_event"].search(
            [("pin_failed", "=", True), ("provider", "=", event.provider),
             "|", ("call_id", "=", message.call_id or "-"), ("caller_number", "=", number or "-")])
        now = fields.Datetime.now()
        words = self._lexicon()
        if identify.pin_locked(failures.mapped("received_at"), now):
            event.pin_failed = True
            return words.say("pin_locked")
        employee = self._employee_for_pin(arguments.get("pin"), arguments.get("name"))
        if not employee:
            event.pin_failed = True
            return words.say("pin_failed")  # the same whether the PIN or the number exists
        event.employee_id = employee
        return words.say("pin_verified", first=employee.name.split()[0])

    @api.model
    def _employee_for_pin(self, pin, name=None):
        pin = "".join(ch for ch in payload.text(pin) if ch.isdecimal())[:32]
        if not pin:
            return self.env["hr.employee"]
        # the PIN is an HR-officer field: read it as superuser, for this lookup only
        candidates = self.env["hr.employee"].sudo().search([("pin", "=", pin)])
        with_profile = self.env["ops.tech_profile"].search([("employee_id", "in", candidates.ids)])
        employees = with_profile.employee_id
        if len(employees) > 1 and payload.text(name):
            employees = employees.filtered(lambda e: payload.text(name).lower() in e.name.lower())
        return employees if len(employees) == 1 else self.env["hr.employee"]

    # -------------------------------------------------------- end of call
    @api.model
    def _end_of_call(self, event, message):
        """Store how the call ended on its check-ins; a call that logged none
        still leaves one, marked incomplete. Only what the message carries is
        written: Retell's call_ended and call_analyzed may come in either order."""
        said = (message.ended_reason, message.transcript, message.summary, message.duration_seconds())
        values = {key: value for key, value in zip(ENDING_FIELDS, said) if value or value == 0}
        checkins = self.env["ops.checkin"].search(
            [("provider", "=", event.provider), ("provider_call_id", "=", message.call_id)]) if message.call_id else None
        if checkins:
            # a scripted call hung up mid-flow: its answers so far are final now
            checkins.write(dict(values, in_progress=False))
            event.write({"checkin_ids": [fields.Command.set(checkins.ids)], "employee_id": checkins[:1].employee_id.id})
            return
        profile = self._profile_for_call(event.provider, message.call_id, message.caller_number)
        if not profile:
            return  # an unidentified caller: the journal row is the record
        event.employee_id = profile.employee_id
        offered = self.env["ops.call_event"].search(
            [("provider", "=", event.provider), ("call_id", "=", message.call_id), ("flow_id", "!=", False)], limit=1)
        call_type = offered.flow_id.call_type or "am_checkin"
        values["completion_status"] = "incomplete"
        checkin, _created = self._write_checkin(profile, event, message, call_type, values, placeholder=True)
        return checkin
