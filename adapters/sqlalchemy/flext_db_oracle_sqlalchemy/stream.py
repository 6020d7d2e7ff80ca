"""Streaming rows in batches from a DBAPI cursor (server-side where the driver has one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import Any

from flext_db_oracle.errors import DbError
from flext_db_oracle.ports import RowShape

from flext_db_oracle_sqlalchemy.drivers import Driver, columns_of
from flext_db_oracle_sqlalchemy.errors import to_db_error


class SqlAlchemyRowStream:
    """Batches of at most `batch_size` rows; holds its connection until closed.

    `release` gives the borrowed connection back (None inside a transaction, whose
    connection stays pinned); `end_transaction` ends the transaction the stream
    opened for a server-side cursor.
    """

    def __init__(
        self,
        cursor: Any,
        *,
        driver: Driver,
        shape: RowShape,
        batch_size: int,
        release: Callable[[], None] | None,
        end_transaction: bool,
        on_failure: Callable[[BaseException], object] | None = None,
        bound_fetch: Callable[[Callable[[], Any]], Any] | None = None,
        on_interrupt: Callable[[], None] | None = None,
    ) -> None:
        self._cursor = cursor
        self._driver = driver
        self._shape: RowShape = shape
        self._batch_size = batch_size
        self._release = release
        self._end_transaction = end_transaction
        self._on_failure = on_failure
        self._bound_fetch = bound_fetch  # runs each fetch under the call's timeout
        self._on_interrupt = on_interrupt  # Ctrl-C while fetching: cancel on the server
        self._closed = False
        self.columns: tuple[str, ...] = columns_of(cursor)

    def __iter__(self) -> Iterator[Sequence[Any]]:
        if self._closed or self._cursor.description is None:
            self.close()
            return

        def fetch() -> Any:
            return self._cursor.fetchmany(self._batch_size)

        try:
            while batch := (self._bound_fetch(fetch) if self._bound_fetch else fetch()):
                yield self._driver.shaped(self._cursor, batch, self._shape)
        except KeyboardInterrupt:
            if self._on_interrupt is not None:
                self._on_interrupt()
            raise
        except DbError:
            self.close()
            raise
        except Exception as exc:
            if self._on_failure is not None:
                self._on_failure(exc)  # a lost connection is discarded, not pooled again
            self.close()
            raise to_db_error(exc) from None
        self.close()

    def __enter__(self) -> SqlAlchemyRowStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the cursor and give back the connection. Idempotent; never raises (a
        dead connection has nothing left to release)."""
        if self._closed:
            return
        self._closed = True
        connection = getattr(self._cursor, "connection", None)
        with suppress(Exception):  # closing a cursor of a dead connection
            self._cursor.close()
        if self._end_transaction and connection is not None:
            with suppress(Exception):  # the pool discards a dead connection
                connection.rollback()  # a read: ends the cursor's transaction, loses nothing
        if self._release is not None:
            self._release()
