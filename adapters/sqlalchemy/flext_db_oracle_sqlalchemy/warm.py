"""Warm connections: pooled connections kept checked out while idle, last in first out.

Borrowing one from SQLAlchemy's pool costs a few microseconds of checkout and checkin
machinery per call, more than the rest of the adapter together. Connections given
back are kept here instead, for the next call to pop; one idle longer than
`idle_s` goes back through SQLAlchemy, whose recycle and pre-ping checks then apply.
SQLAlchemy's pool still creates, counts and bounds every connection.
"""

from __future__ import annotations

from collections import deque
from time import monotonic

from sqlalchemy.pool import Pool, PoolProxiedConnection

IDLE_S = 30.0


class WarmConnections:
    def __init__(self, pool: Pool, *, idle_s: float = IDLE_S) -> None:
        self._pool = pool
        self._idle_s = idle_s
        # deque.append and deque.pop are atomic: no lock is needed between threads.
        self._idle: deque[tuple[PoolProxiedConnection, float]] = deque()

    def acquire(self) -> PoolProxiedConnection:
        while True:
            try:
                fairy, since = self._idle.pop()
            except IndexError:
                return self._pool.connect()
            if monotonic() - since < self._idle_s and fairy.is_valid:
                return fairy
            fairy.close()  # through SQLAlchemy: its recycle and pre-ping apply

    def release(self, fairy: PoolProxiedConnection) -> None:
        if self._idle_s > 0 and fairy.is_valid:
            self._idle.append((fairy, monotonic()))
        else:
            fairy.close()

    @property
    def idle(self) -> int:
        return len(self._idle)

    def drain(self) -> None:
        """Give every idle connection back to SQLAlchemy (before a dispose, or after a
        lost connection, so the pool's invalidation reaches them)."""
        while True:
            try:
                fairy, _ = self._idle.pop()
            except IndexError:
                return
            fairy.close()
