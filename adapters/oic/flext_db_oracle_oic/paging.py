"""`offset`/`limit`/`hasMore` paging as OIC documents it, made to really advance.

The next offset is the previous one plus the number of items actually received: a
server may cap `limit` below what was asked, so the page length says nothing about the
end; only `hasMore` does. A server that answers `hasMore` with an empty page, or the
same page again, would make a naive client loop forever: both are errors here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from returns.result import Failure, Result

from flext_db_oracle_oic.resources import ADAPTER_NAME

Item = Mapping[str, Any]


@dataclass(frozen=True)
class Page:
    items: tuple[Item, ...]
    has_more: bool
    total: int | None = None


# Fetches the page that starts at `offset`, asking for at most `limit` items.
PageFetcher = Callable[[int, int], Result[Page, DbError]]


def parse_page(document: Any, what: str) -> Page:
    """A list answer (`{items, hasMore, totalResults}`) as a `Page`; any other shape is
    a `query` error, so a proxy's HTML or a changed API never reads as an empty list."""
    if not isinstance(document, Mapping):
        raise _malformed(what, f"a {type(document).__name__} instead of an object")
    items = document.get("items", [])
    has_more = document.get("hasMore", False)
    total = document.get("totalResults")
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise _malformed(what, "'items' is not a list of objects")
    if not isinstance(has_more, bool):
        raise _malformed(what, f"'hasMore' is {has_more!r}, not true or false")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool)):
        raise _malformed(what, f"'totalResults' is {total!r}, not an integer")
    return Page(items=tuple(items), has_more=has_more, total=total)


def iterate_pages(fetch: PageFetcher, page_size: int, what: str) -> Iterator[Page]:
    """Pages from offset 0 until `hasMore` is false. Raises `DbError` (a failed fetch,
    or a server that does not advance)."""
    offset = 0
    previous_ids: tuple[Any, ...] | None = None
    while True:
        result = fetch(offset, page_size)
        if isinstance(result, Failure):
            raise result.failure()
        page = result.unwrap()
        ids = tuple(item.get("id") for item in page.items)
        if page.items and ids == previous_ids:
            raise _stuck(what, offset, "returned the previous page again")
        yield page
        if not page.has_more:
            return
        if not page.items:
            raise _stuck(what, offset, "said hasMore but returned no items")
        offset += len(page.items)
        previous_ids = ids


def _malformed(what: str, problem: str) -> DbError:
    return DbError(
        ErrorKind.QUERY,
        f"OIC answered {what} with an unexpected document: {problem}",
        adapter=ADAPTER_NAME,
    )


def _stuck(what: str, offset: int, problem: str) -> DbError:
    return DbError(
        ErrorKind.QUERY,
        f"OIC paging of {what} does not advance: at offset {offset} the server {problem}",
        adapter=ADAPTER_NAME,
        detail={"offset": offset},
    )
