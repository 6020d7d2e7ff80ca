"""A per-call timeout cancels the statement on the server and leaves the connection
usable: `timeout_s` on `query`, `query_one`, `stream` and `execute`."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi
from returns.result import Failure

# A statement that runs for seconds on each backend, and one that returns at once.
SLOW = {
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000)"
        " SELECT count(*) FROM n"
    ),
    "postgresql": "SELECT pg_sleep(5)",
    "mariadb": "SELECT sleep(5)",
}
TIMEOUT_S = 0.5


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.services),
        pytest.param("mariadb", marks=pytest.mark.services),
    ]
)
def backend(request: pytest.FixtureRequest) -> tuple[str, str]:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return request.param, url


def _timed(call: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def _streamed(db: FlextDbOracleApi, sql: str) -> object:
    """Open and read a stream; a failure while reading is returned as `Failure` too
    (on a server-side cursor the statement works while rows are fetched)."""
    opened = db.stream(sql, timeout_s=TIMEOUT_S)
    if isinstance(opened, Failure):
        return opened
    try:
        with opened.unwrap() as stream:
            for _batch in stream:
                pass
    except DbError as error:
        return Failure(error)
    return opened


@pytest.mark.parametrize("operation", ["query", "query_one", "stream", "execute"])
def test_a_per_call_timeout_cancels_the_statement_and_keeps_the_connection(
    backend: tuple[str, str], operation: str
) -> None:
    name, url = backend
    # One connection: the call after the timeout proves that same connection still works.
    db = FlextDbOracleApi.from_url(url, pool={"size": 1, "max_overflow": 0})
    try:
        if operation == "stream":
            result, elapsed = _timed(lambda: _streamed(db, SLOW[name]))
        else:
            result, elapsed = _timed(
                lambda: getattr(db, operation)(SLOW[name], timeout_s=TIMEOUT_S)
            )
        after = db.query_one("SELECT 1")
    finally:
        db.disconnect()

    assert isinstance(result, Failure), result
    assert result.failure().kind is ErrorKind.TIMEOUT
    assert elapsed < TIMEOUT_S * 1.2 + 0.3, elapsed
    assert after.unwrap() == (1,)


def test_without_a_timeout_nothing_is_armed(sqlite_url: str) -> None:
    db = FlextDbOracleApi.from_url(sqlite_url)
    try:
        assert db.query_one("SELECT 2").unwrap() == (2,)
        assert db.query_one("SELECT 3", timeout_s=5).unwrap() == (3,)
    finally:
        db.disconnect()
