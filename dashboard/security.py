"""Sign-in, roles, CSRF protection and security headers for the Flask server under Dash.

Passwords are stored only as salted scrypt hashes (Werkzeug). The session is Flask's signed
cookie: HttpOnly, SameSite=Lax, and Secure in production. Forms carry a per-session CSRF token;
Dash's own callback requests send the token from the ``_csrf_token`` cookie in an
``X-CSRFToken`` header, which is checked too.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from flask import Flask, abort, redirect, request, session, url_for
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.config import Settings
from dashboard.db import models

CSRF_SESSION_KEY = "csrf_token"
CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"
UPLOAD_ROLES = ("uploader", "admin")
OPEN_PATHS = ("/login", "/health", "/vendor/", "/assets/", "/_favicon.ico")
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


class UserError(ValueError):
    """A user account could not be created; the message says why."""


def create_user(engine: Engine, username: str, password: str, role: str) -> None:
    """Add a member of staff with a hashed password."""
    if role not in models.ROLES:
        raise UserError(f"role must be one of {', '.join(models.ROLES)}, not {role!r}")
    if len(password) < 12:
        raise UserError("passwords must be at least 12 characters long")
    with Session(engine) as db, db.begin():
        if db.scalar(select(models.UserAccount).where(models.UserAccount.username == username)):
            raise UserError(f"user {username!r} already exists")
        db.add(
            models.UserAccount(
                username=username,
                password_hash=generate_password_hash(password),
                role=role,
                created_at=datetime.now(UTC).replace(tzinfo=None),
                active=True,
            )
        )


def authenticate(engine: Engine, username: str, password: str) -> models.UserAccount | None:
    """The active user with this name and password, else None (same work either way)."""
    with Session(engine) as db:
        user = db.scalar(select(models.UserAccount).where(models.UserAccount.username == username))
    # Hash a dummy on unknown users too, so timing does not reveal which names exist.
    stored = user.password_hash if user else generate_password_hash(secrets.token_hex(8))
    if check_password_hash(stored, password) and user is not None and user.active:
        return user
    return None


def current_user() -> dict | None:
    return session.get("user")


def csrf_token() -> str:
    """This session's CSRF token, created on first use."""
    if CSRF_SESSION_KEY not in session:
        session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_SESSION_KEY]


def valid_csrf(token: str | None) -> bool:
    expected = session.get(CSRF_SESSION_KEY)
    return bool(token and expected and hmac.compare_digest(token, expected))


def require_role(*roles: str) -> Callable:
    """Decorate a view: redirect to sign-in when signed out, 403 without one of ``roles``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.path))
            if user["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def install(server: Flask, settings: Settings) -> None:
    """Session cookie settings, CSRF checks, optional sign-in for everything, headers."""
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 64 * 1024,
    )

    @server.before_request
    def protect():
        signed_in = current_user() is not None
        if settings.require_login and not signed_in and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/_dash"):
                abort(401)
            return redirect(url_for("auth.login", next=request.path))
        is_callback = request.method == "POST" and request.path.startswith("/_dash-update")
        if is_callback and signed_in and not valid_csrf(request.headers.get(CSRF_HEADER)):
            abort(400, "Missing or invalid CSRF token.")
        return None

    @server.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_user() is not None and not request.cookies.get(CSRF_COOKIE):
            response.set_cookie(
                CSRF_COOKIE,
                csrf_token(),
                samesite="Strict",
                secure=settings.is_production,
                max_age=8 * 3600,
            )
        return response
