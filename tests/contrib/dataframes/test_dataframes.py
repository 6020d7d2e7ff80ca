"""DataFrames from query results and streams, and loads from them, on each backend."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from flext_db_oracle import ErrorKind, FlextDbOracleApi
from flext_db_oracle_dataframes import load_frame, to_arrow, to_pandas, to_polars
from flext_db_oracle_transfer.load import LoadOptions

from tests.conftest import Dialect

ROWS = 2_500
UTC_PLUS_2 = timezone(timedelta(hours=2))


@pytest.fixture
def table(api: FlextDbOracleApi, dialect: Dialect, unique_name: Callable[[str], str]) -> str:
    name = unique_name("df")
    q = dialect.q
    api.execute(
        f"CREATE TABLE {q(name)} ({q('id')} INTEGER PRIMARY KEY, {q('price')} NUMERIC(10, 2),"
        f" {q('label')} VARCHAR(20), {q('seen')} {dialect.datetime_type},"
        f" {q('data')} {dialect.blob_type})"
    ).unwrap()
    api.execute_many(
        f"INSERT INTO {q(name)} VALUES (:id, :price, :label, :seen, :data)",
        [
            {
                "id": i,
                "price": Decimal(i) / 4,
                "label": None if i % 7 == 0 else f"n{i}",
                "seen": datetime(2024, 1, 1) + timedelta(minutes=i),
                "data": bytes([i % 256]),
            }
            for i in range(ROWS)
        ],
    ).unwrap()
    return name


def select(dialect: Dialect, table: str) -> str:
    return f"SELECT * FROM {dialect.q(table)} ORDER BY {dialect.q('id')}"


def test_to_arrow_from_a_result_and_from_a_stream(
    api: FlextDbOracleApi, dialect: Dialect, table: str
) -> None:
    from_result = api.query(select(dialect, table)).bind(to_arrow).unwrap()
    from_stream = api.stream(select(dialect, table), batch_size=600).bind(to_arrow).unwrap()
    assert from_result.num_rows == from_stream.num_rows == ROWS
    assert pa.types.is_decimal(from_result.schema.field("price").type)
    assert from_result.column("price").to_pylist()[:3] == [
        Decimal(0),
        Decimal("0.25"),
        Decimal("0.5"),
    ]
    assert from_stream.column("label").to_pylist() == from_result.column("label").to_pylist()
    assert from_result.column("data").to_pylist()[1] == b"\x01"


def test_to_polars_and_to_pandas(api: FlextDbOracleApi, dialect: Dialect, table: str) -> None:
    frame = api.query(select(dialect, table)).bind(to_polars).unwrap()
    assert isinstance(frame, pl.DataFrame)
    assert frame.height == ROWS
    assert frame["label"].null_count() == len(range(0, ROWS, 7))
    pandas_frame = api.stream(select(dialect, table)).bind(to_pandas).unwrap()
    assert isinstance(pandas_frame, pd.DataFrame)
    assert pandas_frame["price"].iloc[2] == Decimal("0.5")


@pytest.mark.parametrize("kind", ["arrow", "polars", "pandas"])
def test_load_a_frame_creating_the_table(
    api: FlextDbOracleApi,
    dialect: Dialect,
    table: str,
    kind: str,
    unique_name: Callable[[str], str],
) -> None:
    arrow = api.query(select(dialect, table)).bind(to_arrow).unwrap()
    frame = {"arrow": arrow, "polars": pl.from_arrow(arrow), "pandas": arrow.to_pandas()}[kind]
    target = unique_name("dfl")
    done = load_frame(api, frame, target, LoadOptions(create=True, batch_size=1_000)).unwrap()
    assert (done.read, done.loaded) == (ROWS, ROWS)
    original = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in api.query(select(dialect, table)).unwrap()]  # fmt: skip
    copied = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
              for row in api.query(select(dialect, target)).unwrap()]  # fmt: skip
    assert copied == original


def test_aware_timestamps_keep_their_instant() -> None:
    moment = datetime(2024, 6, 1, 8, 30, tzinfo=UTC_PLUS_2)
    with FlextDbOracleApi.from_url("sqlite://") as api:
        api.execute("CREATE TABLE t (at TIMESTAMP)").unwrap()
        api.execute("INSERT INTO t VALUES (:at)", {"at": moment}).unwrap()
        arrow = api.query("SELECT at FROM t").bind(to_arrow).unwrap()
    assert arrow.schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert arrow.column("at").to_pylist() == [moment]


def test_a_missing_optional_library_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars now raises ImportError
    with FlextDbOracleApi.from_url("sqlite://") as api:
        error = api.query("SELECT 1 AS one").bind(to_polars).failure()
    assert error.kind is ErrorKind.CONFIGURATION
    assert "flext-db-oracle-dataframes[polars]" in error.message


def test_loading_something_else_is_refused() -> None:
    with FlextDbOracleApi.from_url("sqlite://") as api:
        error = load_frame(api, [(1, 2)], "t").failure()
    assert error.kind is ErrorKind.QUERY
