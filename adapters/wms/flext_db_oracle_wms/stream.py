"""`EntityStream`: the `RowStream` of an entity read, one page per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_wms.describe import ADAPTER
from flext_db_oracle_wms.incremental import IncrementalWindow
from flext_db_oracle_wms.paging import Page


class EntityStream:
    """Rows of one entity as tuples in `columns` order. Only the current page is held.

    `result_count` is the server's total in `paged` mode (None in `sequenced`). With an
    incremental window, `on_complete` runs once the last page has been read (it saves the
    state file): a read that stops early leaves the previous mark in place.
    """

    def __init__(
        self,
        columns: tuple[str, ...],
        first: Page,
        rest: Iterator[Page],
        *,
        window: IncrementalWindow | None = None,
        limit: int | None = None,
        on_complete: Callable[[IncrementalWindow], None] | None = None,
    ) -> None:
        self.columns = columns
        self.result_count = first.result_count
        self.window = window
        self._pages = _chain(first, rest)
        self._known = frozenset(columns)
        self._limit = limit
        self._emitted = 0
        self._on_complete = on_complete
        self._closed = False

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for page in self._pages:
            if self._closed:
                return
            batch = [self._row(record) for record in page.records if self._admit(record)]
            if self._limit is not None:
                batch = batch[: self._limit - self._emitted]
            self._emitted += len(batch)
            if batch:
                yield batch
            if self._limit is not None and self._emitted >= self._limit:
                return
        if self.window is not None and self._on_complete is not None and not self._closed:
            self._on_complete(self.window)

    def _admit(self, record: dict[str, Any]) -> bool:
        return self.window is None or self.window.admit(record)

    def _row(self, record: dict[str, Any]) -> tuple[Any, ...]:
        if not record.keys() <= self._known:
            extra = ", ".join(sorted(record.keys() - self._known))
            raise DbError(
                ErrorKind.CONNECTION,
                f"a record has fields the first page did not have ({extra}); "
                "name the fields to read with --fields",
                retryable=False,
                adapter=ADAPTER,
            )
        return tuple(record.get(column) for column in self.columns)

    def __enter__(self) -> EntityStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True


def _chain(first: Page, rest: Iterator[Page]) -> Iterator[Page]:
    yield first
    yield from rest
