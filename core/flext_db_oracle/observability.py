"""Per-statement observability: hooks, timing and logs around any `QueryPort`.

The container wraps whichever query adapter is configured in `ObservedQueryPort`,
so every adapter gets the same `before_execute`/`after_execute`/`on_error` hooks
and the same statement log without doing anything itself.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import pluggy
from returns.result import Failure, Result, Success

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.logs import debug_enabled, get_logger
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, QueryResult, Row
from flext_db_oracle.ports import Params, QueryPort, RowStream

_T = TypeVar("_T")
LOGGER_NAME = "flext_db_oracle.statement"


@lru_cache(maxsize=2048)
def fingerprint(sql: str) -> str:
    """A short, stable id for a statement's text (whitespace-insensitive)."""
    normalized = " ".join(sql.split()).lower()
    return hashlib.sha256(normalized.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class StatementContext:
    """What hooks learn about a statement. `params` holds bind values: never log them."""

    adapter: str
    operation: str
    sql: str
    fingerprint: str
    params: Params | Sequence[Params] | None


@dataclass(frozen=True)
class StatementOutcome:
    duration_ms: float
    rowcount: int | None


def _rowcount(value: object) -> int | None:
    if isinstance(value, QueryResult):
        return len(value.rows)
    if isinstance(value, ExecuteOutcome | BatchOutcome):
        return value.rowcount
    if isinstance(value, tuple):
        return 1
    return None


def _log(context: StatementContext, duration_ms: float) -> Any:
    """The statement logger bound to what every statement line carries (never binds)."""
    return get_logger(LOGGER_NAME).bind(
        adapter=context.adapter,
        operation=context.operation,
        fingerprint=context.fingerprint,
        duration_ms=round(duration_ms, 3),
    )


class ObservedQueryPort:
    """A `QueryPort` that runs the execute hooks and logs each statement's timing."""

    def __init__(self, inner: QueryPort, hook: pluggy.HookRelay, slow_statement_ms: float) -> None:
        self._inner = inner
        self._hook = hook
        self._slow_ms = slow_statement_ms
        self.name = inner.name

    def _observe(
        self,
        operation: str,
        sql: str,
        params: Params | Sequence[Params] | None,
        run: Callable[[], Result[_T, DbError]],
    ) -> Result[_T, DbError]:
        context = StatementContext(self.name, operation, sql, fingerprint(sql), params)
        try:
            self._hook.before_execute(context=context)
        except DbError as refusal:
            self._hook.on_error(context=context, error=refusal)
            return Failure(refusal)
        started = time.perf_counter()
        result = run()
        duration_ms = (time.perf_counter() - started) * 1000
        match result:
            case Success(value):
                outcome = StatementOutcome(duration_ms, _rowcount(value))
                self._hook.after_execute(context=context, outcome=outcome)
                if duration_ms >= self._slow_ms:
                    _log(context, duration_ms).warning("slow statement", rows=outcome.rowcount)
                elif debug_enabled(LOGGER_NAME):
                    _log(context, duration_ms).debug("statement", rows=outcome.rowcount)
            case Failure(error):
                self._hook.on_error(context=context, error=error)
                _log(context, duration_ms).info("statement failed", error=str(error))
        return result

    def fetch_all(self, sql: str, params: Params | None = None) -> Result[QueryResult, DbError]:
        return self._observe("fetch_all", sql, params, lambda: self._inner.fetch_all(sql, params))

    def fetch_one(self, sql: str, params: Params | None = None) -> Result[Row | None, DbError]:
        return self._observe("fetch_one", sql, params, lambda: self._inner.fetch_one(sql, params))

    def stream(
        self, sql: str, params: Params | None = None, *, batch_size: int = 1000
    ) -> Result[RowStream, DbError]:
        if batch_size < 1:
            return Failure(
                DbError(ErrorKind.QUERY, f"batch_size must be at least 1, got {batch_size}")
            )
        return self._observe(
            "stream", sql, params, lambda: self._inner.stream(sql, params, batch_size=batch_size)
        )

    def execute(self, sql: str, params: Params | None = None) -> Result[ExecuteOutcome, DbError]:
        return self._observe("execute", sql, params, lambda: self._inner.execute(sql, params))

    def execute_many(self, sql: str, rows: Sequence[Params]) -> Result[BatchOutcome, DbError]:
        return self._observe("execute_many", sql, rows, lambda: self._inner.execute_many(sql, rows))

    def transaction(self) -> AbstractContextManager[None]:
        return self._inner.transaction()
