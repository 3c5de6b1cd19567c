"""Settings are read from the environment at call time, with one clear sentence per problem."""

from __future__ import annotations

from pathlib import Path

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
        ({"DASHBOARD_RESULT_CACHE_SIZE": "0"}, "DASHBOARD_RESULT_CACHE_SIZE"),
        ({"DASHBOARD_WARM_UP": "everything"}, "DASHBOARD_WARM_UP"),
        ({"DASHBOARD_ENV": "production"}, "SECRET_KEY"),
        ({"DASHBOARD_ENV": "production", "SECRET_KEY": "x"}, "SECRET_KEY"),
        ({"DASHBOARD_ENV": "production", "SECRET_KEY": "x" * 31}, "SECRET_KEY"),
        ({"DASHBOARD_ENV": "production", "SECRET_KEY": " " * 40}, "SECRET_KEY"),
        ({"REDIS_URL": "http://cache.example:6379"}, "REDIS_URL"),
    ],
)
def test_invalid_settings_fail_with_one_sentence_naming_the_setting(environ, setting):
    with pytest.raises(ConfigError) as error:
        Settings.from_env(
            {"SECRET_KEY": "k", **environ} if "SECRET_KEY" not in environ else environ
        )
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


@pytest.mark.parametrize("key", ["x" * 32, "é" * 16])
def test_production_accepts_a_secret_key_of_32_bytes(key):
    settings = Settings.from_env({"DASHBOARD_ENV": "production", "SECRET_KEY": key})
    assert settings.secret_key == key and key not in repr(settings)


def test_redis_url_is_read_for_shared_rate_limits_and_kept_out_of_repr():
    url = "redis://:hunter2hunter2@127.0.0.1:6379/0"
    settings = Settings.from_env({"SECRET_KEY": "k", "REDIS_URL": url})
    assert settings.redis_url == url and "hunter2" not in repr(settings)
    assert Settings.from_env({"SECRET_KEY": "k"}).redis_url == ""


def test_the_workers_share_their_results_in_a_directory_only_when_one_is_named():
    settings = Settings.from_env({"SECRET_KEY": "k", "DASHBOARD_RESULTS_DIR": " instance/r "})
    assert settings.results_dir == Path("instance/r")
    assert Settings.from_env({"SECRET_KEY": "k", "DASHBOARD_RESULTS_DIR": " "}).results_dir is None
    assert Settings.from_env({"SECRET_KEY": "k"}).results_dir is None


def test_warm_up_covers_every_filter_unless_limited_to_the_default_views():
    assert Settings.from_env({"SECRET_KEY": "k"}).warm_up == "filters"
    limited = Settings.from_env({"SECRET_KEY": "k", "DASHBOARD_WARM_UP": " Defaults "})
    assert limited.warm_up == "defaults"
