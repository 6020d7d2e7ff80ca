"""Decimals on SQLite: kept exactly or refused with a typed error, never changed.

Found by the thorough property run: `Decimal('5.76460752305E+17')` was stored as a REAL
and read back as 576460752304999936.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from flext_db_oracle import ErrorKind, FlextDbOracleApi
from returns.result import Failure


@pytest.fixture
def db(tmp_path: Path) -> FlextDbOracleApi:
    api = FlextDbOracleApi.from_url(f"sqlite:///{tmp_path / 'values.db'}")
    api.execute("CREATE TABLE d (v NUMERIC)").unwrap()
    return api


@pytest.mark.parametrize(
    "value",
    [
        Decimal("5.76460752305E+17"),
        Decimal("9223372036854775807"),
        Decimal("-9223372036854775808"),
        Decimal("123456789012.345"),
        Decimal("-0.000123"),
    ],
)
def test_a_decimal_sqlite_can_hold_comes_back_equal(db: FlextDbOracleApi, value: Decimal) -> None:
    db.execute("INSERT INTO d (v) VALUES (:v)", {"v": value}).unwrap()

    assert db.query_one("SELECT v FROM d").unwrap() == (value,)
    db.disconnect()


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1E+30"),
        Decimal("9223372036854775808"),
        Decimal("1234567890.1234567"),
        Decimal("NaN"),
    ],
)
def test_a_decimal_sqlite_would_change_is_refused(db: FlextDbOracleApi, value: Decimal) -> None:
    written = db.execute("INSERT INTO d (v) VALUES (:v)", {"v": value})

    assert isinstance(written, Failure)
    assert written.failure().kind is ErrorKind.QUERY
    assert db.query_one("SELECT count(*) FROM d").unwrap() == (0,)
    db.disconnect()
