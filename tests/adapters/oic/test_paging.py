"""offset/limit/hasMore paging: advances by what was received, stops on hasMore only,
and refuses a server that does not advance."""

from __future__ import annotations

from typing import Any

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle_oic.paging import Page, iterate_pages, parse_page
from returns.result import Failure, Result, Success


def _server(total: int, cap: int) -> tuple[list[tuple[int, int]], Any]:
    """A fetcher over `total` items that caps `limit` at `cap`, and the calls it saw."""
    calls: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> Result[Page, DbError]:
        calls.append((offset, limit))
        size = min(limit, cap)
        items = tuple({"id": n} for n in range(offset, min(offset + size, total)))
        return Success(Page(items, has_more=offset + len(items) < total, total=total))

    return calls, fetch


def test_every_item_once_when_the_server_caps_the_limit() -> None:
    calls, fetch = _server(total=95, cap=20)
    ids = [item["id"] for page in iterate_pages(fetch, 50, "things") for item in page.items]
    assert ids == list(range(95))
    assert [offset for offset, _ in calls] == [0, 20, 40, 60, 80]
    assert {limit for _, limit in calls} == {50}


def test_a_short_page_with_has_more_is_not_the_end() -> None:
    pages = iter(
        [
            Page(({"id": 1},), has_more=True),
            Page(({"id": 2}, {"id": 3}), has_more=False),
        ]
    )
    offsets: list[int] = []

    def fetch(offset: int, _limit: int) -> Result[Page, DbError]:
        offsets.append(offset)
        return Success(next(pages))

    ids = [item["id"] for page in iterate_pages(fetch, 10, "x") for item in page.items]
    assert ids == [1, 2, 3]
    assert offsets == [0, 1]


def test_empty_collection_is_one_request() -> None:
    calls, fetch = _server(total=0, cap=10)
    assert [page.items for page in iterate_pages(fetch, 10, "x")] == [()]
    assert len(calls) == 1


def test_a_server_that_ignores_offset_is_refused() -> None:
    def fetch(_offset: int, _limit: int) -> Result[Page, DbError]:
        return Success(Page(({"id": 1}, {"id": 2}), has_more=True))

    with pytest.raises(DbError, match="does not advance") as raised:
        list(iterate_pages(fetch, 2, "integrations"))
    assert raised.value.kind is ErrorKind.QUERY


def test_has_more_with_no_items_is_refused() -> None:
    def fetch(_offset: int, _limit: int) -> Result[Page, DbError]:
        return Success(Page((), has_more=True))

    with pytest.raises(DbError, match="no items"):
        list(iterate_pages(fetch, 2, "integrations"))


def test_a_failed_fetch_raises_its_error() -> None:
    error = DbError(ErrorKind.CONNECTION, "down", code="503", retryable=True)

    def fetch(_offset: int, _limit: int) -> Result[Page, DbError]:
        return Failure(error)

    with pytest.raises(DbError) as raised:
        list(iterate_pages(fetch, 2, "x"))
    assert raised.value is error


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "list instead of an object"),
        ({"items": {}}, "'items' is not a list"),
        ({"items": [1]}, "'items' is not a list"),
        ({"items": [], "hasMore": "yes"}, "'hasMore'"),
        ({"items": [], "hasMore": False, "totalResults": "3"}, "'totalResults'"),
    ],
)
def test_unexpected_documents_are_query_errors(document: Any, problem: str) -> None:
    with pytest.raises(DbError, match=problem) as raised:
        parse_page(document, "GET integrations")
    assert raised.value.kind is ErrorKind.QUERY


def test_a_well_formed_page() -> None:
    page = parse_page({"items": [{"id": "a"}], "hasMore": True, "totalResults": 9}, "x")
    assert page == Page(({"id": "a"},), has_more=True, total=9)
