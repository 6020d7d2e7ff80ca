"""The ports: what the core needs from the outside, as small Protocols.

Every operation returns `returns.result.Result[T, DbError]`; adapters implement
them and are found through the `register_adapters` hook.
"""

from flext_db_oracle.ports.adapter import DatabaseAdapter, DatabaseAdapterFactory
from flext_db_oracle.ports.auth import AuthPort
from flext_db_oracle.ports.connection import ConnectionPort
from flext_db_oracle.ports.query import Params, QueryPort, RowStream
from flext_db_oracle.ports.schema import SchemaPort

__all__ = [
    "AuthPort",
    "ConnectionPort",
    "DatabaseAdapter",
    "DatabaseAdapterFactory",
    "Params",
    "QueryPort",
    "RowStream",
    "SchemaPort",
]
