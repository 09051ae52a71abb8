"""An app installed after Ops Coach lights its KPIs up: Sales installed from
the Apps screen of a running server (a request, as an admin does it), quotes
sent and confirmed, then the daily KPI cron."""

import ast
import datetime
import json

import pytest
from odoo_server import tech_number, vapi_call

QUOTES = [300.0, 420.0, 180.0, 650.0, 250.0, 999.0]  # the last one is sent but never confirmed


@pytest.fixture(scope="module")
def seller(server):
    """Line Tech 0 gets a login: a quote's salesperson is a user."""
    user = server.call("res.users", "create", {"name": "Line Tech 0", "login": "seller0"})
    [employee] = server.call("hr.employee", "search", [("name", "=", "Line Tech 0")])
    server.call("hr.employee", "write", [employee], {"user_id": user})
    return user, employee


def kpi_values(server, employee, codes):
    rows = server.search_read("ops.kpi.value", [("employee_id", "=", employee), ("kpi_id.code", "in", codes)],
                              ["value", "origin", "kpi_id"])
    return {row["kpi_id"][1]: row for row in rows}


def test_sales_installed_later_gives_close_rate_and_ticket_average(server, seller):
    user, employee = seller
    [close_rate] = server.search_read("ops.kpi", [("code", "=", "tech_close_rate")], ["missing_app"])
    assert close_rate["missing_app"] == "Sales", "before: the KPI says which app would light it up"

    [sales] = server.call("ir.module.module", "search", [("name", "=", "sale_management")])
    server.call("ir.module.module", "button_immediate_install", [sales])

    [close_rate] = server.search_read("ops.kpi", [("code", "=", "tech_close_rate")], ["missing_app", "how_computed"])
    assert close_rate["missing_app"] is False
    customer = server.call("res.partner", "create", {"name": "Pat Homeowner"})
    product = server.call("product.product", "create", {"name": "Capacitor", "type": "service"})
    orders = [server.call("sale.order", "create", {
        "partner_id": customer, "user_id": user,
        "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": price})]})
        for price in QUOTES]
    # close rate is dated by creation: create_date comes from PostgreSQL's clock, the KPI cron's periods
    # from the server's; they agree in production, not under faketime (which moves only the server's)
    server.sql(f"UPDATE sale_order SET create_date = date_order WHERE id IN ({', '.join(map(str, orders))})")
    server.call("sale.order", "action_quotation_sent", orders)
    server.call("sale.order", "action_confirm", orders[:-1])

    [cron] = server.call("ir.cron", "search", [("cron_name", "=", "Ops Coach: compute KPI values")])
    server.call("ir.cron", "method_direct_trigger", [cron])

    values = kpi_values(server, employee, ["tech_close_rate", "tech_ticket_avg"])
    assert {row["origin"] for row in values.values()} == {"computed"}
    assert round(values["Close rate (tech)"]["value"], 2) == round(100 * 5 / 6, 2)
    confirmed = QUOTES[:-1]
    [ticket] = [row for name, row in values.items() if name != "Close rate (tech)"]
    assert ticket["value"] == pytest.approx(sum(confirmed) / len(confirmed))


