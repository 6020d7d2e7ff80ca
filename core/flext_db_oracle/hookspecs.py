"""Every hook a plugin can implement, grouped by phase.

Implement them in a module and point an entry point of the group
`flext_db_oracle` at it; decorate each function with `flext_db_oracle.hookimpl`.
Built-in adapters and commands use exactly these hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click
    from pydantic import BaseModel

    from flext_db_oracle.errors import DbError
    from flext_db_oracle.observability import StatementContext, StatementOutcome
    from flext_db_oracle.registry import AdapterRegistry

PROJECT_NAME = "flext_db_oracle"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --- start-up: what a plugin contributes ----------------------------------------


@hookspec
def register_adapters(registry: AdapterRegistry) -> None:
    """Add adapter factories to `registry` (`registry.add_database(...)`)."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands or command groups to the `flext-db-oracle` CLI root.

    Every command added here gets the common options (`--url`, `--profile`,
    `--format`, `-v`) and reaches the configured facade through
    `flext_db_oracle.cli.context.CliContext`.
    """


@hookspec
def register_settings() -> type[BaseModel] | None:
    """Return the plugin's settings model; `flext-db-oracle config` shows its values.

    Use a `pydantic_settings.BaseSettings` subclass with its own env prefix,
    e.g. `FLEXT_DB_ORACLE_MYPLUGIN_`.
    """


@hookspec(firstresult=True)
def resolve_dsn(alias: str) -> str | None:
    """Turn a connection alias into a URL (naming services such as LDAP); first answer wins."""


# --- per statement: observability and policy ------------------------------------


@hookspec
def before_execute(context: StatementContext) -> None:
    """Called before each statement. Raise `DbError` to refuse it (policy)."""


@hookspec
def after_execute(context: StatementContext, outcome: StatementOutcome) -> None:
    """Called after each statement that succeeded, with its duration and row count."""


@hookspec
def on_error(context: StatementContext, error: DbError) -> None:
    """Called after each statement that failed, with the mapped error."""
