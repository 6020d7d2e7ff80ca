"""The query port on python-oracledb: one statement per call, named binds.

Outside `transaction()` each call takes a pooled connection in autocommit mode:
a read is one round trip (the first `prefetchrows` rows come back with the
execute), a write commits in the same round trip. Inside it, calls join the
pinned connection. A write whose connection is lost after it was sent, outside a
transaction, is reported as "outcome unknown" like a lost commit.
"""

from __future__ import annotations

import importlib
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from flext_db_oracle.edge import ConnectionPinning, Pinned, guarded, parse_statement
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, QueryResult, Row, RowFailure
from flext_db_oracle.ports import BatchErrorMode, OutBind, Params, RowShape
from returns.result import Result

from flext_db_oracle_oracledb import names, sql
from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.pool import SessionPool
from flext_db_oracle_oracledb.stream import ArrowBatchStream, OracleRowStream

_T = TypeVar("_T")
_LOST = frozenset({ErrorKind.CONNECTION, ErrorKind.TIMEOUT})


def row_factory(shape: RowShape, columns: Sequence[str]) -> Callable[..., Any] | None:
    """The cursor's rowfactory for `shape` (None: the driver's tuples)."""
    if shape == "dict":
        keys = tuple(columns)
        return lambda *values: dict(zip(keys, values, strict=True))
    if shape == "named":
        return namedtuple("Row", columns, rename=True)
    return None


def prefetch_rows(configured: int | None, arraysize: int, fixed: int | None = None) -> int:
    """Rows that come back with the execute: `fixed` for a call that knows (fetch_one),
    else the setting, else a whole fetch batch."""
    if fixed is not None:
        return fixed
    return arraysize if configured is None else configured


