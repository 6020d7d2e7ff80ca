"""The ports: what the core needs from the outside, as small Protocols.

Every operation returns `returns.result.Result[T, DbError]`; adapters implement
them and are found through the `register_adapters` hook. Each adapter kind has
its factory protocol beside its port.
"""

from flext_db_oracle.ports.adapter import DatabaseAdapter, DatabaseAdapterFactory
from flext_db_oracle.ports.aio import (
    AsyncConnectionPort,
    AsyncDatabaseAdapter,
    AsyncQueryPort,
    AsyncRowStream,
    AsyncSchemaPort,
)
from flext_db_oracle.ports.auth import AuthAdapterFactory, AuthPort
from flext_db_oracle.ports.connection import ConnectionPort
from flext_db_oracle.ports.query import (
    BatchErrorMode,
    OutBind,
    Params,
    QueryPort,
    RowShape,
    RowStream,
    TransactionState,
)
from flext_db_oracle.ports.records import RecordSourceFactory, RecordSourcePort
from flext_db_oracle.ports.schema import SchemaPort

__all__ = [
    "AsyncConnectionPort",
    "AsyncDatabaseAdapter",
    "AsyncQueryPort",
    "AsyncRowStream",
    "AsyncSchemaPort",
    "AuthAdapterFactory",
    "AuthPort",
    "BatchErrorMode",
    "ConnectionPort",
    "DatabaseAdapter",
    "DatabaseAdapterFactory",
    "OutBind",
    "Params",
    "QueryPort",
    "RecordSourceFactory",
    "RecordSourcePort",
    "RowShape",
    "RowStream",
    "SchemaPort",
    "TransactionState",
]
