from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from flext_db_oracle.ports.connection import ConnectionPort
from flext_db_oracle.ports.query import QueryPort
from flext_db_oracle.ports.schema import SchemaPort

if TYPE_CHECKING:
    from flext_db_oracle.settings import DatabaseSettings


class DatabaseAdapter(Protocol):
    """One configured backend: the three database ports over one pool."""

    name: str
    connection: ConnectionPort
    query: QueryPort
    schema: SchemaPort


class DatabaseAdapterFactory(Protocol):
    """Builds an adapter from the core settings and the adapter's own settings model
    (an instance of the model it registered, or None). Must not touch the network:
    pools open lazily."""

    def __call__(self, settings: DatabaseSettings, own: Any) -> DatabaseAdapter: ...
