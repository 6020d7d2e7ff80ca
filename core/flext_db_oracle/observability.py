"""Per-operation observability and policy: hooks, permissions, timing and logs.

The facade wraps whichever query port is configured in `ObservedQueryPort`, so
every adapter gets the same statement checks, `before_execute`/`after_execute`/
`on_error` hooks, permission checks and statement log without doing anything
itself. Observability never changes a result: a failing hook or log sink is
caught and reported once; only `before_execute` may refuse a statement.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pluggy
from returns.result import Failure, Result, Success

from flext_db_oracle.edge.statements import ParsedStatement, parse_statement
from flext_db_oracle.edge.transactions import Pinned, active_transaction, track_transaction
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.logs import debug_enabled, get_logger
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, Permission, Principal, QueryResult
from flext_db_oracle.plugins import plugin_caller
from flext_db_oracle.ports import (
    BatchErrorMode,
    Params,
    QueryPort,
    RowShape,
    RowStream,
    TransactionState,
)

_T = TypeVar("_T")
LOGGER_NAME = "flext_db_oracle.statement"
_fallback = logging.getLogger("flext_db_oracle")


@dataclass(frozen=True, slots=True)
class StatementContext:
    """What hooks learn about an operation: a SQL statement, a transaction event or a
    record-source request. `params` holds bind values: never log them.

    - `adapter`: the adapter's name; `operation`: `fetch_all`, `execute`, `stream`,
      `transaction.commit`, `read_source`, ...;
    - `target`: what it acts on where known (a table, an entity), else None;
    - `text`: the SQL, or None for operations without one;
    - `fingerprint`: a short stable id of the text; `principal`: who acts, when auth is on.
    """

    adapter: str
    operation: str
    target: str | None
    text: str | None
    fingerprint: str | None
    params: Params | Sequence[Params] | None
    principal: Principal | None = None


@dataclass(frozen=True, slots=True)
class StatementOutcome:
    duration_ms: float
    rowcount: int | None


class _Reported:
    """(plugin, hook) pairs and sinks already reported in this process: each once."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def first_time(self, key: tuple[str, str]) -> bool:
        with self._lock:
            if key in self._seen:
                return False
            self._seen.add(key)
            return True


_reported = _Reported()


def _report_once(plugin: str, where: str, exc: BaseException) -> None:
    if _reported.first_time((plugin, where)):
        _fallback.warning(
            "%s failed and was ignored (reported once per process): %s: %s",
            f"plugin {plugin!r} hook {where}" if plugin else where,
            type(exc).__name__,
            exc,
        )


