"""The plugin manager: entry-point discovery, registration by hand, introspection.

Every adapter and command, built-in or third-party, arrives through an entry
point in the group `flext_db_oracle`. `FLEXT_DB_ORACLE_DISABLE_AUTOLOAD=1` turns
off third-party plugins: the entry points of this project's own distributions
(`flext-db-oracle*`) still load, the same way, so the built-in commands and the
shipped adapters are always there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any

import pluggy

from flext_db_oracle import hookspecs
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.registry import AdapterRegistry

if TYPE_CHECKING:
    from pydantic import BaseModel

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
DISABLE_AUTOLOAD_ENV = "FLEXT_DB_ORACLE_DISABLE_AUTOLOAD"
FIRST_PARTY_PREFIX = "flext-db-oracle"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering which distribution each entry point came from."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self.distributions: dict[str, metadata.Distribution] = {}

    def load_entry_points(self, *, third_party: bool) -> None:
        """Register the group's entry points: this project's own always, others when
        `third_party`. A plugin that fails to import is a configuration error naming it."""
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = entry_point.dist
            dist_name = (dist.metadata["name"] or "") if dist is not None else ""
            first_party = dist_name.lower().startswith(FIRST_PARTY_PREFIX)
            if not (first_party or third_party):
                continue
            if self.get_plugin(entry_point.name) is not None or self.is_blocked(entry_point.name):
                continue
            try:
                plugin = entry_point.load()
            except Exception as exc:  # a broken plugin must be named, not crash us
                raise DbError(
                    ErrorKind.CONFIGURATION,
                    f"plugin {entry_point.name!r} ({dist_name or 'unknown distribution'}) "
                    f"failed to load: {type(exc).__name__}: {exc}",
                ) from None
            self.register(plugin, name=entry_point.name)
            if dist is not None:
                self.distributions[entry_point.name] = dist


def autoload_enabled() -> bool:
    return os.environ.get(DISABLE_AUTOLOAD_ENV, "").lower() not in {"1", "true", "yes"}


def create_plugin_manager(
    *, autoload: bool | None = None, plugins: tuple[object, ...] = ()
) -> PluginManager:
    """A manager with the hook specs, the project's own entry points, third-party ones
    unless autoload is off, and `plugins` registered by hand."""
    manager = PluginManager()
    manager.load_entry_points(third_party=autoload_enabled() if autoload is None else autoload)
    for plugin in plugins:
        if not manager.is_registered(plugin):  # a built-in passed by hand: once is enough
            manager.register(plugin)
    return manager


def build_registry(manager: pluggy.PluginManager) -> AdapterRegistry:
    """Ask every plugin for its adapters (through pluggy, one plugin at a time so
    each entry is attributed to the plugin that gave it)."""
    registry = AdapterRegistry()
    for impl in manager.hook.register_adapters.get_hookimpls():
        caller = plugin_caller(manager, "register_adapters", impl.plugin)
        caller(registry=registry.registering_for(impl.plugin_name))
    return registry


def plugin_caller(manager: pluggy.PluginManager, hook: str, plugin: object) -> Any:
    """A hook caller that calls only `plugin`'s implementation, through pluggy (so
    wrappers and tracing still apply)."""
    others = [p for p in manager.get_plugins() if p is not plugin]
    return manager.subset_hook_caller(hook, remove_plugins=others)


def collect_plugin_settings(manager: pluggy.PluginManager) -> dict[str, type[BaseModel]]:
    """Each plugin's settings model (the `register_settings` hook), by plugin name."""
    models: dict[str, type[BaseModel]] = {}
    for impl in manager.hook.register_settings.get_hookimpls():
        answers = plugin_caller(manager, "register_settings", impl.plugin)()
        found = [model for model in answers if model is not None]
        if found:
            models[impl.plugin_name] = found[0]
    return models


@dataclass
class PluginInfo:
    name: str
    distribution: str | None
    version: str | None
    hooks: list[str]
    adapters: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "adapters": self.adapters,
            "commands": self.commands,
            "hooks": self.hooks,
        }


def describe_plugins(
    manager: pluggy.PluginManager,
    registry: AdapterRegistry,
    commands_by_plugin: dict[str, list[str]] | None = None,
) -> list[PluginInfo]:
    """One record per plugin: where it comes from and what it registered."""
    distributions = getattr(manager, "distributions", {})
    infos: dict[str, PluginInfo] = {}
    for plugin in manager.get_plugins():
        name = manager.get_name(plugin) or repr(plugin)
        dist = distributions.get(name)
        infos[name] = PluginInfo(
            name=name,
            distribution=dist.metadata["name"] if dist is not None else None,
            version=dist.version if dist is not None else None,
            hooks=sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()),
        )
    for entry in registry:
        if entry.plugin in infos:
            infos[entry.plugin].adapters.append(f"{entry.kind}:{entry.name}")
    for plugin_name, commands in (commands_by_plugin or {}).items():
        if plugin_name in infos:
            infos[plugin_name].commands.extend(commands)
    return sorted(infos.values(), key=lambda info: info.name)
