"""Staff accounts: names, password rules, sign-in checks and the changes that end sessions.

Names are stored normalised (Unicode NFKC, case-folded, inner runs of spaces collapsed), so two
accounts can never differ only in case or spacing. Passwords are stored only as salted scrypt
hashes (Werkzeug). Every account carries a session version that is part of the identity kept in
the session cookie: signing out, deactivating, changing the role or resetting the password bumps
it, which makes every cookie issued before dead on its next request. Sign-ins (kept or refused),
sign-outs and account changes are written to the ``account_event`` audit log.

No Flask here: the command line and the web pages share these functions.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.db import models

MIN_PASSWORD_LENGTH = 12
MAX_USERNAME_LENGTH = 120
UNKNOWN_NAME = "(unknown name)"
BY_COMMAND_LINE = "by the users command"


class UserError(ValueError):
    """An account could not be created or changed; the message says why."""


@dataclass(frozen=True)
class Account:
    """What the app needs to know about a member of staff (never the password hash)."""

    id: int
    username: str
    role: str
    active: bool
    session_version: int
    created_at: datetime


def normalise_username(raw: str) -> str:
    """The stored form of a user name: NFKC, case-folded, single spaces, no ends."""
    return " ".join(unicodedata.normalize("NFKC", raw).casefold().split())


def _valid_username(raw: str) -> str:
    name = normalise_username(raw)
    if not name:
        raise UserError("the user name must not be empty")
    if len(name) > MAX_USERNAME_LENGTH:
        raise UserError(f"the user name must be at most {MAX_USERNAME_LENGTH} characters long")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise UserError("the user name must not contain control characters")
    return name


def _valid_password(password: str) -> str:
    if not password.strip():
        raise UserError("the password must not be blank or only spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"passwords must be at least {MIN_PASSWORD_LENGTH} characters long")
    return password


def _valid_role(role: str) -> str:
    if role not in models.ROLES:
        raise UserError(f"role must be one of {', '.join(models.ROLES)}, not {role!r}")
    return role


def _account(row: models.UserAccount) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        role=row.role,
        active=row.active,
        session_version=row.session_version,
        created_at=row.created_at,
    )


def _find(db: Session, username: str) -> models.UserAccount | None:
    return db.scalar(
        select(models.UserAccount).where(
            models.UserAccount.username == normalise_username(username)
        )
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _log(db: Session, event: str, username: str, *, detail: str = "", address: str = "") -> None:
    db.add(
        models.AccountEvent(
            occurred_at=_now(), username=username, event=event, detail=detail, address=address
        )
    )


def create_user(engine: Engine, username: str, password: str, role: str) -> Account:
    """Add a member of staff; the name is normalised and must not already exist in any form."""
    name = _valid_username(username)
    _valid_role(role)
    _valid_password(password)
    with Session(engine) as db, db.begin():
        if _find(db, name) is not None:
            raise UserError(f"a user named {name!r} already exists")
        row = models.UserAccount(
            username=name,
            password_hash=generate_password_hash(password),
            role=role,
            created_at=_now(),
            active=True,
            session_version=0,
        )
        db.add(row)
        _log(db, "account added", name, detail=f"role {role}, {BY_COMMAND_LINE}")
        db.flush()
        return _account(row)


def list_users(engine: Engine) -> list[Account]:
    """Every account, by name."""
    with Session(engine) as db:
        rows = db.scalars(select(models.UserAccount).order_by(models.UserAccount.username))
        return [_account(row) for row in rows]


def _change(engine: Engine, username: str, event: str, detail: str, **values) -> Account:
    """Apply ``values`` to the named account, end all its sessions and log ``event``."""
    with Session(engine) as db, db.begin():
        row = _find(db, username)
        if row is None:
            raise UserError(f"there is no user named {normalise_username(username)!r}")
        for column, value in values.items():
            setattr(row, column, value)
        row.session_version += 1
        _log(db, event, row.username, detail=detail)
        db.flush()
        return _account(row)


def deactivate_user(engine: Engine, username: str) -> Account:
    return _change(engine, username, "account deactivated", BY_COMMAND_LINE, active=False)


def set_role(engine: Engine, username: str, role: str) -> Account:
    detail = f"to {_valid_role(role)}, {BY_COMMAND_LINE}"
    return _change(engine, username, "role changed", detail, role=role)


def reset_password(engine: Engine, username: str, password: str) -> Account:
    password_hash = generate_password_hash(_valid_password(password))
    return _change(engine, username, "password reset", BY_COMMAND_LINE, password_hash=password_hash)


def sign_out(engine: Engine, account_id: int, address: str) -> None:
    """Make every session cookie issued to this account invalid, and log the sign-out."""
    with Session(engine) as db, db.begin():
        row = db.get(models.UserAccount, account_id)
        if row is not None:
            row.session_version += 1
            _log(db, "signed out", row.username, address=address)


@cache
def dummy_password_hash() -> str:
    """A hash of a random, forgotten password, checked for unknown names to spend the same work."""
    return generate_password_hash(secrets.token_urlsafe(32))


def authenticate(engine: Engine, username: str, password: str, address: str = "") -> Account | None:
    """The active account with this name and password, else None, with one hash check either way.

    Every attempt is logged; a refused name only if the account exists, since people sometimes
    type their password into the name box.
    """
    with Session(engine) as db:
        row = _find(db, username)
        account = _account(row) if row is not None else None
        stored = row.password_hash if row is not None else dummy_password_hash()
    accepted = check_password_hash(stored, password) and account is not None and account.active
    with Session(engine) as db, db.begin():
        if account is None:
            _log(db, "sign-in refused", UNKNOWN_NAME, address=address)
        elif accepted:
            _log(db, "signed in", account.username, address=address)
        else:
            reason = "wrong password" if account.active else "account deactivated"
            _log(db, "sign-in refused", account.username, detail=reason, address=address)
    return account if accepted else None


def session_account(engine: Engine, account_id: int, session_version: int) -> Account | None:
    """The account a session cookie names, if it is still active and the cookie still current."""
    with Session(engine) as db:
        row = db.get(models.UserAccount, account_id)
        if row is None or not row.active or row.session_version != session_version:
            return None
        return _account(row)
