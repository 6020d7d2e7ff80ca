"""The query port: statements go straight to the DBAPI cursor of a pooled connection.

Outside `transaction()` every statement runs on a connection in autocommit mode,
so a read is one round trip. SQLAlchemy keeps the pool, the dialect and the
disconnect detection; the edge kit parses statements once, maps errors and pins
the transaction's connection.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from itertools import islice
from math import isfinite
from operator import itemgetter
from typing import Any, TypeVar

from flext_db_oracle.edge import ConnectionPinning, Pinned, guarded, parse_statement
from flext_db_oracle.edge.statements import ParsedStatement
from flext_db_oracle.edge.watchdog import WATCHDOG
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, QueryResult, RowFailure
from flext_db_oracle.ports import BatchErrorMode, OutBind, Params, RowShape
from returns.result import Failure, Result, Success
from sqlalchemy import Engine
from sqlalchemy.pool import PoolProxiedConnection

from flext_db_oracle_sqlalchemy.drivers import Driver, columns_of, driver_for
from flext_db_oracle_sqlalchemy.errors import ADAPTER, to_db_error
from flext_db_oracle_sqlalchemy.stream import SqlAlchemyRowStream
from flext_db_oracle_sqlalchemy.warm import WarmConnections

_T = TypeVar("_T")
BULK_CHUNK = 10_000
_ROUTINE_NAME = re.compile(r"^[A-Za-z_][\w$#]*(\.[A-Za-z_][\w$#]*){0,2}$")
_ARGUMENT_NAME = re.compile(r"^[A-Za-z_]\w*$")

Consume = Callable[[Any, RowShape], _T]


class SqlAlchemyQuery:
    """Each call borrows a pooled connection, unless a `transaction()` holds one."""

    name = ADAPTER

    def __init__(
        self,
        engine: Engine,
        warm: WarmConnections,
        *,
        autocommit: bool = True,
        statement_timeout_s: float | None = None,
    ) -> None:
        self._engine = engine
        # The watchdog fires a little after the server's own statement timeout would.
        self._watch_s = statement_timeout_s * 1.1 if statement_timeout_s else None
        self._pool = engine.pool
        self._warm = warm
        self._dialect = engine.dialect
        self._driver: Driver = driver_for(engine.dialect, autocommit=autocommit)
        self._style = self._driver.paramstyle
        # Backends that take a block with its own `;` (trigger and procedure bodies,
        # PL/SQL) as one statement and refuse stacked statements themselves.
        # PostgreSQL runs stacked statements: never there.
        self.compound_statements = engine.dialect.name in {"oracle", "sqlite", "mysql", "mariadb"}
        self._autocommit = autocommit
        self._pinning: ConnectionPinning[PoolProxiedConnection] = ConnectionPinning(
            acquire=warm.acquire,
            begin=lambda fairy: self._driver.begin(fairy.dbapi_connection),
            commit=lambda fairy: fairy.dbapi_connection.commit(),  # type: ignore[union-attr]
            rollback=lambda fairy: fairy.dbapi_connection.rollback(),  # type: ignore[union-attr]
            release=self._release,
            map_error=to_db_error,
        )

    # --- the one path every statement takes -------------------------------------------

    def _parsed(self, sql: object) -> ParsedStatement:
        try:
            return parse_statement(sql, self._style, compound=self.compound_statements)
        except DbError as error:
            raise error.from_adapter(ADAPTER) from None

    def _binds(self, parsed: ParsedStatement, params: object) -> Any:
        """`params` checked and shaped for the driver. Runs once per row of a batch,
        so the common case (a dict with exactly the statement's binds, plain values)
        takes the shortest path."""
        if type(params) is dict and params.keys() == parsed.bind_set:
            values: dict[str, Any] = params
        else:
            try:
                values = parsed.bind_values(params)
            except DbError as error:
                raise error.from_adapter(ADAPTER) from None
        driver = self._driver
        safe = driver.safe_types
        for name, value in values.items():
            kind = type(value)
            if kind in safe:
                continue
            if kind is float and (not driver.rejects_nan or isfinite(value)):
                continue
            driver.check_value(name, value)
        if self._style in {"qmark", "format"}:
            return tuple(values[name] for name in parsed.order)
        if self._style == "numeric":
            return tuple(values[name] for name in parsed.binds)
        return values

    def _batch_binds(self, parsed: ParsedStatement, rows: Sequence[Any]) -> list[Any]:
        """A batch's binds: checked a column of types at a time when every row is a dict
        with exactly the statement's binds (the common case), else row by row."""
        names = parsed.bind_set
        if not all(type(row) is dict and row.keys() == names for row in rows):
            return [self._binds(parsed, row) for row in rows]
        driver = self._driver
        kinds = {type(value) for row in rows for value in row.values()}
        floats_ok = (
            float not in kinds
            or not driver.rejects_nan
            or all(
                isfinite(value) for row in rows for value in row.values() if type(value) is float
            )
        )
        if not (kinds - {float} <= driver.safe_types and floats_ok):
            return [self._binds(parsed, row) for row in rows]  # a value to check closely
        if self._style in {"named", "pyformat"}:
            return list(rows)
        order = parsed.order if self._style in {"qmark", "format"} else parsed.binds
        if len(order) == 1:
            only = order[0]
            return [(row[only],) for row in rows]
        pick = itemgetter(*order)
        return [pick(row) for row in rows]

    def _run(
        self,
        sql: object,
        params: object,
        shape: RowShape,
        consume: Consume[_T],
        timeout_s: float | None = None,
    ) -> Result[_T, DbError]:
        return guarded(
            to_db_error, lambda: self._on_connection(sql, params, shape, consume, timeout_s)
        )

    def _on_connection(
        self,
        sql: object,
        params: object,
        shape: RowShape,
        consume: Consume[_T],
        timeout_s: float | None = None,
    ) -> _T:
        """Run one statement on the transaction's connection, or on a borrowed one."""
        parsed = self._parsed(sql)
        binds = self._binds(parsed, params)
        pinned = self._pinning.current()
        fairy = pinned.connection if pinned is not None else self._warm.acquire()
        cursor = None
        watch = self._arm(fairy) if self._watch_s else None
        deadline = self._arm_cancel(fairy, timeout_s) if timeout_s else None
        try:
            cursor = self._driver.cursor(fairy.dbapi_connection, shape)
            cursor.execute(parsed.text, binds)
            value = consume(cursor, shape)
            if pinned is None and not self._autocommit:
                fairy.dbapi_connection.commit()  # type: ignore[union-attr]
        except KeyboardInterrupt:
            self._cancel_quietly(fairy.dbapi_connection)
            raise
        except Exception as exc:
            lost = self._forget_if_lost(fairy, exc, cursor)
            if deadline is not None and not WATCHDOG.disarm(deadline):
                raise _cancelled(timeout_s) from None
            if watch is not None and not WATCHDOG.disarm(watch):
                raise self._silent(fairy) from None
            if lost and pinned is None and not parsed.is_read:
                # A write in autocommit mode: the server may have committed it.
                raise to_db_error(exc).with_unknown_outcome() from None
            raise
        else:
            if deadline is not None and not WATCHDOG.disarm(deadline):
                # Cancelled, yet answered: MariaDB's killed SLEEP() returns 1. Not a result.
                raise _cancelled(timeout_s)
            return value
        finally:
            if watch is not None:
                WATCHDOG.disarm(watch)
            if deadline is not None:
                WATCHDOG.disarm(deadline)
            _close_quietly(cursor)
            if pinned is None:
                self._give_back(fairy)

    def _arm_cancel(self, fairy: PoolProxiedConnection, seconds: float) -> int:
        """Arm the watchdog to cancel this statement after `seconds` (a per-call timeout):
        cancelled where the driver can, its socket shut where it cannot."""
        connection = fairy.dbapi_connection
        fd = self._driver.socket_of(connection)

        def cancel() -> None:
            if not self._driver.cancel(connection, self._side_connection) and fd is not None:
                _shut(fd)

        return WATCHDOG.arm(seconds, cancel)

    def _cancel_quietly(self, connection: Any) -> None:
        """Ctrl-C: the statement stops on the server too, not only here."""
        with suppress(Exception):
            self._driver.cancel(connection, self._side_connection)

    def _side_connection(self) -> Any:
        """A connection of its own (not from the pool, which may be exhausted) for
        cancelling a statement."""
        cargs, cparams = self._dialect.create_connect_args(self._engine.url)
        return self._dialect.loaded_dbapi.connect(*cargs, **cparams)

    def _arm(self, fairy: PoolProxiedConnection) -> int | None:
        """Arm the watchdog: past the statement timeout, shut the connection's socket."""
        fd = self._driver.socket_of(fairy.dbapi_connection)
        if fd is None or self._watch_s is None:
            return None
        return WATCHDOG.arm(self._watch_s, lambda: _shut(fd))

    def _silent(self, fairy: PoolProxiedConnection) -> DbError:
        """The error for a statement the watchdog cut off: the server did not answer."""
        fairy.invalidate()
        self._warm.drain()
        return DbError(
            ErrorKind.TIMEOUT,
            f"no answer from the server within the statement timeout ({self._watch_s:.3g} s);"
            " the connection was closed",
            retryable=True,
            adapter=ADAPTER,
        )

    def _forget_if_lost(
        self, fairy: PoolProxiedConnection, exc: BaseException, cursor: Any
    ) -> bool:
        """A lost connection is never reused, nor any pooled one opened before it
        (the server likely restarted): the next call gets a fresh connection. True when
        the connection was lost."""
        if not isinstance(exc, Exception):
            return False
        try:
            lost = self._dialect.is_disconnect(exc, fairy.dbapi_connection, cursor)  # type: ignore[arg-type]
        except Exception:
            lost = False
        if lost:
            self._pool._invalidate(fairy, exc)  # what SQLAlchemy itself does on a disconnect
            self._warm.drain()  # idle connections opened before it go back to be replaced
        return bool(lost)

    def _give_back(self, fairy: PoolProxiedConnection) -> None:
        try:
            self._warm.release(fairy)
        except Exception as exc:
            self._forget_if_lost(fairy, exc, None)

    def _release(self, fairy: PoolProxiedConnection, broken: bool) -> None:
        if broken:
            fairy.invalidate()
            fairy.close()
            return
        self._driver.end(fairy.dbapi_connection)
        self._warm.release(fairy)

    # --- reads ---------------------------------------------------------------------------

    def fetch_all(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[QueryResult, DbError]:
        return self._run(sql, params, shape, self._all_rows, timeout_s)

    def _all_rows(self, cursor: Any, shape: RowShape) -> QueryResult:
        if cursor.description is None:
            return QueryResult.model_construct(columns=(), rows=())
        self._driver.prepare(cursor, shape)
        rows = self._driver.shaped(cursor, cursor.fetchall(), shape)
        # model_construct: the driver typed the values; validating them cell by cell
        # would cost more than fetching them.
        return QueryResult.model_construct(columns=columns_of(cursor), rows=tuple(rows))

    def fetch_one(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[Any, DbError]:
        return self._run(sql, params, shape, self._first_row, timeout_s)

    def _first_row(self, cursor: Any, shape: RowShape) -> Any:
        if cursor.description is None:
            return None
        self._driver.prepare(cursor, shape)
        row = cursor.fetchone()
        if row is None or shape == "tuple":
            return row
        return self._driver.shaped(cursor, [row], shape)[0]

    def stream(
        self,
        sql: str,
        params: Params | None = None,
        *,
        batch_size: int = 1000,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[SqlAlchemyRowStream, DbError]:
        return guarded(
            to_db_error, lambda: self._open_stream(sql, params, batch_size, shape, timeout_s)
        )

    def _open_stream(
        self,
        sql: str,
        params: Params | None,
        batch_size: int,
        shape: RowShape,
        timeout_s: float | None,
    ) -> SqlAlchemyRowStream:
        parsed = self._parsed(sql)
        binds = self._binds(parsed, params)
        pinned = self._pinning.current()
        fairy = pinned.connection if pinned is not None else self._warm.acquire()
        driver = self._driver
        connection = fairy.dbapi_connection
        own_transaction = pinned is None and driver.stream_needs_transaction()
        cursor = None
        watch = self._arm(fairy) if self._watch_s else None
        deadline = self._arm_cancel(fairy, timeout_s) if timeout_s else None
        try:
            if own_transaction:
                driver.begin(connection)
            cursor = driver.stream_cursor(connection, shape, batch_size)
            cursor.execute(parsed.text, binds)
            driver.prepare(cursor, shape)
        except KeyboardInterrupt:
            self._cancel_quietly(connection)
            raise
        except Exception as exc:
            self._forget_if_lost(fairy, exc, cursor)
            cancelled = deadline is not None and not WATCHDOG.disarm(deadline)
            silent = watch is not None and not WATCHDOG.disarm(watch)
            _close_quietly(cursor)
            if own_transaction:
                _rollback_quietly(connection)
            if pinned is None:
                self._give_back(fairy)
            if cancelled:
                raise _cancelled(timeout_s) from None
            if silent:
                raise self._silent(fairy) from None
            raise
        if watch is not None:
            WATCHDOG.disarm(watch)
        if deadline is not None and not WATCHDOG.disarm(deadline):
            _close_quietly(cursor)  # cancelled while opening, though it answered
            if own_transaction:
                _rollback_quietly(connection)
            if pinned is None:
                self._give_back(fairy)
            raise _cancelled(timeout_s)
        return SqlAlchemyRowStream(
            cursor,
            driver=driver,
            shape=shape,
            batch_size=batch_size,
            release=None if pinned is not None else lambda: self._give_back(fairy),
            end_transaction=own_transaction,
            on_failure=lambda exc: self._forget_if_lost(fairy, exc, None),
            bound_fetch=None if not timeout_s else self._bounded(fairy, timeout_s),
            on_interrupt=lambda: self._cancel_quietly(connection),
        )

    def _bounded(self, fairy: PoolProxiedConnection, timeout_s: float) -> Callable[[Any], Any]:
        """A runner that bounds each fetch of a stream by the call's timeout: on a
        server-side cursor the statement does its work while rows are fetched."""

        def run(fetch: Callable[[], Any]) -> Any:
            deadline = self._arm_cancel(fairy, timeout_s)
            try:
                return fetch()
            except Exception:
                if not WATCHDOG.disarm(deadline):
                    raise _cancelled(timeout_s) from None
                raise
            finally:
                WATCHDOG.disarm(deadline)

        return run

    # --- writes --------------------------------------------------------------------------

    def execute(
        self, sql: str, params: Params | None = None, *, timeout_s: float | None = None
    ) -> Result[ExecuteOutcome, DbError]:
        return self._run(sql, params, "tuple", _rowcount, timeout_s)

    def execute_many(
        self, sql: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]:
        def prepared() -> tuple[str, list[Any]]:
            parsed = self._parsed(sql)
            return parsed.text, self._batch_binds(parsed, rows)

        return guarded(to_db_error, prepared).bind(
            lambda ready: (
                self._in_transaction(lambda fairy: self._batch(fairy, ready[0], ready[1], on_error))
                if ready[1]
                else Success(BatchOutcome(rows_submitted=0, rowcount=0))
            )
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
        located = guarded(
            to_db_error,
            lambda: (self._target(table, schema), [self._identifier(c, "column") for c in columns]),
        )
        if isinstance(located, Failure):
            return located
        target, names = located.unwrap()
        if not names:
            return Failure(DbError(ErrorKind.QUERY, "bulk_insert needs at least one column"))
        quoted = ", ".join(names)
        copy_sql = self._driver.copy_statement(target, quoted)
        # Rows arrive as tuples: a positional style spares building a dict per row.
        style = self._driver.bulk_style or self._style

        def load(fairy: PoolProxiedConnection) -> BatchOutcome:
            marks = self._placeholders(len(names), style)
            insert = f"INSERT INTO {target} ({quoted}) VALUES ({marks})"
            submitted = loaded = 0
            failures: list[RowFailure] = []
            iterator = iter(rows)
            while chunk := self._checked_chunk(
                list(islice(iterator, BULK_CHUNK)), names, submitted, style
            ):
                if copy_sql is not None and self._copied(fairy, copy_sql, chunk):
                    outcome = BatchOutcome(rows_submitted=len(chunk), rowcount=len(chunk))
                else:
                    outcome = self._batch(fairy, insert, chunk, on_error, offset=submitted)
                submitted += len(chunk)
                loaded += outcome.rowcount
                failures.extend(outcome.failures)
            return BatchOutcome(rows_submitted=submitted, rowcount=loaded, failures=tuple(failures))

        return self._in_transaction(load)

    def _checked_chunk(
        self, rows: list[Any], names: list[str], offset: int, style: str
    ) -> list[Any]:
        """A chunk's rows, checked a column of types at a time when every row has the
        right length and only plain values (the common case), else row by row."""
        width = len(names)
        if style != "named" and all(len(row) == width for row in rows):
            driver = self._driver
            kinds = {type(value) for row in rows for value in row}
            finite = (
                float not in kinds
                or not driver.rejects_nan
                or all(isfinite(value) for row in rows for value in row if type(value) is float)
            )
            if kinds - {float} <= driver.safe_types and finite:
                return [row if type(row) is tuple else tuple(row) for row in rows]
        return [self._checked_row(row, names, offset + i, style) for i, row in enumerate(rows)]

    def _checked_row(self, row: Sequence[Any], names: list[str], index: int, style: str) -> Any:
        values = tuple(row)
        if len(values) != len(names):
            raise DbError(
                ErrorKind.QUERY,
                f"row {index} has {len(values)} values for {len(names)} columns",
                adapter=ADAPTER,
                detail={"row_index": index},
            )
        check = self._driver.check_value
        for name, value in zip(names, values, strict=True):
            check(name, value)
        if style == "named":  # drivers that take named binds only
            return {f"p{i}": value for i, value in enumerate(values)}
        return values

    def _copied(self, fairy: PoolProxiedConnection, copy_sql: str, chunk: list[Any]) -> bool:
        """Load `chunk` with COPY inside a savepoint; False (nothing loaded) when it fails,
        so that the row-by-row path can say which rows were bad."""
        connection: Any = fairy.dbapi_connection
        cursor = connection.cursor()
        try:
            cursor.execute("SAVEPOINT flext_copy")
            try:
                with cursor.copy(copy_sql) as copy:
                    for row in chunk:
                        copy.write_row(row)
            except Exception:
                cursor.execute("ROLLBACK TO SAVEPOINT flext_copy")
                return False
            cursor.execute("RELEASE SAVEPOINT flext_copy")
            return True
        finally:
            cursor.close()

    @staticmethod
    def _placeholders(count: int, style: str) -> str:
        if style == "qmark":
            return ", ".join("?" * count)
        if style in {"format", "pyformat"}:
            return ", ".join(["%s"] * count)
        if style == "numeric":
            return ", ".join(f":{i + 1}" for i in range(count))
        return ", ".join(f":p{i}" for i in range(count))

    def _in_transaction(self, work: Callable[[PoolProxiedConnection], _T]) -> Result[_T, DbError]:
        """`work` inside the open transaction, or inside one of its own (all or nothing)."""
        pinned = self._pinning.current()
        if pinned is not None:
            return self._guarded(pinned.connection, lambda: work(pinned.connection))
        try:
            with self._pinning.transaction() as state:
                result = self._guarded(state.connection, lambda: work(state.connection))
                if isinstance(result, Failure):
                    state.failure = result.failure()
        except DbError as error:
            return Failure(error)
        return result

    def _guarded(self, fairy: PoolProxiedConnection, call: Callable[[], _T]) -> Result[_T, DbError]:
        def run() -> _T:
            try:
                return call()
            except Exception as exc:
                self._forget_if_lost(fairy, exc, None)
                raise

        return guarded(to_db_error, run)

    def _batch(
        self,
        fairy: PoolProxiedConnection,
        text: str,
        batch: list[Any],
        on_error: BatchErrorMode,
        offset: int = 0,
    ) -> BatchOutcome:
        """One batch inside the current transaction, behind a savepoint, so a failure can
        be located (and, with "collect", skipped) row by row."""
        connection: Any = fairy.dbapi_connection
        cursor = connection.cursor()
        try:
            cursor.execute("SAVEPOINT flext_batch")
            try:
                cursor.executemany(text, batch)
                rowcount = cursor.rowcount if cursor.rowcount >= 0 else len(batch)
                cursor.execute("RELEASE SAVEPOINT flext_batch")
                return BatchOutcome(rows_submitted=len(batch), rowcount=rowcount)
            except Exception as batch_error:
                if self._is_lost(fairy, batch_error, cursor):
                    raise
                cursor.execute("ROLLBACK TO SAVEPOINT flext_batch")
            return self._row_by_row(cursor, text, batch, on_error, offset)
        finally:
            _close_quietly(cursor)

    def _row_by_row(
        self, cursor: Any, text: str, batch: list[Any], on_error: BatchErrorMode, offset: int
    ) -> BatchOutcome:
        failures: list[RowFailure] = []
        written = 0
        for index, row in enumerate(batch):
            cursor.execute("SAVEPOINT flext_row")
            try:
                cursor.execute(text, row)
            except Exception as exc:
                cursor.execute("ROLLBACK TO SAVEPOINT flext_row")
                error = to_db_error(exc)
                if on_error == "stop":
                    cursor.execute("ROLLBACK TO SAVEPOINT flext_batch")
                    raise DbError(
                        error.kind,
                        f"row {offset + index} of the batch: {error.message}",
                        code=error.code,
                        retryable=error.retryable,
                        adapter=ADAPTER,
                        detail={"row_index": offset + index, "rows_submitted": len(batch)},
                    ) from None
                failures.append(
                    RowFailure(index=offset + index, code=error.code, message=error.message)
                )
                continue
            cursor.execute("RELEASE SAVEPOINT flext_row")
            written += 1
        cursor.execute("RELEASE SAVEPOINT flext_batch")
        return BatchOutcome(rows_submitted=len(batch), rowcount=written, failures=tuple(failures))

    def _is_lost(self, fairy: PoolProxiedConnection, exc: Exception, cursor: Any) -> bool:
        try:
            return bool(self._dialect.is_disconnect(exc, fairy.dbapi_connection, cursor))  # type: ignore[arg-type]
        except Exception:
            return False

    # --- procedures and functions ------------------------------------------------------

    def call_procedure(self, name: str, args: Params | None = None) -> Result[Params, DbError]:
        dialect = self._dialect.name
        if dialect not in {"postgresql", "mysql", "mariadb"}:
            return Failure(_unsupported(f"stored procedures on {dialect}"))
        checked = guarded(to_db_error, lambda: (_routine(name), _arguments(args)))
        if isinstance(checked, Failure):
            return checked
        routine, arguments = checked.unwrap()
        outs = [key for key, value in arguments.items() if isinstance(value, OutBind)]
        if outs and dialect != "postgresql":
            return Failure(_unsupported(f"OUT arguments of procedures on {dialect}"))
        values = {
            key: value.value if isinstance(value, OutBind) else value
            for key, value in arguments.items()
        }
        sql = f"CALL {routine}({', '.join(':' + key for key in arguments)})"

        def outcome(cursor: Any, _shape: RowShape) -> Params:
            if not outs or cursor.description is None:
                return {}
            row = cursor.fetchone()
            returned = dict(zip((c.lower() for c in columns_of(cursor)), row or (), strict=False))
            return {key: returned.get(key.lower()) for key in outs}

        return self._run(sql, values, "tuple", outcome)

    def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]:
        if return_type is QueryResult:
            return Failure(_unsupported("functions returning a cursor through SQLAlchemy"))
        checked = guarded(to_db_error, lambda: (_routine(name), _arguments(args)))
        if isinstance(checked, Failure):
            return checked
        routine, arguments = checked.unwrap()
        sql = f"SELECT {routine}({', '.join(':' + key for key in arguments)})"
        return self._run(sql, arguments, "tuple", _scalar)

    # --- identifiers ---------------------------------------------------------------------

    def _identifier(self, name: object, what: str) -> str:
        if not isinstance(name, str) or not name or "\x00" in name:
            raise DbError(ErrorKind.QUERY, f"invalid {what} name {name!r}", adapter=ADAPTER)
        return str(self._dialect.identifier_preparer.quote(name))

    def _target(self, table: str, schema: str | None) -> str:
        quoted = self._identifier(table, "table")
        return f"{self._identifier(schema, 'schema')}.{quoted}" if schema else quoted

    def transaction(self) -> Any:
        return self._pinning.transaction()

    def current_transaction(self) -> Pinned[PoolProxiedConnection] | None:
        return self._pinning.current()


def _rowcount(cursor: Any, _shape: RowShape) -> ExecuteOutcome:
    return ExecuteOutcome.model_construct(rowcount=cursor.rowcount)


def _scalar(cursor: Any, _shape: RowShape) -> Any:
    row = cursor.fetchone() if cursor.description is not None else None
    return row[0] if row else None


def _routine(name: str) -> str:
    if not isinstance(name, str) or not _ROUTINE_NAME.match(name):
        raise DbError(ErrorKind.QUERY, f"invalid procedure or function name {name!r}")
    return name


def _arguments(args: Params | None) -> dict[str, Any]:
    arguments = dict(args or {})
    for key in arguments:
        if not isinstance(key, str) or not _ARGUMENT_NAME.match(key):
            raise DbError(ErrorKind.QUERY, f"invalid argument name {key!r}")
    return arguments


def _unsupported(what: str) -> DbError:
    return DbError(ErrorKind.UNSUPPORTED, f"the sqlalchemy adapter does not support {what}",
                   adapter=ADAPTER)  # fmt: skip


def _cancelled(timeout_s: float | None) -> DbError:
    return DbError(
        ErrorKind.TIMEOUT,
        f"the statement ran past its timeout of {timeout_s:g} s and was cancelled",
        retryable=True,
        adapter=ADAPTER,
    )


def _shut(fd: int) -> None:
    """Shut a socket down by its descriptor: a blocked read on it returns at once."""
    duplicate = socket.socket(fileno=os.dup(fd))
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    finally:
        duplicate.close()


def _close_quietly(cursor: Any) -> None:
    if cursor is not None:
        # Not contextlib.suppress: this runs on every call, and try costs nothing.
        try:  # noqa: SIM105
            cursor.close()
        except Exception:  # noqa: S110 - a cursor of a dead connection: nothing to release
            pass


def _rollback_quietly(connection: Any) -> None:
    with suppress(Exception):  # the connection is gone; the pool discards it
        connection.rollback()
