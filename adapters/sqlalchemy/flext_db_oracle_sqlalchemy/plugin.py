"""Entry point of the `flext_db_oracle` group: registers the adapter like any third party.

Kept light: SQLAlchemy and the drivers are imported when the adapter is built,
not when the plugin is discovered (`flext-db-oracle --help` imports neither).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    from flext_db_oracle.ports import DatabaseAdapter
    from flext_db_oracle.registry import AdapterRegistry
    from flext_db_oracle.settings import DatabaseSettings

ADAPTER_NAME = "sqlalchemy"


def create_adapter(settings: DatabaseSettings, own: Any) -> DatabaseAdapter:
    from flext_db_oracle_sqlalchemy.adapter import create_adapter as build

    return build(settings, own)


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    registry.add_database(
        ADAPTER_NAME,
        create_adapter,
        # `oracle` only as SQLAlchemy's own dialect URL; plain oracle:// belongs to
        # the Oracle adapters, which claim it with a higher priority.
        schemes=("sqlite", "postgresql", "postgres", "mysql", "mariadb", "oracle+oracledb", "*"),
        description=(
            "SQLAlchemy 2 Core: SQLite (embedded default), PostgreSQL, MySQL/MariaDB, any dialect"
        ),
    )
