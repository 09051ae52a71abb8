from odoo import models

from ..coach import kpi_compute as kc


class OpsKpiMethods(models.Model):
    """The few KPIs no measure can express (a difference of two records'
    dates, a running balance): shipped code, one value for the company per
    period, never code typed in by a user."""

    _inherit = "ops.kpi"

    def _method_cash_runway(self, company, starts):
        Line = self.env["account.move.line"].sudo()
        cash = [("company_id", "=", company.id), ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_cash")]
        first = kc.add_months(starts[0], -2)
        [[opening]] = Line._read_group(cash + [("date", "<", first)], [], ["balance:sum"])
        rows = Line._read_group(cash + [("date", ">=", first), ("date", "<", kc.add_months(starts[-1], 1))],
                                ["date:month"], ["balance:sum"])
        flows = {month: total for month, total in rows}
        return kc.runways(opening or 0.0, flows, [kc.period_start(start, "monthly") for start in starts])

    def _method_invoicing_lag(self, company, starts):
        """Days from a job's completion to the first posted invoice of its
        sales order (0 when invoiced before or on the day), averaged over the
        jobs completed in the period."""
        tz = self._company_tz(company)
        end = kc.period_end(starts[-1], self.period)
        jobs = self.env["project.task"].sudo().search([
            ("state", "=", "1_done"), ("sale_order_id", "!=", False),
            "|", ("company_id", "=", False), ("company_id", "=", company.id),
            ("ops_done_date", ">=", kc.utc_naive(starts[0], tz)), ("ops_done_date", "<", kc.utc_naive(end, tz))])
        pairs_by_period = {}
        for job in jobs:
            done = kc.local_date(job.ops_done_date, tz)
            invoices = job.sale_order_id.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice")
            if not invoices:
                continue
            invoiced = max(min(invoices.mapped("invoice_date")), done)
            pairs_by_period.setdefault(kc.period_start(done, self.period), []).append((done, invoiced))
        return {(None, start): kc.mean_days(pairs) for start, pairs in pairs_by_period.items()}
