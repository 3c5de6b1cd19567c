"""Plain Flask pages for staff: sign in and out, upload a return, the templates, the audit log."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, redirect, render_template, request, send_file, session
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf

from dashboard import accounts, events
from dashboard.audit import account_events_page, event_changes_page, import_attempts_page
from dashboard.db import decisions
from dashboard.db.imports import file_hash, finish_attempt, start_attempt
from dashboard.db.repository import Repository
from dashboard.importing import ImportReport, import_file
from dashboard.returns.template import write_template_csv, write_template_xlsx
from dashboard.returns.vocabulary import ReturnVocabulary
from dashboard.security import (
    ADMIN_ROLES,
    CSRF_COOKIE,
    EDITOR_ROLES,
    UPLOAD_ROLES,
    StaffUser,
    limit_failed_sign_ins,
    require_role,
    safe_next_path,
)

TEMPLATE_NAMES = {
    "xlsx": "monitoring-return-template.xlsx",
    "csv": "monitoring-return-template.csv",
}
AUDIT_LOGS = {
    "imports": import_attempts_page,
    "accounts": account_events_page,
    "decisions": event_changes_page,
}
EVENT_FORM_FIELDS = (
    "event_date",
    "kind",
    "title",
    "description",
    "paper_url",
    "source",
    "citation",
)
# The largest id an event can have (a 32-bit integer column): a larger one in an address is no
# event's, and the database refused to compare it (500).
LARGEST_ID = 2**31 - 1
EXPIRED = "The form has expired; reload the page and try again."
SIGNED_OUT = (
    "You are not signed in (or your session has ended), so nothing was sent or saved. "
    "Sign in, then send the form again."
)
WRONG_CREDENTIALS = "Wrong user name or password."
TOO_MANY_FAILURES = (
    "Too many failed sign-in attempts for this account or from this address. "
    "Wait {minutes} minutes, then try again."
)


UNNAMED_FILE = "unnamed file"


def uploaded_name(sent: str) -> str:
    """The name of an uploaded file without the folders a browser may send (either slash); a
    name with none left (a file sent as "/" was loaded as "") is called ``UNNAMED_FILE``."""
    return PurePosixPath(sent.replace("\\", "/")).name.strip() or UNNAMED_FILE


def _page(template: str, title: str, **context):
    user = current_user if current_user.is_authenticated else None
    return render_template(template, title=title, user=user, csrf_token=generate_csrf(), **context)


def _form_expired(_error: CSRFError):
    # Signed out (never signed in, or the session ended with its token): the form's page is
    # behind sign-in, so the sign-in page says what happened and leads back to it.
    if not current_user.is_authenticated and request.endpoint != "auth.login":
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        next_path = safe_next_path(referrer.path if same_site else None)
        return _page("login.html", "Sign in", next=next_path, error=SIGNED_OUT), 401
    return EXPIRED, 400


def _too_many_failures(error: RateLimitExceeded):
    minutes = max(1, error.limit.limit.get_expiry() // 60)
    next_path = safe_next_path(request.values.get("next"))
    message = TOO_MANY_FAILURES.format(minutes=minutes)
    return _page("login.html", "Sign in", next=next_path, error=message), 429


class StaffViews:
    """The views, holding the repository and the upload limit."""

    def __init__(self, repo: Repository, max_upload_bytes: int):
        self.repo = repo
        self.max_upload_bytes = max_upload_bytes

    def login(self):
        next_path = safe_next_path(request.values.get("next"))
        # Only a POST acts: HEAD is answered as GET, never checked for CSRF or counted by the
        # sign-in limits (which cover POST), so it must never sign anyone in or change data.
        if request.method != "POST":
            return _page("login.html", "Sign in", next=next_path, error=None)
        account = accounts.authenticate(
            self.repo.engine,
            request.form.get("username", ""),
            request.form.get("password", ""),
            address=get_remote_address(),
        )
        if account is None:
            return _page("login.html", "Sign in", next=next_path, error=WRONG_CREDENTIALS), 401
        # A fresh session (and CSRF token) on every sign-in, so none can be planted beforehand.
        session.clear()
        login_user(StaffUser(account))
        session.permanent = True
        return redirect(next_path)

    def logout(self):
        if current_user.is_authenticated:
            accounts.sign_out(self.repo.engine, current_user.account.id, get_remote_address())
        logout_user()
        session.clear()
        response = redirect("/")
        response.delete_cookie(CSRF_COOKIE)
        return response

    def upload(self):
        report = None
        if request.method == "POST":
            upload_file = request.files.get("return_file")
            if upload_file is None or not upload_file.filename:
                abort(400, "Choose a file to upload.")
            data = upload_file.read(self.max_upload_bytes + 1)
            report = import_file(
                self.repo.engine,
                self.repo.reference(),
                data,
                uploaded_name(upload_file.filename),
                username=current_user.username,
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
        name = TEMPLATE_NAMES[kind]
        # Written in a folder removed once read: each download used to leave one behind.
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            if kind == "xlsx":
                write_template_xlsx(path, ReturnVocabulary.from_reference(self.repo.reference()))
            else:
                write_template_csv(path)
            data = path.read_bytes()
        return send_file(io.BytesIO(data), as_attachment=True, download_name=name)

    def audit_log(self):
        log = request.args.get("log", "imports")
        if log not in AUDIT_LOGS:
            log = "imports"
        requested = request.args.get("page", "1")
        page = int(requested) if requested.isascii() and requested.isdigit() else 1
        entries = AUDIT_LOGS[log](self.repo.engine, page)
        return _page("audit.html", "Audit log", log=log, entries=entries)

    def _event_choices(self) -> events.EventChoices:
        reference = self.repo.reference()
        lines = reference.service_lines
        return events.EventChoices(
            service_lines=dict(zip(lines["slug"], lines["name"], strict=True)),
            localities=events.locality_names(reference.geographies, reference.schemes),
            sources=frozenset(reference.sources["slug"]),
        )

    def _events_page(self, form: dict, errors: dict, editing: int | None, status: int = 200):
        self.repo.refreshed_version()
        listed = self.repo.decision_events().sort_values(["event_date", "id"], ascending=False)
        reference = self.repo.reference()
        page = _page(
            "decisions_manage.html",
            "Record decisions and contract events",
            # Missing values (no change yet) as None, which the template reads as empty.
            events=listed.astype(object).where(listed.notna(), None).to_dict("records"),
            form=form,
            errors=errors,
            editing=editing,
            kinds=events.KIND_LABELS,
            statuses=events.STATUS_LABELS,
            choices=self._event_choices(),
            sources=dict(zip(reference.sources["slug"], reference.sources["title"], strict=True)),
        )
        return page, status

    def _submitted(self) -> dict:
        form = {field: request.form.get(field, "") for field in EVENT_FORM_FIELDS}
        form["service_lines"] = request.form.getlist("service_lines")
        form["localities"] = request.form.getlist("localities")
        return form

    def manage_events(self):
        if request.method != "POST":  # HEAD as GET: see login
            return self._events_page({}, {}, None)
        form = self._submitted()
        values, errors = events.check_event(form, self._event_choices())
        if errors:
            return self._events_page(form, errors, None, 400)
        decisions.add_event(self.repo.engine, values, current_user.username)
        self.repo.clear_cache()
        return redirect("/decisions/manage")

    def edit_event(self, event_id: int):
        try:
            event = decisions.recorded_event(self.repo.engine, event_id)
        except decisions.EventNotEditable:
            abort(404)
        if request.method != "POST":  # HEAD as GET: see login
            form = {field: getattr(event, field) or "" for field in EVENT_FORM_FIELDS}
            form["event_date"] = event.event_date.isoformat()
            form["service_lines"] = list(events.slugs(event.service_lines))
            form["localities"] = list(events.slugs(event.localities))
            return self._events_page(form, {}, event_id)
        form = self._submitted()
        values, errors = events.check_event(form, self._event_choices())
        if errors:
            return self._events_page(form, errors, event_id, 400)
        decisions.update_event(self.repo.engine, event_id, values, current_user.username)
        self.repo.clear_cache()
        return redirect("/decisions/manage")

    def delete_event(self, event_id: int):
        try:
            decisions.delete_event(self.repo.engine, event_id, current_user.username)
        except decisions.EventNotEditable:
            abort(404)
        self.repo.clear_cache()
        return redirect("/decisions/manage")

    def too_large(self, _error):
        """A request body past the server's limit: not read at all. On the upload page it is
        told there, and audited, like any other refused file; elsewhere in a sentence."""
        limit = self.max_upload_bytes // (1024 * 1024)
        message = f"The file is larger than the {limit} MB limit and was not read."
        if request.path != "/upload" or not current_user.is_authenticated:
            return message, 413
        attempt = start_attempt(
            self.repo.engine, username=current_user.username, filename="(not read)", data=b""
        )
        finish_attempt(self.repo.engine, attempt, rows=0, result="rejected", message=message)
        report = ImportReport("The file", False, "Not loaded: 1 problem", problems=[message])
        page = _page("upload.html", "Upload a monitoring return", report=report, max_mb=limit)
        return page, 413


def register_web(server: Flask, repo: Repository, limiter: Limiter, *, max_upload_bytes: int):
    """Add the sign-in, upload and audit routes to the Dash app's Flask server."""
    views = StaffViews(repo, max_upload_bytes)
    auth = Blueprint("auth", __name__, template_folder="templates")
    login = limit_failed_sign_ins(limiter, views.login)
    auth.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    auth.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
    staff_only = require_role(*UPLOAD_ROLES)
    uploads = Blueprint("uploads", __name__, template_folder="templates")
    uploads.add_url_rule("/upload", "upload", staff_only(views.upload), methods=["GET", "POST"])
    uploads.add_url_rule("/upload/template.<kind>", "template", staff_only(views.template))
    admin = Blueprint("admin", __name__, template_folder="templates")
    admin.add_url_rule("/admin/audit", "audit", require_role(*ADMIN_ROLES)(views.audit_log))
    editors_only = require_role(*EDITOR_ROLES)
    editing = Blueprint("decisions", __name__, template_folder="templates")
    editing.add_url_rule(
        "/decisions/manage", "manage", editors_only(views.manage_events), methods=["GET", "POST"]
    )
    editing.add_url_rule(
        f"/decisions/<int(max={LARGEST_ID}):event_id>/edit",
        "edit",
        editors_only(views.edit_event),
        methods=["GET", "POST"],
    )
    editing.add_url_rule(
        f"/decisions/<int(max={LARGEST_ID}):event_id>/delete",
        "delete",
        editors_only(views.delete_event),
        methods=["POST"],
    )
    server.register_error_handler(413, views.too_large)
    server.register_error_handler(CSRFError, _form_expired)
    server.register_error_handler(RateLimitExceeded, _too_many_failures)
    server.register_blueprint(auth)
    server.register_blueprint(uploads)
    server.register_blueprint(admin)
    server.register_blueprint(editing)
