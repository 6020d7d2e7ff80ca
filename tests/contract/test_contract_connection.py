"""Contract of the connection port, through the facade, on every backend."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from urllib.parse import quote, urlsplit

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi, ServerInfo
from returns.result import Failure, Success

SECRET = "pw-Sekr3t-xyz"


def test_connect_reports_product_and_version(api: FlextDbOracleApi, dialect, backend_url) -> None:
    info = api.connect().unwrap()

    assert isinstance(info, ServerInfo)
    assert info.product == dialect.product
    assert info.adapter == "sqlalchemy"
    assert re.fullmatch(r"\d+(\.\d+)+", info.version), info.version
    server_says = str(api.query(dialect.version_sql).unwrap().scalar())
    assert info.version in server_says
    if dialect.name == "sqlite":
        assert info.version == sqlite3.sqlite_version
    assert info.database == urlsplit(backend_url).path[1:]


def test_test_connection_reaches_the_same_server(api: FlextDbOracleApi, dialect) -> None:
    result = api.test_connection()

    assert isinstance(result, Success)
    assert result.unwrap().product == dialect.product
    assert result.unwrap().latency_ms is not None


def test_pool_stats_reflect_the_configured_pool(backend_url) -> None:
    db = FlextDbOracleApi.from_url(backend_url, pool={"size": 3, "max_overflow": 2})
    try:
        db.connect().unwrap()
        idle = db.pool_stats().unwrap()
        assert idle.size == 3
        assert idle.checked_out == 0
        assert idle.description

        # An open stream holds a pooled connection until it is closed.
        with db.stream("SELECT 1 AS one", batch_size=10).unwrap() as stream:
            assert db.pool_stats().unwrap().checked_out == 1
            assert [list(batch) for batch in stream] == [[(1,)]]
        assert db.pool_stats().unwrap().checked_out == 0
    finally:
        db.disconnect()


def test_disconnect_is_idempotent_and_the_next_call_reopens(api: FlextDbOracleApi) -> None:
    assert api.query("SELECT 1 AS one").unwrap().scalar() == 1

    assert api.disconnect() == Success(None)
    assert api.disconnect() == Success(None)

    assert api.query("SELECT 2 AS two").unwrap().scalar() == 2
    assert isinstance(api.connect(), Success)


@pytest.mark.usefixtures("stdlib_logging")
@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"postgresql://flext:{SECRET}@127.0.0.1:1/test", id="postgresql"),
        pytest.param(f"mysql://flext:{SECRET}@127.0.0.1:1/test", id="mariadb"),
    ],
)
def test_unreachable_server_fails_with_connection_error_and_no_password(
    url: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    db = FlextDbOracleApi.from_url(url, connect_timeout_s=5)
    try:
        results = {
            "connect": db.connect(),
            "test_connection": db.test_connection(),
            "query": db.query("SELECT 1"),
            "execute": db.execute("DELETE FROM nothing WHERE id = :id", {"id": 1}),
            "get_tables": db.get_tables(),
        }
    finally:
        db.disconnect()

    shown: list[str] = []
    for operation, result in results.items():
        assert isinstance(result, Failure), operation
        error = result.failure()
        assert isinstance(error, DbError), operation
        assert error.kind is ErrorKind.CONNECTION, (operation, error)
        assert error.retryable is True
        assert "127.0.0.1" in str(error)  # says where it tried
        shown += [str(error), repr(error), json.dumps(error.as_dict())]

    captured = capsys.readouterr()
    # The failing query was logged, so the log check below looks at real output.
    assert "statement failed" in caplog.text
    everything = "\n".join([*shown, caplog.text, captured.out, captured.err])
    for form in (SECRET, quote(SECRET, safe="")):
        assert form not in everything
