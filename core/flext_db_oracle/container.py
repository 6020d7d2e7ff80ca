"""The composition root: settings, plugins and registry wired to the ports.

A host embeds it with `providers.Container(DbContainer)` and overrides any
provider; tests do the same. The database adapter is a `Resource`, so
`shutdown_resources()` closes its pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pluggy
from dependency_injector import containers, providers

from flext_db_oracle.observability import ObservedQueryPort
from flext_db_oracle.plugins import build_registry, create_plugin_manager
from flext_db_oracle.ports import DatabaseAdapter
from flext_db_oracle.registry import AdapterRegistry
from flext_db_oracle.settings import DatabaseSettings, load_settings

if TYPE_CHECKING:
    from flext_db_oracle.api import FlextDbOracleApi


def resolve_alias(settings: DatabaseSettings, manager: pluggy.PluginManager) -> DatabaseSettings:
    """Settings whose `url` is an alias get the URL the first `resolve_dsn` hook returns."""
    alias = settings.url_alias()
    if alias is None:
        return settings
    resolved = manager.hook.resolve_dsn(alias=alias)
    return settings if resolved is None else settings.with_url(resolved)


def open_database(
    registry: AdapterRegistry, settings: DatabaseSettings
) -> Iterator[DatabaseAdapter]:
    """Build the configured adapter (by name, else by URL scheme); close its pool at shutdown."""
    entry = (
        registry.get("database", settings.adapter)
        if settings.adapter
        else registry.for_url(settings.database_url())
    )
    adapter: DatabaseAdapter = entry.factory(settings)
    try:
        yield adapter
    finally:
        adapter.connection.close()


def make_api(container: DbContainer) -> FlextDbOracleApi:
    """The facade over `container` (imported here: the facade module imports this one)."""
    from flext_db_oracle.api import FlextDbOracleApi

    return FlextDbOracleApi(container)


class DbContainer(containers.DeclarativeContainer):
    """Providers, from settings to facade. Override any of them to swap a piece."""

    __self__ = providers.Self()

    settings = providers.Singleton(load_settings)
    plugin_manager = providers.Singleton(create_plugin_manager)
    registry = providers.Singleton(build_registry, plugin_manager)

    # A Factory: the Resource calls it once per (re)connect, so overriding
    # `settings` between disconnect() and connect() takes effect.
    resolved_settings = providers.Factory(resolve_alias, settings, plugin_manager)

    database = providers.Resource(open_database, registry=registry, settings=resolved_settings)
    connection = providers.Factory(lambda adapter: adapter.connection, database)
    schema = providers.Factory(lambda adapter: adapter.schema, database)
    query = providers.Factory(
        ObservedQueryPort,
        inner=database.provided.query,
        hook=plugin_manager.provided.hook,
        slow_statement_ms=settings.provided.slow_statement_ms,
    )

    api = providers.Factory(make_api, __self__)
