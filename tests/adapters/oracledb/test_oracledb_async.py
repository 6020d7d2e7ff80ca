"""The async thin adapter against failing loopback peers, with the real driver."""

from __future__ import annotations

import asyncio
import time

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.settings import load_settings
from flext_db_oracle_oracledb.aio import AsyncOracleAdapter, create_async_thin
from returns.result import Failure

from tests.adapters.oracledb.listeners import closed_port, listener

PASSWORD = "Async-s3cret-pw"


def adapter(port: int, timeout_s: float = 1.0) -> AsyncOracleAdapter:
    return create_async_thin(
        load_settings(
            url=f"oracle://scott:{PASSWORD}@127.0.0.1:{port}/FREEPDB1", connect_timeout_s=timeout_s
        )
    )


def test_factory_touches_no_network() -> None:
    built = adapter(closed_port())
    stats = asyncio.run(built.connection.pool_stats()).unwrap()
    assert stats.description == "not opened yet"


def test_closed_port_is_a_retryable_connection_error() -> None:
    async def scenario() -> DbError:
        built = adapter(closed_port())
        result = await built.query.fetch_all("SELECT 1 FROM dual")
        await built.connection.close()
        assert isinstance(result, Failure)
        return result.failure()

    error = asyncio.run(scenario())
    assert (error.kind, error.retryable, error.code) == (ErrorKind.CONNECTION, True, "DPY-6005")
    assert PASSWORD not in repr(error) + str(error)


@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning"
)
def test_silent_listener_times_out_within_its_bound() -> None:
    async def scenario(port: int) -> tuple[DbError, float]:
        built = adapter(port, timeout_s=1.0)
        started = time.monotonic()
        result = await built.connection.ping()
        elapsed = time.monotonic() - started
        await built.connection.close()
        assert isinstance(result, Failure)
        return result.failure(), elapsed

    with listener("silent") as port:
        error, elapsed = asyncio.run(scenario(port))
    assert error.kind is ErrorKind.TIMEOUT
    assert error.retryable
    assert 0.9 <= elapsed <= 1.2
    assert PASSWORD not in repr(error) + str(error)


def test_transaction_that_cannot_begin_raises_a_typed_error() -> None:
    async def scenario() -> None:
        built = adapter(closed_port())
        async with built.query.transaction():
            pytest.fail("the block must not run")

    with pytest.raises(DbError) as caught:
        asyncio.run(scenario())
    assert caught.value.kind is ErrorKind.CONNECTION


def test_bad_input_is_refused_before_the_network() -> None:
    async def scenario() -> list[DbError]:
        built = adapter(closed_port())
        results = [
            await built.query.fetch_all("SELECT 1 FROM dual; DROP TABLE t"),
            await built.query.execute("UPDATE t SET a = :a", {"b": 1}),
            await built.query.bulk_insert('bad"name', ["a"], [(1,)]),
            await built.schema.get_ddl("t", object_type="TABLE'--"),
        ]
        return [result.failure() for result in results if isinstance(result, Failure)]

    errors = asyncio.run(scenario())
    assert [error.kind for error in errors] == [ErrorKind.QUERY] * 4
