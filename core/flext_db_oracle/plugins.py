"""The plugin manager: entry-point discovery, registration by hand, introspection.

Every adapter and command, built-in or third-party, arrives through an entry
point in the group `flext_db_oracle`. Set `FLEXT_DB_ORACLE_DISABLE_AUTOLOAD=1`
to load none (tests and embeddings then call `register` themselves).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pluggy
from pydantic import BaseModel

from flext_db_oracle import hookspecs
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.registry import AdapterRegistry

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
DISABLE_AUTOLOAD_ENV = "FLEXT_DB_ORACLE_DISABLE_AUTOLOAD"


def create_plugin_manager(
    *, autoload: bool | None = None, plugins: tuple[object, ...] = ()
) -> pluggy.PluginManager:
    """A manager with the hook specs, entry-point plugins (unless disabled) and `plugins`."""
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    if autoload is None:
        autoload = os.environ.get(DISABLE_AUTOLOAD_ENV, "").lower() not in {"1", "true", "yes"}
    if autoload:
        try:
            manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken third-party plugin must be named, not crash us
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"a plugin of group {ENTRY_POINT_GROUP!r} failed to load: {exc}",
            ) from exc
    for plugin in plugins:
        manager.register(plugin)
    return manager


def build_registry(manager: pluggy.PluginManager) -> AdapterRegistry:
    """Ask every plugin for its adapters, remembering which plugin gave which."""
    registry = AdapterRegistry()
    for impl in manager.hook.register_adapters.get_hookimpls():
        impl.function(registry=registry.registering_for(impl.plugin_name))
    return registry


def collect_plugin_settings(manager: pluggy.PluginManager) -> dict[str, BaseModel]:
    """Each plugin's settings model, instantiated from the environment."""
    models: dict[str, BaseModel] = {}
    for impl in manager.hook.register_settings.get_hookimpls():
        model: type[BaseModel] | None = impl.function()  # type: ignore[assignment]
        if model is not None:
            models[impl.plugin_name] = model()
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
    distributions = {
        manager.get_name(plugin): dist for plugin, dist in manager.list_plugin_distinfo()
    }
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
