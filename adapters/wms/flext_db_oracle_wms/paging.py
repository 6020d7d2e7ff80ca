"""Pages of an entity read: the first request, then each `next_page` URL until it is null.

Both page modes answer `{"results": [...], "next_page": URL or null, ...}`; `paged` adds
`result_count`, `page_count` and `page_nbr`, `sequenced` (a server-side cursor) does not.
A `next_page` that repeats the page just read is an error, not an endless loop.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from flext_db_oracle.errors import DbError
from returns.result import Failure, Result

from flext_db_oracle_wms.describe import shape_error

QueryParams = list[tuple[str, str]]


class JsonGetter(Protocol):
    def get_json(self, url: str, params: QueryParams | None = None) -> Result[Any, DbError]: ...


@dataclass(frozen=True)
class Page:
    records: list[dict[str, Any]]
    next_page: str | None
    result_count: int | None


def parse_page(document: Any, path: str) -> Page:
    if not isinstance(document, Mapping) or not isinstance(document.get("results"), list):
        raise shape_error("a page without a 'results' list", path)
    records = document["results"]
    if not all(isinstance(record, dict) for record in records):
        raise shape_error("a page whose results are not all objects", path)
    next_page = document.get("next_page")
    count = document.get("result_count")
    return Page(
        records=records,
        next_page=next_page if isinstance(next_page, str) and next_page else None,
        result_count=count if isinstance(count, int) else None,
    )


def fetch_page(client: JsonGetter, url: str, params: QueryParams | None) -> Page:
    """One page; a failure is raised as its `DbError` (streams raise during iteration)."""
    answer = client.get_json(url, params)
    if isinstance(answer, Failure):
        raise answer.failure()
    return parse_page(answer.unwrap(), url)


def following_pages(client: JsonGetter, first: Page, first_url: str) -> Iterator[Page]:
    """The pages after `first`, following `next_page` until it is null."""
    page, url = first, first_url
    while page.next_page is not None:
        if page.next_page == url:
            raise shape_error(f"next_page {url!r} does not advance", url)
        url = page.next_page
        page = fetch_page(client, url, None)
        yield page
