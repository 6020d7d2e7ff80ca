"""`FlextDbOracleApi`: the facade applications use, over a `DbContainer`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

import pluggy
from dependency_injector import providers
from returns.result import Failure, Result, Success

from flext_db_oracle.container import DbContainer, Lifecycle, RecordSources
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import (
    BatchOutcome,
    Column,
    Credentials,
    ExecuteOutcome,
    Permission,
    PoolStats,
    Principal,
    QueryResult,
    ReadRequest,
    SequenceInfo,
    ServerInfo,
    SourceRef,
    SynonymInfo,
    TableMetadata,
    TableRef,
)
from flext_db_oracle.observability import ObservedQueryPort, ObservedRowStream, Observer
from flext_db_oracle.plugins import create_plugin_manager
from flext_db_oracle.ports import (
    AuthPort,
    BatchErrorMode,
    ConnectionPort,
    Params,
    RowShape,
    RowStream,
    SchemaPort,
)
from flext_db_oracle.registry import AdapterRegistry
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle.settings import DatabaseSettings, load_settings

_T = TypeVar("_T")


@dataclass(frozen=True)
class Runtime:
    """What a host or the CLI may read of a facade's set-up (read-only)."""

    settings: DatabaseSettings
    plugin_manager: pluggy.PluginManager
    registry: AdapterRegistry

    @property
    def shown_url(self) -> str:
        """The URL in use (aliases resolved), password masked."""
        return self.settings.database_url().render()


@dataclass(frozen=True)
class _Ports:
    """The ports one facade resolved, with the generation of the container they are from."""

    generation: int
    query: ObservedQueryPort
    schema: SchemaPort
    connection: ConnectionPort
    observer: Observer
    stream_batch_size: int
    retry: RetryPolicy