class OracleQuery:
    def __init__(self, pool: SessionPool, name: str) -> None:
        self.name = name
        self.compound_statements = True  # one call may be one PL/SQL block, `;` inside
        self._pool = pool
        self._own = pool.own
        self._map = partial(to_db_error, adapter=name)
        self._pinning: ConnectionPinning[Any] = ConnectionPinning(
            acquire=pool.acquire,
            begin=_begin,
            commit=lambda connection: connection.commit(),
            rollback=lambda connection: connection.rollback(),
            release=pool.release,
            map_error=self._map,
        )
        self._current_schema: str | None = None

    # --- connections ------------------------------------------------------------

    @contextmanager
    def _connection(self, timeout_s: float | None = None) -> Iterator[tuple[Any, bool]]:
        """(connection, in_transaction): the pinned one, or one from the pool for this call;
        with `timeout_s`, its `call_timeout` bounds this call only (no round trip)."""
        pinned = self._pinning.current()
        if pinned is not None:
            with _call_timeout(pinned.connection, timeout_s):
                yield pinned.connection, True
            return
        connection = self._pool.acquire()
        broken = False
        try:
            with _call_timeout(connection, timeout_s):
                yield connection, False
        except BaseException as exc:
            broken = self._map(exc).kind is ErrorKind.CONNECTION
            raise
        finally:
            self._pool.release(connection, broken)

    def _guard(self, call: Callable[[], _T]) -> Result[_T, DbError]:
        return guarded(self._map, call)

    def _write_error(self, exc: BaseException) -> DbError:
        """A write's failure outside a transaction: lost with the link, its outcome is unknown."""
        error = self._map(exc)
        return error.with_unknown_outcome() if error.kind in _LOST else error

    # --- reads ------------------------------------------------------------------

    def _cursor(self, connection: Any, arraysize: int, prefetchrows: int | None = None) -> Any:
        cursor = connection.cursor()
        cursor.arraysize = arraysize
        cursor.prefetchrows = prefetch_rows(self._own.prefetchrows, arraysize, prefetchrows)
        return cursor

    def fetch_all(
        self,
        sql_text: str,
        params: Params | None = None,
        *,
        shape: RowShape = "tuple",
        arraysize: int | None = None,
        timeout_s: float | None = None,
    ) -> Result[QueryResult, DbError]:
        """All rows; `arraysize` (default from settings) rows per round trip, the first
        batch with the execute."""

        def run() -> QueryResult:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            size = arraysize or self._own.arraysize
            with (
                self._connection(timeout_s) as (connection, _),
                self._cursor(connection, size) as cursor,
            ):
                cursor.execute(statement.text, binds)
                if cursor.description is None:
                    return QueryResult(columns=(), rows=())
                columns = tuple(column[0] for column in cursor.description)
                cursor.rowfactory = row_factory(shape, columns)
                # built without re-validation: rows keep their shape (dict, named tuple)
                return QueryResult.model_construct(columns=columns, rows=tuple(cursor.fetchall()))

        return self._guard(run)

    def fetch_one(
        self,
        sql_text: str,
        params: Params | None = None,
        *,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[Row | None, DbError]:
        def run() -> Row | None:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            with (
                self._connection(timeout_s) as (connection, _),
                self._cursor(connection, 1, 2) as cursor,
            ):
                cursor.execute(statement.text, binds)
                if cursor.description is None:
                    return None
                cursor.rowfactory = row_factory(
                    shape, tuple(column[0] for column in cursor.description)
                )
                row: Row | None = cursor.fetchone()
                return row

        return self._guard(run)

    def stream(
        self,
        sql_text: str,
        params: Params | None = None,
        *,
        batch_size: int = 1000,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[OracleRowStream, DbError]:
        """Batches of `batch_size` rows, one round trip each, in constant memory;
        `timeout_s` bounds the opening (the execute and its first batch)."""

        def run() -> OracleRowStream:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            pinned = self._pinning.current()
            connection = pinned.connection if pinned else self._pool.acquire()
            owned = None if pinned else connection
            cursor = self._cursor(connection, batch_size)
            try:
                with _call_timeout(connection, timeout_s):
                    cursor.execute(statement.text, binds)
                columns = tuple(c[0] for c in cursor.description or ())
                cursor.rowfactory = row_factory(shape, columns)
            except BaseException as exc:
                cursor.close()
                if owned is not None:
                    self._pool.release(owned, self._map(exc).kind is ErrorKind.CONNECTION)
                raise
            return OracleRowStream(
                cursor,
                columns,
                batch_size,
                release=self._pool.release,
                owned=owned,
                map_error=self._map,
            )

        return self._guard(run)

    def fetch_arrow(self, sql_text: str, params: Params | None = None) -> Result[Any, DbError]:
        """All rows as a `pyarrow.Table` (python-oracledb's `fetch_df_all`; needs the
        `arrow` extra)."""

        def run() -> Any:
            pyarrow = _pyarrow()
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            with self._connection() as (connection, _):
                frame = connection.fetch_df_all(
                    statement.text, binds, arraysize=self._own.arraysize
                )
                return pyarrow.table(frame)

        return self._guard(run)

    def stream_arrow(
        self, sql_text: str, params: Params | None = None, *, batch_size: int = 100_000
    ) -> Result[ArrowBatchStream, DbError]:
        """`pyarrow.Table`s of at most `batch_size` rows (python-oracledb's
        `fetch_df_batches`), in constant memory; close the stream (use `with`)."""

        def run() -> ArrowBatchStream:
            pyarrow = _pyarrow()
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            pinned = self._pinning.current()
            connection = pinned.connection if pinned else self._pool.acquire()
            try:
                batches = connection.fetch_df_batches(statement.text, binds, size=batch_size)
            except BaseException as exc:
                if not pinned:
                    self._pool.release(connection, self._map(exc).kind is ErrorKind.CONNECTION)
                raise
            return ArrowBatchStream(
                (pyarrow.table(frame) for frame in batches),
                release=self._pool.release,
                owned=None if pinned else connection,
                map_error=self._map,
            )

        return self._guard(run)

    # --- writes -----------------------------------------------------------------

    def execute(
        self, sql_text: str, params: Params | None = None, *, timeout_s: float | None = None
    ) -> Result[ExecuteOutcome, DbError]:
        def run() -> ExecuteOutcome:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            with (
                self._connection(timeout_s) as (connection, in_transaction),
                connection.cursor() as cursor,
            ):
                try:
                    cursor.execute(statement.text, binds)
                except Exception as exc:
                    if in_transaction or statement.is_read:
                        raise
                    raise self._write_error(exc) from None
                rowcount = cursor.rowcount
                return ExecuteOutcome(rowcount=-1 if rowcount is None else rowcount)

        return self._guard(run)

    def execute_many(
        self, sql_text: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]:
        """Array DML in chunks of `batch_chunk_rows`. `stop`: all rows or none (inside a
        transaction, the transaction decides); `collect`: good rows land, each failed
        row is listed with its index, code and message."""

        def run() -> BatchOutcome:
            statement = parse_statement(sql_text, "named", compound=True)
            values = [statement.bind_values(row) for row in rows]
            return self._array_dml(statement.text, values, on_error)

        return self._guard(run)

    def bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        schema: str | None = None,
        on_error: BatchErrorMode = "stop",
    ) -> Result[BatchOutcome, DbError]:
        """Array-DML INSERT (or direct path load, when enabled, in thin mode, outside a
        transaction and with `on_error="stop"`); names validated and quoted."""

        def run() -> BatchOutcome:
            if not columns:
                raise DbError(ErrorKind.QUERY, "bulk_insert needs at least one column")
            statement = sql.insert_rows(
                names.qualified(table, schema), [names.quote(column) for column in columns]
            )
            data = [tuple(row) for row in rows]
            if any(len(row) != len(columns) for row in data):
                raise DbError(
                    ErrorKind.QUERY, f"every row must have {len(columns)} values, one per column"
                )
            if self._own.direct_path_load and on_error == "stop":
                loaded = self._direct_path(table, columns, data, schema)
                if loaded is not None:
                    return loaded
            return self._array_dml(statement, data, on_error)

        return self._guard(run)

    def _direct_path(
        self, table: str, columns: Sequence[str], data: list[tuple[Any, ...]], schema: str | None
    ) -> BatchOutcome | None:
        if self._pinning.current() is not None:
            return None  # direct path commits on its own: not inside a transaction
        with self._connection() as (connection, _):
            if not connection.thin:
                return None
            owner = names.normalize(schema) if schema else self._schema_of(connection)
            try:
                connection.direct_path_load(
                    owner,
                    names.normalize(table),
                    [names.normalize(column) for column in columns],
                    data,  # one batch: the load commits when it finishes, all rows or none
                )
            except Exception as exc:
                raise self._write_error(exc) from None
        return BatchOutcome(rows_submitted=len(data), rowcount=len(data))

    def _schema_of(self, connection: Any) -> str:
        if self._current_schema is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.CURRENT_SCHEMA)
                self._current_schema = str(cursor.fetchone()[0])
        return self._current_schema

    def _array_dml(
        self, statement: str, rows: Sequence[Any], on_error: BatchErrorMode
    ) -> BatchOutcome:
        collect = on_error == "collect"
        if not rows:
            return BatchOutcome(rows_submitted=0, rowcount=0)
        with self._connection() as (connection, in_transaction):
            # "stop" outside a transaction: one transaction over every chunk. "collect"
            # outside one: autocommit, each chunk's good rows commit with it.
            atomic = not collect and not in_transaction
            connection.autocommit = not atomic and not in_transaction
            try:
                try:
                    rowcount, failures = self._run_chunks(connection, statement, rows, collect)
                except DbError as error:
                    if atomic:
                        _quiet_rollback(connection)
                    lost = not atomic and not in_transaction and error.kind in _LOST
                    raise (error.with_unknown_outcome() if lost else error) from None
                if atomic:
                    try:
                        connection.commit()
                    except Exception as exc:
                        raise self._write_error(exc) from None
            finally:
                if not in_transaction:
                    connection.autocommit = True
        return BatchOutcome(rows_submitted=len(rows), rowcount=rowcount, failures=tuple(failures))

    def _run_chunks(
        self, connection: Any, statement: str, rows: Sequence[Any], collect: bool
    ) -> tuple[int, list[RowFailure]]:
        chunk_size = self._own.batch_chunk_rows
        failures: list[RowFailure] = []
        rowcount = 0
        with connection.cursor() as cursor:
            for start in range(0, len(rows), chunk_size):
                try:
                    cursor.executemany(
                        statement, rows[start : start + chunk_size], batcherrors=collect
                    )
                except Exception as exc:
                    error = self._map(exc)
                    offset = int(error.detail.get("offset", 0))
                    raise error.with_detail(row_index=start + offset) from None
                rowcount += max(cursor.rowcount or 0, 0)
                if collect:
                    failures.extend(
                        RowFailure(
                            index=start + failure.offset,
                            code=failure.full_code,
                            message=failure.message,
                        )
                        for failure in cursor.getbatcherrors()
                    )
        return rowcount, failures

    # --- stored code ------------------------------------------------------------

    def call_procedure(self, name: str, args: Params | None = None) -> Result[Params, DbError]:
        """Call a procedure with named arguments; `OutBind` ones come back by name
        (`OutBind(QueryResult)` for a REF CURSOR)."""

        def run() -> Params:
            procedure = names.procedure_name(name)
            with self._connection() as (connection, _), connection.cursor() as cursor:
                bound, outs = bind_arguments(cursor, args or {})
                cursor.callproc(procedure, keyword_parameters=bound)
                return {
                    key: _out_value(var, outs[key]) for key, var in bound.items() if key in outs
                }

        return self._guard(run)

    def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]:
        def run() -> Any:
            function = names.procedure_name(name)
            with self._connection() as (connection, _), connection.cursor() as cursor:
                bound, _outs = bind_arguments(cursor, args or {})
                value = cursor.callfunc(
                    function, oracle_type(return_type), keyword_parameters=bound
                )
                return _fetch_cursor(value) if return_type is QueryResult else value

        return self._guard(run)

    # --- transactions -----------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Pinned[Any]]:
        with self._pinning.transaction() as state:
            yield state

    def current_transaction(self) -> Pinned[Any] | None:
        return self._pinning.current()


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError:
        raise DbError(
            ErrorKind.CONFIGURATION,
            "Arrow results need pyarrow: install flext-db-oracle-oracledb[arrow]",
        ) from None


