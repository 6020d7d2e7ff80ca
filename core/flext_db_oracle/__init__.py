"""flext-db-oracle: typed, pluggable access to Oracle databases and Oracle cloud products.

The names most applications need are importable from here. They load on first
use, so that importing the package (the CLI does, for `--help`) costs nothing
until a name is needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    from flext_db_oracle.api import FlextDbOracleApi
    from flext_db_oracle.container import DbContainer
    from flext_db_oracle.errors import DbError, ErrorKind
    from flext_db_oracle.models import (
        BatchOutcome,
        Column,
        Credentials,
        ExecuteOutcome,
        ForeignKey,
        Index,
        Permission,
        PoolStats,
        PrimaryKey,
        Principal,
        QueryResult,
        ReadRequest,
        RowFailure,
        SequenceInfo,
        ServerInfo,
        SourceRef,
        SynonymInfo,
        TableKind,
        TableMetadata,
        TableRef,
        TypeFamily,
    )
    from flext_db_oracle.ports import OutBind
    from flext_db_oracle.settings import (
        AdapterSettings,
        DatabaseSettings,
        PoolSettings,
        adapter_settings_config,
        load_settings,
    )
    from flext_db_oracle.urls import DatabaseUrl

_EXPORTS = {
    "FlextDbOracleApi": "api",
    "DbContainer": "container",
    "DbError": "errors",
    "ErrorKind": "errors",
    "OutBind": "ports",
    "AdapterSettings": "settings",
    "DatabaseSettings": "settings",
    "PoolSettings": "settings",
    "adapter_settings_config": "settings",
    "load_settings": "settings",
    "DatabaseUrl": "urls",
    **dict.fromkeys(
        (
            "BatchOutcome",
            "Column",
            "Credentials",
            "ExecuteOutcome",
            "ForeignKey",
            "Index",
            "Permission",
            "PoolStats",
            "PrimaryKey",
            "Principal",
            "QueryResult",
            "ReadRequest",
            "RowFailure",
            "SequenceInfo",
            "ServerInfo",
            "SourceRef",
            "SynonymInfo",
            "TableKind",
            "TableMetadata",
            "TableRef",
            "TypeFamily",
        ),
        "models",
    ),
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'flext_db_oracle' has no attribute {name!r}")
    value = getattr(import_module(f"flext_db_oracle.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AdapterSettings",
    "BatchOutcome",
    "Column",
    "Credentials",
    "DatabaseSettings",
    "DatabaseUrl",
    "DbContainer",
    "DbError",
    "ErrorKind",
    "ExecuteOutcome",
    "FlextDbOracleApi",
    "ForeignKey",
    "Index",
    "OutBind",
    "Permission",
    "PoolSettings",
    "PoolStats",
    "PrimaryKey",
    "Principal",
    "QueryResult",
    "ReadRequest",
    "RowFailure",
    "SequenceInfo",
    "ServerInfo",
    "SourceRef",
    "SynonymInfo",
    "TableKind",
    "TableMetadata",
    "TableRef",
    "TypeFamily",
    "adapter_settings_config",
    "hookimpl",
    "load_settings",
]
