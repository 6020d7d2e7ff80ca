from __future__ import annotations

from typing import Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import PoolStats, ServerInfo


class ConnectionPort(Protocol):
    """Reaching the server: ping it, describe it, report the pool, close it."""

    def ping(self) -> Result[ServerInfo, DbError]:
        """Round-trip to the server; `ServerInfo.latency_ms` carries the time it took."""
        ...

    def pool_stats(self) -> Result[PoolStats, DbError]: ...

    def close(self) -> Result[None, DbError]:
        """Release every pooled connection. Idempotent."""
        ...
