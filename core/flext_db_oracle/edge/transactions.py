"""Pinning one connection to the current context for `transaction()`.

One module-level `ContextVar` (as Python's documentation advises) maps each
pinning owner to its open transaction, so threads and asyncio tasks each see
their own, and nested `transaction()` blocks join the outer one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from flext_db_oracle.edge.calls import ErrorMapper, map_safely
from flext_db_oracle.errors import DbError, ErrorKind

_C = TypeVar("_C")
_log = logging.getLogger("flext_db_oracle.transaction")

_ACTIVE: ContextVar[Mapping[int, Pinned[Any]]] = ContextVar(
    "flext_db_oracle_transactions", default=MappingProxyType({})
)


@dataclass
class Pinned(Generic[_C]):
    """An open transaction: its connection and the first failure recorded in it."""

    connection: _C
    failure: DbError | None = None


def active_transaction(owner: object) -> Pinned[Any] | None:
    """The transaction `owner` has open in this context, if any."""
    return _ACTIVE.get().get(id(owner))


@contextmanager
def track_transaction(owner: object, state: Any) -> Iterator[None]:
    """Make `state` what `active_transaction(owner)` returns inside the block."""
    token = _ACTIVE.set(MappingProxyType({**_ACTIVE.get(), id(owner): state}))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


class ConnectionPinning(Generic[_C]):
    """Transactions over a driver, given its connection life-cycle as callables.

    - `acquire()` gives a connection (from the pool);
    - `begin(c)` starts a transaction on it (takes it out of autocommit);
    - `commit(c)` / `rollback(c)` end it;
    - `release(c, broken)` gives it back (in autocommit again) or, when `broken`,
      discards it so that it is never reused.

    A failure recorded on the `Pinned` state (the facade records a returned
    `Failure`) rolls the transaction back and is raised, so a failed transaction
    can never pass for a committed one. The caller's own exception always wins
    over a failing rollback. A commit that fails with a lost connection is
    reported as "outcome unknown" (`DbError.outcome_unknown`).
    """

    def __init__(
        self,
        *,
        acquire: Callable[[], _C],
        begin: Callable[[_C], None],
        commit: Callable[[_C], None],
        rollback: Callable[[_C], None],
        release: Callable[[_C, bool], None],
        map_error: ErrorMapper,
    ) -> None:
        self._acquire = acquire
        self._begin = begin
        self._commit = commit
        self._rollback = rollback
        self._release = release
        self._map_error = map_error

    def current(self) -> Pinned[_C] | None:
        """The transaction open in this context, if any."""
        return _ACTIVE.get().get(id(self))

    @contextmanager
    def transaction(self) -> Iterator[Pinned[_C]]:
        """Commit when the block ends, roll back when it raises or recorded a failure."""
        outer = self.current()
        if outer is not None:  # nested: join the outer transaction
            yield outer
            return
        connection = self._open()
        state: Pinned[_C] = Pinned(connection)
        broken = False
        try:
            with track_transaction(self, state):
                try:
                    yield state
                except BaseException:
                    broken = not self._quiet_rollback(connection)
                    raise
            if state.failure is not None:
                broken = not self._quiet_rollback(connection)
                raise state.failure
            try:
                self._finish(connection)
            except DbError:
                broken = True
                raise
        finally:
            self._quiet_release(connection, broken)

    def _open(self) -> _C:
        try:
            connection = self._acquire()
        except Exception as exc:
            raise map_safely(self._map_error, exc) from None
        try:
            self._begin(connection)
        except Exception as exc:
            self._quiet_release(connection, True)
            raise map_safely(self._map_error, exc) from None
        return connection

    def _finish(self, connection: _C) -> None:
        try:
            self._commit(connection)
        except Exception as exc:
            error = map_safely(self._map_error, exc)
            if error.kind in {ErrorKind.CONNECTION, ErrorKind.TIMEOUT}:
                # The server may or may not have committed before the link broke.
                error = error.with_detail(outcome="unknown")
            raise error from None

    def _quiet_rollback(self, connection: _C) -> bool:
        """Roll back; a failure is logged, never raised over the caller's exception."""
        try:
            self._rollback(connection)
        except Exception as exc:
            error = map_safely(self._map_error, exc)
            _log.warning("rollback failed; the connection is discarded: %s", error)
            return False
        return True

    def _quiet_release(self, connection: _C, broken: bool) -> None:
        try:
            self._release(connection, broken)
        except Exception as exc:
            _log.warning("releasing a connection failed: %s", map_safely(self._map_error, exc))
