"""`FlextDbOracleApi`: the facade applications use, over the container's ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from dependency_injector import providers
from returns.result import Failure, Result, Success

from flext_db_oracle.container import DbContainer
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import (
    BatchOutcome,
    Column,
    ExecuteOutcome,
    PoolStats,
    QueryResult,
    Row,
    ServerInfo,
    TableMetadata,
    TableRef,
)
from flext_db_oracle.ports import Params, RowStream
from flext_db_oracle.settings import DatabaseSettings, load_settings

_T = TypeVar("_T")
_P = TypeVar("_P")


@dataclass
class _Transaction:
    failure: DbError | None = None


class FlextDbOracleApi:
    """Typed access to one configured database.

    Every operation returns `Result[T, DbError]`: `Success(value)` or
    `Failure(DbError)`; nothing raises except `transaction()` and the context
    manager's entry, which cannot return a result.

    >>> with FlextDbOracleApi.from_url("sqlite://") as db:
    ...     db.query("select 1 as one").map(QueryResult.scalar)
    <Success: 1>
    """

    def __init__(self, container: DbContainer) -> None:
        self.container = container
        self._transaction: ContextVar[_Transaction | None] = ContextVar(
            f"flext_db_oracle_tx_{id(self)}", default=None
        )

    # --- construction -----------------------------------------------------------

    @classmethod
    def from_settings(
        cls,
        settings: DatabaseSettings,
        *,
        plugins: tuple[object, ...] = (),
        autoload: bool | None = None,
    ) -> Self:
        """Use `settings`; `plugins` are registered by hand beside the discovered ones."""
        container = DbContainer()
        container.settings.override(providers.Object(settings))
        if plugins or autoload is not None:
            from flext_db_oracle.plugins import create_plugin_manager

            container.plugin_manager.override(
                providers.Singleton(create_plugin_manager, autoload=autoload, plugins=plugins)
            )
        return cls(container)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        plugins: tuple[object, ...] = (),
        autoload: bool | None = None,
        **settings: Any,
    ) -> Self:
        """Connect to `url`; other keyword arguments are `DatabaseSettings` fields."""
        return cls.from_settings(
            load_settings(url=url, **settings), plugins=plugins, autoload=autoload
        )

    @classmethod
    def from_env(cls, profile: str | None = None, profiles_file: Path | None = None) -> Self:
        """Settings from `FLEXT_DB_ORACLE_*` variables, optionally overlaid by a profile."""
        return cls.from_settings(load_settings(profile=profile, profiles_file=profiles_file))

    # --- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> Self:
        """Connect; raises `DbError` if the server cannot be reached."""
        self.connect().alt(_raise)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.disconnect()

    def connect(self) -> Result[ServerInfo, DbError]:
        """Open the pool and reach the server once."""
        return self._with(self.container.connection, lambda c: c.ping())

    def test_connection(self) -> Result[ServerInfo, DbError]:
        """Reach the server; `ServerInfo.latency_ms` is the round trip."""
        return self.connect()

    def disconnect(self) -> Result[None, DbError]:
        """Close the pool. Idempotent; the next call reopens it."""
        try:
            self.container.shutdown_resources()
        except DbError as error:
            return Failure(error)
        return Success(None)

    def pool_stats(self) -> Result[PoolStats, DbError]:
        return self._with(self.container.connection, lambda c: c.pool_stats())

    # --- queries -----------------------------------------------------------------

    def query(self, sql: str, params: Params | None = None) -> Result[QueryResult, DbError]:
        """All rows of `sql`; binds are named (`:name`)."""
        return self._with(self.container.query, lambda q: q.fetch_all(sql, params))

    def query_one(self, sql: str, params: Params | None = None) -> Result[Row | None, DbError]:
        """The first row, or `Success(None)` when there is none."""
        return self._with(self.container.query, lambda q: q.fetch_one(sql, params))

    def stream(
        self, sql: str, params: Params | None = None, *, batch_size: int | None = None
    ) -> Result[RowStream, DbError]:
        """Batches of rows in constant memory; close the stream (use `with`)."""
        size = batch_size or self.container.settings().stream_batch_size
        return self._with(self.container.query, lambda q: q.stream(sql, params, batch_size=size))

    def execute(self, sql: str, params: Params | None = None) -> Result[ExecuteOutcome, DbError]:
        """Run one statement; commits by itself outside `transaction()`."""
        return self._with(self.container.query, lambda q: q.execute(sql, params))

    def execute_many(self, sql: str, rows: Sequence[Params]) -> Result[BatchOutcome, DbError]:
        """Run `sql` once per row as one batch; commits by itself outside `transaction()`."""
        return self._with(self.container.query, lambda q: q.execute_many(sql, rows))

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """Commit when the block ends, roll back on any failure.

        A failure is an exception raised in the block *or* any operation in it
        that returned `Failure`; in the latter case the first such `DbError` is
        raised when the block ends, after the rollback, so a failed transaction
        can never pass for a committed one.
        """
        port = self._resolve(self.container.query).alt(_raise).unwrap()
        state = _Transaction()
        token = self._transaction.set(state)
        try:
            with port.transaction():
                yield self
                if state.failure is not None:
                    raise state.failure
        finally:
            self._transaction.reset(token)

    # --- schema ------------------------------------------------------------------

    def get_schemas(self) -> Result[list[str], DbError]:
        return self._with(self.container.schema, lambda s: s.list_schemas())

    def get_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        return self._with(self.container.schema, lambda s: s.list_tables(schema))

    def get_columns(self, table: str, schema: str | None = None) -> Result[list[Column], DbError]:
        return self.get_table_metadata(table, schema).map(lambda meta: list(meta.columns))

    def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]:
        """Columns, keys and indexes of `table`.

        The name is matched exactly first, then case-insensitively when that is
        unambiguous, so `Track` finds PostgreSQL's `track`.
        """
        exact = self._with(self.container.schema, lambda s: s.get_table_metadata(table, schema))
        if not _is_not_found(exact):
            return exact
        match = self.get_tables(schema).map(
            lambda refs: [r.name for r in refs if r.name.casefold() == table.casefold()]
        )
        if isinstance(match, Success) and len(names := match.unwrap()) == 1 and names[0] != table:
            return self._with(
                self.container.schema, lambda s: s.get_table_metadata(names[0], schema)
            )
        return exact

    # --- plumbing ----------------------------------------------------------------

    def _resolve(self, provider: Callable[[], _P]) -> Result[_P, DbError]:
        try:
            return Success(provider())
        except DbError as error:
            return Failure(error)

    def _with(
        self, provider: Callable[[], _P], operation: Callable[[_P], Result[_T, DbError]]
    ) -> Result[_T, DbError]:
        result = self._resolve(provider).bind(operation)
        state = self._transaction.get()
        if state is not None and state.failure is None and isinstance(result, Failure):
            state.failure = result.failure()
        return result


def _raise(error: DbError) -> Result[Any, DbError]:
    raise error


def _is_not_found(result: Result[Any, DbError]) -> bool:
    return isinstance(result, Failure) and result.failure().kind is ErrorKind.NOT_FOUND
