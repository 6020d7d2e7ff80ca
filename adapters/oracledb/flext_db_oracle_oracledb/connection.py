"""The connection port: ping, describe, pool statistics, close."""

from __future__ import annotations

import time
from functools import partial

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError
from flext_db_oracle.models import PoolStats, ServerInfo
from returns.result import Result

from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.pool import SessionPool


class OracleConnection:
    def __init__(self, pool: SessionPool, name: str) -> None:
        self._pool = pool
        self._name = name
        self._map = partial(to_db_error, adapter=name)

    def ping(self) -> Result[ServerInfo, DbError]:
        """One round trip (`Connection.ping`); the version comes with the session."""

        def run() -> ServerInfo:
            started = time.perf_counter()
            connection = self._pool.acquire()
            broken = False
            try:
                connection.ping()
                latency_ms = (time.perf_counter() - started) * 1000
                return ServerInfo(
                    adapter=self._name,
                    dialect="oracle",
                    product="Oracle Database",
                    version=str(connection.version),
                    database=connection.service_name if connection.thin else None,
                    latency_ms=latency_ms,
                )
            except BaseException:
                broken = True
                raise
            finally:
                self._pool.release(connection, broken)

        return guarded(self._map, run)

    def pool_stats(self) -> Result[PoolStats, DbError]:
        return guarded(self._map, self._pool.stats)

    def close(self) -> Result[None, DbError]:
        return guarded(self._map, self._pool.close)
