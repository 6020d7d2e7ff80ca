"""Export a table with every common type to each format, load it back, compare row by row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle_transfer.export import export
from flext_db_oracle_transfer.load import LoadOptions, load

from tests.conftest import Dialect

ROWS = 20_000
PLUS_TWO = timezone(timedelta(hours=2))
TEXTS = ("", None, 'comma, "quote"\nnew line', "ünïcødé ✓ 🎉", "plain")


def sample_row(i: int, *, zones: bool) -> tuple[Any, ...]:
    row = (
        i,
        i * 7 - 1_000 if i % 11 else None,
        Decimal(f"{i}.{i % 100:02d}"),
        i / 3,
        TEXTS[i % len(TEXTS)],
        date(2000, 1, 1) + timedelta(days=i % 9_000),
        datetime(2024, 1, 1, 12, 0, 0, 123_456) + timedelta(seconds=i),
        bytes([i % 256, 0, 255]) * (i % 4) if i % 13 else None,
        i % 2 == 0,
    )
    if zones:
        return (*row, datetime(2024, 6, 1, 8, 30, tzinfo=PLUS_TWO) + timedelta(minutes=i))
    return row


def create_sql(dialect: Dialect, table: str, *, zones: bool) -> str:
    q = dialect.q
    zone_type = {"postgresql": "TIMESTAMP WITH TIME ZONE", "sqlite": "TIMESTAMP"}
    columns = [
        f"{q('id')} INTEGER PRIMARY KEY",
        f"{q('qty')} BIGINT",
        f"{q('price')} NUMERIC(12, 2)",
        f"{q('ratio')} {dialect.float_type}",
        f"{q('label')} VARCHAR(100)",
        f"{q('born')} DATE",
        f"{q('seen')} {dialect.datetime_type}",
        f"{q('blob')} {dialect.blob_type}",
        f"{q('flag')} BOOLEAN",
    ]
    if zones:
        columns.append(f"{q('seen_tz')} {zone_type[dialect.name]}")
    return f"CREATE TABLE {q(table)} ({', '.join(columns)})"


def normalised(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Drivers return bytes as bytes or memoryview; booleans as bool or 0/1."""
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


def all_rows(api: FlextDbOracleApi, dialect: Dialect, table: str) -> list[tuple[Any, ...]]:
    rows = api.query(f"SELECT * FROM {dialect.q(table)} ORDER BY {dialect.q('id')}").unwrap()
    return normalised(list(rows))


@pytest.fixture
def source(
    api: FlextDbOracleApi, dialect: Dialect, unique_name: Callable[[str], str]
) -> Iterator[tuple[str, bool]]:
    """A table of ROWS rows with every common type; zones where the backend stores them."""
    zones = dialect.name != "mariadb"
    table = unique_name("src")
    api.execute(create_sql(dialect, table, zones=zones)).unwrap()
    names = ["id", "qty", "price", "ratio", "label", "born", "seen", "blob", "flag"]
    names += ["seen_tz"] if zones else []
    insert = (
        f"INSERT INTO {dialect.q(table)} ({', '.join(dialect.q(n) for n in names)})"
        f" VALUES ({', '.join(':' + n for n in names)})"
    )
    params = [dict(zip(names, sample_row(i, zones=zones), strict=True)) for i in range(ROWS)]
    api.execute_many(insert, params).unwrap()
    yield table, zones
    api.execute(f"DROP TABLE {dialect.q(table)}")


@pytest.mark.parametrize("file_format", ["csv", "jsonl", "parquet"])
def test_round_trip(
    api: FlextDbOracleApi,
    dialect: Dialect,
    source: tuple[str, bool],
    file_format: str,
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    table, zones = source
    out = tmp_path / f"export.{file_format}"
    exported = export(api, out, table=table, batch_size=3_000).unwrap()
    assert exported.rows == ROWS
    target = unique_name("dst")
    api.execute(create_sql(dialect, target, zones=zones)).unwrap()
    loaded = load(api, out, target, LoadOptions(batch_size=5_000)).unwrap()
    assert (loaded.read, loaded.loaded, loaded.rejected) == (ROWS, ROWS, 0)
    original = all_rows(api, dialect, table)
    # Equal as Python compares them: 1 == True, Decimal("1.5") == Decimal("1.50"),
    # aware datetimes by instant.
    assert original == [sample_row(i, zones=zones) for i in range(ROWS)]
    assert all_rows(api, dialect, target) == original
    api.execute(f"DROP TABLE {dialect.q(target)}")


def test_load_creates_the_table_from_a_parquet_schema(
    api: FlextDbOracleApi,
    dialect: Dialect,
    source: tuple[str, bool],
    tmp_path: Path,
    unique_name: Callable[[str], str],
) -> None:
    table, _zones = source
    out = tmp_path / "export.parquet"
    export(api, out, table=table).unwrap()
    target = unique_name("created")
    loaded = load(api, out, target, LoadOptions(create=True, keys=("id",))).unwrap()
    assert loaded.loaded == ROWS
    columns = api.get_columns(target).unwrap()
    assert [c.name for c in columns][:3] == ["id", "qty", "price"]
    assert api.query(f"SELECT COUNT(*) FROM {dialect.q(target)}").unwrap().scalar() == ROWS
    api.execute(f"DROP TABLE {dialect.q(target)}")
