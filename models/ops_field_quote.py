import json

from odoo import api, fields, models
from odoo.osv import expression

from ..coach import closeout

GENERIC_CODE = "OPS-TO-PRICE"
TAG_NAME = "From the field"
FILTER_NAME = "Quotes from the field"
MATCH_CANDIDATES = 200


class OpsFieldQuote(models.Model):
    """What a technician proposed at close-out, one row per tier: the answer
    is saved first; the draft quotation is made from it as a side effect.

    Sales is optional: without it the proposal is noted on the job instead.
    The quotation is referenced by id (``order_id``), since this addon does
    not depend on Sales.
    """

    _name = "ops.field_quote"
    _description = "Quote from the field"
    _order = "id desc"

    task_id = fields.Many2one("project.task", "Job", required=True, ondelete="cascade", index=True)
    checkin_id = fields.Many2one("ops.checkin", ondelete="set null")
    employee_id = fields.Many2one("hr.employee", "Technician", required=True)
    event_id = fields.Many2one("ops.call_event", "Requested by", ondelete="set null", index="btree_not_null")
    tier = fields.Char(help="Good, Better or Best; empty for a single quote.")
    lines_json = fields.Text("Lines", required=True, help="The items as said: text, quantity, matched product id.")
    summary = fields.Text(compute="_compute_summary")
    order_model = fields.Char(default="sale.order", readonly=True)
    order_id = fields.Many2oneReference("Quotation id", model_field="order_model", readonly=True)
    order_name = fields.Char("Quotation", readonly=True)
    state = fields.Selection([("pending", "To create"), ("created", "Draft quotation"),
                              ("noted", "Noted on the job")], default="pending", required=True, readonly=True)

    @api.depends("lines_json")
    def _compute_summary(self):
        for quote in self:
            quote.summary = "; ".join(
                f"{line['quantity']:g} × {line['said'] or line['text']}" + ("" if line["product_id"] else " (to price)")
                for line in quote._lines())

    def _lines(self):
        return json.loads(self.lines_json or "[]")

    # ------------------------------------------------------------ matching
    @api.model
    def _match_product(self, text):
        """The sellable product a spoken item names (coach.closeout decides
        among the products sharing a word with it); else None."""
        words = closeout.product_search_words(text)
        if "product.product" not in self.env or not words:
            return None
        Product = self.env["product.product"].sudo()
        sellable = [("sale_ok", "=", True), ("default_code", "!=", GENERIC_CODE)]
        by_code = Product.search_read(
            sellable + expression.OR([[("default_code", "=ilike", word)] for word in words]), ["default_code", "name"],
            limit=2)
        by_name = Product.search_read(
            sellable + expression.OR([[("name", "ilike", word)] for word in words]), ["default_code", "name"],
            limit=MATCH_CANDIDATES)
        if len(by_name) == MATCH_CANDIDATES:
            by_name = []  # words too common to be sure of one product: only a reference decides
        return closeout.match_product(text, by_code + by_name)

    @api.model
    def _record(self, task, employee, event, tiers):
        """One row per tier; ``tiers``: {tier: [coach.closeout.QuoteItem]}."""
        return self.create([{
            "task_id": task.id, "employee_id": employee.id, "event_id": event.id, "tier": tier or False,
            "lines_json": json.dumps([{"text": item.text, "said": item.said, "quantity": item.quantity,
                                       "product_id": self._match_product(item.text)} for item in items]),
        } for tier, items in tiers.items()])

    # ------------------------------------------------------------- effects
    def _make(self):
        """The side effect: a draft quotation per row, or a note on the job
        when Sales is not installed or the job has no customer."""
        for quote in self.filtered(lambda q: q.state == "pending"):
            if quote._why_no_order():
                quote._note_on_job()
            else:
                quote._make_order()

    def _why_no_order(self):
        """Why this proposal cannot become a quotation (said and noted), or ''."""
        if "sale.order" not in self.env:
            return self.env._("Sales is not set up here")
        if not self.task_id.partner_id:
            return self.env._("the job has no customer")
        return ""

    def _make_order(self):
        task = self.task_id
        generic = self._generic_product()
        order_lines = []
        for line in self._lines():
            values = {"product_uom_qty": line["quantity"]}
            if line["product_id"]:
                values["product_id"] = line["product_id"]
            else:  # kept with the words said, priced by the office
                values.update(product_id=generic.id, name=f"To be priced: {line['said'] or line['text']}",
                              price_unit=0.0)
            order_lines.append(fields.Command.create(values))
        user = self.employee_id.user_id
        salesperson = user if user and user.has_group("sales_team.group_sale_salesman") else self.env["res.users"]
        order = self.env["sale.order"].sudo().create({
            # a project may be shared between companies: its jobs then have none of their own
            "partner_id": task.partner_id.id,
            "company_id": (task.company_id or self.employee_id.company_id or self.env.company).id,
            "origin": f"{task.display_name} ({self.tier})" if self.tier else task.display_name,
            "user_id": salesperson.id, "tag_ids": [fields.Command.link(self._field_tag().id)],
            "order_line": order_lines,
        })
        if "sale_order_id" in task._fields and not task.sale_order_id:
            task.sudo().sale_order_id = order  # sale_project's own link, where the job's project allows it
        self.write({"order_id": order.id, "order_name": order.name, "state": "created"})
        task.message_post(body=self.env._("Draft quotation %(order)s from %(tech)s's close-out%(tier)s: %(items)s.",
                                          order=order.name, tech=self.employee_id.name,
                                          tier=self._tier_said(), items=self.summary),
                          author_id=self.env.ref("base.partner_root").id, subtype_xmlid="mail.mt_note")

    def _tier_said(self):
        return " (%s)" % self.tier if self.tier else ""  # outside the translated text: the extractor reads literals only

    def _note_on_job(self):
        why = self._why_no_order()
        self.task_id.message_post(
            body=self.env._("Proposed by %(tech)s at close-out%(tier)s (no quotation: %(why)s): %(items)s.",
                            tech=self.employee_id.name, tier=self._tier_said(), why=why,
                            items=self.summary),
            author_id=self.env.ref("base.partner_root").id, subtype_xmlid="mail.mt_note")
        self.state = "noted"

    @api.model
    def _generic_product(self):
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        product = Product.search([("default_code", "=", GENERIC_CODE)], limit=1)
        return product or Product.create({"name": "Proposed work (to be priced)", "default_code": GENERIC_CODE,
                                          "type": "service", "sale_ok": True, "purchase_ok": False,
                                          "list_price": 0.0})

    @api.model
    def _field_tag(self):
        """The tag the office filters on, and its shared filter, made with the first quote."""
        Tag = self.env["crm.tag"].sudo()
        tag = Tag.search([("name", "=", TAG_NAME)], limit=1) or Tag.create({"name": TAG_NAME})
        Filters = self.env["ir.filters"].sudo()
        if not Filters.search_count([("name", "=", FILTER_NAME), ("model_id", "=", "sale.order")]):
            Filters.create({"name": FILTER_NAME, "model_id": "sale.order", "user_id": False,
                            "domain": repr([("tag_ids", "in", [tag.id])]),
                            "action_id": self.env.ref("sale.action_quotations_with_onboarding").id})
        return tag

    def action_open_order(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.order_model, "res_id": self.order_id,
                "view_mode": "form", "target": "current"}
