"""Plain Flask pages for staff: sign in and out, upload a return, download the templates."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, Flask, abort, redirect, render_template, request, send_file, session

from dashboard.db.imports import file_hash
from dashboard.db.repository import Repository
from dashboard.importing import import_file
from dashboard.returns.template import write_template_csv, write_template_xlsx
from dashboard.returns.vocabulary import ReturnVocabulary
from dashboard.security import (
    UPLOAD_ROLES,
    authenticate,
    csrf_token,
    current_user,
    require_role,
    valid_csrf,
)

TEMPLATE_NAMES = {
    "xlsx": "monitoring-return-template.xlsx",
    "csv": "monitoring-return-template.csv",
}
EXPIRED = "The form has expired; reload the page and try again."


def _page(template: str, title: str, **context):
    return render_template(
        template, title=title, user=current_user(), csrf_token=csrf_token(), **context
    )


def _check_form_token() -> None:
    if not valid_csrf(request.form.get("csrf_token")):
        abort(400, EXPIRED)


def _safe_next(path: str) -> str:
    """Only same-site paths, so the sign-in form cannot redirect elsewhere."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


class StaffViews:
    """The views, holding the repository and the upload limit."""

    def __init__(self, repo: Repository, max_upload_bytes: int):
        self.repo = repo
        self.max_upload_bytes = max_upload_bytes

    def login(self):
        next_path = _safe_next(request.values.get("next", "/"))
        if request.method == "GET":
            return _page("login.html", "Sign in", next=next_path, error=None)
        _check_form_token()
        username = request.form.get("username", "")
        user = authenticate(self.repo.engine, username, request.form.get("password", ""))
        if user is None:
            error = "Wrong user name or password."
            return _page("login.html", "Sign in", next=next_path, error=error), 401
        session.clear()
        session.permanent = True
        session["user"] = {"username": user.username, "role": user.role}
        return redirect(next_path)

    def logout(self):
        _check_form_token()
        session.clear()
        return redirect("/")

    def upload(self):
        report = None
        if request.method == "POST":
            _check_form_token()
            upload_file = request.files.get("return_file")
            if upload_file is None or not upload_file.filename:
                abort(400, "Choose a file to upload.")
            data = upload_file.read(self.max_upload_bytes + 1)
            report = import_file(
                self.repo.engine,
                self.repo.reference(),
                data,
                Path(upload_file.filename).name,
                username=current_user()["username"],
                dry_run=request.form.get("dry_run") == "1",
                # A confirmation counts only for the very file whose warnings were shown.
                accept_warnings=request.form.get("confirm_warnings") == "1"
                and request.form.get("confirmed_hash") == file_hash(data),
                max_bytes=self.max_upload_bytes,
            )
            if report.loaded:
                self.repo.clear_cache()
        limit = self.max_upload_bytes // (1024 * 1024)
        return _page("upload.html", "Upload a monitoring return", report=report, max_mb=limit)

    def template(self, kind: str):
        if kind not in TEMPLATE_NAMES:
            abort(404)
        path = Path(tempfile.mkdtemp()) / TEMPLATE_NAMES[kind]
        if kind == "xlsx":
            write_template_xlsx(path, ReturnVocabulary.from_reference(self.repo.reference()))
        else:
            write_template_csv(path)
        return send_file(path, as_attachment=True, download_name=path.name)

    def too_large(self, _error):
        limit = self.max_upload_bytes // (1024 * 1024)
        return f"The file is larger than the {limit} MB limit and was not read.", 413


def register_web(server: Flask, repo: Repository, *, max_upload_bytes: int) -> None:
    """Add the sign-in and upload routes to the Dash app's Flask server."""
    views = StaffViews(repo, max_upload_bytes)
    auth = Blueprint("auth", __name__, template_folder="templates")
    auth.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
    auth.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
    staff_only = require_role(*UPLOAD_ROLES)
    uploads = Blueprint("uploads", __name__, template_folder="templates")
    uploads.add_url_rule("/upload", "upload", staff_only(views.upload), methods=["GET", "POST"])
    uploads.add_url_rule("/upload/template.<kind>", "template", staff_only(views.template))
    server.register_error_handler(413, views.too_large)
    server.register_blueprint(auth)
    server.register_blueprint(uploads)
