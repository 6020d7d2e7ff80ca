"""Settings: environment (`FLEXT_DB_ORACLE_`, `__` nesting), TOML profiles, or code.

Precedence, highest first: values passed in code (the CLI's `--url`), the chosen
profile, environment variables, defaults. With nothing configured the framework
uses a SQLite file in the current directory.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.redaction import mask_credentials, register_secret
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle.urls import DatabaseUrl, is_oracle_dsn

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
    pre_ping: bool = Field(
        default=False,
        description="test a connection before each use (one more round trip per call); "
        "off by default: a connection found dead is discarded with the pool's older ones",
    )


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
    password_file: Path | None = Field(
        default=None,
        description="read the password from this file (first line), e.g. a mounted secret",
    )
    database: str | None = Field(default=None, description="database, service name or file")
    pool: PoolSettings = PoolSettings()
    connect_timeout_s: float = Field(
        default=10.0, gt=0, description="bound on opening a connection, handshake included"
    )
    statement_timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="bound on each statement, set when a connection opens (no round trip "
        "per call); unset: no bound",
    )
    retry: RetryPolicy = Field(
        default_factory=lambda: RetryPolicy(attempts=2, budget_s=10.0, initial_backoff_s=0.05),
        description="retry of reads outside a transaction on retryable errors "
        "(RETRY__ATTEMPTS=1 turns it off); writes are never retried",
    )
    stream_batch_size: int = Field(default=1000, ge=1)
    slow_statement_ms: float = Field(
        default=1000.0, ge=0, description="log slower statements as warnings"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["console", "json"] = "console"
    row_shape: Literal["tuple", "dict", "named"] = Field(
        default="tuple", description="how rows come back unless a call says otherwise"
    )
    auth_adapter: str | None = Field(
        default=None,
        description="auth adapter name (e.g. ldap); setting it makes every operation need "
        "a principal with the right permission",
    )
    auth_user: str | None = Field(default=None, description="who acts, for the CLI's sign-in")

    # The active profile's tables for adapters' own settings ([profiles.NAME.<section>]).
    _sections: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _remember_secrets(self) -> DatabaseSettings:
        if self.password is None and self.password_file is not None:
            object.__setattr__(self, "password", SecretStr(_read_password(self.password_file)))
        if self.password is not None:
            register_secret(self.password.get_secret_value())
        if self.url is not None and self.url_alias() is None:
            self.database_url()  # validates early and registers the URL's password
        return self

    def url_alias(self) -> str | None:
        """`url` when it is an alias (no `://`) for a plugin's `resolve_dsn` to resolve."""
        if self.url is None or "://" in self.url.get_secret_value():
            return None
        if is_oracle_dsn(self.url.get_secret_value()):
            return None
        return self.url.get_secret_value()

    def with_url(self, url: str) -> DatabaseSettings:
        """A copy with `url` replaced (validated, its password registered for redaction)."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        copy = type(self)(**{**values, "url": url})
        copy._sections = self._sections
        return copy

    def section(self, name: str) -> dict[str, Any]:
        """The active profile's `[profiles.NAME.<name>]` table (empty without one)."""
        return dict(self._sections.get(name, {}))

    def database_url(self) -> DatabaseUrl:
        """The effective URL: `url`, else one built from the discrete fields, else SQLite."""
        if self.url is not None:
            if is_oracle_dsn(self.url.get_secret_value()):  # Easy Connect or descriptor
                return DatabaseUrl.from_oracle_dsn(
                    self.url.get_secret_value(), username=self.user, password=self.password
                )
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
        data = self.model_dump(mode="json", exclude={"url", "password", "password_file"})
        data["password_file"] = str(self.password_file) if self.password_file else None
        alias = self.url_alias()
        data["url"] = mask_credentials(alias) if alias else self.database_url().render()
        data["password"] = "***" if self.password is not None else None
        return data


def _read_password(path: Path) -> str:
    """The first line of `path`; a missing or unreadable file is a configuration error."""
    try:
        return path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        problem = f"{type(exc).__name__}: {exc.strerror if isinstance(exc, OSError) else exc}"
    raise DbError(ErrorKind.CONFIGURATION, f"cannot read the password file {path} ({problem})")


class AdapterSettings(BaseSettings):
    """Base of an adapter's (or plugin's) own settings model.

    Give it `model_config = adapter_settings_config("ldap")`: its fields then come from
    `FLEXT_DB_ORACLE_LDAP_*` variables and from the `[profiles.NAME.ldap]` table of the
    active profile (which wins, as the profile wins over variables for the core).
    """

    model_config = SettingsConfigDict(frozen=True, extra="forbid")


def adapter_settings_config(section: str) -> SettingsConfigDict:
    """The settings config of an `AdapterSettings` model for `section`."""
    return SettingsConfigDict(
        env_prefix=f"{ENV_PREFIX}{section.upper()}_",
        env_nested_delimiter="__",
        frozen=True,
        extra="forbid",
    )


def section_of(model: type[BaseModel]) -> str:
    """The section name of an `AdapterSettings` model (its env prefix, lower case)."""
    prefix = str(model.model_config.get("env_prefix", ""))
    return prefix.removeprefix(ENV_PREFIX).rstrip("_").lower()


_M = TypeVar("_M", bound=BaseModel)


def load_adapter_settings(model: type[_M], settings: DatabaseSettings) -> _M:
    """`model` from its variables and the active profile's table; a bad value is a
    `configuration` error naming the variable, never showing a secret."""
    section = section_of(model)
    try:
        return model(**settings.section(section))
    except ValueError as exc:
        problem = _first_error(exc)
    # Raised outside the handler: the validation error, whose text may quote a secret,
    # must not ride along as the DbError's __context__.
    prefix = f"{ENV_PREFIX}{section.upper()}_"
    raise DbError(ErrorKind.CONFIGURATION, f"invalid {section} settings ({prefix}*): {problem}")


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
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DbError(ErrorKind.CONFIGURATION, f"cannot read profiles file {path}: {exc}") from None
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise DbError(
            ErrorKind.CONFIGURATION, f"{path}: 'profiles' must be a table of [profiles.NAME]"
        )
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise DbError(
            ErrorKind.CONFIGURATION, f"no profile {name!r} in {path} (profiles there: {known})"
        )
    profile = profiles[name]
    if not isinstance(profile, dict):
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"{path}: profiles.{name} must be a table ([profiles.{name}]), not a value",
        )
    return profile


def load_settings(
    *, profile: str | None = None, profiles_file: Path | None = None, **overrides: Any
) -> DatabaseSettings:
    """Settings from the environment, overlaid by a profile, overlaid by `overrides`."""
    values: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    source = ""
    if profile:
        source = f" (profile {profile!r} in {profiles_file or find_profiles_file()})"
        for key, value in load_profile(profile, profiles_file).items():
            # A table that is no core field is an adapter's section ([profiles.NAME.ldap]).
            if isinstance(value, dict) and key not in DatabaseSettings.model_fields:
                sections[key] = value
            else:
                values[key] = value
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        settings = DatabaseSettings(**values)
    except DbError:
        raise
    except ValueError as exc:
        problem = _first_error(exc)
    else:
        settings._sections = sections
        return settings
    # Raised outside the handler: the validation error, whose text may quote a secret,
    # must not ride along as the DbError's __context__.
    raise DbError(ErrorKind.CONFIGURATION, f"invalid settings{source}: {problem}")


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc)
