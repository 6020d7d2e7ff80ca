"""Streams over an open python-oracledb cursor: row batches (`fetchmany`, one round trip
each) or Arrow tables (`fetch_df_batches`); the connection is held until the stream is
closed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from flext_db_oracle.edge import ErrorMapper


class OracleRowStream:
    def __init__(
        self,
        cursor: Any,
        columns: tuple[str, ...],
        batch_size: int,
        *,
        release: Callable[[Any, bool], None],
        owned: Any,
        map_error: ErrorMapper,
    ) -> None:
        self.columns = columns
        self._cursor = cursor
        self._batch_size = batch_size
        self._release = release
        self._owned = owned
        self._map_error = map_error

    def __iter__(self) -> Iterator[Sequence[Any]]:
        if not self.columns:
            self.close()
            return
        try:
            while batch := self._cursor.fetchmany(self._batch_size):
                yield batch
        except Exception as exc:
            self.close(broken=True)
            raise self._map_error(exc) from None
        self.close()

    def __enter__(self) -> OracleRowStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self, broken: bool = False) -> None:
        """Close the cursor and give back the connection it borrowed. Idempotent."""
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            try:
                cursor.close()
            except Exception:
                broken = True  # the session is gone; dropped below
        owned, self._owned = self._owned, None
        if owned is not None:
            self._release(owned, broken)


class ArrowBatchStream:
    """`pyarrow.Table`s, one per fetched batch; holds its connection until closed."""

    def __init__(
        self,
        tables: Iterator[Any],
        *,
        release: Callable[[Any, bool], None],
        owned: Any,
        map_error: ErrorMapper,
    ) -> None:
        self._tables = tables
        self._release = release
        self._owned = owned
        self._map_error = map_error

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from self._tables
        except Exception as exc:
            self.close(broken=True)
            raise self._map_error(exc) from None
        self.close()

    def __enter__(self) -> ArrowBatchStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self, broken: bool = False) -> None:
        """Give back the connection the stream borrowed. Idempotent."""
        owned, self._owned = self._owned, None
        if owned is not None:
            self._release(owned, broken)
