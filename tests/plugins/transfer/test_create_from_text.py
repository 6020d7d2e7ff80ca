"""`--create` from CSV and JSON lines: types only where the text says so exactly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle_transfer.load import LoadOptions, load
from flext_db_oracle_transfer.text_types import text_type

from tests.conftest import Dialect


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "-20", "0"], pa.int64()),
        (["007", "1"], pa.string()),  # leading zeros: text, or the zeros would be lost
        (["12.50", "-0.5"], pa.decimal128(38, 2)),
        (["1e5"], pa.string()),
        (["true", "false"], pa.bool_()),
        (["2024-02-29"], pa.date32()),
        (["2024-02-29T10:00:00", "2024-03-01 11:30:00.5"], pa.timestamp("us")),
        (["2024-02-29T10:00:00+02:00", "2024-03-01T11:30:00Z"], pa.timestamp("us", tz="UTC")),
        (["2024-02-29T10:00:00+02:00", "2024-03-01T11:30:00"], pa.string()),  # mixed zones
        (["12.50", "abc"], pa.string()),
        (["99999999999999999999"], pa.string()),  # beyond 64 bits
    ],
)
def test_text_types(values: list[str], expected: pa.DataType) -> None:
    assert text_type(values) == expected


def test_json_strings_of_digits_stay_text() -> None:
    assert text_type(["42"], integers=False) == pa.string()


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_create_from_text_keeps_every_value(
    api: FlextDbOracleApi,
    dialect: Dialect,
    tmp_path: Path,
    unique_name: Callable[[str], str],
    suffix: str,
) -> None:
    path = tmp_path / f"rows.{suffix}"
    if suffix == "csv":
        path.write_text(
            "id,zip,price,born,seen,note\n"
            "1,007,12.50,2000-01-31,2024-01-01T10:00:00.250000,a\n"
            '2,,0.05,,2024-01-02T00:00:00,""\n'
        )
    else:
        path.write_text(
            '{"id": 1, "zip": "007", "price": "12.50", "born": "2000-01-31",'
            ' "seen": "2024-01-01T10:00:00.250000", "note": "a"}\n'
            '{"id": 2, "zip": null, "price": "0.05", "born": null,'
            ' "seen": "2024-01-02T00:00:00", "note": ""}\n'
        )
    table = unique_name("created")
    done = load(api, path, table, LoadOptions(create=True, keys=("id",))).unwrap()
    assert done.loaded == 2
    rows = api.query(f"SELECT * FROM {dialect.q(table)} ORDER BY 1").unwrap()
    assert list(rows) == [
        (
            1,
            "007",
            Decimal("12.50"),
            date(2000, 1, 31),
            datetime(2024, 1, 1, 10, 0, 0, 250_000),
            "a",
        ),
        (2, None, Decimal("0.05"), None, datetime(2024, 1, 2), ""),
    ]
    api.execute(f"DROP TABLE {dialect.q(table)}")