def test_a_close_out_proposal_becomes_a_draft_quote_linked_to_the_job(server):
    """Runs after Sales is installed by the first test: the create_quote tool
    over the Vapi webhook, as an agent calls it."""
    customer = server.call("res.partner", "create", {"name": "Dana Homeowner"})
    surge = server.call("product.product", "create", {"name": "Surge protector", "default_code": "SP-100",
                                                      "type": "service", "list_price": 189.0})
    capacitor = server.call("product.product", "create", {"name": "Run capacitor 45/5 µF", "default_code": "CAP-405",
                                                          "type": "consu", "list_price": 42.0})
    job = server.call("project.task", "create", {"name": "No cooling Dana", "partner_id": customer,
                                                 "project_id": server.call("project.project", "create",
                                                                           {"name": "Service calls"})})
    message = vapi_call("quote-1", tech_number(1))["get_tech_checkin_context"]
    message["message"]["toolCallList"] = [{"id": "quote-tool-1", "type": "function", "function": {
        "name": "create_quote", "arguments": {"job_ref": str(job),
                                              "items": ["a surge protector and a new blower motor",
                                                        "CAP-405 run capacitor"]}}}]
    reply = server.post_vapi(json.dumps(message).encode()).json()
    assert reply["results"][0]["result"].endswith("To be priced: a new blower motor."), reply

    [quote] = server.search_read("ops.field_quote", [("task_id", "=", job)], ["order_id", "order_name", "state"])
    assert quote["state"] == "created"
    [order] = server.search_read("sale.order", [("id", "=", quote["order_id"])],
                                 ["state", "partner_id", "origin", "tag_ids", "name"])
    assert (order["state"], order["partner_id"][0], order["name"]) == ("draft", customer, quote["order_name"])
    assert order["origin"] == "No cooling Dana"
    lines = server.search_read("sale.order.line", [("order_id", "=", order["id"])],
                               ["product_id", "name", "price_unit", "product_uom_qty"])
    assert [line["product_id"][0] for line in lines][0] == surge and lines[0]["price_unit"] == 189.0
    assert lines[1]["name"] == "To be priced: a new blower motor" and lines[1]["price_unit"] == 0.0
    assert (lines[2]["product_id"][0], lines[2]["price_unit"]) == (capacitor, 42.0), "matched by its internal reference"
    [field_filter] = server.search_read("ir.filters", [("name", "=", "Quotes from the field")], ["domain"])
    domain = ast.literal_eval(field_filter["domain"])
    assert server.call("sale.order", "search", domain) == [order["id"]]
    notes = server.search_read("mail.message", [("model", "=", "project.task"), ("res_id", "=", job)], ["body"])
    assert any(order["name"] in note["body"] for note in notes)


def profile(server, name, role_xmlid):
    employee = server.call("hr.employee", "create", {"name": name})
    [role] = server.search_read("ir.model.data", [("module", "=", "ops_coach"), ("name", "=", role_xmlid)],
                                ["res_id"])
    server.call("ops.tech_profile", "create", {"employee_id": employee, "role_ids": [(6, 0, [role["res_id"]])]})
    return employee


def month_start(day, back):
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def post_bank_entry(server, journal, bank_account, other_account, day, amount):
    debit, credit = (amount, 0) if amount > 0 else (0, -amount)
    move = server.call("account.move", "create", {"move_type": "entry", "journal_id": journal, "date": str(day),
                       "line_ids": [(0, 0, {"account_id": bank_account, "debit": debit, "credit": credit}),
                                    (0, 0, {"account_id": other_account, "debit": credit, "credit": debit})]})
    server.call("account.move", "action_post", [move])


