"""Contract of the query port, through the facade, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flext_db_oracle import (
    BatchOutcome,
    DbError,
    ErrorKind,
    ExecuteOutcome,
    FlextDbOracleApi,
    QueryResult,
)
from returns.result import Failure, Result, Success

# --- typed round trips ---------------------------------------------------------------

ALL_BYTES = b"\x00\x01\x7f\x80\xfe\xff" + bytes(range(256)) + b"\x00"

# (id, DDL type or dialect attribute, value, the exact Python type that must come back)
ROUND_TRIPS = [
    pytest.param("BIGINT", 2**53 + 1, int, id="int-beyond-float-precision"),
    pytest.param("BIGINT", -(2**40), int, id="negative-int"),
    pytest.param("NUMERIC(18, 4)", Decimal("-12345.6789"), Decimal, id="decimal-with-scale"),
    pytest.param("NUMERIC(18, 4)", Decimal("0.0001"), Decimal, id="decimal-smallest-step"),
    pytest.param("float_type", 3.141592653589793, float, id="float"),
    pytest.param("float_type", -1.5e-300, float, id="float-tiny"),
    pytest.param("VARCHAR(200)", "Zoë — 東京", str, id="str-non-ascii"),
    pytest.param("VARCHAR(200)", "four bytes: 🎉𝄞", str, id="str-outside-bmp"),
    pytest.param("blob_type", ALL_BYTES, bytes, id="bytes-with-nul"),
    pytest.param("DATE", date(2024, 2, 29), date, id="date"),
    pytest.param(
        "datetime_type", datetime(2024, 2, 29, 23, 59, 58, 123456), datetime, id="datetime-us"
    ),
    pytest.param("VARCHAR(10)", None, type(None), id="null"),
]


@pytest.mark.parametrize(("column_type", "value", "expected_type"), ROUND_TRIPS)
def test_values_come_back_typed_and_equal(
    api: FlextDbOracleApi, dialect, unique_name, column_type: str, value: Any, expected_type: type
) -> None:
    ddl_type = getattr(dialect, column_type, column_type)
    table = unique_name("rt")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY, v {ddl_type})").unwrap()

    inserted = api.execute(f"INSERT INTO {table} (id, v) VALUES (:id, :v)", {"id": 1, "v": value})
    row = api.query_one(f"SELECT v FROM {table} WHERE id = :id", {"id": 1})

    assert inserted.unwrap().rowcount == 1
    got = row.unwrap()[0]
    assert type(got) is expected_type, f"{type(got).__name__}: {got!r}"
    assert got == value


def test_a_row_of_every_type_comes_back_as_one_tuple(
    api: FlextDbOracleApi, dialect, unique_name
) -> None:
    table = unique_name("mixed")
    api.execute(
        f"CREATE TABLE {table} (i BIGINT, d NUMERIC(12, 3), f {dialect.float_type}, "
        f"s VARCHAR(50), b {dialect.blob_type}, dt DATE, ts {dialect.datetime_type}, n INTEGER)"
    ).unwrap()
    row = {
        "i": 7,
        "d": Decimal("1.250"),
        "f": 0.5,
        "s": "ß",
        "b": b"\x00",
        "dt": date(1999, 12, 31),
        "ts": datetime(2000, 1, 1, 0, 0, 0, 1),
        "n": None,
    }
    api.execute(
        f"INSERT INTO {table} (i, d, f, s, b, dt, ts, n) VALUES (:i, :d, :f, :s, :b, :dt, :ts, :n)",
        row,
    ).unwrap()

    result = api.query(f"SELECT i, d, f, s, b, dt, ts, n FROM {table}").unwrap()

    assert isinstance(result, QueryResult)
    assert [c.lower() for c in result.columns] == list(row)
    assert len(result) == 1
    assert result.rows[0] == tuple(row.values())
    assert [type(v) for v in result.rows[0]] == [type(v) for v in row.values()]


# --- binds -----------------------------------------------------------------------------


def test_named_binds_are_values_never_sql(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("binds")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY, s VARCHAR(100))").unwrap()
    hostile = f"x'); DROP TABLE {table}; --"
    api.execute(f"INSERT INTO {table} (id, s) VALUES (:id, :s)", {"id": 1, "s": hostile}).unwrap()
    api.execute(f"INSERT INTO {table} (id, s) VALUES (:id, :s)", {"id": 2, "s": "b"}).unwrap()

    # The same bind used twice, and a bind compared with a literal-looking value.
    same_twice = api.query(
        f"SELECT id FROM {table} WHERE id = :v OR id + 1 = :v ORDER BY id", {"v": 2}
    ).unwrap()
    by_text = api.query_one(f"SELECT id FROM {table} WHERE s = :s", {"s": hostile}).unwrap()

    assert same_twice.rows == ((1,), (2,))
    assert by_text == (1,)
    assert api.query(f"SELECT count(*) FROM {table}").unwrap().scalar() == 2


def test_query_one_on_no_row_is_success_none(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("empty")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()

    assert api.query_one(f"SELECT id FROM {table}") == Success(None)
    assert api.query(f"SELECT id FROM {table}").unwrap().rows == ()
    assert api.query(f"SELECT id FROM {table}").map(QueryResult.scalar) == Success(None)


def test_query_one_gives_the_first_row(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("first")
    api.execute(f"CREATE TABLE {table} (id INTEGER, s VARCHAR(5))").unwrap()
    api.execute_many(
        f"INSERT INTO {table} (id, s) VALUES (:id, :s)",
        [{"id": 2, "s": "b"}, {"id": 1, "s": "a"}, {"id": 3, "s": "c"}],
    ).unwrap()

    assert api.query_one(f"SELECT id, s FROM {table} ORDER BY id").unwrap() == (1, "a")
    dicts = api.query(f"SELECT id, s FROM {table} ORDER BY id DESC").unwrap().dicts()
    assert dicts == [{"id": 3, "s": "c"}, {"id": 2, "s": "b"}, {"id": 1, "s": "a"}]


# --- execute and execute_many ------------------------------------------------------------


def test_execute_reports_affected_rows(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("upd")
    api.execute(f"CREATE TABLE {table} (id INTEGER, flag INTEGER)").unwrap()
    api.execute_many(
        f"INSERT INTO {table} (id, flag) VALUES (:id, 0)", [{"id": i} for i in range(10)]
    ).unwrap()

    outcome = api.execute(f"UPDATE {table} SET flag = 1 WHERE id >= :low", {"low": 6})

    assert outcome == Success(ExecuteOutcome(rowcount=4))


def test_execute_many_writes_ten_thousand_rows(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("many")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY, v VARCHAR(20))").unwrap()
    rows = [{"id": i, "v": f"row-{i}"} for i in range(10_000)]

    outcome = api.execute_many(f"INSERT INTO {table} (id, v) VALUES (:id, :v)", rows).unwrap()

    assert isinstance(outcome, BatchOutcome)
    assert outcome.rows_submitted == 10_000
    assert outcome.rowcount == 10_000
    assert outcome.ok
    count, total = api.query_one(f"SELECT count(*), sum(id) FROM {table}").unwrap()
    assert count == 10_000
    assert total == sum(range(10_000))
    assert api.query_one(f"SELECT v FROM {table} WHERE id = 9999").unwrap() == ("row-9999",)


def test_execute_many_of_nothing_is_an_empty_success(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("none")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()

    outcome = api.execute_many(f"INSERT INTO {table} (id) VALUES (:id)", [])

    assert outcome == Success(BatchOutcome(rows_submitted=0, rowcount=0))


def test_a_failing_row_names_its_index_and_the_batch_writes_nothing(
    api: FlextDbOracleApi, unique_name
) -> None:
    table = unique_name("dup")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY)").unwrap()
    api.execute(f"INSERT INTO {table} (id) VALUES (107)").unwrap()
    rows = [{"id": 100 + i} for i in range(20)]  # rows[7] is 107: already there

    result = api.execute_many(f"INSERT INTO {table} (id) VALUES (:id)", rows)

    assert isinstance(result, Failure)
    error = result.failure()
    assert error.kind is ErrorKind.INTEGRITY
    assert error.detail["row_index"] == 7
    assert error.detail["rows_submitted"] == 20
    assert api.query(f"SELECT id FROM {table}").unwrap().rows == ((107,),)


def test_a_duplicate_inside_the_batch_is_located_too(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("dup2")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY)").unwrap()
    rows = [{"id": i} for i in range(20)]
    rows[12] = {"id": 3}

    result = api.execute_many(f"INSERT INTO {table} (id) VALUES (:id)", rows)

    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.INTEGRITY
    assert result.failure().detail["row_index"] == 12
    assert api.query(f"SELECT count(*) FROM {table}").unwrap().scalar() == 0


# --- transactions -----------------------------------------------------------------------


def _count(db: FlextDbOracleApi, table: str) -> int:
    count: int = db.query(f"SELECT count(*) FROM {table}").unwrap().scalar()
    return count


def test_each_execute_outside_a_transaction_commits(
    api: FlextDbOracleApi, backend_url, unique_name
) -> None:
    table = unique_name("auto")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()
    api.execute(f"INSERT INTO {table} (id) VALUES (1)").unwrap()
    api.execute_many(f"INSERT INTO {table} (id) VALUES (:id)", [{"id": 2}, {"id": 3}]).unwrap()

    other = FlextDbOracleApi.from_url(backend_url)  # another pool: sees committed data only
    try:
        assert _count(other, table) == 3
    finally:
        other.disconnect()


def test_transaction_commits_when_the_block_ends(
    api: FlextDbOracleApi, backend_url, unique_name
) -> None:
    table = unique_name("commit")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY)").unwrap()
    other = FlextDbOracleApi.from_url(backend_url)
    try:
        with api.transaction() as tx:
            tx.execute(f"INSERT INTO {table} (id) VALUES (1)").unwrap()
            tx.execute_many(
                f"INSERT INTO {table} (id) VALUES (:id)", [{"id": 2}, {"id": 3}]
            ).unwrap()
            assert _count(tx, table) == 3  # the transaction sees its own writes
            assert _count(other, table) == 0  # nobody else does yet
        assert _count(other, table) == 3
    finally:
        other.disconnect()


def test_transaction_rolls_back_when_the_block_raises(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("rb")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()

    def write_then_raise() -> None:
        with api.transaction():
            api.execute(f"INSERT INTO {table} (id) VALUES (1)").unwrap()
            api.execute(f"INSERT INTO {table} (id) VALUES (2)").unwrap()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_then_raise()

    assert _count(api, table) == 0


def test_a_failure_inside_a_transaction_raises_at_block_end_and_rolls_back(
    api: FlextDbOracleApi, unique_name
) -> None:
    table = unique_name("rbf")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY)").unwrap()
    seen: list[Result[ExecuteOutcome, DbError]] = []

    def write_with_a_duplicate() -> None:
        with api.transaction():
            seen.append(api.execute(f"INSERT INTO {table} (id) VALUES (1)"))
            seen.append(api.execute(f"INSERT INTO {table} (id) VALUES (1)"))  # a Failure
            seen.append(api.execute(f"INSERT INTO {table} (id) VALUES (3)"))

    with pytest.raises(DbError) as raised:
        write_with_a_duplicate()

    assert isinstance(seen[0], Success)
    assert isinstance(seen[1], Failure)
    assert raised.value.kind is ErrorKind.INTEGRITY
    assert raised.value == seen[1].failure()  # the first failure is the one raised
    assert _count(api, table) == 0


def test_a_failed_query_also_fails_the_transaction(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("rbq")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()

    def write_then_read_a_missing_table() -> None:
        with api.transaction():
            api.execute(f"INSERT INTO {table} (id) VALUES (1)").unwrap()
            api.query(f"SELECT * FROM {unique_name('missing')}")  # a Failure, not unwrapped

    with pytest.raises(DbError) as raised:
        write_then_read_a_missing_table()

    assert raised.value.kind is ErrorKind.NOT_FOUND
    assert _count(api, table) == 0


def test_a_nested_transaction_joins_the_outer_one(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("nest")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()

    seen_inside: list[int] = []

    def inner_commits_then_outer_raises() -> None:
        with api.transaction():
            with api.transaction():
                api.execute(f"INSERT INTO {table} (id) VALUES (1)").unwrap()
            seen_inside.append(_count(api, table))
            raise RuntimeError("outer fails after the inner block ended")

    with pytest.raises(RuntimeError, match="outer fails"):
        inner_commits_then_outer_raises()

    assert seen_inside == [1]
    assert _count(api, table) == 0


def test_a_stream_inside_a_transaction_leaves_later_statements_working(
    api: FlextDbOracleApi, unique_name
) -> None:
    table = unique_name("txs")
    api.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()
    api.execute_many(f"INSERT INTO {table} (id) VALUES (:id)", [{"id": i} for i in range(5)])

    with api.transaction():
        with api.stream(f"SELECT id FROM {table}", batch_size=2).unwrap() as stream:
            assert sum(len(batch) for batch in stream) == 5
        api.execute(f"INSERT INTO {table} (id) VALUES (5)").unwrap()
        api.execute(f"UPDATE {table} SET id = id + 10 WHERE id < :n", {"n": 2}).unwrap()

    assert _count(api, table) == 6


# --- streaming -------------------------------------------------------------------------

STREAM_ROWS = 100_000


def _numbers_query(api: FlextDbOracleApi, dialect, unique_name: Callable[[str], str]) -> str:
    """A query giving i = 1..100000: a recursive CTE where the backend allows one that
    deep, else a table filled by `execute_many`."""
    if dialect.deep_recursive_cte:
        return (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            f"WHERE i < {STREAM_ROWS}) SELECT i FROM n"
        )
    table = unique_name("numbers")
    api.execute(f"CREATE TABLE {table} (i INTEGER NOT NULL PRIMARY KEY)").unwrap()
    api.execute_many(
        f"INSERT INTO {table} (i) VALUES (:i)", [{"i": i} for i in range(1, STREAM_ROWS + 1)]
    ).unwrap()
    return f"SELECT i FROM {table}"


def test_stream_gives_every_row_in_bounded_batches(
    api: FlextDbOracleApi, dialect, unique_name
) -> None:
    sql = _numbers_query(api, dialect, unique_name)
    sizes: list[int] = []
    total = 0

    with api.stream(sql, batch_size=7_000).unwrap() as stream:
        assert [c.lower() for c in stream.columns] == ["i"]
        for batch in stream:
            sizes.append(len(batch))
            total += sum(row[0] for row in batch)

    assert sum(sizes) == STREAM_ROWS
    assert max(sizes) <= 7_000
    assert min(sizes) >= 1
    assert len(sizes) >= STREAM_ROWS // 7_000
    assert total == STREAM_ROWS * (STREAM_ROWS + 1) // 2


def test_stream_uses_the_configured_batch_size(backend_url, unique_name) -> None:
    db = FlextDbOracleApi.from_url(backend_url, stream_batch_size=3)
    try:
        table = unique_name("sbs")
        db.execute(f"CREATE TABLE {table} (id INTEGER)").unwrap()
        db.execute_many(f"INSERT INTO {table} (id) VALUES (:id)", [{"id": i} for i in range(10)])

        with db.stream(f"SELECT id FROM {table} ORDER BY id").unwrap() as stream:
            batches = [list(batch) for batch in stream]
    finally:
        db.disconnect()

    sizes = [len(b) for b in batches]
    assert max(sizes) == 3  # full batches are the configured size, none is bigger
    assert [row[0] for batch in batches for row in batch] == list(range(10))


def test_a_stream_closed_early_gives_its_connection_back(
    api: FlextDbOracleApi, dialect, unique_name
) -> None:
    sql = _numbers_query(api, dialect, unique_name)

    with api.stream(sql, batch_size=100).unwrap() as stream:
        first = next(iter(stream))

    assert len(first) == 100
    assert api.pool_stats().unwrap().checked_out == 0
    assert api.query("SELECT 1 AS one").unwrap().scalar() == 1


def test_stream_rejects_a_batch_size_below_one(api: FlextDbOracleApi) -> None:
    result = api.stream("SELECT 1 AS one", batch_size=-1)

    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.QUERY


# --- errors ----------------------------------------------------------------------------

ERROR_CASES = [
    pytest.param("SELECT * FROM {missing}", None, ErrorKind.NOT_FOUND, id="missing-table"),
    pytest.param("SELEC id FROM {table}", None, ErrorKind.QUERY, id="syntax"),
    pytest.param(
        "SELECT id FROM {table} WHERE id = :id",
        {"id": 1, "idd": 2},
        ErrorKind.QUERY,
        id="unused-bind-name",
    ),
    pytest.param(
        "SELECT id FROM {table} WHERE id = :id AND s = :s",
        {"id": 1},
        ErrorKind.QUERY,
        id="missing-bind-value",
    ),
    pytest.param("SELECT nope FROM {table}", None, ErrorKind.QUERY, id="missing-column"),
]


@pytest.mark.parametrize(("sql", "params", "kind"), ERROR_CASES)
@pytest.mark.parametrize("operation", ["query", "query_one", "execute", "stream"])
def test_errors_are_typed_failures_never_exceptions(
    api: FlextDbOracleApi,
    unique_name,
    sql: str,
    params: dict[str, Any] | None,
    kind: ErrorKind,
    operation: str,
) -> None:
    table = unique_name("err")
    api.execute(f"CREATE TABLE {table} (id INTEGER, s VARCHAR(10))").unwrap()
    statement = sql.format(table=table, missing=unique_name("missing"))

    result = getattr(api, operation)(statement, params)

    assert isinstance(result, Failure), result
    error = result.failure()
    assert isinstance(error, DbError)
    assert error.kind is kind, error
    assert error.adapter == "sqlalchemy"
    assert error.retryable is False


def test_constraint_violations_are_integrity_errors(api: FlextDbOracleApi, unique_name) -> None:
    table = unique_name("cons")
    api.execute(f"CREATE TABLE {table} (id INTEGER NOT NULL PRIMARY KEY, s VARCHAR(5) NOT NULL)")
    api.execute(f"INSERT INTO {table} (id, s) VALUES (1, 'a')").unwrap()

    duplicate = api.execute(f"INSERT INTO {table} (id, s) VALUES (:id, :s)", {"id": 1, "s": "b"})
    null = api.execute(f"INSERT INTO {table} (id, s) VALUES (:id, :s)", {"id": 2, "s": None})

    for result in (duplicate, null):
        assert isinstance(result, Failure)
        assert result.failure().kind is ErrorKind.INTEGRITY
        assert result.failure().code  # the backend's own code is kept
    assert _count(api, table) == 1


def test_a_colon_word_inside_a_string_literal_is_not_a_bind(api: FlextDbOracleApi) -> None:
    result = api.query("SELECT 'at :noon' AS s")

    assert result.map(QueryResult.scalar) == Success("at :noon")
