from odoo import http
from odoo.http import request

from ..coach import people


class OpsCoachSetup(http.Controller):
    @http.route("/ops_coach/people_template.csv", type="http", auth="user", methods=["GET"], readonly=True)
    def people_template(self):
        """The import file to fill in: its columns and four example people."""
        return request.make_response(people.template_csv(), headers=[
            ("Content-Type", "text/csv; charset=utf-8"),
            ("Content-Disposition", 'attachment; filename="ops_coach_people.csv"')])
