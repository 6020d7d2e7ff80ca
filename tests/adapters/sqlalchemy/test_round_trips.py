"""One round trip per read outside a transaction, counted from the drivers' own traces.

PostgreSQL: psycopg's `pgconn.trace()` writes every protocol message; a round trip
ends with the client's `Sync` (extended protocol) or is a simple `Query`.
MariaDB: every command PyMySQL sends (`COM_QUERY`, `COM_PING`, ...) waits for its
answer, so commands are round trips.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flext_db_oracle import FlextDbOracleApi

pytestmark = pytest.mark.services

READS: dict[str, Callable[[FlextDbOracleApi, str], Any]] = {
    "query_one": lambda db, t: db.query_one(f"SELECT id, name FROM {t} WHERE id = :id", {"id": 2}),
    "query": lambda db, t: db.query(f"SELECT id, name FROM {t} WHERE id < :id", {"id": 3}),
    "query as dicts": lambda db, t: db.query(f"SELECT id FROM {t}", shape="dict"),
}


def _db(url: str, table: str) -> FlextDbOracleApi:
    # One connection, so the traced connection is the one every call uses.
    db = FlextDbOracleApi.from_url(url, pool={"size": 1, "max_overflow": 0})
    db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(20))").unwrap()
    db.execute_many(
        f"INSERT INTO {table} (id, name) VALUES (:id, :name)",
        [{"id": i, "name": f"n{i}"} for i in range(1, 6)],
    ).unwrap()
    return db


def _dbapi_connection(db: FlextDbOracleApi) -> Any:
    """The pool's one DBAPI connection, borrowed and given straight back the way the
    query port borrows it (its warm connections)."""
    warm = db.container.database().query._warm
    fairy = warm.acquire()
    connection = fairy.dbapi_connection
    warm.release(fairy)
    return connection


@contextmanager
def _postgresql_trips(connection: Any) -> Iterator[Callable[[], int]]:
    with tempfile.TemporaryFile("w+") as trace:
        connection.pgconn.trace(trace.fileno())
        try:
            yield lambda: _count_trips(trace)
        finally:
            connection.pgconn.untrace()


def _count_trips(trace: Any) -> int:
    trace.flush()
    trace.seek(0)
    sent = [line.split("\t") for line in trace.read().splitlines()]
    return sum(1 for fields in sent if fields[1] == "F" and fields[3] in {"Sync", "Query"})


@contextmanager
def _mysql_trips(connection: Any) -> Iterator[Callable[[], int]]:
    commands: list[int] = []
    original = connection._execute_command

    def counting(command: int, sql: Any) -> Any:
        commands.append(command)
        return original(command, sql)

    connection._execute_command = counting
    try:
        yield lambda: len(commands)
    finally:
        connection._execute_command = original


@pytest.mark.parametrize("read", list(READS))
def test_a_read_is_one_round_trip_on_postgresql(
    postgresql_url: str, unique_name: Callable[[str], str], read: str
) -> None:
    table = unique_name("trips")
    db = _db(postgresql_url, table)
    try:
        READS[read](db, table).unwrap()  # warm: the connection exists
        with _postgresql_trips(_dbapi_connection(db)) as trips:
            result = READS[read](db, table)
            counted = trips()
    finally:
        db.disconnect()

    assert result.unwrap() is not None
    assert counted == 1  # no pre-ping, no BEGIN/COMMIT, no reset on return


@pytest.mark.parametrize("read", list(READS))
def test_a_read_is_one_round_trip_on_mariadb(
    mariadb_url: str, unique_name: Callable[[str], str], read: str
) -> None:
    table = unique_name("trips")
    db = _db(mariadb_url, table)
    try:
        READS[read](db, table).unwrap()
        with _mysql_trips(_dbapi_connection(db)) as trips:
            result = READS[read](db, table)
            counted = trips()
    finally:
        db.disconnect()

    assert result.unwrap() is not None
    assert counted == 1  # no PING, no COMMIT, no ROLLBACK on return


def test_a_write_outside_a_transaction_commits_by_itself_in_one_round_trip(
    postgresql_url: str, unique_name: Callable[[str], str]
) -> None:
    table = unique_name("trips")
    db = _db(postgresql_url, table)
    try:
        with _postgresql_trips(_dbapi_connection(db)) as trips:
            db.execute(f"UPDATE {table} SET name = :n WHERE id = 1", {"n": "x"}).unwrap()
            counted = trips()
        other = FlextDbOracleApi.from_url(postgresql_url)
        seen = other.query_one(f"SELECT name FROM {table} WHERE id = 1").unwrap()
        other.disconnect()
    finally:
        db.disconnect()

    assert counted == 1
    assert seen == ("x",)  # committed: another connection sees it


def _replace_then_abort(db: FlextDbOracleApi, table: str) -> None:
    with db.transaction():
        db.execute(f"DELETE FROM {table}").unwrap()
        db.execute(f"INSERT INTO {table} (id, name) VALUES (99, 'x')").unwrap()
        raise RuntimeError("abort")


def test_a_transaction_keeps_all_or_nothing(
    postgresql_url: str, unique_name: Callable[[str], str]
) -> None:
    table = unique_name("trips")
    db = _db(postgresql_url, table)
    try:
        with pytest.raises(RuntimeError):
            _replace_then_abort(db, table)
        rows = db.query(f"SELECT id FROM {table} ORDER BY id").unwrap().rows
    finally:
        db.disconnect()

    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
