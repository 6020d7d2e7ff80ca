"""The async thin adapter: the async ports (`flext_db_oracle.ports.aio`) on
python-oracledb's asyncio API (`create_pool_async`, thin mode only).

Same behaviour as the sync adapter: autocommit outside `transaction()`, named
binds, row shapes, exact numbers and aware timestamps, the same error table, the
connect deadline (here `asyncio.timeout`, so an abandoned connect is cancelled
rather than left behind). LOBs always come back as values (`lob_inline_limit`
would need a round trip inside a synchronous converter).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from flext_db_oracle.edge import Pinned, active_transaction, parse_statement
from flext_db_oracle.edge.transactions import track_transaction
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import (
    BatchOutcome,
    Column,
    ExecuteOutcome,
    PoolStats,
    QueryResult,
    Row,
    RowFailure,
    SequenceInfo,
    ServerInfo,
    SynonymInfo,
    TableMetadata,
    TableRef,
)
from flext_db_oracle.ports import (
    AsyncConnectionPort,
    AsyncQueryPort,
    AsyncSchemaPort,
    BatchErrorMode,
    Params,
    RowShape,
)
from flext_db_oracle.settings import DatabaseSettings, load_adapter_settings
from returns.result import Failure, Result, Success

from flext_db_oracle_oracledb import dictionary, names, sql
from flext_db_oracle_oracledb.connect import ConnectSpec, build_spec
from flext_db_oracle_oracledb.dictionary import Ask, Plain, Plan, Request, Rows
from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.mode import ensure_thin
from flext_db_oracle_oracledb.query import (
    bind_arguments,
    oracle_type,
    prefetch_rows,
    row_factory,
)
from flext_db_oracle_oracledb.settings import OracleDbSettings
from flext_db_oracle_oracledb.types import output_type_handler, parse_time_zone

ASYNC_THIN = "thin"
_T = TypeVar("_T")
_LOST = frozenset({ErrorKind.CONNECTION, ErrorKind.TIMEOUT})


async def _guarded(adapter: str, call: Any) -> Result[Any, DbError]:
    """`Success(await call())`, any exception mapped: nothing raises out of a port method."""
    try:
        return Success(await call())
    except DbError as error:
        return Failure(error)
    except Exception as exc:
        return Failure(to_db_error(exc, adapter))


class AsyncSessionPool:
    def __init__(
        self, spec: ConnectSpec, settings: DatabaseSettings, own: OracleDbSettings, adapter: str
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.own = own
        self.adapter = adapter
        self._pool: Any = None
        self._closed = False
        self._handler = output_type_handler(
            exact_numbers=own.number_as == "exact",
            lob_inline_limit=None,
            session_zone=parse_time_zone(own.session_time_zone),
        )
        self._session_setup = sql.session_setup(own.session_time_zone)

    def _open(self) -> Any:
        if self._closed:
            raise DbError(
                ErrorKind.CONNECTION, "the connection pool was closed", retryable=False,
                adapter=self.adapter,
            )  # fmt: skip
        if self._pool is None:
            import oracledb

            ensure_thin(self.adapter)
            own, pool = self.own, self.settings.pool
            arguments: dict[str, Any] = {
                **self.spec.options,
                "dsn": self.spec.dsn,
                "user": self.spec.user,
                "password": self.spec.password.get_secret_value() if self.spec.password else None,
                "min": own.pool_min,
                "max": max(pool.size + pool.max_overflow, own.pool_min, 1),
                "increment": own.pool_increment,
                "getmode": oracledb.POOL_GETMODE_TIMEDWAIT,
                "wait_timeout": int(pool.timeout_s * 1000),
                "ping_interval": own.ping_interval_s,
                "purity": getattr(oracledb.Purity, own.purity.upper()),
            }
            if self.spec.wallet_password is not None:
                arguments["wallet_password"] = self.spec.wallet_password.get_secret_value()
            try:
                self._pool = oracledb.create_pool_async(**arguments)
            except Exception as exc:
                raise to_db_error(exc, self.adapter) from None
        return self._pool

    async def acquire(self) -> Any:
        pool = self._open()
        try:
            if pool.opened == 0:  # a new session: bounded here too
                async with asyncio.timeout(self.settings.connect_timeout_s):
                    connection = await pool.acquire()
            else:
                connection = await pool.acquire()
        except TimeoutError:
            self._pool = None  # start afresh next time
            raise DbError(
                ErrorKind.TIMEOUT,
                f"no answer from {self.spec.described()} within the connect timeout of "
                f"{self.settings.connect_timeout_s:g} s (FLEXT_DB_ORACLE_CONNECT_TIMEOUT_S)",
                retryable=True,
                adapter=self.adapter,
            ) from None
        except Exception as exc:
            raise to_db_error(exc, self.adapter) from None
        if connection.module != self.own.module:  # a new session (module is local state)
            await self._new_session(connection)
        connection.autocommit = True
        connection.outputtypehandler = self._handler
        if self.own.call_timeout_s is not None:
            connection.call_timeout = int(self.own.call_timeout_s * 1000)
        return connection

    async def _new_session(self, connection: Any) -> None:
        connection.module = self.own.module
        if self.own.action is not None:
            connection.action = self.own.action
        if self.own.client_identifier is not None:
            connection.client_identifier = self.own.client_identifier
        with connection.cursor() as cursor:
            await cursor.execute(self._session_setup)

    async def release(self, connection: Any, broken: bool = False) -> None:
        pool = self._pool
        if pool is None:
            await connection.close()
        elif broken:
            await pool.drop(connection)
        else:
            await pool.release(connection)

    def stats(self) -> PoolStats:
        pool = self._pool
        if pool is None:
            return PoolStats(size=0, checked_out=0, overflow=0, description="not opened yet")
        return PoolStats(
            size=pool.opened,
            checked_out=pool.busy,
            overflow=max(pool.opened - self.settings.pool.size, 0),
            description=f"python-oracledb async thin pool: {pool.opened} open, {pool.busy} busy",
        )

    async def close(self) -> None:
        pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            await pool.close(force=True)


class AsyncOracleConnection:
    def __init__(self, pool: AsyncSessionPool) -> None:
        self._pool = pool

    async def ping(self) -> Result[ServerInfo, DbError]:
        async def run() -> ServerInfo:
            started = time.perf_counter()
            connection = await self._pool.acquire()
            broken = False
            try:
                await connection.ping()
                return ServerInfo(
                    adapter=self._pool.adapter,
                    dialect="oracle",
                    product="Oracle Database",
                    version=str(connection.version),
                    database=connection.service_name,
                    latency_ms=(time.perf_counter() - started) * 1000,
                )
            except BaseException:
                broken = True
                raise
            finally:
                await self._pool.release(connection, broken)

        return await _guarded(self._pool.adapter, run)

    async def pool_stats(self) -> Result[PoolStats, DbError]:
        return await _guarded(self._pool.adapter, self._async(self._pool.stats))

    async def close(self) -> Result[None, DbError]:
        return await _guarded(self._pool.adapter, self._pool.close)

    @staticmethod
    def _async(call: Any) -> Any:
        async def run() -> Any:
            return call()

        return run


class AsyncOracleRowStream:
    def __init__(
        self, cursor: Any, columns: tuple[str, ...], batch_size: int, pool: AsyncSessionPool,
        owned: Any,
    ) -> None:  # fmt: skip
        self.columns = columns
        self._cursor = cursor
        self._batch_size = batch_size
        self._pool = pool
        self._owned = owned

    async def _batches(self) -> AsyncIterator[Sequence[Any]]:
        if not self.columns:
            await self.close()
            return
        try:
            while batch := await self._cursor.fetchmany(self._batch_size):
                yield batch
        except Exception as exc:
            await self.close(broken=True)
            raise to_db_error(exc, self._pool.adapter) from None
        await self.close()

    def __aiter__(self) -> AsyncIterator[Sequence[Any]]:
        return self._batches()

    async def __aenter__(self) -> AsyncOracleRowStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self, broken: bool = False) -> None:
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            try:
                cursor.close()
            except Exception:
                broken = True
        owned, self._owned = self._owned, None
        if owned is not None:
            await self._pool.release(owned, broken)


class AsyncOracleQuery:
    def __init__(self, pool: AsyncSessionPool) -> None:
        self.name = pool.adapter
        self.compound_statements = True  # one call may be one PL/SQL block, `;` inside
        self._pool = pool
        self._own = pool.own
        self._map = partial(to_db_error, adapter=pool.adapter)

    def current_transaction(self) -> Pinned[Any] | None:
        return active_transaction(self)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[tuple[Any, bool]]:
        pinned = self.current_transaction()
        if pinned is not None:
            yield pinned.connection, True
            return
        connection = await self._pool.acquire()
        broken = False
        try:
            yield connection, False
        except BaseException as exc:
            broken = self._map(exc).kind is ErrorKind.CONNECTION
            raise
        finally:
            await self._pool.release(connection, broken)

    async def fetch_all(
        self, sql_text: str, params: Params | None = None, *, shape: RowShape = "tuple",
        arraysize: int | None = None,
    ) -> Result[QueryResult, DbError]:  # fmt: skip
        async def run() -> QueryResult:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            size = arraysize or self._own.arraysize
            async with self._connection() as (connection, _):
                with connection.cursor() as cursor:
                    cursor.arraysize = size
                    cursor.prefetchrows = prefetch_rows(self._own.prefetchrows, size)
                    await cursor.execute(statement.text, binds)
                    if cursor.description is None:
                        return QueryResult(columns=(), rows=())
                    columns = tuple(column[0] for column in cursor.description)
                    cursor.rowfactory = row_factory(shape, columns)
                    rows = await cursor.fetchall()
                    return QueryResult.model_construct(columns=columns, rows=tuple(rows))

        return await _guarded(self.name, run)

    async def fetch_one(
        self, sql_text: str, params: Params | None = None, *, shape: RowShape = "tuple"
    ) -> Result[Row | None, DbError]:
        async def run() -> Row | None:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            async with self._connection() as (connection, _):
                with connection.cursor() as cursor:
                    cursor.arraysize, cursor.prefetchrows = 1, 2
                    await cursor.execute(statement.text, binds)
                    if cursor.description is None:
                        return None
                    columns = tuple(column[0] for column in cursor.description)
                    cursor.rowfactory = row_factory(shape, columns)
                    row: Row | None = await cursor.fetchone()
                    return row

        return await _guarded(self.name, run)

    async def stream(
        self, sql_text: str, params: Params | None = None, *, batch_size: int = 1000,
        shape: RowShape = "tuple",
    ) -> Result[AsyncOracleRowStream, DbError]:  # fmt: skip
        async def run() -> AsyncOracleRowStream:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            pinned = self.current_transaction()
            connection = pinned.connection if pinned else await self._pool.acquire()
            owned = None if pinned else connection
            cursor = connection.cursor()
            cursor.arraysize = batch_size
            cursor.prefetchrows = prefetch_rows(self._own.prefetchrows, batch_size)
            try:
                await cursor.execute(statement.text, binds)
                columns = tuple(c[0] for c in cursor.description or ())
                cursor.rowfactory = row_factory(shape, columns)
            except BaseException as exc:
                cursor.close()
                if owned is not None:
                    broken = self._map(exc).kind is ErrorKind.CONNECTION
                    await self._pool.release(owned, broken)
                raise
            return AsyncOracleRowStream(cursor, columns, batch_size, self._pool, owned)

        return await _guarded(self.name, run)

    async def execute(
        self, sql_text: str, params: Params | None = None
    ) -> Result[ExecuteOutcome, DbError]:
        async def run() -> ExecuteOutcome:
            statement = parse_statement(sql_text, "named", compound=True)
            binds = statement.bind_values(params)
            async with self._connection() as (connection, in_transaction):
                with connection.cursor() as cursor:
                    try:
                        await cursor.execute(statement.text, binds)
                    except Exception as exc:
                        error = self._map(exc) if statement.is_read else None
                        raise error or self._lost_write(exc, in_transaction) from None
                    rowcount = cursor.rowcount
                    return ExecuteOutcome(rowcount=-1 if rowcount is None else rowcount)

        return await _guarded(self.name, run)

    def _lost_write(self, exc: BaseException, in_transaction: bool) -> DbError:
        error = self._map(exc)
        if not in_transaction and error.kind in _LOST:
            return error.with_unknown_outcome()
        return error

    async def execute_many(
        self, sql_text: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]:
        async def run() -> BatchOutcome:
            statement = parse_statement(sql_text, "named", compound=True)
            values = [statement.bind_values(row) for row in rows]
            return await self._array_dml(statement.text, values, on_error)

        return await _guarded(self.name, run)

    async def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
        schema: str | None = None, on_error: BatchErrorMode = "stop",
    ) -> Result[BatchOutcome, DbError]:  # fmt: skip
        async def run() -> BatchOutcome:
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
            return await self._array_dml(statement, data, on_error)

        return await _guarded(self.name, run)

    async def _array_dml(
        self, statement: str, rows: Sequence[Any], on_error: BatchErrorMode
    ) -> BatchOutcome:
        collect = on_error == "collect"
        if not rows:
            return BatchOutcome(rows_submitted=0, rowcount=0)
        chunk_size = self._own.batch_chunk_rows
        failures: list[RowFailure] = []
        rowcount = 0
        async with self._connection() as (connection, in_transaction):
            atomic = not collect and not in_transaction
            connection.autocommit = not atomic and not in_transaction
            try:
                with connection.cursor() as cursor:
                    for start in range(0, len(rows), chunk_size):
                        try:
                            await cursor.executemany(
                                statement, rows[start : start + chunk_size], batcherrors=collect
                            )
                        except Exception as exc:
                            if atomic:
                                await _quiet_rollback(connection)
                            error = self._lost_write(exc, in_transaction or atomic)
                            offset = int(error.detail.get("offset", 0))
                            raise error.with_detail(row_index=start + offset) from None
                        rowcount += max(cursor.rowcount or 0, 0)
                        if collect:
                            failures.extend(
                                RowFailure(index=start + e.offset, code=e.full_code,
                                           message=e.message)
                                for e in cursor.getbatcherrors()
                            )  # fmt: skip
                if atomic:
                    try:
                        await connection.commit()
                    except Exception as exc:
                        raise self._lost_write(exc, False) from None
            finally:
                if not in_transaction:
                    connection.autocommit = True
        return BatchOutcome(rows_submitted=len(rows), rowcount=rowcount, failures=tuple(failures))

    async def call_procedure(
        self, name: str, args: Params | None = None
    ) -> Result[Params, DbError]:
        async def run() -> Params:
            procedure = names.procedure_name(name)
            async with self._connection() as (connection, _):
                with connection.cursor() as cursor:
                    bound, outs = bind_arguments(cursor, args or {})
                    await cursor.callproc(procedure, keyword_parameters=bound)
                    return {
                        key: await _out_value(var, outs[key].python_type)
                        for key, var in bound.items()
                        if key in outs
                    }

        return await _guarded(self.name, run)

    async def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]:
        async def run() -> Any:
            function = names.procedure_name(name)
            async with self._connection() as (connection, _):
                with connection.cursor() as cursor:
                    bound, _outs = bind_arguments(cursor, args or {})
                    value = await cursor.callfunc(
                        function, oracle_type(return_type), keyword_parameters=bound
                    )
                    if return_type is QueryResult:
                        return await _fetch_cursor(value)
                    return value

        return await _guarded(self.name, run)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Pinned[Any]]:
        """Commit when the block ends, roll back when it raises or recorded a failure; a
        commit that loses its connection is "outcome unknown"."""
        outer = self.current_transaction()
        if outer is not None:
            yield outer
            return
        connection = await self._pool.acquire()
        connection.autocommit = False
        state: Pinned[Any] = Pinned(connection)
        broken = False
        try:
            with track_transaction(self, state):
                try:
                    yield state
                except BaseException:
                    broken = not await _quiet_rollback(connection)
                    raise
            if state.failure is not None:
                broken = not await _quiet_rollback(connection)
                raise state.failure
            try:
                await connection.commit()
            except Exception as exc:
                broken = True
                error = self._map(exc)
                if error.kind in _LOST:
                    error = error.with_unknown_outcome()
                raise error from None
        finally:
            await self._pool.release(connection, broken)


async def _quiet_rollback(connection: Any) -> bool:
    try:
        await connection.rollback()
    except Exception:  # the original failure is the one to report
        return False
    return True


async def _out_value(var: Any, python_type: type) -> Any:
    value = var.getvalue()
    return await _fetch_cursor(value) if python_type is QueryResult else value


async def _fetch_cursor(cursor: Any) -> QueryResult | None:
    if cursor is None:
        return None
    columns = tuple(column[0] for column in cursor.description or ())
    return QueryResult.model_construct(columns=columns, rows=tuple(await cursor.fetchall()))


class AsyncDictionaryRunner:
    """`schema.DictionaryRunner` over an async connection."""

    def __init__(self, adapter: str) -> None:
        self._map = partial(to_db_error, adapter=adapter)
        self._current_schema: str | None = None

    async def run(self, plan: Plan[_T], connection: Any, first: Request) -> _T:
        request = first
        try:
            while True:
                request = plan.send(await self._answer(request, connection))
        except StopIteration as done:
            value: _T = done.value
            return value

    async def _answer(self, request: Request, connection: Any) -> Any:
        if isinstance(request, Plain):
            return await _rows(connection, request.statement, request.binds)
        if isinstance(request, Ask):
            try:
                return await _rows(connection, request.query.all_views, request.all_binds())
            except Exception as exc:
                error = self._map(exc)
                if not dictionary.use_user_views(error, request, await self._schema(connection)):
                    raise error from None
                return await _rows(connection, request.query.user_views, request.binds)
        return await self._schema(connection)  # OWNER: the current schema

    async def _schema(self, connection: Any) -> str:
        if self._current_schema is None:
            rows = await _rows(connection, sql.CURRENT_SCHEMA, {})
            self._current_schema = str(rows[0][0])
        return self._current_schema


async def _rows(connection: Any, statement: str, binds: dict[str, Any]) -> Rows:
    with connection.cursor() as cursor:
        await cursor.execute(statement, binds)
        rows: Rows = await cursor.fetchall()
        return rows


class AsyncOracleSchema:
    def __init__(self, pool: AsyncSessionPool) -> None:
        self._pool = pool
        self._runner = AsyncDictionaryRunner(pool.adapter)

    async def _run(self, plan: Plan[_T]) -> Result[_T, DbError]:
        async def run() -> _T:
            try:
                first = next(plan)  # checks the input before a connection is taken
            except StopIteration as done:
                value: _T = done.value
                return value
            connection = await self._pool.acquire()
            broken = False
            try:
                return await self._runner.run(plan, connection, first)
            except BaseException as exc:
                broken = to_db_error(exc).kind is ErrorKind.CONNECTION
                raise
            finally:
                await self._pool.release(connection, broken)

        return await _guarded(self._pool.adapter, run)

    async def list_schemas(self) -> Result[list[str], DbError]:
        return await self._run(dictionary.list_schemas())

    async def list_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        return await self._run(dictionary.list_tables(schema))

    async def get_columns(
        self, table: str, schema: str | None = None
    ) -> Result[list[Column], DbError]:
        return await self._run(dictionary.get_columns(table, schema))

    async def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]:
        return await self._run(dictionary.get_table_metadata(table, schema))

    async def list_sequences(
        self, schema: str | None = None
    ) -> Result[list[SequenceInfo], DbError]:
        return await self._run(dictionary.list_sequences(schema))

    async def list_synonyms(self, schema: str | None = None) -> Result[list[SynonymInfo], DbError]:
        return await self._run(dictionary.list_synonyms(schema))

    async def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]:
        return await self._run(dictionary.get_ddl(name, schema, object_type))


@dataclass
class AsyncOracleAdapter:
    pool: AsyncSessionPool
    # typed as the ports, so that mypy checks the implementations against them
    connection: AsyncConnectionPort
    query: AsyncQueryPort
    schema: AsyncSchemaPort
    name: str = ASYNC_THIN


def create_async_thin(
    settings: DatabaseSettings, own: OracleDbSettings | None = None
) -> AsyncOracleAdapter:
    """The async thin adapter; like the sync factories, it touches no network."""
    options = own if own is not None else load_adapter_settings(OracleDbSettings, settings)
    pool = AsyncSessionPool(
        build_spec(settings, options, thick=False), settings, options, ASYNC_THIN
    )
    return AsyncOracleAdapter(
        pool=pool,
        connection=AsyncOracleConnection(pool),
        query=AsyncOracleQuery(pool),
        schema=AsyncOracleSchema(pool),
    )
