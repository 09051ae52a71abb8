import dataclasses
import json

from odoo import api, fields, models
from odoo.tools import ormcache
from odoo.exceptions import UserError

from ..coach import flow as engine
from ..coach import prompt, sheet, twilio
from ..coach.checkin_values import InvalidValue

ACTION = "/ops_coach/twilio/gather"
PIN_TRIES = 3
ASKED_BACK = "asked_back"  # the flow whose steps open a scripted call when the caller left something open


class OpsLineTwilio(models.AbstractModel):
    """The scripted line: a Twilio number running the flows with no LLM. The
    engine asks one step per <Gather>; the call's state lives on its
    ``ops.call`` row between turns, and the check-in is saved as the call goes."""

    _inherit = "ops.line"

    @api.model
    def _handle_twilio(self, event, message, _adapter=None):
        call = event.call_ref_id
        if message.type == "alert_ack":
            return 200, {"twiml": self._twilio_alert_ack(message)}
        if message.type == "status":
            # a call hung up mid-flow keeps its answers so far, now final; one that
            # never answered a step leaves an incomplete one, as on every channel
            if message.call_status in twilio.FINAL_STATUSES:
                self._end_of_call(event, message)
            return 200, {"twiml": twilio.empty()}
        state = call._script_state_dict()
        starting = message.type == "voice" and not state
        state.setdefault("lang", self.env.lang)  # kept: a switch ("en español") holds for the whole call
        self = self.with_context(lang=state["lang"])  # pylint: disable=self-cls-assignment
        if starting:
            text = self._twilio_start(event, message, call, state)
        else:
            text = self._twilio_turn(event, message, call, state)
        call.script_state = json.dumps(state)
        return 200, {"twiml": text}

    @api.model
    def _twilio_alert_ack(self, message):
        """A key pressed on a safety call we placed: 1 acknowledges the alert, as the person called."""
        called = self.env["ops.delivery"].sudo().search(
            [("channel", "=", "call"), ("provider_ref", "=", message.call_id)], limit=1)
        words = self._lexicon()
        if not called or message.digits != "1":
            return self._twilio_goodbye(words.say("ack_nothing"))
        alert = called.alert_id.with_user(called.user_id)
        if alert.state == "new":
            alert.action_acknowledge()
            return self._twilio_goodbye(words.say("ack_done"))
        state = dict(alert._fields["state"]._description_selection(alert.env)).get(alert.state, alert.state)
        return self._twilio_goodbye(words.say("ack_already", state=state.lower()))

    # ------------------------------------------------------------ speaking
    @api.model
    def _twilio_voice(self):
        """``(voice, language)`` of <Say> and <Gather> in the language the line runs in:
        the company's settings for it, else the lexicon's."""
        words = self._lexicon()
        params = self.env["ir.config_parameter"].sudo()
        if words.code == "en":  # the settings English callers have always had
            return (params.get_param("ops_coach.twilio_voice") or words.twilio_voice,
                    params.get_param("ops_coach.twilio_language") or words.speech_code)
        return (self._language_setting("twilio_voice", words.twilio_voice),
                self._language_setting("twilio_language", words.speech_code))

    @api.model
    def _twilio_ask(self, text, step=None, kill_phrases=(), digits=1):
        voice, language = self._twilio_voice()
        hints = [synonym for _value, synonyms in (step.choices if step else ()) for synonym in synonyms]
        hints += list(kill_phrases) + list(self._lexicon().kill_phrases if step else ())
        return twilio.ask(text, ACTION, voice, language, hints, digits=digits)

    @api.model
    def _twilio_goodbye(self, text):
        voice, language = self._twilio_voice()
        return twilio.say_and_hang_up(text or self._lexicon().say("goodbye"), voice, language)

    # --------------------------------------------------------------- start
    @api.model
    def _twilio_start(self, event, message, call, state):
        profile = self._profile_for_call("twilio", message.call_id, message.caller_number)
        if not profile:
            state.update(stage="pin", pin_tries=0)
            return self._twilio_ask(self._lexicon().say("pin_ask"), digits=0)
        return self._twilio_offer(event, call, profile, state)

    @api.model
    def _twilio_offer(self, event, call, profile, state):
        """One flow open now: start it. Several: ask which."""
        call.employee_id = profile.employee_id
        if state.get("stage") == "pin":  # known by his PIN now: his own language from here on
            state["lang"] = self._caller_facts(profile).lang
            self = self.with_context(lang=state["lang"])  # pylint: disable=self-cls-assignment
        flows = self._candidate_flows(profile)
        event.write({"employee_id": profile.employee_id.id, "flow_id": flows[:1].id})
        state["started"] = fields.Datetime.to_string(fields.Datetime.now())
        if len(flows) == 1:
            return self._twilio_begin(call, profile, flows, state)
        state.update(stage="choose", flows=flows.mapped("code"), tried=False)
        first = profile.employee_id.name.split()[0]
        return self._twilio_ask(self._lexicon().say("which_one", first=first, options=self._twilio_options(flows)),
                                kill_phrases=flows.mapped("name"))

    @api.model
    def _twilio_options(self, flows):
        words = self._lexicon()
        return ", ".join(words.say("option", name=flow.name, number=n) for n, flow in enumerate(flows, start=1))

    @api.model
    def _twilio_begin(self, call, profile, flow, state):
        call_state, turn = self._script_start(profile, flow, state)
        return self._twilio_say_turn(profile, call_state, turn, state)

    @api.model
    def _twilio_say_turn(self, profile, call_state, turn, state):
        text = prompt.fill(turn.prompt, self._script_context(profile, state))
        if turn.done:
            return self._twilio_goodbye(text)
        digits = 1 if turn.step.answer_type in ("scale", "yes_no", "choice") else 0
        return self._twilio_ask(text, turn.step, call_state.flow.kill_phrases, digits=digits)

    # ---------------------------------------------------------------- turns
    @api.model
    def _twilio_turn(self, event, message, call, state):
        stage = state.get("stage")
        if stage == "pin":
            return self._twilio_pin(event, message, call, state)
        profile = self.env["ops.tech_profile"].search([("employee_id", "=", call.employee_id.id)], limit=1)
        event.employee_id = call.employee_id
        if stage == "choose":
            return self._twilio_choose(event, message, call, profile, state)
        if stage == "flow":
            return self._twilio_answer(event, message, call, profile, state)
        return self._twilio_goodbye("")  # the flow is over: a late or repeated request

    @api.model
    def _twilio_pin(self, event, message, call, state):
        said = self._tool_verify_pin(event, message, {"pin": message.answer})
        if event.employee_id:
            profile = self.env["ops.tech_profile"].search([("employee_id", "=", event.employee_id.id)], limit=1)
            return self._twilio_offer(event, call, profile, state)
        state["pin_tries"] = state.get("pin_tries", 0) + 1
        if state["pin_tries"] >= PIN_TRIES or said == self._lexicon().say("pin_locked"):
            state["stage"] = "done"
            return self._twilio_goodbye(f"{said} {self._lexicon().say('goodbye')}")
        return self._twilio_ask(self._lexicon().say("pin_again", said=said), digits=0)

    @api.model
    def _twilio_choose(self, event, message, call, profile, state):
        flows = self.env["ops.flow"].search([("code", "in", state["flows"])])
        flows = flows.sorted(lambda f: state["flows"].index(f.code))
        chosen = self._twilio_chosen_flow(flows, message.answer)
        if not chosen and not state.get("tried"):
            state["tried"] = True
            return self._twilio_ask(self._lexicon().say("which_again", options=self._twilio_options(flows)),
                                    kill_phrases=flows.mapped("name"))
        return self._twilio_begin(call, profile, chosen or flows[:1], state)

    @api.model
    def _twilio_chosen_flow(self, flows, answer):
        index = twilio.chosen_option([(flow.name, flow.call_type) for flow in flows], answer, self._lexicon())
        return flows[index] if index is not None else flows.browse()

    @api.model
    def _twilio_answer(self, event, message, call, profile, state):
        turn, call_state = self._script_answer(event, message, profile, state, message.answer)
        # the caller may have switched language on this answer
        return self.with_context(lang=state["lang"])._twilio_say_turn(profile, call_state, turn, state)

    # ------------------------------------------------------ scripted session
    # one answer at a time, whatever carries it: a Twilio <Gather>, or the test
    # console typing for a caller (a *rehearsal*: archived, nothing sent, no job touched)
    @api.model
    def _script_start(self, profile, flow, state):
        """Start a session on ``flow``: ``(call_state, first turn)``. What the
        caller left open (his last commitment, a blocker) is asked first, and
        a blocker someone resolved is told before anything else."""
        engine_flow = flow._to_engine()
        short = engine_flow.code == engine.OPS_ONLY  # "ops only" is two questions, nothing more
        asked_back = {} if short else self._asked_back_context(profile)
        call_state = engine.CallState(self._with_asked_back(engine_flow) if asked_back else engine_flow,
                                      language=self._lexicon().code)
        call_state.left_out |= prompt.lacking_steps(call_state.flow, dict(self._caller_context(profile), **asked_back))
        turn = engine.start(call_state)
        briefing_said = "" if short else self._company_briefing(profile)
        told = " ".join(text for text in (briefing_said, asked_back.get("told_first")) if text)
        if told:  # the owner's briefing, a blocker's news: said before the first question
            turn = dataclasses.replace(turn, prompt=f"{told} {turn.prompt}")
        state.update(stage="flow", engine=call_state.to_dict(), asked_back=asked_back)
        return call_state, turn

    @api.model
    def _script_context(self, profile, state):
        """What a scripted session's questions are filled with."""
        return dict(self._caller_context(profile), **state.get("asked_back", {}))

    @api.model
    def _asked_back_context(self, profile):
        """The caller's open commitment and blocker, as the asked-back steps
        name them, and the news of his resolved blockers; empty when nothing is open."""
        last = self._last_commitment(profile)
        news, still_open, training = self._said_back(profile)
        if not (last or news or still_open or training):
            return {}
        today = self._local_now(self._caller_facts(profile)).date()
        words = self._lexicon()
        return {"commitment_when": prompt.followup_when(last[1], today, words) if last else "",
                "last_commitment_text": last[0] if last else "",
                "open_blocker": still_open[0] if still_open else "",
                "told_first": " ".join(news + ((prompt.training_offer(training, words),) if training else ()))}

    @api.model
    def _with_asked_back(self, flow):
        """``flow`` (an engine flow) with the asked-back steps first."""
        asked = self._engine_flow(self._asked_back_flow_id()) if self._asked_back_flow_id() else None
        if not asked:
            return flow
        mine = {step.key for step in flow.steps}
        return dataclasses.replace(flow, steps=tuple(s for s in asked.steps if s.key not in mine) + flow.steps)

    @api.model
    @ormcache()
    def _asked_back_flow_id(self):
        return self.env["ops.flow"].search([("code", "=", ASKED_BACK)], limit=1).id

    @api.model
    def _script_answer(self, event, message, profile, state, said, rehearsal=False):
        """Take one answer of the session in ``state`` (changed in place):
        ``(turn, call_state)``. The answers are saved as the call goes."""
        flows_by_code = self._script_flows(state)
        call_state = engine.CallState.from_dict(state["engine"], flows_by_code)
        # typing in the console is slower than talking: a rehearsal has no time box
        elapsed = 0 if rehearsal else (fields.Datetime.now() - fields.Datetime.from_string(state["started"])
                                       ).total_seconds()
        asked = engine.next_step(call_state)
        turn = engine.answer(call_state, said, flows_by_code, elapsed_seconds=elapsed)
        if turn.kind == "language":  # "en español": the rest of the call, flows included, in that language
            state["lang"] = self._odoo_language(call_state.language)
            self = self.with_context(lang=state["lang"])  # pylint: disable=self-cls-assignment
            flows_by_code = self._script_flows(dict(state, engine=call_state.to_dict()))
            call_state = engine.CallState.from_dict(call_state.to_dict(), flows_by_code)
            turn = engine.resume(call_state)
        if asked and asked.key == "job_ref" and "job_ref" in call_state.answers:
            turn = self._script_job(profile, call_state, turn, state)
        state["engine"] = call_state.to_dict()
        if call_state.answers:
            self._script_save(event, message, profile, call_state, flows_by_code, done=turn.done, rehearsal=rehearsal)
        if turn.done:
            state["stage"] = "done"
            turn = self._script_photo_link(event, profile, call_state, turn, rehearsal)
            kept = self._kept_sentence(profile)
            if kept:  # every call ends saying what the manager sees
                turn = dataclasses.replace(turn, prompt=f"{turn.prompt} {kept}".strip())
        return turn, call_state

    @api.model
    def _script_photo_link(self, event, profile, call_state, turn, rehearsal=False):
        """A scripted close-out without photos texts the photo link by itself
        (there is no agent to call send_photo_link); sent as a side effect.
        A rehearsal says so and sends nothing."""
        job_id = call_state.answers.get("job_id")
        if call_state.flow.call_type != "job_closeout" or not job_id or call_state.answers.get("photos_uploaded"):
            return turn
        said = self._lexicon().say("photo_link")
        if rehearsal:
            return engine.Turn(turn.kind, f"{said} {turn.prompt}".strip(), turn.step, turn.done)
        try:
            with self.env.cr.savepoint():
                link = self.env["ops.upload_link"]._request(self.env["project.task"].browse(job_id),
                                                            profile.employee_id, event)
                link._destination()
        except UserError:  # no mobile number or email: nothing to send, the missing photos stay flagged
            return turn
        return engine.Turn(turn.kind, f"{said} {turn.prompt}".strip(), turn.step, turn.done)

    @api.model
    def _script_flows(self, state):
        """The call's engine flows; a close-out whose job has a sheet asks its readings."""
        flows_by_code = self.env["ops.flow"]._engine_flows(state["engine"])
        if state.get("asked_back"):  # every flow the call may run, so the kill switch keeps the answers
            flows_by_code = {code: self._with_asked_back(flow) for code, flow in flows_by_code.items()}
        code = state["engine"]["flow"]
        if state.get("sheet_id") and flows_by_code[code].call_type == "job_closeout":
            readings = self.env["ops.sheet"].browse(state["sheet_id"]).exists()._readings()
            flows_by_code[code] = sheet.sheet_flow(flows_by_code[code], readings, self._lexicon())
        return flows_by_code

    @api.model
    def _script_job(self, profile, call_state, turn, state):
        """A job named by voice must exist: else ask again, as for any invalid
        answer. Its maintenance sheet's readings are asked next."""
        try:
            job = self._find_job(profile, call_state.answers["job_ref"])
            call_state.answers["job_id"] = job.id
            if job.ops_sheet_id.item_ids:
                state["sheet_id"] = job.ops_sheet_id.id
                call_state.flow = sheet.sheet_flow(call_state.flow, job.ops_sheet_id._readings(), self._lexicon())
                following = engine.next_step(call_state)
                return engine.Turn("ask", following.question, following) if following else turn
        except InvalidValue as error:
            del call_state.answers["job_ref"]
            step = call_state.flow.step("job_ref")
            if "job_ref" in call_state.tried:
                call_state.skipped.add("job_ref")
                return engine.Turn("done", self._lexicon().say("office_follows_up", problem=error), done=True)
            call_state.tried.add("job_ref")
            return engine.Turn("invalid", engine.sorry(self._lexicon(), step, error), step)
        return turn

    @api.model
    def _script_save(self, event, message, profile, call_state, flows_by_code, done, rehearsal=False):
        """The check-in as the call stands: partial until the flow is done.
        Fields of steps no longer answered (the kill switch drops them) are
        cleared. A rehearsal's check-in is archived, runs no side effect and
        records no reading on the job."""
        values = engine.checkin_values(call_state)
        call_type = values.pop("call_type")
        values.pop("job_ref", None)
        readings = {key[len(sheet.KEY_PREFIX):]: values.pop(key) for key in list(values)
                    if key.startswith(sheet.KEY_PREFIX)}
        if call_state.answers.get("job_id"):
            values["job_id"] = call_state.answers["job_id"]
        if values.get("commitment_followup"):
            values.update(self._followup(profile, {"commitment_followup": values["commitment_followup"]}))
        flows = [call_state.flow] + ([flows_by_code[call_state.switched_from]] if call_state.switched_from else [])
        cleared = {step.target: False for flow in flows for step in flow.steps
                   if step.target not in values and step.target != "job_ref"
                   and not step.target.startswith(sheet.KEY_PREFIX)}
        values = dict(cleared, **values, completion_status="complete" if done else "partial",
                      skipped_steps=", ".join(sorted(call_state.skipped)) or False)
        if rehearsal:
            values.update(active=False, effects_done=True)
        # the side effects run once, on the finished check-in
        checkin, _written = self._write_checkin(profile, event, message, call_type, values, final=done)
        if readings and checkin.job_id and not rehearsal:
            flagged = {key[len(sheet.KEY_PREFIX):] for key in call_state.flagged}
            self.env["ops.job.reading"]._record(checkin.job_id, checkin, readings, flagged)
        return checkin

