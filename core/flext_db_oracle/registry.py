"""The adapter registry: adapter factories by kind and name, filled by plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.ports import DatabaseAdapterFactory
from flext_db_oracle.urls import DatabaseUrl

AdapterKind = Literal["database", "auth"]
ANY_SCHEME = "*"


@dataclass(frozen=True)
class AdapterEntry:
    kind: AdapterKind
    name: str
    factory: Callable[..., Any]
    schemes: tuple[str, ...]
    description: str
    plugin: str


@dataclass
class AdapterRegistry:
    """Adapter factories by (kind, name). Plugins add to it in `register_adapters`."""

    _entries: dict[tuple[AdapterKind, str], AdapterEntry] = field(default_factory=dict)
    _current_plugin: str = "<by hand>"

    def add_database(
        self,
        name: str,
        factory: DatabaseAdapterFactory,
        *,
        schemes: tuple[str, ...] = (),
        description: str = "",
    ) -> None:
        """Register a database adapter.

        `schemes` are the URL schemes it serves (`postgresql`, `oracle`); `"*"`
        makes it the fallback for any scheme no other adapter claims.
        """
        self._add("database", name, factory, schemes, description)

    def add_auth(self, name: str, factory: Callable[..., Any], *, description: str = "") -> None:
        self._add("auth", name, factory, (), description)

    def _add(
        self,
        kind: AdapterKind,
        name: str,
        factory: Callable[..., Any],
        schemes: tuple[str, ...],
        description: str,
    ) -> None:
        key = (kind, name)
        if key in self._entries:
            other = self._entries[key].plugin
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"{kind} adapter {name!r} registered twice (by {other} and {self._current_plugin})",
            )
        self._entries[key] = AdapterEntry(
            kind,
            name,
            factory,
            tuple(s.lower() for s in schemes),
            description,
            self._current_plugin,
        )

    def registering_for(self, plugin: str) -> AdapterRegistry:
        """Attribute what follows to `plugin` (used by the plugin manager)."""
        self._current_plugin = plugin
        return self

    def __iter__(self) -> Iterator[AdapterEntry]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.kind, e.name)))

    def names(self, kind: AdapterKind) -> list[str]:
        return sorted(name for (k, name) in self._entries if k == kind)

    def get(self, kind: AdapterKind, name: str) -> AdapterEntry:
        entry = self._entries.get((kind, name))
        if entry is None:
            known = ", ".join(self.names(kind)) or "none (is any adapter installed?)"
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"unknown {kind} adapter {name!r}; installed: {known}",
                detail={"adapter": name},
            )
        return entry

    def for_url(self, url: DatabaseUrl) -> AdapterEntry:
        """The database adapter serving `url`'s scheme; a `"*"` adapter is the fallback."""
        candidates = [e for e in self._entries.values() if e.kind == "database"]
        for entry in sorted(candidates, key=lambda e: e.name):
            if url.backend in entry.schemes or url.scheme.lower() in entry.schemes:
                return entry
        fallback = [e for e in sorted(candidates, key=lambda e: e.name) if ANY_SCHEME in e.schemes]
        if fallback:
            return fallback[0]
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"no installed adapter serves URL scheme {url.scheme!r}; "
            f"installed database adapters: {', '.join(self.names('database')) or 'none'}",
        )
