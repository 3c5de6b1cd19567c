"""Settings for the dashboard: the only module that reads the environment, and only when asked."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'dashboard.sqlite'}"
# The simplified districts made by `boundaries build` ship with the project; a newer file from
# `boundaries fetch` in instance/ takes their place.
SHIPPED_BOUNDARIES = DATA_DIR / "geo" / "kent_districts.geojson"
FETCHED_BOUNDARIES = INSTANCE_DIR / "kent_districts.geojson"
ENVIRONMENTS = ("development", "production", "test")
MIN_PRODUCTION_SECRET_BYTES = 32
REDIS_SCHEMES = ("redis", "rediss", "redis+unix")
# What each worker computes in the background at start-up and after new data: each page's
# default view, then ("filters") that view for every locality and care group as well.
WARM_UPS = ("filters", "defaults")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message is one sentence naming it."""


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its deployment."""

    database_url: str = DEFAULT_DATABASE_URL
    boundaries_path: Path | None = None
    environment: str = "development"
    title: str = "Kent Carers Commissioning Dashboard"
    cache_size: int = 256
    result_cache_size: int = 4096
    warm_up: str = "filters"
    secret_key: str = field(default="", repr=False)
    require_login: bool = False
    max_upload_bytes: int = 10 * 1024 * 1024
    redis_url: str = field(default="", repr=False)
    # Where the workers of one machine share their computed results (without REDIS_URL); None:
    # each worker keeps its own in memory.
    results_dir: Path | None = None

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from the environment (or a mapping, in tests) at call time."""
        env = os.environ if environ is None else environ
        environment = _choice(env, "DASHBOARD_ENV", ENVIRONMENTS)
        database_url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        _check_database_url(database_url)
        return cls(
            database_url=database_url,
            boundaries_path=_boundaries_path(env.get("CARERS_BOUNDARIES", "")),
            environment=environment,
            cache_size=_positive_int(env, "DASHBOARD_CACHE_SIZE", 256),
            result_cache_size=_positive_int(env, "DASHBOARD_RESULT_CACHE_SIZE", 4096),
            warm_up=_choice(env, "DASHBOARD_WARM_UP", WARM_UPS),
            secret_key=_secret_key(env.get("SECRET_KEY", ""), environment),
            require_login=_flag(env, "DASHBOARD_REQUIRE_LOGIN"),
            max_upload_bytes=_positive_int(env, "DASHBOARD_MAX_UPLOAD_MB", 10) * 1024 * 1024,
            redis_url=_redis_url(env.get("REDIS_URL", "")),
            results_dir=_optional_path(env.get("DASHBOARD_RESULTS_DIR", "")),
        )


def masked_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for every message that names it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        # Not a URL SQLAlchemy understands: hide whatever sits between "user:" and "@".
        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


def _check_database_url(url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL must be an SQLAlchemy URL such as sqlite:///instance/dashboard.sqlite "
            f"or postgresql+psycopg://user@host/db, not {masked_url(url)!r}."
        ) from None


def _boundaries_path(value: str) -> Path | None:
    """Return the configured boundary file, or a default found on disk, or None (tile map)."""
    value = value.strip()
    if value:
        path = Path(value).expanduser()
        if not path.is_file():
            raise ConfigError(
                "CARERS_BOUNDARIES must name a readable boundary file (GeoJSON, GeoPackage or "
                f"shapefile); {str(path)!r} does not exist."
            )
        return path
    for candidate in (FETCHED_BOUNDARIES, SHIPPED_BOUNDARIES):
        if candidate.is_file():
            return candidate
    return None


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of 1 or more, not {raw!r}.")
    return int(raw)


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, the first when unset."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return choices[0]
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _secret_key(value: str, environment: str) -> str:
    """Use SECRET_KEY; outside production, generate one into instance/ on first start."""
    value = value.strip()
    if environment == "production" and len(value.encode()) < MIN_PRODUCTION_SECRET_BYTES:
        raise ConfigError(
            f"SECRET_KEY must be at least {MIN_PRODUCTION_SECRET_BYTES} bytes of random text when "
            "DASHBOARD_ENV=production (for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    if value:
        return value
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def _optional_path(value: str) -> Path | None:
    value = value.strip()
    return Path(value) if value else None


def _redis_url(value: str) -> str:
    """Shared storage for the sign-in rate limits, or "" to count in each worker's memory."""
    value = value.strip()
    if value and value.partition("://")[0] not in REDIS_SCHEMES:
        raise ConfigError(
            "REDIS_URL must be a redis://, rediss:// or redis+unix:// URL, "
            f"not one starting {value.partition(':')[0]!r}."
        )
    return value
