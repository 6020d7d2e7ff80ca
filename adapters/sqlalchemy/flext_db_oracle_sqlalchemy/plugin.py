"""Entry point of the `flext_db_oracle` group: registers the adapter like any third party."""

from __future__ import annotations

from flext_db_oracle import hookimpl
from flext_db_oracle.registry import ANY_SCHEME, AdapterRegistry

from flext_db_oracle_sqlalchemy.adapter import ADAPTER_NAME, create_adapter


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    registry.add_database(
        ADAPTER_NAME,
        create_adapter,
        schemes=("sqlite", "postgresql", "postgres", "mysql", "mariadb", ANY_SCHEME),
        description=(
            "SQLAlchemy 2 Core: SQLite (embedded default), PostgreSQL, MySQL/MariaDB, any dialect"
        ),
    )
