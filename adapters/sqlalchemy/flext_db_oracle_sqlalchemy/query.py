"""The query port on SQLAlchemy Core: text statements with named binds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, QueryResult, Row
from flext_db_oracle.ports import Params
from returns.result import Failure, Result, Success
from sqlalchemy import Connection, CursorResult, Engine, TextClause, text
from sqlalchemy.exc import SQLAlchemyError

from flext_db_oracle_sqlalchemy.errors import ADAPTER, to_db_error
from flext_db_oracle_sqlalchemy.stream import SqlAlchemyRowStream

_T = TypeVar("_T")
FETCH_CHUNK = 1000


# String literals, quoted identifiers and comments: a `:word` inside them is text, not a bind.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)


@lru_cache(maxsize=1024)
def _parse(sql: str) -> tuple[TextClause, frozenset[str]]:
    """The text clause for `sql` and its bind names, parsed once per distinct statement."""
    if ":" in sql:
        sql = _NOT_CODE.sub(lambda literal: literal.group().replace(":", "\\:"), sql)
    clause = text(sql)
    return clause, frozenset(clause.compile().params)


def statement(sql: str, params: Params | Sequence[Params] | None) -> TextClause:
    """`sql` as a text clause, refusing bind names that the statement does not use.

    A misspelt bind would otherwise be ignored silently; a missing one is
    reported by SQLAlchemy itself.
    """
    clause, bind_names = _parse(sql)
    given = params[0] if isinstance(params, Sequence) and params else params
    if isinstance(given, Mapping):
        unknown = set(given) - bind_names
        if unknown:
            names = ", ".join(sorted(unknown))
            raise DbError(
                ErrorKind.QUERY,
                f"bind parameter(s) {names} not used by the statement (binds are :name)",
                adapter=ADAPTER,
            )
    return clause


class SqlAlchemyQuery:
    """Each call borrows a pooled connection, unless a `transaction()` holds one."""

    name = ADAPTER

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._current: ContextVar[Connection | None] = ContextVar(
            f"flext_sqlalchemy_tx_{id(self)}", default=None
        )

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """The transaction's connection, or a fresh one committed on success."""
        current = self._current.get()
        if current is not None:
            yield current
            return
        with self._engine.begin() as connection:
            yield connection

    def fetch_all(self, sql: str, params: Params | None = None) -> Result[QueryResult, DbError]:
        def run(connection: Connection) -> QueryResult:
            result = connection.execute(statement(sql, params), dict(params or {}))
            if not result.returns_rows:
                return QueryResult(columns=(), rows=())
            columns = tuple(result.keys())
            rows: list[Row] = []
            # Chunks: iterating the result would cost one driver fetchone() per row.
            while chunk := result.fetchmany(FETCH_CHUNK):
                rows.extend(map(tuple, chunk))
            # model_construct: rows are already typed by the driver; validating
            # 100k tuples cell by cell would cost more than fetching them.
            return QueryResult.model_construct(columns=columns, rows=tuple(rows))

        return self._run(run)

    def fetch_one(self, sql: str, params: Params | None = None) -> Result[Row | None, DbError]:
        def run(connection: Connection) -> Row | None:
            result = connection.execute(statement(sql, params), dict(params or {}))
            row = result.first() if result.returns_rows else None
            return tuple(row) if row is not None else None

        return self._run(run)

    def stream(
        self, sql: str, params: Params | None = None, *, batch_size: int = 1000
    ) -> Result[SqlAlchemyRowStream, DbError]:
        current = self._current.get()
        owned = current is None
        connection = current if current is not None else self._engine.connect()
        try:
            # Options for this statement only: `Connection.execution_options()` would
            # change the connection in place, and inside `transaction()` every later
            # statement would then run through a server-side cursor (PostgreSQL
            # rejects `DECLARE ... CURSOR FOR INSERT`).
            result: CursorResult[Any] = connection.execute(
                statement(sql, params),
                dict(params or {}),
                execution_options={"stream_results": True, "max_row_buffer": batch_size},
            )
        except DbError as error:
            if owned:
                connection.close()
            return Failure(error)
        except SQLAlchemyError as exc:
            if owned:
                connection.close()
            return Failure(to_db_error(exc))
        return Success(SqlAlchemyRowStream(result, connection if owned else None, batch_size))

    def execute(self, sql: str, params: Params | None = None) -> Result[ExecuteOutcome, DbError]:
        def run(connection: Connection) -> ExecuteOutcome:
            result = connection.execute(statement(sql, params), dict(params or {}))
            return ExecuteOutcome(rowcount=result.rowcount)

        return self._run(run)

    def execute_many(self, sql: str, rows: Sequence[Params]) -> Result[BatchOutcome, DbError]:
        if not rows:
            return Success(BatchOutcome(rows_submitted=0, rowcount=0))
        batch = [dict(row) for row in rows]

        def run(connection: Connection) -> BatchOutcome:
            result = connection.execute(statement(sql, batch), batch)
            return BatchOutcome(rows_submitted=len(batch), rowcount=result.rowcount)

        outcome = self._run(run)
        if isinstance(outcome, Failure) and self._current.get() is None:
            return Failure(self._locate_failing_row(sql, batch, outcome.failure()))
        return outcome

    def _locate_failing_row(self, sql: str, batch: list[dict[str, Any]], error: DbError) -> DbError:
        """Replay the rejected batch row by row, then roll back, to name the row that fails.

        DBAPI drivers reject a batch as a whole without saying which row was
        bad; this costs one round trip per row, and only on the failure path.
        """
        clause = statement(sql, None)
        with self._engine.connect() as connection:
            transaction = connection.begin()
            try:
                for index, row in enumerate(batch):
                    try:
                        connection.execute(clause, row)
                    except SQLAlchemyError as exc:
                        located = to_db_error(exc, row_index=index)
                        return DbError(
                            located.kind,
                            f"row {index} of {len(batch)}: {located.message}",
                            code=located.code,
                            retryable=located.retryable,
                            adapter=ADAPTER,
                            detail={"row_index": index, "rows_submitted": len(batch)},
                        )
            finally:
                transaction.rollback()
        return error

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._current.get() is not None:  # nested: join the outer transaction
            yield
            return
        try:
            connection = self._engine.connect()
            transaction = connection.begin()
        except SQLAlchemyError as exc:
            raise to_db_error(exc) from None
        token = self._current.set(connection)
        try:
            yield
        except BaseException:
            transaction.rollback()
            raise
        else:
            try:
                transaction.commit()
            except SQLAlchemyError as exc:
                raise to_db_error(exc) from None
        finally:
            self._current.reset(token)
            connection.close()

    def _run(self, operation: Callable[[Connection], _T]) -> Result[_T, DbError]:
        try:
            with self._connection() as connection:
                return Success(operation(connection))
        except DbError as error:
            return Failure(error)
        except SQLAlchemyError as exc:
            return Failure(to_db_error(exc))
        except Exception as exc:  # a driver's own bug or decoding failure: still typed
            return Failure(
                DbError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}", adapter=ADAPTER)
            )
