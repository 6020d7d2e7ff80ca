"""What every command shares: the common options' values and the facade they configure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec, TypeVar

import click
import pluggy
from dependency_injector import providers
from returns.result import Failure, Result

from flext_db_oracle.api import FlextDbOracleApi
from flext_db_oracle.cli.output import Format
from flext_db_oracle.errors import DbError
from flext_db_oracle.logs import configure_logging
from flext_db_oracle.settings import DatabaseSettings, load_settings

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")


@dataclass
class CliContext:
    """Filled by the common options (root or command level, the later wins)."""

    plugin_manager: pluggy.PluginManager
    url: str | None = None
    profile: str | None = None
    format: Format = "table"
    verbose: int = 0
    _api: FlextDbOracleApi | None = field(default=None, repr=False)

    def settings(self) -> DatabaseSettings:
        return load_settings(profile=self.profile, url=self.url)

    def api(self) -> FlextDbOracleApi:
        """The facade for the chosen URL/profile, built once per invocation.

        Logging is set up here, once every option (root or command level) is known:
        `-vv` means debug, otherwise the `log_level`/`log_format` settings apply.
        """
        if self._api is None:
            settings = self.settings()
            level = "DEBUG" if self.verbose >= 2 else settings.log_level
            configure_logging(level=level, fmt=settings.log_format)
            api = FlextDbOracleApi.from_settings(settings)
            api.container.plugin_manager.override(providers.Object(self.plugin_manager))
            self._api = api
        return self._api

    def shown_url(self) -> str:
        """The URL in use (aliases resolved), password masked."""
        return self.api().container.resolved_settings().database_url().render()

    def close(self) -> None:
        if self._api is not None:
            self._api.disconnect()
            self._api = None

    def unwrap(self, result: Result[_T, DbError]) -> _T:
        """The value, or raise the `DbError` for `main` to print as one line (exit 1)."""
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
