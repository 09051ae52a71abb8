from odoo import api, models
from odoo.exceptions import UserError

from ..coach import closeout, sheet
from ..coach.checkin_values import InvalidValue


class ReadingsToConfirm(InvalidValue):
    """Out-of-range readings sent back to the agent once; the call remembers them."""

    def __init__(self, message, reasked):
        super().__init__(message)
        self.reasked = reasked


class OpsLineCloseout(models.AbstractModel):
    """The close-out tools beyond the checklist: the job's maintenance sheet,
    the photo link and the draft quote, the same on every channel."""

    _inherit = "ops.line"

    # -------------------------------------------------------------- readings
    @api.model
    def _checked_readings(self, event, job, spoken):
        """The spoken readings checked against the job's sheet; an out-of-range
        one is refused the first time in this call, then kept and flagged."""
        retried = set(self._reasked(event, job))
        check = sheet.check_readings(job.ops_sheet_id._readings(), spoken, retried)
        if check.problems:
            raise ReadingsToConfirm("; ".join(check.problems), [f"{job.id}:{code}" for code in check.reask])
        return check

    @staticmethod
    def _reasked(event, job):
        marks = (event.call_ref_id.reasked_readings or "").split()
        return [mark.partition(":")[2] for mark in marks if mark.startswith(f"{job.id}:")]

    @api.model
    def _remember_reasked(self, event, marks):
        if marks and event.call_ref_id:
            known = (event.call_ref_id.reasked_readings or "").split()
            event.call_ref_id.reasked_readings = " ".join(dict.fromkeys(known + list(marks)))

    def _tool_get_job_sheet(self, profile, event, message, arguments):
        job = self._find_job(profile, arguments.get("job_ref"))
        readings = job.ops_sheet_id._readings()
        if not readings:
            return {"job": job.display_name, "sheet": None, "readings": [],
                    "say": "This job has no maintenance sheet: go on with the checklist."}
        done = {reading.item_id.code: reading.value for reading in job.ops_reading_ids}
        return {"job": job.display_name, "sheet": job.ops_sheet_id.name, "readings": [{
            "code": r.code, "label": r.label, "type": r.answer_type, "unit": r.unit, "required": r.required,
            "expected_range": [r.minimum, r.maximum] if r.minimum is not None else None,
            "choices": [value for value, _synonyms in r.choices], "ask": r.step().question,
            "value": done.get(r.code)} for r in readings]}

    # ------------------------------------------------------------ photo link
    def _tool_send_photo_link(self, profile, event, message, arguments):
        job = self._find_job(profile, arguments.get("job_ref"))
        Link = self.env["ops.upload_link"]
        link = Link._request(job, profile.employee_id, event)
        try:
            channel, recipient = link._destination()
        except UserError:
            raise InvalidValue("there is no mobile number or email on file to send the link to: "
                               "ask the office to add one") from None
        hours = Link._limits()["hours"]
        if channel == "email":
            return f"Emailing the photo link for {job.name} now; it works for {hours} hours."
        return (f"Texting the photo link for {job.name} to the number ending {recipient[-4:]} now; "
                f"it works for {hours} hours.")

    # ----------------------------------------------------------------- quote
    def _tool_create_quote(self, profile, event, message, arguments):
        job = self._find_job(profile, arguments.get("job_ref"))
        items = closeout.parse_items(arguments.get("items"))
        quotes = self.env["ops.field_quote"]._record(job, profile.employee_id, event, closeout.by_tier(items))
        lines = [line for quote in quotes for line in quote._lines()]
        to_price = sorted({line["said"] or line["text"] for line in lines if not line["product_id"]})
        why = quotes[:1]._why_no_order()
        if why:
            return f"{why[:1].upper()}{why[1:]}, so I noted the proposal on {job.name} for the office."
        count = f"{len(quotes)} draft quotes (" + ", ".join(quotes.mapped("tier")) + ")" if len(quotes) > 1 \
            else "A draft quote"
        return f"{count} for {job.name} go to the office." + (
            f" To be priced: {', '.join(to_price)}." if to_price else " Every item matched a product.")

