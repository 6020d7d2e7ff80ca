"""Streaming rows in batches through a server-side cursor where the dialect has one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from flext_db_oracle.models import Row
from sqlalchemy import Connection, CursorResult
from sqlalchemy.exc import SQLAlchemyError

from flext_db_oracle_sqlalchemy.errors import to_db_error


class SqlAlchemyRowStream:
    """Batches of at most `batch_size` rows; holds its connection until closed."""

    def __init__(
        self, result: CursorResult[Any], owned_connection: Connection | None, batch_size: int
    ) -> None:
        self._result = result
        self._connection = owned_connection
        self._batch_size = batch_size
        self.columns: tuple[str, ...] = tuple(result.keys()) if result.returns_rows else ()

    def __iter__(self) -> Iterator[Sequence[Row]]:
        if not self._result.returns_rows:
            return
        try:
            while batch := self._result.fetchmany(self._batch_size):
                yield [tuple(row) for row in batch]
        except SQLAlchemyError as exc:
            self.close()
            raise to_db_error(exc) from None
        self.close()

    def __enter__(self) -> SqlAlchemyRowStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the cursor and give back the connection this stream borrowed. Idempotent."""
        self._result.close()
        if self._connection is not None:
            self._connection.close()  # a read: closing rolls back nothing of value
            self._connection = None
