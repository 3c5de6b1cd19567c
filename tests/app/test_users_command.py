"""The `users` commands: add, list, deactivate, set-role, reset-password, and what they refuse."""

from __future__ import annotations

import io

import pytest

from dashboard import accounts
from dashboard.__main__ import main
from dashboard.db.engine import make_engine

PASSWORD = "a long enough password"


@pytest.fixture
def users_env(fresh_db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("SECRET_KEY", "a test secret key that is long enough")
    monkeypatch.setenv("DASHBOARD_ENV", "test")
    engine = make_engine(fresh_db_url)
    yield engine
    engine.dispose()


def run(monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["users", *argv])


def add(monkeypatch, name: str, role: str = "uploader", password: str = PASSWORD) -> int:
    return run(monkeypatch, "add", name, "--role", role, "--password-stdin", stdin=password + "\n")


def test_add_stores_the_normal_form_of_the_name(users_env, monkeypatch, capsys):
    assert add(monkeypatch, "  Jane   SMITH ") == 0
    assert "Added jane smith (uploader)." in capsys.readouterr().out
    assert accounts.authenticate(users_env, "JANE smith", PASSWORD).role == "uploader"


@pytest.mark.parametrize(
    "duplicate", ["jane smith", "Jane Smith", " JANE  SMITH ", "jane\tsmith", "ｊａｎｅ smith"]
)
def test_a_name_differing_only_in_case_or_spaces_is_refused(users_env, monkeypatch, duplicate):
    assert add(monkeypatch, "Jane Smith") == 0
    assert add(monkeypatch, duplicate) == 2
    assert [user.username for user in accounts.list_users(users_env)] == ["jane smith"]


@pytest.mark.parametrize(
    ("name", "password", "reason"),
    [
        ("", PASSWORD, "must not be empty"),
        ("   ", PASSWORD, "must not be empty"),
        ("x" * 121, PASSWORD, "at most 120"),
        ("bell\x07name", PASSWORD, "control characters"),
        ("someone", " " * 12, "blank"),
        ("someone", " " * 40, "blank"),
        ("someone", "", "blank"),
        ("someone", "short pass", "at least 12"),
    ],
)
def test_bad_names_and_passwords_are_refused(
    users_env, monkeypatch, capsys, name, password, reason
):
    assert add(monkeypatch, name, password=password) == 2
    assert reason in capsys.readouterr().err
    assert accounts.list_users(users_env) == []


def test_an_unknown_role_is_refused(users_env, monkeypatch):
    with pytest.raises(SystemExit) as exit_:
        add(monkeypatch, "someone", role="superuser")
    assert exit_.value.code == 2


def test_list_shows_name_role_and_state_but_no_password(users_env, monkeypatch, capsys):
    assert run(monkeypatch, "list") == 0
    assert "No users yet" in capsys.readouterr().out
    add(monkeypatch, "alice", "admin")
    add(monkeypatch, "bob", "viewer")
    run(monkeypatch, "deactivate", "bob")
    capsys.readouterr()
    assert run(monkeypatch, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["user", "role", "state"]
    assert lines[1].split()[:3] == ["alice", "admin", "active"]
    assert lines[2].split()[:3] == ["bob", "viewer", "deactivated"]
    assert not any(PASSWORD in line or "scrypt" in line for line in lines)


def test_deactivate_stops_sign_in(users_env, monkeypatch, capsys):
    add(monkeypatch, "carol")
    assert run(monkeypatch, "deactivate", " CAROL ") == 0
    assert "Deactivated carol" in capsys.readouterr().out
    assert accounts.authenticate(users_env, "carol", PASSWORD) is None


def test_set_role_changes_the_role(users_env, monkeypatch):
    add(monkeypatch, "dave", "viewer")
    assert run(monkeypatch, "set-role", "dave", "admin") == 0
    assert accounts.authenticate(users_env, "dave", PASSWORD).role == "admin"


def test_set_role_to_editor_is_accepted(users_env, monkeypatch):
    add(monkeypatch, "erin", "viewer")
    assert run(monkeypatch, "set-role", "erin", "editor") == 0
    assert accounts.authenticate(users_env, "erin", PASSWORD).role == "editor"


def test_reset_password_replaces_the_password(users_env, monkeypatch):
    add(monkeypatch, "erin")
    new_password = "another long passphrase"
    assert run(monkeypatch, "reset-password", "erin", "--password-stdin", stdin=new_password) == 0
    assert accounts.authenticate(users_env, "erin", PASSWORD) is None
    assert accounts.authenticate(users_env, "erin", new_password) is not None


def test_reset_password_keeps_the_rules(users_env, monkeypatch, capsys):
    add(monkeypatch, "frank")
    assert run(monkeypatch, "reset-password", "frank", "--password-stdin", stdin=" " * 20) == 2
    assert "blank" in capsys.readouterr().err
    assert accounts.authenticate(users_env, "frank", PASSWORD) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ("deactivate", "nobody"),
        ("set-role", "nobody", "admin"),
        ("reset-password", "nobody", "--password-stdin"),
    ],
)
def test_changing_an_unknown_user_is_refused(users_env, monkeypatch, capsys, argv):
    assert run(monkeypatch, *argv, stdin=PASSWORD) == 2
    assert "there is no user named 'nobody'" in capsys.readouterr().err
