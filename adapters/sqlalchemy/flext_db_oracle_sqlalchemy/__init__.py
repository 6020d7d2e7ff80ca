"""SQLAlchemy 2 Core adapter: the connection, query and schema ports for any SQLAlchemy URL."""

from flext_db_oracle_sqlalchemy.adapter import ADAPTER_NAME, SqlAlchemyAdapter, create_adapter

__all__ = ["ADAPTER_NAME", "SqlAlchemyAdapter", "create_adapter"]