def test_invoicing_lag_and_cash_runway_come_from_invoices_and_the_bank(server, seller):
    """Runs after Sales (with Invoicing) is installed by the test above."""
    user, _employee = seller
    owner = profile(server, "Owner Olive", "role_owner")
    accountant = profile(server, "Accountant Abe", "role_accounting")
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)  # Odoo's clock
    today = now.date()

    # a billable job done three days ago, invoiced today
    project = server.call("project.project", "create", {"name": "Billable jobs", "allow_billable": True})
    customer = server.call("res.partner", "create", {"name": "Lee Homeowner"})
    product = server.call("product.product", "create", {"name": "Tune-up", "type": "service",
                                                        "invoice_policy": "order"})
    order = server.call("sale.order", "create", {"partner_id": customer, "user_id": user, "order_line": [
        (0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": 240})]})
    server.call("sale.order", "action_confirm", [order])
    [line] = server.call("sale.order.line", "search", [("order_id", "=", order)])
    done = now - datetime.timedelta(days=3)
    job = server.call("project.task", "create", {"name": "Tune-up at Lee's", "project_id": project,
                                                 "partner_id": customer, "sale_line_id": line,
                                                 "user_ids": [(6, 0, [user])]})
    server.call("project.task", "write", [job], {"state": "1_done"})
    server.call("project.task", "write", [job], {"ops_done_date": done.strftime("%Y-%m-%d %H:%M:%S")})
    [task] = server.search_read("project.task", [("id", "=", job)], ["sale_order_id"])
    assert task["sale_order_id"][0] == order
    wizard = server.call("sale.advance.payment.inv", "create", {"sale_order_ids": [(6, 0, [order])],
                                                                "advance_payment_method": "delivered"})
    server.call("sale.advance.payment.inv", "create_invoices", [wizard])
    invoices = server.call("account.move", "search", [("invoice_origin", "=", server.search_read(
        "sale.order", [("id", "=", order)], ["name"])[0]["name"])])
    server.call("account.move", "action_post", invoices)

    # the bank: 100,000 before three months ago, then 10, 20 and 30 thousand out
    [bank] = server.search_read("account.journal", [("type", "=", "bank")], ["default_account_id"])
    [other] = server.call("account.account", "search", [("account_type", "=", "equity")], limit=1)
    post_bank_entry(server, bank["id"], bank["default_account_id"][0], other, month_start(today, 3), 100000)
    for back, out in ((2, 10000), (1, 20000), (0, 30000)):
        post_bank_entry(server, bank["id"], bank["default_account_id"][0], other, month_start(today, back), -out)

    [cron] = server.call("ir.cron", "search", [("cron_name", "=", "Ops Coach: compute KPI values")])
    server.call("ir.cron", "method_direct_trigger", [cron])

    lag = server.search_read("ops.kpi.value", [("employee_id", "=", accountant),
                                               ("kpi_id.code", "=", "acct_invoicing_lag")], ["value", "period_start"])
    assert [row["value"] for row in lag] == [3.0], lag
    runway = server.search_read("ops.kpi.value", [("employee_id", "=", owner), ("kpi_id.code", "=", "owner_cash_runway"),
                                                  ("period_start", "=", str(month_start(today, 0)))], ["value"])
    assert [row["value"] for row in runway] == [2.0], "40,000 left, burning 20,000 a month"


def test_the_owner_briefing_gives_receivables_by_age_and_the_runway(server):
    """Runs after the test above (Invoicing, an invoice due today, the bank, the runway KPI)."""
    today = datetime.datetime.now(datetime.timezone.utc).date()  # Odoo's clock
    [admin_employee] = server.call("hr.employee", "search", [("user_id.login", "=", "admin")])
    [role] = server.search_read("ir.model.data", [("module", "=", "ops_coach"), ("name", "=", "role_owner")],
                                ["res_id"])
    server.call("ops.tech_profile", "create", {"employee_id": admin_employee, "role_ids": [(6, 0, [role["res_id"]])]})
    customer = server.call("res.partner", "create", {"name": "Late Payer"})
    due = today - datetime.timedelta(days=45)
    late = server.call("account.move", "create", {
        "move_type": "out_invoice", "partner_id": customer, "invoice_date": str(due), "invoice_date_due": str(due),
        "invoice_line_ids": [(0, 0, {"name": "Furnace repair", "quantity": 1, "price_unit": 500, "tax_ids": []})]})
    server.call("account.move", "action_post", [late])

    action = server.call("ops.briefing", "action_preview", [])  # a list header button: no selection
    [preview] = server.search_read("ops.briefing.preview", [("id", "=", action["res_id"])], ["body"])
    assert "Overdue invoices: 1" in preview["body"], preview["body"]
    assert "Receivables over 30 days" in preview["body"]
    assert "Receivables over 60 days" not in preview["body"]
    assert "Cash runway: 2 months" in preview["body"], "the owner's runway KPI: 40,000 left, 20,000 a month"
    assert server.search_read("ops.briefing", [], ["id"]) == [], "a preview is neither archived nor sent"
