"""The connection port: ping, server description, pool statistics, shutdown."""

from __future__ import annotations

import time

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError
from flext_db_oracle.models import PoolStats, ServerInfo
from returns.result import Result, Success
from sqlalchemy import Engine, literal, select

from flext_db_oracle_sqlalchemy.errors import ADAPTER, to_db_error
from flext_db_oracle_sqlalchemy.warm import WarmConnections

_PRODUCTS = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite", "oracle": "Oracle"}


class SqlAlchemyConnection:
    def __init__(self, engine: Engine, warm: WarmConnections) -> None:
        self._engine = engine
        self._warm = warm
        dialect = engine.dialect
        # Rendered once: FROM DUAL where the dialect needs it.
        self._ping_sql = str(select(literal(1)).compile(dialect=dialect, compile_kwargs={
            "literal_binds": True}))  # fmt: skip

    def ping(self) -> Result[ServerInfo, DbError]:
        return guarded(to_db_error, self._ping)

    def _ping(self) -> ServerInfo:
        started = time.perf_counter()
        fairy = self._warm.acquire()
        try:
            cursor = fairy.cursor()
            cursor.execute(self._ping_sql)
            cursor.fetchall()
            cursor.close()
        except Exception:
            fairy.invalidate()  # a connection that failed its ping is never reused
            fairy.close()
            self._warm.drain()
            raise
        self._warm.release(fairy)
        latency_ms = (time.perf_counter() - started) * 1000
        dialect = self._engine.dialect
        product = (
            "MariaDB"
            if getattr(dialect, "is_mariadb", False)
            else _PRODUCTS.get(dialect.name, dialect.name)
        )
        version = ".".join(str(part) for part in dialect.server_version_info or ())
        return ServerInfo(
            adapter=ADAPTER,
            dialect=f"{dialect.name}+{dialect.driver}",
            product=product,
            version=version or "unknown",
            database=self._engine.url.database,
            latency_ms=round(latency_ms, 3),
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
                # Warm idle connections are checked out of SQLAlchemy's pool, not in use.
                checked_out=max(0, checked_out() - self._warm.idle) if callable(checked_out) else 0,
                # QueuePool counts overflow from -size up; only positive values are overflow.
                overflow=max(0, overflow()) if callable(overflow) else 0,
                description=pool.status(),
            )
        )

    def close(self) -> Result[None, DbError]:
        def close_all() -> None:
            self._warm.drain()
            self._engine.dispose()

        return guarded(to_db_error, close_all)