def _quiet_rollback(connection: Any) -> None:
    """Roll back; on a lost connection there is nothing to roll back (the server did)."""
    try:
        connection.rollback()
    except Exception:  # the original failure is the one to report
        return


def _begin(connection: Any) -> None:
    connection.autocommit = False  # Oracle opens the transaction with the first write


def oracle_type(python_type: type) -> Any:
    import oracledb

    if python_type is QueryResult:
        return oracledb.DB_TYPE_CURSOR
    return python_type


def bind_arguments(
    cursor: Any, args: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, OutBind]]:
    """Keyword arguments for the call: values as they are, `OutBind`s as driver variables."""
    bound: dict[str, Any] = {}
    outs: dict[str, OutBind] = {}
    for key, value in args.items():
        if isinstance(value, OutBind):
            var = cursor.var(oracle_type(value.python_type))
            if value.value is not None:
                var.setvalue(0, value.value)
            bound[key] = var
            outs[key] = value
        else:
            bound[key] = value
    return bound, outs


def _out_value(var: Any, out: OutBind) -> Any:
    value = var.getvalue()
    if out.python_type is QueryResult:
        return _fetch_cursor(value)
    if out.python_type is Decimal and isinstance(value, (int, float)):
        return Decimal(str(value))
    return value


def _fetch_cursor(cursor: Any) -> QueryResult | None:
    if cursor is None:
        return None
    columns = tuple(column[0] for column in cursor.description or ())
    return QueryResult.model_construct(columns=columns, rows=tuple(cursor.fetchall()))


@contextmanager
def _call_timeout(connection: Any, timeout_s: float | None) -> Iterator[None]:
    """`connection.call_timeout` (milliseconds) set for the block, then put back."""
    if timeout_s is None:
        yield
        return
    previous = connection.call_timeout
    connection.call_timeout = max(1, round(timeout_s * 1000))
    try:
        yield
    finally:
        connection.call_timeout = previous
