"""The composition root: settings, plugins and registry wired to the adapters.

A host embeds it with `providers.Container(DbContainer)` and overrides any
provider, then builds the facade over it: `FlextDbOracleApi(container)`.
Adapters are `Resource`s, so `shutdown_resources()` closes their pools and
clients. The container knows nothing of the facade.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pluggy
from dependency_injector import containers, providers

from flext_db_oracle.observability import StatementHooks
from flext_db_oracle.plugins import build_registry, create_plugin_manager
from flext_db_oracle.ports import AuthPort, DatabaseAdapter, RecordSourcePort
from flext_db_oracle.registry import AUTH, DATABASE, RECORD_SOURCE, AdapterEntry, AdapterRegistry
from flext_db_oracle.settings import DatabaseSettings, load_adapter_settings, load_settings


def resolve_alias(settings: DatabaseSettings, manager: pluggy.PluginManager) -> DatabaseSettings:
    """Settings whose `url` is an alias get the URL the first `resolve_dsn` hook returns."""
    alias = settings.url_alias()
    if alias is None:
        return settings
    resolved = manager.hook.resolve_dsn(alias=alias)
    return settings if resolved is None else settings.with_url(resolved)


def build_adapter(entry: AdapterEntry, settings: DatabaseSettings) -> Any:
    """`entry`'s factory called with the core settings and its own settings model."""
    own = (
        load_adapter_settings(entry.settings_model, settings)
        if entry.settings_model is not None
        else None
    )
    return entry.factory(settings, own)


def open_database(
    registry: AdapterRegistry, settings: DatabaseSettings
) -> Iterator[DatabaseAdapter]:
    """Build the configured adapter (by name, else by URL scheme); close its pool at shutdown."""
    entry = (
        registry.get(DATABASE, settings.adapter)
        if settings.adapter
        else registry.for_url(settings.database_url())
    )
    adapter: DatabaseAdapter = build_adapter(entry, settings)
    try:
        yield adapter
    finally:
        adapter.connection.close()


def open_auth(registry: AdapterRegistry, settings: DatabaseSettings) -> Iterator[AuthPort | None]:
    """The auth adapter named by `auth_adapter`, or None when auth is not configured."""
    if not settings.auth_adapter:
        yield None
        return
    port: AuthPort = build_adapter(registry.get(AUTH, settings.auth_adapter), settings)
    try:
        yield port
    finally:
        port.close()


class RecordSources:
    """Record-source adapters by name, each built on first use and closed at shutdown."""

    def __init__(self, registry: AdapterRegistry, settings: DatabaseSettings) -> None:
        self._registry = registry
        self._settings = settings
        self._open: dict[str, RecordSourcePort] = {}

    def get(self, name: str) -> RecordSourcePort:
        if name not in self._open:
            self._open[name] = build_adapter(
                self._registry.get(RECORD_SOURCE, name), self._settings
            )
        return self._open[name]

    def names(self) -> list[str]:
        return self._registry.names(RECORD_SOURCE)

    def close(self) -> None:
        for port in self._open.values():
            port.close()
        self._open.clear()


def open_record_sources(
    registry: AdapterRegistry, settings: DatabaseSettings
) -> Iterator[RecordSources]:
    sources = RecordSources(registry, settings)
    try:
        yield sources
    finally:
        sources.close()


class Lifecycle:
    """Counts shutdowns, so facades over one container know when to resolve again."""

    def __init__(self) -> None:
        self.generation = 0


class DbContainer(containers.DeclarativeContainer):
    """Providers, from settings to adapters. Override any of them to swap a piece."""

    settings = providers.Singleton(load_settings)
    plugin_manager = providers.Singleton(create_plugin_manager)
    registry = providers.Singleton(build_registry, plugin_manager)
    hooks = providers.Singleton(StatementHooks, plugin_manager)
    lifecycle = providers.Singleton(Lifecycle)

    # A Factory: the Resources call it once per (re)connect, so overriding
    # `settings` between disconnect() and connect() takes effect.
    resolved_settings = providers.Factory(resolve_alias, settings, plugin_manager)

    database = providers.Resource(open_database, registry=registry, settings=resolved_settings)
    connection = providers.Factory(lambda adapter: adapter.connection, database)
    schema = providers.Factory(lambda adapter: adapter.schema, database)
    query = providers.Factory(lambda adapter: adapter.query, database)

    auth = providers.Resource(open_auth, registry=registry, settings=resolved_settings)
    record_sources = providers.Resource(
        open_record_sources, registry=registry, settings=resolved_settings
    )
