"""Sign-in sessions, roles, CSRF, sign-in rate limits and security headers for the Flask server.

Flask-Login keeps the signed-in account in Flask's signed session cookie (HttpOnly,
SameSite=Lax, Secure in production) as ``id:session_version`` and reloads the account from the
database on every request, so a deactivation, a new role or a sign-out elsewhere takes effect on
the next request (see ``dashboard.accounts``). Flask-WTF's ``CSRFProtect`` checks every form;
Dash's renderer sends the token it finds in the ``_csrf_token`` cookie as an ``X-CSRFToken``
header, which is checked on the callbacks of signed-in users, and the cookie is renewed whenever
it no longer matches the session (after signing out and in again). Flask-Limiter counts failed
sign-ins per account and per address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, redirect, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf, validate_csrf
from sqlalchemy import Engine
from wtforms import ValidationError

from dashboard import accounts
from dashboard.config import Settings

CSRF_COOKIE = "_csrf_token"
DASH_CALLBACK_PATH = "/_dash-update-component"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UPLOAD_ROLES = ("uploader", "admin")
ADMIN_ROLES = ("admin",)
EDITOR_ROLES = ("editor", "admin")  # may record, edit and delete decisions and contract events
SESSION_LIFETIME_SECONDS = 8 * 3600
# With DASHBOARD_REQUIRE_LOGIN, exactly these paths (no prefixes) are served to visitors who
# have not signed in: the sign-in page, what it loads, and the health check.
OPEN_PATHS = frozenset({"/login", "/health", "/vendor/bootstrap.min.css", "/assets/style.css"})
FAILED_SIGN_INS_PER_ACCOUNT = "5 per 15 minutes"
FAILED_SIGN_INS_PER_ADDRESS = "20 per 15 minutes"
_SESSION_IDENTITY = re.compile(r"(\d+):(\d+)", re.ASCII)
# Browsers drop tabs and newlines anywhere in a URL, and leading or trailing control
# characters and spaces, before they parse it.
_URL_INVISIBLES = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Dash's renderer runs one inline bootstrap script and Plotly compiles some functions at run
# time, hence 'unsafe-inline' and 'unsafe-eval' for scripts; everything else is same-origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class StaffUser(UserMixin):
    """The signed-in account as Flask-Login sees it; its id names the session version too."""

    def __init__(self, account: accounts.Account):
        self.account = account

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def role(self) -> str:
        return self.account.role

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_version}"


def safe_next_path(value: str | None) -> str:
    """The path to return to after signing in: a path on this site, else ``/``.

    The value is first normalised as a browser would read it (tabs and newlines dropped, ends
    trimmed, backslashes read as slashes), so ``/\\t/evil.example`` cannot become
    ``//evil.example`` after the check.
    """
    path = _URL_INVISIBLES.sub("", value or "").strip(_C0_AND_SPACE)
    path = path.replace("\\", "/")
    if not path.startswith("/") or path.startswith("//") or _CONTROL_CHARACTERS.search(path):
        return "/"
    parts = urlsplit(path)
    return "/" if parts.scheme or parts.netloc else path


def sign_in_redirect():
    """Send a visitor who is not signed in to the sign-in page, to come back here after."""
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def require_role(*roles: str) -> Callable:
    """Decorate a view: redirect to sign-in when signed out, 403 without one of ``roles``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return sign_in_redirect()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _account_key() -> str:
    return "account:" + accounts.normalise_username(request.form.get("username", ""))


def _failed_sign_in(response) -> bool:
    return response.status_code == 401


def limit_failed_sign_ins(limiter: Limiter, view: Callable) -> Callable:
    """Refuse sign-in attempts (429) once an account or an address has failed too often."""
    per_account = limiter.limit(
        FAILED_SIGN_INS_PER_ACCOUNT,
        key_func=_account_key,
        methods=["POST"],
        deduct_when=_failed_sign_in,
    )
    per_address = limiter.limit(
        FAILED_SIGN_INS_PER_ADDRESS,
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_failed_sign_in,
    )
    return per_address(per_account(view))


def _csrf_cookie_is_current() -> bool:
    try:
        validate_csrf(request.cookies.get(CSRF_COOKIE))
    except ValidationError:
        return False
    return True


def install(server: Flask, settings: Settings, engine: Engine) -> Limiter:
    """Sessions, CSRF checks, optional sign-in for everything, headers; returns the limiter."""
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME_SECONDS,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 64 * 1024,
        # Checked in ``protect`` below, so anonymous Dash callbacks need no session.
        WTF_CSRF_CHECK_DEFAULT=False,
        # The token lives as long as the session it belongs to, which expires by itself.
        WTF_CSRF_TIME_LIMIT=None,
    )
    login_manager = LoginManager(server)
    csrf = CSRFProtect(server)
    limiter = Limiter(
        get_remote_address,
        app=server,
        storage_uri=settings.redis_url or "memory://",
        # If Redis goes away, each worker keeps counting in memory rather than failing sign-in.
        in_memory_fallback_enabled=True,
        headers_enabled=True,
    )
    # Hash the dummy password now, not during the first sign-in with an unknown name.
    accounts.dummy_password_hash()

    @login_manager.user_loader
    def load_user(identity: str) -> StaffUser | None:
        match = _SESSION_IDENTITY.fullmatch(identity)
        if match is None:
            return None
        account = accounts.session_account(engine, int(match[1]), int(match[2]))
        return StaffUser(account) if account is not None else None

    @server.before_request
    def protect():
        signed_in = current_user.is_authenticated
        if settings.require_login and not signed_in and request.path not in OPEN_PATHS:
            if request.path.startswith("/_"):
                abort(401)
            return sign_in_redirect()
        anonymous_callback = request.path == DASH_CALLBACK_PATH and not signed_in
        if request.method in UNSAFE_METHODS and not anonymous_callback:
            csrf.protect()
        return None

    @server.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_user.is_authenticated and not _csrf_cookie_is_current():
            # Dash's renderer reads this cookie to send the header, so it is not HttpOnly.
            response.set_cookie(
                CSRF_COOKIE,
                generate_csrf(),
                samesite="Strict",
                secure=settings.is_production,
                max_age=SESSION_LIFETIME_SECONDS,
            )
        return response

    return limiter
