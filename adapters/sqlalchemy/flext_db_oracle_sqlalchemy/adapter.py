"""The adapter bundle: one engine (one pool) shared by the three ports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flext_db_oracle.ports import ConnectionPort, QueryPort, SchemaPort
from flext_db_oracle.settings import DatabaseSettings
from sqlalchemy import Engine

from flext_db_oracle_sqlalchemy.connection import SqlAlchemyConnection
from flext_db_oracle_sqlalchemy.engine import build_engine
from flext_db_oracle_sqlalchemy.errors import ADAPTER
from flext_db_oracle_sqlalchemy.query import SqlAlchemyQuery
from flext_db_oracle_sqlalchemy.schema import SqlAlchemySchema
from flext_db_oracle_sqlalchemy.warm import IDLE_S, WarmConnections

ADAPTER_NAME = ADAPTER


@dataclass
class SqlAlchemyAdapter:
    engine: Engine
    # Typed as the ports, so that the bundle satisfies `DatabaseAdapter` (whose
    # members are plain attributes: settable, hence invariant, and not frozen).
    connection: ConnectionPort
    query: QueryPort
    schema: SchemaPort
    name: str = ADAPTER_NAME


def create_adapter(settings: DatabaseSettings, own: Any = None) -> SqlAlchemyAdapter:
    """Build the adapter; the engine connects lazily, on first use. The adapter has
    no settings of its own (`own` is None)."""
    del own
    engine, autocommit = build_engine(settings)
    # With pre-ping asked for, every call goes through SQLAlchemy's checkout (and its ping).
    warm = WarmConnections(engine.pool, idle_s=0 if settings.pool.pre_ping else IDLE_S)
    return SqlAlchemyAdapter(
        engine=engine,
        connection=SqlAlchemyConnection(engine, warm),
        query=SqlAlchemyQuery(engine, warm, autocommit=autocommit),
        schema=SqlAlchemySchema(engine, warm),
    )
