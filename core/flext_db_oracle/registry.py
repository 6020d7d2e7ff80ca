"""The adapter registry: adapter factories by kind and name, filled by plugins.

Kinds are open: `database`, `auth` and `record_source` are the core's, and a plugin
may name its own. Each entry carries its factory, the URL schemes it claims with a
priority, and the adapter's own settings model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flext_db_oracle.errors import DbError, ErrorKind

if TYPE_CHECKING:  # kept light: plugin discovery (and `--help`) imports this module
    from pydantic import BaseModel

    from flext_db_oracle.ports import (
        AuthAdapterFactory,
        DatabaseAdapterFactory,
        RecordSourceFactory,
    )
    from flext_db_oracle.urls import DatabaseUrl

DATABASE = "database"
AUTH = "auth"
RECORD_SOURCE = "record_source"
ANY_SCHEME = "*"


@dataclass(frozen=True)
class AdapterEntry:
    kind: str
    name: str
    factory: Callable[..., Any]
    schemes: tuple[str, ...]
    priority: int
    settings_model: type[BaseModel] | None
    description: str
    plugin: str


@dataclass
class AdapterRegistry:
    """Adapter factories by (kind, name). Plugins add to it in `register_adapters`."""

    _entries: dict[tuple[str, str], AdapterEntry] = field(default_factory=dict)
    _current_plugin: str = "<by hand>"

    def add(
        self,
        kind: str,
        name: str,
        factory: Callable[..., Any],
        *,
        schemes: tuple[str, ...] = (),
        priority: int = 0,
        settings: type[BaseModel] | None = None,
        description: str = "",
    ) -> None:
        """Register an adapter of any kind; `factory(settings, own_settings)` builds it."""
        key = (kind, name)
        if key in self._entries:
            other = self._entries[key].plugin
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"{kind} adapter {name!r} registered twice (by {other} and {self._current_plugin})",
            )
        self._entries[key] = AdapterEntry(
            kind=kind,
            name=name,
            factory=factory,
            schemes=tuple(s.lower() for s in schemes),
            priority=priority,
            settings_model=settings,
            description=description,
            plugin=self._current_plugin,
        )

    def add_database(
        self,
        name: str,
        factory: DatabaseAdapterFactory,
        *,
        schemes: tuple[str, ...] = (),
        priority: int = 0,
        settings: type[BaseModel] | None = None,
        description: str = "",
    ) -> None:
        """Register a database adapter.

        `schemes` are the URL schemes it claims (`postgresql`, `oracle`, or a full
        `oracle+oracledb`); `"*"` makes it the fallback for any scheme nobody claims.
        Where two adapters claim one scheme, the higher `priority` wins.
        """
        self.add(
            DATABASE,
            name,
            factory,
            schemes=schemes,
            priority=priority,
            settings=settings,
            description=description,
        )

    def add_auth(
        self,
        name: str,
        factory: AuthAdapterFactory,
        *,
        settings: type[BaseModel] | None = None,
        description: str = "",
    ) -> None:
        self.add(AUTH, name, factory, settings=settings, description=description)

    def add_record_source(
        self,
        name: str,
        factory: RecordSourceFactory,
        *,
        settings: type[BaseModel] | None = None,
        description: str = "",
    ) -> None:
        self.add(RECORD_SOURCE, name, factory, settings=settings, description=description)

    def registering_for(self, plugin: str) -> AdapterRegistry:
        """Attribute what follows to `plugin` (used by the plugin manager)."""
        self._current_plugin = plugin
        return self

    def __iter__(self) -> Iterator[AdapterEntry]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.kind, e.name)))

    def kinds(self) -> list[str]:
        return sorted({kind for kind, _ in self._entries})

    def names(self, kind: str) -> list[str]:
        return sorted(name for (k, name) in self._entries if k == kind)

    def get(self, kind: str, name: str) -> AdapterEntry:
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
        """The database adapter for `url`.

        In order: `scheme+NAME` where NAME is a database adapter's name; the adapter
        that claims the whole scheme (`oracle+oracledb`); the one that claims the
        scheme before `+` (the highest priority; a tie is a configuration error);
        the `"*"` fallback.
        """
        scheme = url.scheme.lower()
        _, plus, driver = scheme.partition("+")
        if plus and (DATABASE, driver) in self._entries:
            return self._entries[(DATABASE, driver)]
        for claim in dict.fromkeys((scheme, url.backend, ANY_SCHEME)):
            chosen = self._highest(claim)
            if chosen is not None:
                return chosen
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"no installed adapter serves URL scheme {url.scheme!r}; "
            f"installed database adapters: {', '.join(self.names(DATABASE)) or 'none'}",
        )

    def _highest(self, scheme: str) -> AdapterEntry | None:
        claimants = [
            e for e in self._entries.values() if e.kind == DATABASE and scheme in e.schemes
        ]
        if not claimants:
            return None
        best = max(e.priority for e in claimants)
        top = sorted(e.name for e in claimants if e.priority == best)
        if len(top) > 1:
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"adapters {' and '.join(repr(n) for n in top)} both claim URL scheme "
                f"{scheme!r} with priority {best}; choose one with FLEXT_DB_ORACLE_ADAPTER "
                f"or a {scheme}+NAME:// URL",
            )
        return self._entries[(DATABASE, top[0])]