class StatementHooks:
    """The execute hooks, one caller per implementing plugin (through pluggy), read
    once per plugin manager: hooks no plugin implements cost nothing per call."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self.before = self._callers(manager, "before_execute")
        self.after = self._callers(manager, "after_execute")
        self.error = self._callers(manager, "on_error")

    @staticmethod
    def _callers(manager: pluggy.PluginManager, hook: str) -> tuple[tuple[str, Any], ...]:
        impls = getattr(manager.hook, hook).get_hookimpls()
        return tuple(
            (impl.plugin_name, plugin_caller(manager, hook, impl.plugin)) for impl in impls
        )

    def refusal(self, context: StatementContext) -> DbError | None:
        """Run `before_execute`; a `DbError` raised there refuses the statement, any
        other exception refuses it as `internal`, naming the plugin."""
        for plugin, call in self.before:
            try:
                call(context=context)
            except DbError as refused:
                return refused
            except Exception as exc:
                return DbError(
                    ErrorKind.INTERNAL,
                    f"plugin {plugin!r} failed in before_execute: {type(exc).__name__}: {exc}",
                    detail={"plugin": plugin},
                )
        return None

    def succeeded(self, context: StatementContext, outcome: StatementOutcome) -> None:
        for plugin, call in self.after:
            try:
                call(context=context, outcome=outcome)
            except Exception as exc:
                _report_once(plugin, "after_execute", exc)

    def failed(self, context: StatementContext, error: DbError) -> None:
        for plugin, call in self.error:
            try:
                call(context=context, error=error)
            except Exception as exc:
                _report_once(plugin, "on_error", exc)


def _rowcount(value: object) -> int | None:
    if isinstance(value, QueryResult):
        return len(value.rows)
    if isinstance(value, ExecuteOutcome | BatchOutcome):
        return value.rowcount
    if isinstance(value, tuple | dict):
        return 1
    rows = getattr(value, "num_rows", None)  # an Arrow table
    return rows if isinstance(rows, int) else None


class Observer:
    """Times, logs and reports operations of one adapter, for one principal."""

    def __init__(
        self,
        adapter: str,
        hooks: StatementHooks,
        slow_statement_ms: float,
        *,
        principal: Principal | None,
        auth_required: bool,
        compound_statements: bool = False,
    ) -> None:
        self.adapter = adapter
        self.compound_statements = compound_statements
        self.hooks = hooks
        self.slow_ms = slow_statement_ms
        self.principal = principal
        self.auth_required = auth_required
        # What every call would otherwise check: is there anything to do beyond timing?
        self._always_context = bool(hooks.after or hooks.error)

    def context(
        self,
        operation: str,
        text: str | None,
        fingerprint: str | None,
        params: Any,
        *,
        target: str | None = None,
        adapter: str | None = None,
    ) -> StatementContext:
        return StatementContext(
            adapter or self.adapter, operation, target, text, fingerprint, params, self.principal
        )

    def authorize(self, permission: Permission, operation: str) -> DbError | None:
        """A refusal when auth is configured and the principal lacks `permission`."""
        if not self.auth_required:
            return None
        if self.principal is None:
            error = DbError(
                ErrorKind.AUTHORIZATION,
                f"{operation} needs a signed-in principal: authentication is configured "
                "(authenticate, then act through as_principal)",
                detail={"action": permission.value},
            )
        elif self.principal.allows(permission):
            return None
        else:
            error = DbError(
                ErrorKind.AUTHORIZATION,
                f"{self.principal.name!r} may not {operation}: it needs the "
                f"{permission.value!r} permission",
                detail={"principal": self.principal.name, "action": permission.value},
            )
        # Info, not warning: the refusal itself reaches the caller; this is the audit trail.
        self._log(
            "info",
            "access denied",
            principal=error.detail.get("principal"),
            action=permission.value,
            operation=operation,
        )
        return error

    def admit(self, operation: str, sql: object, params: Any) -> ParsedStatement | DbError:
        """Check the statement (one, non-empty), the principal's permission and the
        `before_execute` policies; a refusal is returned, never raised."""
        try:
            parsed = parse_statement(sql, compound=self.compound_statements)
        except DbError as invalid:
            error = invalid.from_adapter(self.adapter)
            self.failed(self.context(operation, None, None, params), 0.0, error)
            return error
        permission = (
            Permission.DDL
            if parsed.is_ddl
            else Permission.READ
            if parsed.is_read
            else Permission.WRITE
        )
        refused = self.authorize(permission, operation)
        if refused is None and self.hooks.before:
            refused = self.hooks.refusal(
                self.context(operation, parsed.text, parsed.fingerprint, params)
            )
        if refused is not None:
            self.failed(
                self.context(operation, parsed.text, parsed.fingerprint, params), 0.0, refused
            )
            return refused
        return parsed

    def observe(
        self,
        operation: str,
        permission: Permission,
        call: Callable[[], Result[_T, DbError]],
        *,
        target: str | None = None,
        adapter: str | None = None,
        report_success: bool = True,
    ) -> Result[_T, DbError]:
        """An operation without statement text (schema browsing, loads, procedure calls,
        record-source reads): the same permission check, policies, timing and reports.
        `report_success=False` where the result reports itself (a stream, at close)."""
        context = self.context(operation, None, None, None, target=target, adapter=adapter)
        refused = self.authorize(permission, operation)
        if refused is None and self.hooks.before:
            refused = self.hooks.refusal(context)
        if refused is not None:
            self.failed(context, 0.0, refused)
            return Failure(refused)
        started = time.perf_counter()
        result = call()
        duration_ms = (time.perf_counter() - started) * 1000
        if isinstance(result, Failure):
            self.failed(context, duration_ms, result.failure())
        elif report_success:
            self.succeeded(context, duration_ms, _rowcount(result.unwrap()))
        return result

    def finish(
        self,
        operation: str,
        parsed: ParsedStatement,
        params: Any,
        started: float,
        result: Result[Any, DbError],
    ) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        if isinstance(result, Success):
            if self._always_context or duration_ms >= self.slow_ms or debug_enabled(LOGGER_NAME):
                context = self.context(operation, parsed.text, parsed.fingerprint, params)
                self.succeeded(context, duration_ms, _rowcount(result.unwrap()))
        else:
            context = self.context(operation, parsed.text, parsed.fingerprint, params)
            self.failed(context, duration_ms, result.failure())

    def succeeded(
        self,
        context: StatementContext,
        duration_ms: float,
        rows: int | None,
        *,
        may_be_slow: bool = True,
    ) -> None:
        """Report a success; `may_be_slow=False` for streams, whose time includes the
        consumer's own work between batches."""
        outcome = StatementOutcome(duration_ms, rows)
        if self.hooks.after:
            self.hooks.succeeded(context, outcome)
        if may_be_slow and duration_ms >= self.slow_ms:
            self._log(
                "warning", "slow statement", context=context, duration_ms=duration_ms, rows=rows
            )
        elif debug_enabled(LOGGER_NAME):
            self._log("debug", "statement", context=context, duration_ms=duration_ms, rows=rows)

    def failed(self, context: StatementContext, duration_ms: float, error: DbError) -> None:
        if self.hooks.error:
            self.hooks.failed(context, error)
        self._log(
            "info", "statement failed", context=context, duration_ms=duration_ms, error=str(error)
        )

    def _log(
        self,
        level: str,
        event: str,
        *,
        context: StatementContext | None = None,
        duration_ms: float | None = None,
        **fields: Any,
    ) -> None:
        """One log line; a failing sink is reported once and never reaches the caller."""
        if context is not None:
            fields = {
                "adapter": context.adapter,
                "operation": context.operation,
                "fingerprint": context.fingerprint,
                **({"target": context.target} if context.target else {}),
                **({"principal": context.principal.name} if context.principal else {}),
                **fields,
            }
        if duration_ms is not None:
            fields["duration_ms"] = round(duration_ms, 3)
        try:
            getattr(get_logger(LOGGER_NAME), level)(event, **fields)
        except Exception as exc:
            _report_once("", "the statement log sink", exc)


