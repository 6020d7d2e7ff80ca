"""Settings: environment (`FLEXT_DB_ORACLE_`, `__` nesting), TOML profiles, or code.

Precedence, highest first: values passed in code (the CLI's `--url`), the chosen
profile, environment variables, defaults. With nothing configured the framework
uses a SQLite file in the current directory.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.redaction import mask_credentials, register_secret
from flext_db_oracle.urls import DatabaseUrl

ENV_PREFIX = "FLEXT_DB_ORACLE_"
DEFAULT_URL = "sqlite:///flext_db_oracle.db"
PROFILES_ENV = f"{ENV_PREFIX}PROFILES"
PROFILE_FILE_NAMES = (
    Path("flext-db-oracle.toml"),
    Path.home() / ".config/flext-db-oracle/profiles.toml",
)


class PoolSettings(BaseModel):
    """Connection pool; adapters map these onto their driver's pool."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    size: int = Field(default=5, ge=1, description="connections kept open")
    max_overflow: int = Field(default=10, ge=0, description="extra connections under load")
    timeout_s: float = Field(default=30.0, gt=0, description="wait for a free connection")
    recycle_s: int = Field(default=1800, description="reopen connections older than this; -1 never")
    pre_ping: bool = Field(default=True, description="test a connection before handing it out")


class DatabaseSettings(BaseSettings):
    """Where to connect and how. Give `url`, or `driver` with discrete fields."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="ignore",
        frozen=True,
    )

    url: SecretStr | None = Field(
        default=None,
        description="database URL (may carry the password), or an alias a plugin resolves",
    )
    adapter: str | None = Field(
        default=None, description="adapter name; chosen from the URL scheme when unset"
    )
    driver: str | None = Field(default=None, description="URL scheme for the discrete fields")
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: SecretStr | None = None
    database: str | None = Field(default=None, description="database, service name or file")
    pool: PoolSettings = PoolSettings()
    connect_timeout_s: float = Field(default=10.0, gt=0)
    stream_batch_size: int = Field(default=1000, ge=1)
    slow_statement_ms: float = Field(
        default=1000.0, ge=0, description="log slower statements as warnings"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["console", "json"] = "console"

    @model_validator(mode="after")
    def _remember_secrets(self) -> DatabaseSettings:
        if self.password is not None:
            register_secret(self.password.get_secret_value())
        if self.url is not None and self.url_alias() is None:
            self.database_url()  # validates early and registers the URL's password
        return self

    def url_alias(self) -> str | None:
        """`url` when it is an alias (no `://`) for a plugin's `resolve_dsn` to resolve."""
        if self.url is None or "://" in self.url.get_secret_value():
            return None
        return self.url.get_secret_value()

    def with_url(self, url: str) -> DatabaseSettings:
        """A copy with `url` replaced (validated, its password registered for redaction)."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**{**values, "url": url})

    def database_url(self) -> DatabaseUrl:
        """The effective URL: `url`, else one built from the discrete fields, else SQLite."""
        if self.url is not None:
            if (alias := self.url_alias()) is not None:
                raise DbError(
                    ErrorKind.CONFIGURATION,
                    f"{mask_credentials(alias)!r} is not a database URL, and no plugin"
                    " resolved it as an alias (expected one like postgresql://user@host:5432/dbname)",
                )
            parsed = DatabaseUrl.parse(self.url.get_secret_value())
            if self.password is not None and parsed.password is None:
                parsed = parsed.model_copy(update={"password": self.password})
            return parsed
        if self.driver is None and self.host is None and self.database is None:
            return DatabaseUrl.parse(DEFAULT_URL)
        if self.driver is None:
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"set {ENV_PREFIX}DRIVER (the URL scheme, e.g. postgresql or oracle) "
                "when giving discrete connection fields, or give a URL",
            )
        return DatabaseUrl(
            scheme=self.driver,
            username=self.user,
            password=self.password,
            host=self.host,
            port=self.port,
            database=self.database,
        )

    def redacted(self) -> dict[str, Any]:
        """Effective settings for display: JSON-ready, every secret masked."""
        data = self.model_dump(mode="json", exclude={"url", "password"})
        alias = self.url_alias()
        data["url"] = mask_credentials(alias) if alias else self.database_url().render()
        data["password"] = "***" if self.password is not None else None
        return data


def find_profiles_file() -> Path | None:
    explicit = os.environ.get(PROFILES_ENV)
    if explicit:
        return Path(explicit)
    return next((path for path in PROFILE_FILE_NAMES if path.is_file()), None)


def load_profile(name: str, path: Path | None = None) -> dict[str, Any]:
    """The `[profiles.NAME]` table of the profiles file, as settings keyword arguments."""
    path = path or find_profiles_file()
    if path is None or not path.is_file():
        where = path or " or ".join(str(p) for p in PROFILE_FILE_NAMES)
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"profile {name!r} requested but no profiles file found at {where}"
            f" (set {PROFILES_ENV})",
        )
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DbError(ErrorKind.CONFIGURATION, f"cannot read profiles file {path}: {exc}") from None
    profiles = document.get("profiles", {})
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise DbError(
            ErrorKind.CONFIGURATION, f"no profile {name!r} in {path} (profiles there: {known})"
        )
    profile: dict[str, Any] = profiles[name]
    return profile


def load_settings(
    *, profile: str | None = None, profiles_file: Path | None = None, **overrides: Any
) -> DatabaseSettings:
    """Settings from the environment, overlaid by a profile, overlaid by `overrides`."""
    values: dict[str, Any] = {}
    if profile:
        values.update(load_profile(profile, profiles_file))
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return DatabaseSettings(**values)
    except DbError:
        raise
    except ValueError as exc:
        raise DbError(ErrorKind.CONFIGURATION, f"invalid settings: {_first_error(exc)}") from None


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc)