class FlextDbOracleApi:
    """Typed access to one configured database (and its record sources).

    Every operation returns `Result[T, DbError]`: `Success(value)` or
    `Failure(DbError)`; nothing raises except `transaction()` and the context
    manager's entry, which cannot return a result.

    >>> with FlextDbOracleApi.from_url("sqlite://") as db:
    ...     db.query("select 1 as one").map(QueryResult.scalar)
    <Success: 1>
    """

    def __init__(self, container: DbContainer, *, principal: Principal | None = None) -> None:
        self.container = container
        self._principal = principal
        self._ports: _Ports | None = None
        self._lifecycle: Lifecycle = container.lifecycle()

    # --- construction -----------------------------------------------------------

    @classmethod
    def from_settings(
        cls,
        settings: DatabaseSettings,
        *,
        plugins: tuple[object, ...] = (),
        autoload: bool | None = None,
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> Self:
        """Use `settings`. `plugins` are registered by hand beside the discovered ones;
        `plugin_manager` reuses a manager the host already built (the CLI does)."""
        container = DbContainer()
        container.settings.override(providers.Object(settings))
        if plugin_manager is not None:
            container.plugin_manager.override(providers.Object(plugin_manager))
        elif plugins or autoload is not None:
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
    def from_env(
        cls,
        profile: str | None = None,
        profiles_file: Path | None = None,
        *,
        plugins: tuple[object, ...] = (),
        autoload: bool | None = None,
    ) -> Self:
        """Settings from `FLEXT_DB_ORACLE_*` variables, optionally overlaid by a profile."""
        return cls.from_settings(
            load_settings(profile=profile, profiles_file=profiles_file),
            plugins=plugins,
            autoload=autoload,
        )

    def as_principal(self, principal: Principal) -> Self:
        """A facade over the same container acting for `principal`: its permissions are
        checked and every `StatementContext` carries it."""
        return type(self)(self.container, principal=principal)

    # --- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> Self:
        """Connect; raises `DbError` if the server cannot be reached."""
        self.connect().alt(_raise)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.disconnect()

    def connect(self) -> Result[ServerInfo, DbError]:
        """Open the pool and reach the server once."""
        return self._ports_result().bind(lambda ports: ports.connection.ping())

    def test_connection(self) -> Result[ServerInfo, DbError]:
        """Reach the server; `ServerInfo.latency_ms` is the round trip."""
        return self.connect()

    def disconnect(self) -> Result[None, DbError]:
        """Close pools and clients. Idempotent; the next call reopens them."""
        self._ports = None
        self._lifecycle.generation += 1
        try:
            self.container.shutdown_resources()
        except DbError as error:
            return Failure(error)
        except Exception as exc:  # an adapter's close bug: still typed
            return Failure(DbError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}"))
        return Success(None)

    def override(self, provider: str, replacement: providers.Provider[Any]) -> None:
        """Override one of the container's providers (`query`, `schema`, `settings`, ...);
        the facade resolves its ports again on the next call."""
        getattr(self.container, provider).override(replacement)
        self._ports = None
        self._lifecycle.generation += 1

    @property
    def runtime(self) -> Runtime:
        """Settings (aliases resolved), plugin manager and registry; raises `DbError`
        when the settings are invalid."""
        return Runtime(
            settings=self.container.resolved_settings(),
            plugin_manager=self.container.plugin_manager(),
            registry=self.container.registry(),
        )

    def pool_stats(self) -> Result[PoolStats, DbError]:
        return self._ports_result().bind(lambda ports: ports.connection.pool_stats())

    # --- queries -----------------------------------------------------------------

    def query(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape | None = None,
        retry: RetryPolicy | None = None,
        timeout_s: float | None = None,
    ) -> Result[QueryResult, DbError]:
        """All rows of `sql`; binds are named (`:name`). `shape` as in settings by default.
        Outside a transaction a retryable failure is retried by `retry` (settings'
        `retry` by default). `timeout_s` bounds this statement (the settings'
        `statement_timeout_s` otherwise): past it, it is cancelled (kind `timeout`)."""
        ports = self._ports
        if ports is None or ports.generation != self._lifecycle.generation:
            return self._ports_result().bind(
                lambda _ports: self.query(
                    sql, params, shape=shape, retry=retry, timeout_s=timeout_s
                )
            )
        result = ports.query.fetch_all(sql, params, shape=shape, timeout_s=timeout_s)
        if isinstance(result, Failure):
            return self._failed_read(
                ports,
                result,
                lambda: ports.query.fetch_all(sql, params, shape=shape, timeout_s=timeout_s),
                retry,
            )
        return result

    def query_one(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape | None = None,
        retry: RetryPolicy | None = None,
        timeout_s: float | None = None,
    ) -> Result[Any, DbError]:
        """The first row, or `Success(None)` when there is none. Retried and bounded as
        `query` is."""
        ports = self._ports  # the hot path: no closure, no Result plumbing
        if ports is None or ports.generation != self._lifecycle.generation:
            return self._ports_result().bind(
                lambda _ports: self.query_one(
                    sql, params, shape=shape, retry=retry, timeout_s=timeout_s
                )
            )
        result = ports.query.fetch_one(sql, params, shape=shape, timeout_s=timeout_s)
        if isinstance(result, Failure):
            return self._failed_read(
                ports,
                result,
                lambda: ports.query.fetch_one(sql, params, shape=shape, timeout_s=timeout_s),
                retry,
            )
        return result

    def stream(
        self,
        sql: str,
        params: Params | None = None,
        *,
        batch_size: int | None = None,
        shape: RowShape | None = None,
        retry: RetryPolicy | None = None,
        timeout_s: float | None = None,
    ) -> Result[RowStream, DbError]:
        """Batches of rows in constant memory; close the stream (use `with`). Opening it
        is retried and bounded as `query` is; a failure while iterating raises `DbError`."""

        def open_stream(ports: _Ports) -> Result[RowStream, DbError]:
            size = batch_size or ports.stream_batch_size

            def call() -> Result[RowStream, DbError]:
                return ports.query.stream(
                    sql, params, batch_size=size, shape=shape, timeout_s=timeout_s
                )

            result = call()
            return (
                self._failed_read(ports, result, call, retry)
                if isinstance(result, Failure)
                else result
            )

        return self._ports_result().bind(open_stream)

    def query_arrow(self, sql: str, params: Params | None = None) -> Result[Any, DbError]:
        """All rows as a `pyarrow.Table`, on the adapter's native columnar path where it
        has one (the Oracle thin and thick adapters); `unsupported` elsewhere (then
        `flext_db_oracle_dataframes.query_arrow` builds the table from the rows)."""
        return self._on(lambda p: p.query.fetch_arrow(sql, params))

    def execute(
        self, sql: str, params: Params | None = None, *, timeout_s: float | None = None
    ) -> Result[ExecuteOutcome, DbError]:
        """Run one statement; commits by itself outside `transaction()`. `timeout_s`
        bounds it as in `query`."""
        return self._on(lambda p: p.query.execute(sql, params, timeout_s=timeout_s))

    def execute_many(
        self, sql: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]:
        """Run `sql` once per row as one batch; commits by itself outside `transaction()`.

        `on_error="stop"`: all rows or none. `"collect"`: the good rows are written and
        each failing row is listed in `BatchOutcome.failures`.
        """
        return self._on(lambda p: p.query.execute_many(sql, rows, on_error=on_error))

    def bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        schema: str | None = None,
        on_error: BatchErrorMode = "stop",
    ) -> Result[BatchOutcome, DbError]:
        """Insert many rows on the backend's fastest path (PostgreSQL `COPY`, array DML)."""
        return self._on(
            lambda p: p.query.bulk_insert(table, columns, rows, schema=schema, on_error=on_error)
        )

    def call_procedure(self, name: str, args: Params | None = None) -> Result[Params, DbError]:
        """Call a stored procedure; `OutBind` arguments come back in the result."""
        return self._on(lambda p: p.query.call_procedure(name, args))

    def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]:
        return self._on(lambda p: p.query.call_function(name, return_type, args))

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """Commit when the block ends, roll back on any failure.

        A failure is an exception raised in the block *or* any operation in it
        that returned `Failure`; in the latter case the first such `DbError` is
        raised when the block ends, after the rollback, so a failed transaction
        can never pass for a committed one. The block's own exception always
        wins over a failing rollback.
        """
        ports = self._ports_result().alt(_raise).unwrap()
        with ports.query.transaction():
            yield self

    # --- schema ------------------------------------------------------------------

    def get_schemas(self) -> Result[list[str], DbError]:
        return self._browse("get_schemas", lambda s: s.list_schemas())

    def get_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        return self._browse("get_tables", lambda s: s.list_tables(schema))

    def get_columns(self, table: str, schema: str | None = None) -> Result[list[Column], DbError]:
        return self.get_table_metadata(table, schema).map(lambda meta: list(meta.columns))

    def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]:
        """Columns, keys and indexes of `table`.

        The name is matched exactly first, then case-insensitively when that is
        unambiguous, so `Track` finds PostgreSQL's `track`.
        """
        if not isinstance(table, str) or not (schema is None or isinstance(schema, str)):
            return Failure(
                DbError(
                    ErrorKind.QUERY,
                    "table and schema names must be text",
                    detail={"table": repr(table), "schema": repr(schema)},
                )
            )
        exact = self._browse("describe", lambda s: s.get_table_metadata(table, schema))
        if not _is_not_found(exact):
            return exact
        match = self.get_tables(schema).map(
            lambda refs: [r.name for r in refs if r.name.casefold() == table.casefold()]
        )
        if isinstance(match, Success) and len(names := match.unwrap()) == 1 and names[0] != table:
            return self._browse("describe", lambda s: s.get_table_metadata(names[0], schema))
        return exact

    def get_sequences(self, schema: str | None = None) -> Result[list[SequenceInfo], DbError]:
        return self._browse("get_sequences", lambda s: s.list_sequences(schema))

    def get_synonyms(self, schema: str | None = None) -> Result[list[SynonymInfo], DbError]:
        return self._browse("get_synonyms", lambda s: s.list_synonyms(schema))

    def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]:
        return self._browse("get_ddl", lambda s: s.get_ddl(name, schema, object_type))

    # --- auth --------------------------------------------------------------------

    @property
    def principal(self) -> Principal | None:
        """Who this facade acts for (see `as_principal`)."""
        return self._principal

    def authenticate(self, credentials: Credentials) -> Result[Principal, DbError]:
        """Check `credentials` with the configured auth adapter (`auth_adapter`)."""
        if not isinstance(credentials, Credentials):
            return Failure(DbError(ErrorKind.AUTHENTICATION, "credentials must be Credentials"))
        return self._auth().bind(lambda auth: auth.authenticate(credentials))

    def authorize(self, permission: Permission) -> Result[None, DbError]:
        """Whether this facade's principal may do what `permission` covers."""
        refused = self._ports_result().map(
            lambda ports: ports.observer.authorize(permission, permission.value)
        )
        return refused.bind(lambda error: Success(None) if error is None else Failure(error))

    # --- record sources ----------------------------------------------------------

    def list_sources(self, adapter: str) -> Result[list[SourceRef], DbError]:
        """What record-source adapter `adapter` (e.g. `wms`) can read."""
        return self._source(adapter, "list_sources", None, lambda s: s.list_sources())

    def describe_source(self, adapter: str, source: str) -> Result[TableMetadata, DbError]:
        return self._source(adapter, "describe_source", source, lambda s: s.describe(source))

    def read_source(
        self, adapter: str, source: str, request: ReadRequest | None = None
    ) -> Result[RowStream, DbError]:
        """Rows of a record source, page by page; observed from open to close."""
        started = time.perf_counter()
        opened = self._source(
            adapter,
            "read_source",
            source,
            lambda s: s.read(source, request or ReadRequest()),
            report_success=False,  # the stream reports once, when it closes
        )
        if isinstance(opened, Failure) or self._ports is None:
            return opened
        observer = self._ports.observer
        context = observer.context("read_source", None, None, None, target=source, adapter=adapter)
        return Success(ObservedRowStream(opened.unwrap(), observer, context, started))

    # --- plumbing ----------------------------------------------------------------

    def _ports_result(self) -> Result[_Ports, DbError]:
        ports = self._ports
        if ports is not None and ports.generation == self._lifecycle.generation:
            return Success(ports)
        try:
            self._ports = self._resolve()
        except DbError as error:
            return Failure(error)
        except Exception as exc:  # a factory's own bug: still typed
            return Failure(
                DbError(
                    ErrorKind.INTERNAL, f"building the adapter failed: {type(exc).__name__}: {exc}"
                )
            )
        return Success(self._ports)

    def _resolve(self) -> _Ports:
        container = self.container
        settings = container.resolved_settings()
        inner = container.query()
        observer = Observer(
            adapter=inner.name,
            hooks=container.hooks(),
            slow_statement_ms=settings.slow_statement_ms,
            principal=self._principal,
            auth_required=bool(settings.auth_adapter),
            # An optional capability of a query port: Oracle's take PL/SQL blocks.
            compound_statements=bool(getattr(inner, "compound_statements", False)),
        )
        return _Ports(
            generation=self._lifecycle.generation,
            query=ObservedQueryPort(inner, observer, settings.row_shape),
            schema=container.schema(),
            connection=container.connection(),
            observer=observer,
            stream_batch_size=settings.stream_batch_size,
            retry=settings.retry,
        )

    def _failed_read(
        self,
        ports: _Ports,
        failed: Result[_T, DbError],
        call: Callable[[], Result[_T, DbError]],
        retry: RetryPolicy | None,
    ) -> Result[_T, DbError]:
        """A read that failed: recorded in the open transaction (never retried there, the
        transaction is lost), else retried while retryable by `retry`; by default (the
        settings' policy) only when the connection was lost or refused: a timeout has
        already spent the caller's time, and repeating it would double the wait."""
        if ports.query.current_transaction() is not None:
            return self._tracked(ports, failed)
        policy = retry or ports.retry
        error = failed.failure()
        if retry is None and error.kind is not ErrorKind.CONNECTION:
            return failed
        if policy.attempts < 2 or not error.retryable or error.outcome_unknown:
            return failed
        # The first attempt already ran: the policy's remaining attempts follow it.
        return policy.model_copy(update={"attempts": policy.attempts - 1}).run(call)

    def run_transaction(
        self, work: Callable[[Self], _T], *, retry: RetryPolicy | None = None
    ) -> Result[_T, DbError]:
        """Run `work(api)` in a transaction and commit; replay the whole transaction while
        it fails with a retryable error (a lost connection, a deadlock, a serialization
        failure), by `retry` or the settings' policy. `work` must be safe to run again:
        everything it does goes through `api`, inside the transaction. A commit whose
        outcome is unknown is never replayed."""

        def attempt() -> Result[_T, DbError]:
            try:
                with self.transaction():
                    value = work(self)
            except DbError as error:
                return Failure(error)
            return Success(value)

        return self._ports_result().bind(lambda ports: (retry or ports.retry).run(attempt))

    def _tracked(self, ports: _Ports, result: Result[_T, DbError]) -> Result[_T, DbError]:
        """Record a failure in the open transaction, so that it rolls back."""
        if isinstance(result, Failure):
            state = ports.query.current_transaction()
            if state is not None and state.failure is None:
                state.failure = result.failure()
        return result

    def _on(self, operation: Callable[[_Ports], Result[_T, DbError]]) -> Result[_T, DbError]:
        return self._ports_result().bind(lambda ports: self._tracked(ports, operation(ports)))

    def _browse(
        self, operation: str, read: Callable[[SchemaPort], Result[_T, DbError]]
    ) -> Result[_T, DbError]:
        return self._on(
            lambda ports: ports.observer.observe(
                operation, Permission.READ, lambda: read(ports.schema)
            )
        )

    def _auth(self) -> Result[AuthPort, DbError]:
        try:
            auth = self.container.auth()
        except DbError as error:
            return Failure(error)
        if auth is None:
            return Failure(
                DbError(
                    ErrorKind.CONFIGURATION,
                    "no auth adapter is configured (set FLEXT_DB_ORACLE_AUTH_ADAPTER, e.g. ldap)",
                )
            )
        return Success(auth)

    def _source(
        self,
        adapter: str,
        operation: str,
        target: str | None,
        call: Callable[[Any], Result[_T, DbError]],
        *,
        report_success: bool = True,
    ) -> Result[_T, DbError]:
        def run() -> Result[_T, DbError]:
            try:
                sources: RecordSources = self.container.record_sources()
                port = sources.get(adapter)
            except DbError as error:
                return Failure(error)
            return call(port)

        return self._ports_result().bind(
            lambda ports: ports.observer.observe(
                operation,
                Permission.READ,
                run,
                target=target,
                adapter=adapter,
                report_success=report_success,
            )
        )


def _raise(error: DbError) -> Result[Any, DbError]:
    raise error


def _is_not_found(result: Result[Any, DbError]) -> bool:
    return isinstance(result, Failure) and result.failure().kind is ErrorKind.NOT_FOUND