class ObservedRowStream:
    """A `RowStream` observed from open to close: rows delivered and total time,
    logged and reported once, when it closes."""

    def __init__(
        self, inner: RowStream, observer: Observer, context: StatementContext, started: float
    ) -> None:
        self._inner = inner
        self._observer = observer
        self._context = context
        self._started = started
        self._rows = 0
        self._error: DbError | None = None
        self._closed = False
        self.columns = inner.columns

    def __iter__(self) -> Iterator[Sequence[Any]]:
        try:
            for batch in self._inner:
                self._rows += len(batch)
                yield batch
        except DbError as error:
            self._error = error
            self.close()
            raise

    def __enter__(self) -> ObservedRowStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._inner.close()
        finally:
            duration_ms = (time.perf_counter() - self._started) * 1000
            if self._error is None:
                self._observer.succeeded(self._context, duration_ms, self._rows, may_be_slow=False)
            else:
                self._observer.failed(self._context, duration_ms, self._error)


def _options(shape: RowShape, timeout_s: float | None) -> dict[str, Any]:
    """Keyword arguments for a read; `timeout_s` only when given, so an adapter written
    before per-call timeouts existed keeps working for calls that do not use one."""
    if timeout_s is None:
        return {"shape": shape}
    return {"shape": shape, "timeout_s": timeout_s}


