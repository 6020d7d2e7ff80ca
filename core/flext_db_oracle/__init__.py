"""flext-db-oracle: typed, pluggable access to Oracle databases and Oracle cloud products.

The names most applications need are importable from here.
"""

from flext_db_oracle.api import FlextDbOracleApi
from flext_db_oracle.container import DbContainer
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.hookspecs import hookimpl
from flext_db_oracle.models import (
    BatchOutcome,
    Column,
    ExecuteOutcome,
    ForeignKey,
    Index,
    PoolStats,
    PrimaryKey,
    QueryResult,
    RowFailure,
    ServerInfo,
    TableKind,
    TableMetadata,
    TableRef,
)
from flext_db_oracle.settings import DatabaseSettings, PoolSettings, load_settings
from flext_db_oracle.urls import DatabaseUrl

__all__ = [
    "BatchOutcome",
    "Column",
    "DatabaseSettings",
    "DatabaseUrl",
    "DbContainer",
    "DbError",
    "ErrorKind",
    "ExecuteOutcome",
    "FlextDbOracleApi",
    "ForeignKey",
    "Index",
    "PoolSettings",
    "PoolStats",
    "PrimaryKey",
    "QueryResult",
    "RowFailure",
    "ServerInfo",
    "TableKind",
    "TableMetadata",
    "TableRef",
    "hookimpl",
    "load_settings",
]
