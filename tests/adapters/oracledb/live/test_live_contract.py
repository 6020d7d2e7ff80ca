"""The contract every adapter keeps, on a live Oracle Database: thin, thick (in its own
process) and SQLAlchemy's oracle+oracledb."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi
from returns.result import Failure


def test_ping_reports_oracle(live_api: FlextDbOracleApi, mode: str) -> None:
    server = live_api.test_connection().unwrap()
    assert server.dialect == "oracle"
    assert server.version[:2].isdigit()
    assert server.latency_ms is not None


def test_rows_binds_and_shapes(live_api: FlextDbOracleApi) -> None:
    result = live_api.query(
        "SELECT :a + 1 AS n, :s AS s FROM dual CONNECT BY LEVEL <= 3", {"a": 41, "s": "x"}
    ).unwrap()
    assert [column.upper() for column in result.columns] == ["N", "S"]
    assert len(result) == 3
    assert int(result.rows[0][0]) == 42
    assert live_api.query_one("SELECT 1 FROM dual WHERE 1 = 0").unwrap() is None


def test_transaction_commits_and_rolls_back(
    live_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    table = table_name("tx")
    live_api.execute(f"CREATE TABLE {table} (id NUMBER(10) PRIMARY KEY)").unwrap()
    dropped.append(f"TABLE {table}")
    insert = f"INSERT INTO {table} (id) VALUES (:id)"

    def committed() -> None:
        with live_api.transaction():
            live_api.execute(insert, {"id": 1}).unwrap()

    def raising() -> None:
        with live_api.transaction():
            live_api.execute(insert, {"id": 2}).unwrap()
            raise RuntimeError("roll back")

    def failing() -> None:
        with live_api.transaction():
            live_api.execute(insert, {"id": 3})
            live_api.execute(insert, {"id": 1})  # a duplicate: a returned Failure

    committed()
    with pytest.raises(RuntimeError):
        raising()
    with pytest.raises(DbError):
        failing()
    ids = [int(row[0]) for row in live_api.query(f"SELECT id FROM {table}").unwrap()]
    assert ids == [1]


def test_batches_stop_or_collect(
    live_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    table = table_name("batch")
    live_api.execute(f"CREATE TABLE {table} (id NUMBER(10) PRIMARY KEY)").unwrap()
    dropped.append(f"TABLE {table}")
    insert = f"INSERT INTO {table} (id) VALUES (:id)"
    stopped = live_api.execute_many(insert, [{"id": 1}, {"id": 2}, {"id": 1}])
    assert isinstance(stopped, Failure)
    assert stopped.failure().kind is ErrorKind.INTEGRITY
    assert live_api.query(f"SELECT COUNT(*) FROM {table}").unwrap().scalar() == 0
    collected = live_api.execute_many(
        insert, [{"id": 1}, {"id": 2}, {"id": 1}], on_error="collect"
    ).unwrap()
    assert collected.rowcount == 2
    assert [(f.index, f.code) for f in collected.failures] == [(2, "ORA-00001")]


def test_stream_in_batches(live_api: FlextDbOracleApi) -> None:
    stream = live_api.stream(
        "SELECT LEVEL AS n FROM dual CONNECT BY LEVEL <= 2500", batch_size=1000
    ).unwrap()
    with stream:
        sizes = [len(batch) for batch in stream]
    assert sizes == [1000, 1000, 500]


def test_missing_table_is_not_found(live_api: FlextDbOracleApi) -> None:
    result = live_api.query("SELECT * FROM no_such_table_flext")
    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.NOT_FOUND
    assert result.failure().code == "ORA-00942"


def test_schema_browsing_folds_unquoted_names(
    live_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    table = table_name("emp")
    live_api.execute(
        f"CREATE TABLE {table} (id NUMBER(10) PRIMARY KEY, name VARCHAR2(20 CHAR) NOT NULL)"
    ).unwrap()
    dropped.append(f"TABLE {table}")
    names = [t.name for t in live_api.get_tables().unwrap()]
    assert table in names
    columns = live_api.get_columns(table.lower()).unwrap()
    assert [c.name.upper() for c in columns] == ["ID", "NAME"]
    assert columns[0].is_primary_key
