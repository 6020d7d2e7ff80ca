from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import BatchOutcome, ExecuteOutcome, QueryResult, Row

# Binds are always named (`:name`), whatever the driver's own paramstyle.
Params = Mapping[str, Any]


class RowStream(Protocol):
    """Batches of rows from an open cursor, in constant memory.

    Use it as a context manager so the cursor is closed even when iteration
    stops early. A failure during iteration raises `DbError`.
    """

    columns: tuple[str, ...]

    def __iter__(self) -> Iterator[Sequence[Row]]: ...

    def __enter__(self) -> RowStream: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def close(self) -> None: ...


class QueryPort(Protocol):
    """Running statements.

    Outside `transaction()`, each `execute`/`execute_many` commits on success and
    rolls back on failure by itself. Inside it, every call on the same thread
    joins the one transaction.
    """

    name: str

    def fetch_all(self, sql: str, params: Params | None = None) -> Result[QueryResult, DbError]: ...

    def fetch_one(self, sql: str, params: Params | None = None) -> Result[Row | None, DbError]:
        """The first row, or None when the query returned no row."""
        ...

    def stream(
        self, sql: str, params: Params | None = None, *, batch_size: int = 1000
    ) -> Result[RowStream, DbError]: ...

    def execute(
        self, sql: str, params: Params | None = None
    ) -> Result[ExecuteOutcome, DbError]: ...

    def execute_many(self, sql: str, rows: Sequence[Params]) -> Result[BatchOutcome, DbError]: ...

    def transaction(self) -> AbstractContextManager[None]:
        """Commit when the block ends normally, roll back when it raises.

        Raises `DbError` when the transaction cannot begin or commit.
        """
        ...
