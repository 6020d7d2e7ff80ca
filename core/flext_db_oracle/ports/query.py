from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, QueryResult, Row

# Binds are always named (`:name`), whatever the driver's own paramstyle.
Params = Mapping[str, Any]

# How a batch treats failing rows: "stop" writes all rows or none and fails;
# "collect" writes the good rows and lists each failed one in `BatchOutcome.failures`.
BatchErrorMode = Literal["stop", "collect"]

# How rows come back: tuples (the fastest), dicts keyed by column name, or named
# tuples. Chosen per call or in settings (`row_shape`).
RowShape = Literal["tuple", "dict", "named"]


@dataclass(frozen=True)
class OutBind:
    """An OUT (or IN OUT, with `value`) argument of a procedure: `python_type` is what
    comes back (`int`, `str`, `Decimal`, `datetime`, `bytes`, or `QueryResult` for a
    REF CURSOR)."""

    python_type: type
    value: Any = None


class TransactionState(Protocol):
    """What `transaction()` yields: the first failure an operation returned inside it
    (the facade records it, so that a swallowed `Failure` still rolls back)."""

    failure: DbError | None


class RowStream(Protocol):
    """Batches of rows from an open cursor, in constant memory.

    Use it as a context manager so the cursor is closed even when iteration
    stops early. A failure during iteration raises `DbError`.
    """

    columns: tuple[str, ...]

    def __iter__(self) -> Iterator[Sequence[Any]]: ...

    def __enter__(self) -> RowStream: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def close(self) -> None: ...


class QueryPort(Protocol):
    """Running statements: one statement per call.

    Outside `transaction()`, each statement runs on a connection in autocommit mode:
    a read costs one round trip, a write commits by itself. Inside it, every call in
    the same context joins the one transaction.
    """

    name: str

    def fetch_all(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[QueryResult, DbError]:
        """All rows. `timeout_s` bounds this one statement (the settings' statement
        timeout otherwise): past it the statement is cancelled and the call fails with
        kind `timeout`. The same holds for `fetch_one`, `stream` (its opening) and
        `execute`."""
        ...

    def fetch_one(
        self,
        sql: str,
        params: Params | None = None,
        *,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[Row | None, DbError]:
        """The first row, or None when the query returned no row."""
        ...

    def stream(
        self,
        sql: str,
        params: Params | None = None,
        *,
        batch_size: int = 1000,
        shape: RowShape = "tuple",
        timeout_s: float | None = None,
    ) -> Result[RowStream, DbError]: ...

    def execute(
        self, sql: str, params: Params | None = None, *, timeout_s: float | None = None
    ) -> Result[ExecuteOutcome, DbError]: ...

    def execute_many(
        self, sql: str, rows: Sequence[Params], *, on_error: BatchErrorMode = "stop"
    ) -> Result[BatchOutcome, DbError]: ...

    def bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        schema: str | None = None,
        on_error: BatchErrorMode = "stop",
    ) -> Result[BatchOutcome, DbError]:
        """Insert `rows` (tuples in `columns` order) on the backend's fastest path
        (PostgreSQL `COPY`, Oracle array DML or direct path, `executemany` elsewhere).
        Identifiers are validated and quoted, never pasted."""
        ...

    def call_procedure(self, name: str, args: Params | None = None) -> Result[Params, DbError]:
        """Call a stored procedure; the result maps each `OutBind` argument to its value."""
        ...

    def call_function(
        self, name: str, return_type: type, args: Params | None = None
    ) -> Result[Any, DbError]: ...

    def transaction(self) -> AbstractContextManager[TransactionState]:
        """Commit when the block ends normally, roll back when it raises.

        Raises `DbError` when the transaction cannot begin or commit.
        """
        ...
