"""The connection port: ping, server description, pool statistics, shutdown."""

from __future__ import annotations

import time

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import PoolStats, ServerInfo
from returns.result import Failure, Result, Success
from sqlalchemy import Engine, literal, select
from sqlalchemy.exc import SQLAlchemyError

from flext_db_oracle_sqlalchemy.errors import ADAPTER, to_db_error

_PRODUCTS = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite", "oracle": "Oracle"}


class SqlAlchemyConnection:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def ping(self) -> Result[ServerInfo, DbError]:
        try:
            started = time.perf_counter()
            with self._engine.connect() as connection:
                connection.execute(select(literal(1)))  # renders FROM DUAL where needed
            latency_ms = (time.perf_counter() - started) * 1000
        except SQLAlchemyError as exc:
            return Failure(to_db_error(exc))
        dialect = self._engine.dialect
        product = (
            "MariaDB"
            if getattr(dialect, "is_mariadb", False)
            else _PRODUCTS.get(dialect.name, dialect.name)
        )
        version = ".".join(str(part) for part in dialect.server_version_info or ())
        return Success(
            ServerInfo(
                adapter=ADAPTER,
                dialect=f"{dialect.name}+{dialect.driver}",
                product=product,
                version=version or "unknown",
                database=self._engine.url.database,
                latency_ms=round(latency_ms, 3),
            )
        )

    def pool_stats(self) -> Result[PoolStats, DbError]:
        pool = self._engine.pool
        # QueuePool reports sizes; other pools (SQLite in memory) only describe themselves.
        size = getattr(pool, "size", None)
        checked_out = getattr(pool, "checkedout", None)
        overflow = getattr(pool, "overflow", None)
        return Success(
            PoolStats(
                size=size() if callable(size) else 0,
                checked_out=checked_out() if callable(checked_out) else 0,
                # QueuePool counts overflow from -size up; only positive values are overflow.
                overflow=max(0, overflow()) if callable(overflow) else 0,
                description=pool.status(),
            )
        )

    def close(self) -> Result[None, DbError]:
        self._engine.dispose()
        return Success(None)