class ObservedQueryPort:
    """A `QueryPort` that checks, authorizes, times, reports and logs each statement."""

    def __init__(self, inner: QueryPort, observer: Observer, row_shape: RowShape) -> None:
        self._inner = inner
        self._observer = observer
        self._shape: RowShape = row_shape
        self.name = inner.name

    def _run(
        self,
        operation: str,
        sql: object,
        params: Any,
        call: Callable[[], Result[_T, DbError]],
    ) -> Result[_T, DbError]:
        admitted = self._observer.admit(operation, sql, params)
        if isinstance(admitted, DbError):
            return Failure(admitted)
        started = time.perf_counter()
        result = call()
        self._observer.finish(operation, admitted, params, started, result)
        return result

    def fetch_all(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape | None = None,
        timeout_s: float | None = None,
    ) -> Result[QueryResult, DbError]:
        inner, options = self._inner, _options(shape or self._shape, timeout_s)
        return self._run("fetch_all", sql, params, lambda: inner.fetch_all(sql, params, **options))

    def fetch_one(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape | None = None,
        timeout_s: float | None = None,
    ) -> Result[Any, DbError]:
        inner, options = self._inner, _options(shape or self._shape, timeout_s)
        return self._run("fetch_one", sql, params, lambda: inner.fetch_one(sql, params, **options))

    def stream(
        self,
        sql: str,
        params: Params | None = None,
        *,
        batch_size: int = 1000,
        shape: RowShape | None = None,
        timeout_s: float | None = None,
    ) -> Result[RowStream, DbError]:
        if not isinstance(batch_size, int) or batch_size < 1:
            return Failure(
                DbError(ErrorKind.QUERY, f"batch_size must be at least 1, got {batch_size!r}")
            )
        admitted = self._observer.admit("stream", sql, params)
        if isinstance(admitted, DbError):
            return Failure(admitted)
        started = time.perf_counter()
        options = _options(shape or self._shape, timeout_s)
        opened = self._inner.stream(sql, params, batch_size=batch_size, **options)
        if isinstance(opened, Failure):
            self._observer.finish("stream", admitted, params, started, opened)
            return opened
        context = self._observer.context("stream", admitted.text, admitted.fingerprint, params)
        return Success(ObservedRowStream(opened.unwrap(), self._observer, context, started))

    def fetch_arrow(self, sql: str, params: Params | None = None) -> Result[Any, DbError]:
        """All rows as a `pyarrow.Table` on the adapter's own columnar path (an optional
        capability: python-oracledb's `fetch_df_all`); `unsupported` elsewhere."""
        native = getattr(self._inner, "fetch_arrow", None)
        if native is None:
            return Failure(
                DbError(
                    ErrorKind.UNSUPPORTED,
                    f"the {self.name} adapter has no native Arrow fetch",
                    adapter=self.name,
                )
            )
        result: Result[Any, DbError] = self._run(
            "fetch_arrow", sql, params, lambda: native(sql, params)
        )
        return result

    def execute(
        self, sql: str, params: Params | None = None, *, timeout_s: float | None = None
    ) -> Result[ExecuteOutcome, DbError]:
        inner = self._inner
        extra: dict[str, Any] = {} if timeout_s is None else {"timeout_s": timeout_s}
        return self._run("execute", sql, params, lambda: inner.execute(sql, params, **extra))

    def execute_many(
        self, sql: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]:
        if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
            return Failure(
                DbError(ErrorKind.QUERY, "execute_many takes a sequence of bind mappings")
            )
        inner = self._inner
        return self._run(
            "execute_many", sql, rows, lambda: inner.execute_many(sql, rows, on_error=on_error)
        )

    def bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        schema: str | None = None,
        on_error: BatchErrorMode = "stop",
    ) -> Result[BatchOutcome, DbError]:
        return self._unparsed(
            "bulk_insert",
            Permission.WRITE,
            table,
            lambda: self._inner.bulk_insert(table, columns, rows, schema=schema, on_error=on_error),
        )

    def call_procedure(self, name: str, args: Params | None = None) -> Result[Params, DbError]:
        return self._unparsed(
            "call_procedure", Permission.WRITE, name, lambda: self._inner.call_procedure(name, args)
        )

    def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]:
        return self._unparsed(
            "call_function",
            Permission.WRITE,
            name,
            lambda: self._inner.call_function(name, return_type, args),
        )

    def _unparsed(
        self,
        operation: str,
        permission: Permission,
        target: str,
        call: Callable[[], Result[_T, DbError]],
    ) -> Result[_T, DbError]:
        """Operations with a target instead of statement text (loads, procedure calls)."""
        return self._observer.observe(operation, permission, call, target=target)

    def current_transaction(self) -> Pinned[Any] | None:
        """The transaction this port has open in the current context, if any."""
        return active_transaction(self)

    @contextmanager
    def transaction(self) -> Iterator[TransactionState]:
        """The inner port's transaction, with begin/commit/rollback events."""
        outer = active_transaction(self)
        if outer is not None:  # nested: the outer block reports
            yield outer
            return
        observer = self._observer
        started = time.perf_counter()

        def event(name: str, error: DbError | None = None) -> None:
            context = observer.context(f"transaction.{name}", None, None, None)
            elapsed = (time.perf_counter() - started) * 1000
            if error is None:
                observer.succeeded(context, elapsed, None)
            else:
                observer.failed(context, elapsed, error)

        manager = self._inner.transaction()
        try:
            state = manager.__enter__()
        except DbError as error:
            event("begin", error)
            raise
        event("begin")
        try:
            # The tracking ends before the inner transaction does: each context-variable
            # reset restores what was there when its own block began.
            with track_transaction(self, state):
                yield state
        except BaseException as exc:
            try:
                manager.__exit__(type(exc), exc, exc.__traceback__)
            finally:
                event("rollback", exc if isinstance(exc, DbError) else None)
            raise
        try:
            manager.__exit__(None, None, None)
        except DbError as error:
            event("rollback" if error is state.failure else "commit", error)
            raise
        event("commit")
