"""Rows of an OIC collection as a `RowStream`: one batch per page, fetched lazily, so
memory stays that of one page whatever the collection's size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from flext_db_oracle.models import Row

from flext_db_oracle_oic.paging import Page
from flext_db_oracle_oic.resources import Field, to_row


class OicRowStream:
    """Batches of rows, one per page. With `deduplicate`, an item whose id was already
    read is dropped (the stream then keeps every id it read); with `limit`, iteration
    stops after that many rows without fetching further pages."""

    def __init__(
        self,
        pages: Iterator[Page],
        fields: Sequence[Field],
        *,
        limit: int | None = None,
        deduplicate: bool = False,
    ) -> None:
        self._pages: Iterator[Page] | None = pages
        self._fields = tuple(fields)
        self._limit = limit
        self._seen: set[Any] | None = set() if deduplicate else None
        self.columns: tuple[str, ...] = tuple(field.name for field in self._fields)
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Row]]:
        while self._pages is not None and (self._limit is None or self.count < self._limit):
            page = next(self._pages, None)
            if page is None:
                break
            batch = [to_row(item, self._fields) for item in page.items if self._fresh(item)]
            if self._limit is not None:
                batch = batch[: self._limit - self.count]
            self.count += len(batch)
            if batch:
                yield batch
        self.close()

    def _fresh(self, item: Any) -> bool:
        if self._seen is None:
            return True
        key = item.get("id")
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def __enter__(self) -> OicRowStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop fetching pages. Idempotent."""
        self._pages = None
