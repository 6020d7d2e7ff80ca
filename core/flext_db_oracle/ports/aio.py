"""Async twins of the database ports, for drivers with a native asyncio API.

Same vocabulary as the sync ports: each method keeps its name and arguments and
becomes a coroutine (`await query.fetch_all(...)`); `transaction()` is an async
context manager and a stream an async iterator. The async facade builds on these.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import (
    BatchOutcome,
    Column,
    ExecuteOutcome,
    PoolStats,
    QueryResult,
    Row,
    SequenceInfo,
    ServerInfo,
    SynonymInfo,
    TableMetadata,
    TableRef,
)
from flext_db_oracle.ports.query import BatchErrorMode, Params, RowShape, TransactionState


class AsyncConnectionPort(Protocol):
    async def ping(self) -> Result[ServerInfo, DbError]: ...

    async def pool_stats(self) -> Result[PoolStats, DbError]: ...

    async def close(self) -> Result[None, DbError]: ...


class AsyncRowStream(Protocol):
    """Batches of rows from an open cursor; `async with` closes it."""

    columns: tuple[str, ...]

    def __aiter__(self) -> AsyncIterator[Sequence[Any]]: ...

    async def __aenter__(self) -> AsyncRowStream: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def close(self) -> None: ...


class AsyncQueryPort(Protocol):
    name: str

    async def fetch_all(
        self, sql: str, params: Params | None = None, *, shape: RowShape = "tuple"
    ) -> Result[QueryResult, DbError]: ...

    async def fetch_one(
        self, sql: str, params: Params | None = None, *, shape: RowShape = "tuple"
    ) -> Result[Row | None, DbError]: ...

    async def stream(
        self,
        sql: str,
        params: Params | None = None,
        *,
        batch_size: int = 1000,
        shape: RowShape = "tuple",
    ) -> Result[AsyncRowStream, DbError]: ...

    async def execute(
        self, sql: str, params: Params | None = None
    ) -> Result[ExecuteOutcome, DbError]: ...

    async def execute_many(
        self, sql: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]: ...

    async def bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        schema: str | None = None,
        on_error: BatchErrorMode = "stop",
    ) -> Result[BatchOutcome, DbError]: ...

    async def call_procedure(
        self, name: str, args: Params | None = None
    ) -> Result[Params, DbError]: ...

    async def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]: ...

    def transaction(self) -> AbstractAsyncContextManager[TransactionState]: ...


class AsyncSchemaPort(Protocol):
    async def list_schemas(self) -> Result[list[str], DbError]: ...

    async def list_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]: ...

    async def get_columns(
        self, table: str, schema: str | None = None
    ) -> Result[list[Column], DbError]: ...

    async def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]: ...

    async def list_sequences(
        self, schema: str | None = None
    ) -> Result[list[SequenceInfo], DbError]: ...

    async def list_synonyms(
        self, schema: str | None = None
    ) -> Result[list[SynonymInfo], DbError]: ...

    async def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]: ...


class AsyncDatabaseAdapter(Protocol):
    """One configured async backend: the three async ports over one pool."""

    name: str
    connection: AsyncConnectionPort
    query: AsyncQueryPort
    schema: AsyncSchemaPort
