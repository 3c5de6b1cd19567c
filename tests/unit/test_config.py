"""Settings are read from the environment at call time, with one clear sentence per problem."""

from __future__ import annotations

import pytest

from dashboard.config import DEFAULT_DATABASE_URL, ConfigError, Settings


def test_defaults_use_embedded_sqlite():
    settings = Settings.from_env({"SECRET_KEY": "k", "CARERS_BOUNDARIES": ""})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.database_url.startswith("sqlite:///")
    assert settings.environment == "development"


def test_database_url_is_taken_as_given():
    url = "postgresql+psycopg://carers@127.0.0.1:5432/carers"
    assert Settings.from_env({"DATABASE_URL": url, "SECRET_KEY": "k"}).database_url == url


@pytest.mark.parametrize(
    ("environ", "setting"),
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"CARERS_BOUNDARIES": "/no/such/file.geojson"}, "CARERS_BOUNDARIES"),
        ({"DASHBOARD_ENV": "staging"}, "DASHBOARD_ENV"),
        ({"DASHBOARD_CACHE_SIZE": "-3"}, "DASHBOARD_CACHE_SIZE"),
        ({"DASHBOARD_ENV": "production"}, "SECRET_KEY"),
    ],
)
def test_invalid_settings_fail_with_one_sentence_naming_the_setting(environ, setting):
    with pytest.raises(ConfigError) as error:
        Settings.from_env({"SECRET_KEY": "k", **environ} if setting != "SECRET_KEY" else environ)
    message = str(error.value)
    assert message.startswith(setting)
    assert message.count(". ") == 0 and message.endswith(".")


def test_configured_boundary_file_is_used(boundaries_path):
    settings = Settings.from_env({"CARERS_BOUNDARIES": str(boundaries_path), "SECRET_KEY": "k"})
    assert settings.boundaries_path == boundaries_path


def test_reading_is_at_call_time(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/first.sqlite")
    monkeypatch.setenv("SECRET_KEY", "k")
    first = Settings.from_env()
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/second.sqlite")
    assert Settings.from_env().database_url != first.database_url
