"""What every command shares: the common options' values and the facade they configure."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import update_wrapper
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, TypeVar

import click
import pluggy

from flext_db_oracle.errors import DbError, ErrorKind

if TYPE_CHECKING:
    from returns.result import Result

    from flext_db_oracle.api import FlextDbOracleApi
    from flext_db_oracle.models import Principal
    from flext_db_oracle.settings import DatabaseSettings

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")
Format = Literal["table", "json", "csv", "jsonl"]


@dataclass
class CliContext:
    """Filled by the common options (root or command level, the later wins).

    Commands reach the database only through `api()`: a facade acting for the
    signed-in principal when an auth adapter is configured.
    """

    plugin_manager: pluggy.PluginManager
    url: str | None = None
    profile: str | None = None
    format: Format = "table"
    verbose: int = 0
    user: str | None = None
    password_stdin: bool = False
    ask_password: bool = False
    _api: FlextDbOracleApi | None = field(default=None, repr=False)
    _password: str | None = field(default=None, repr=False)

    def settings(self) -> DatabaseSettings:
        from flext_db_oracle.settings import load_settings

        if self.ask_password and self._password is None:
            self._password = click.prompt("Database password", hide_input=True, err=True)
        return load_settings(profile=self.profile, url=self.url, password=self._password)

    def api(self) -> FlextDbOracleApi:
        """The facade for the chosen URL/profile, built once per invocation; with auth
        configured, signed in as `--user` (or FLEXT_DB_ORACLE_AUTH_USER) first.

        Logging is set up here, once every option (root or command level) is known:
        `-vv` means debug, otherwise the `log_level`/`log_format` settings apply.
        """
        if self._api is None:
            from flext_db_oracle.api import FlextDbOracleApi
            from flext_db_oracle.logs import configure_logging

            settings = self.settings()
            level = "DEBUG" if self.verbose >= 2 else settings.log_level
            configure_logging(level=level, fmt=settings.log_format)
            api = FlextDbOracleApi.from_settings(settings, plugin_manager=self.plugin_manager)
            if settings.auth_adapter:
                api = api.as_principal(self.sign_in(api, settings))
            self._api = api
        return self._api

    def sign_in(self, api: FlextDbOracleApi, settings: DatabaseSettings) -> Principal:
        """Authenticate `--user` with a password from stdin or a prompt."""
        from pydantic import SecretStr

        from flext_db_oracle.models import Credentials

        user = self.user or settings.auth_user
        if not user:
            raise DbError(
                ErrorKind.AUTHENTICATION,
                f"authentication is configured ({settings.auth_adapter}): give --user NAME "
                "or set FLEXT_DB_ORACLE_AUTH_USER",
            )
        if self.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = click.prompt(f"Password for {user}", hide_input=True, err=True)
        else:
            raise DbError(
                ErrorKind.AUTHENTICATION,
                "no terminal to prompt for the password: use --password-stdin",
            )
        credentials = Credentials(username=user, password=SecretStr(password))
        return self.unwrap(api.authenticate(credentials))

    def shown_url(self) -> str:
        """The URL in use (aliases resolved), password masked."""
        return self.api().runtime.shown_url

    def close(self) -> None:
        if self._api is not None:
            self._api.disconnect()
            self._api = None

    def unwrap(self, result: Result[_T, DbError]) -> _T:
        """The value, or raise the `DbError` for `main` to print as one line (exit 1)."""
        from returns.result import Failure

        if isinstance(result, Failure):
            raise result.failure()
        return result.unwrap()


def pass_cli(
    function: Callable[Concatenate[CliContext, _P], _R],
) -> Callable[_P, _R]:
    """Decorator for commands (plugins' too): receive the `CliContext` first."""

    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return function(current(), *args, **kwargs)

    return update_wrapper(wrapper, function)


def current() -> CliContext:
    context: Any = click.get_current_context().find_root().obj
    if not isinstance(context, CliContext):
        raise click.UsageError("flext-db-oracle commands must run under the flext-db-oracle root")
    return context
