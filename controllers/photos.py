from odoo import http
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from ..coach import lexicon, upload

# no trace of the link in other sites' logs, no copy in a cache, no search engine
PRIVATE_HEADERS = [("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store"),
                   ("X-Robots-Tag", "noindex, nofollow")]


class OpsCoachPhotos(http.Controller):
    """The photo link's page: public, one job, one technician, no login.

    It runs as the Ops line's technical user, not as superuser, and shows the
    job's label and nothing else of it."""

    @staticmethod
    def _link(token):
        env = request.env["ops.line"]._line_env()
        return env["ops.upload_link"]._for_token(token)

    @staticmethod
    def _words(link):
        """The technician's words (the company's when the token is nobody's); the page is rendered in them."""
        lang = request.env["ops.line"]._line_env()["ops.line"]._language_of(link.employee_id)
        request.update_context(lang=lang)
        return lexicon.for_language(lang)

    def _refused(self, reason, status, link):
        title, text = upload.refusal_words(reason, self._words(link))
        return request.render("ops_coach.photo_link_refused", {"title": title, "text": text},
                              status=status, headers=PRIVATE_HEADERS)

    @http.route("/ops_coach/photos/<string:token>", type="http", auth="public", methods=["GET"],
                sitemap=False, readonly=True)
    def photo_page(self, token):
        link = self._link(token)
        reason = link._refusal()
        if reason and reason != "used_up":
            return self._refused(reason, 404 if reason == "unknown" else 410, link)
        limits = link._limits()
        self._words(link)  # the page in the technician's own language, whatever his phone's browser says
        return request.render("ops_coach.photo_link_page", {
            "job_label": link._public_label(), "token": token, "job_id": link.task_id.id, "left": max(link.max_files - link.file_count, 0),
            "max_mb": limits["max_bytes"] // (1024 * 1024), "technician": link.employee_id.name.split()[0],
        }, headers=PRIVATE_HEADERS)

    @http.route("/ops_coach/photos/<string:token>/upload", type="http", auth="public", methods=["POST"],
                sitemap=False, max_content_length=64 * 1024 * 1024)
    def photo_upload(self, token, ufile=None, job=None, **_kw):
        """One file per request, so a phone on a weak signal sends what it can."""
        link = self._link(token)
        job_id = int(job) if job and str(job).isdecimal() else None
        reason = link._refusal(job_id)
        if reason:
            title, text = upload.refusal_words(reason, self._words(link))
            return request.make_json_response({"error": f"{title}. {text}"}, status=410 if link else 404,
                                               headers=PRIVATE_HEADERS)
        if not hasattr(ufile, "read"):
            return request.make_json_response({"error": "No file was sent."}, status=400, headers=PRIVATE_HEADERS)
        max_bytes = link._limits()["max_bytes"]
        raw = ufile.read(max_bytes + 1)
        mimetype = guess_mimetype(raw) if raw else ""
        problem = upload.file_problem(mimetype, len(raw), max_bytes)
        if problem:
            return request.make_json_response({"error": problem}, status=400, headers=PRIVATE_HEADERS)
        name = (ufile.filename or "photo").rsplit("/", 1)[-1][:100] or "photo"
        link._accept(name, raw, mimetype)
        return request.make_json_response({"ok": True, "received": link.file_count,
                                           "left": max(link.max_files - link.file_count, 0)},
                                          headers=PRIVATE_HEADERS)
