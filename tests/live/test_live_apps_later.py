"""An app installed after Ops Coach lights its KPIs up: Sales installed from
the Apps screen of a running server (a request, as an admin does it), quotes
sent and confirmed, then the daily KPI cron."""

import pytest

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
