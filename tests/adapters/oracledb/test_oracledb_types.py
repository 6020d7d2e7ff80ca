"""Type handling: exact numbers, aware timestamps, LOBs, and the identifiers rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import oracledb
import pytest
from flext_db_oracle.errors import DbError
from flext_db_oracle.models import TypeFamily
from flext_db_oracle_oracledb import names
from flext_db_oracle_oracledb.dictionary import column_family, column_from_row
from flext_db_oracle_oracledb.types import (
    aware_timestamp,
    exact_number,
    lob_reader,
    output_type_handler,
    parse_time_zone,
)


@pytest.mark.parametrize(
    ("value", "expected", "kind"),
    [
        (Decimal("42"), 42, int),
        (Decimal("1E+3"), 1000, int),
        (Decimal("-0.5"), Decimal("-0.5"), Decimal),
        (
            Decimal("123456789012345678901234567890.123"),
            Decimal("123456789012345678901234567890.123"),
            Decimal,
        ),
        (None, None, type(None)),
    ],
)
def test_numbers_stay_exact(value: Decimal | None, expected: object, kind: type) -> None:
    result = exact_number(value)
    assert result == expected
    assert type(result) is kind


def test_timestamp_with_time_zone_keeps_its_offset() -> None:
    value = aware_timestamp("2024-03-01T10:00:00.123456+05:30")
    assert value == datetime(2024, 3, 1, 4, 30, 0, 123456, tzinfo=UTC)
    assert value is not None and value.utcoffset() == timedelta(hours=5, minutes=30)
    assert aware_timestamp(None) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UTC", ZoneInfo("UTC")),
        ("+02:00", timezone(timedelta(hours=2))),
        ("-03:30", timezone(-timedelta(hours=3, minutes=30))),
        ("Europe/Paris", ZoneInfo("Europe/Paris")),
    ],
)
def test_session_time_zones(name: str, expected: object) -> None:
    assert parse_time_zone(name) == expected


@pytest.mark.parametrize("name", ["UTC'; DROP TABLE x --", "Nowhere/Land", "+2", ""])
def test_bad_time_zones_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        parse_time_zone(name)


class _Lob:
    def __init__(self, data: str) -> None:
        self.data = data

    def size(self) -> int:
        return len(self.data)

    def read(self) -> str:
        return self.data


def test_lobs_inline_below_the_limit_and_locators_above() -> None:
    read = lob_reader(4)
    small, large = _Lob("abcd"), _Lob("abcde")
    assert read(small) == "abcd"
    assert read(large) is large
    assert read(None) is None


@dataclass
class _Metadata:
    type_code: Any
    precision: int | None = None
    scale: int | None = None


class _Cursor:
    arraysize = 100

    def var(self, kind: Any, **options: Any) -> tuple[Any, dict[str, Any]]:
        return kind, options


def _handler(**options: Any) -> Any:
    settings = {"exact_numbers": True, "lob_inline_limit": None, "session_zone": UTC}
    return output_type_handler(**{**settings, **options})


def test_handler_reads_fractional_and_unconstrained_numbers_as_decimals() -> None:
    handler = _handler()
    kind, options = handler(_Cursor(), _Metadata(oracledb.DB_TYPE_NUMBER, 10, 2))
    assert kind is Decimal and options["outconverter"] is exact_number
    kind, _ = handler(_Cursor(), _Metadata(oracledb.DB_TYPE_NUMBER, 0, -127))
    assert kind is Decimal
    assert handler(_Cursor(), _Metadata(oracledb.DB_TYPE_NUMBER, 10, 0)) is None  # int already
    assert (
        _handler(exact_numbers=False)(_Cursor(), _Metadata(oracledb.DB_TYPE_NUMBER, 10, 2)) is None
    )
    assert handler(_Cursor(), _Metadata(oracledb.DB_TYPE_BINARY_DOUBLE)) is None


def test_handler_makes_timestamps_aware() -> None:
    handler = _handler(session_zone=ZoneInfo("Europe/Paris"))
    kind, options = handler(_Cursor(), _Metadata(oracledb.DB_TYPE_TIMESTAMP_TZ))
    assert kind is str and options["outconverter"] is aware_timestamp
    kind, options = handler(_Cursor(), _Metadata(oracledb.DB_TYPE_TIMESTAMP_LTZ))
    local = options["outconverter"](datetime(2024, 7, 1, 12, 0))
    assert local.utcoffset() == timedelta(hours=2)
    assert handler(_Cursor(), _Metadata(oracledb.DB_TYPE_DATE)) is None


def test_handler_fetches_lobs_inline_or_as_locators() -> None:
    kind, _ = _handler()(_Cursor(), _Metadata(oracledb.DB_TYPE_CLOB))
    assert kind is oracledb.DB_TYPE_LONG
    kind, _ = _handler()(_Cursor(), _Metadata(oracledb.DB_TYPE_BLOB))
    assert kind is oracledb.DB_TYPE_LONG_RAW
    kind, options = _handler(lob_inline_limit=10)(_Cursor(), _Metadata(oracledb.DB_TYPE_NCLOB))
    assert kind is oracledb.DB_TYPE_NCLOB
    assert options["outconverter"](_Lob("short")) == "short"


@pytest.mark.parametrize(
    ("data_type", "scale", "family"),
    [
        ("NUMBER", 0, TypeFamily.INTEGER),
        ("NUMBER", 2, TypeFamily.DECIMAL),
        ("NUMBER", None, TypeFamily.DECIMAL),
        ("FLOAT", None, TypeFamily.DECIMAL),
        ("BINARY_DOUBLE", None, TypeFamily.FLOAT),
        ("VARCHAR2", None, TypeFamily.STRING),
        ("CLOB", None, TypeFamily.TEXT),
        ("RAW", None, TypeFamily.BINARY),
        ("DATE", None, TypeFamily.TIMESTAMP),
        ("TIMESTAMP(6)", None, TypeFamily.TIMESTAMP),
        ("TIMESTAMP(6) WITH TIME ZONE", None, TypeFamily.TIMESTAMP_TZ),
        ("TIMESTAMP(6) WITH LOCAL TIME ZONE", None, TypeFamily.TIMESTAMP_TZ),
        ("INTERVAL DAY(2) TO SECOND(6)", None, TypeFamily.INTERVAL),
        ("JSON", None, TypeFamily.JSON),
        ("BOOLEAN", None, TypeFamily.BOOLEAN),
        ("VECTOR", None, TypeFamily.VECTOR),
        ("SDO_GEOMETRY", None, TypeFamily.OTHER),
    ],
)
def test_dictionary_types_to_families(
    data_type: str, scale: int | None, family: TypeFamily
) -> None:
    assert column_family(data_type, scale) is family


def test_column_rows_give_typed_facts() -> None:
    varchar = column_from_row(
        ("NAME", "VARCHAR2", 400, 100, "C", None, None, "N", "'x' ", "the name"), {"ID": 1}
    )
    assert (varchar.length, varchar.length_semantics, varchar.nullable) == (100, "char", False)
    assert varchar.default == "'x'"
    assert varchar.comment == "the name"
    number = column_from_row(("ID", "NUMBER", 22, 0, None, 10, 0, "N", None, None), {"ID": 1})
    assert (number.family, number.precision, number.scale) == (TypeFamily.INTEGER, 10, 0)
    assert number.primary_key_position == 1
    assert number.length is None
    raw = column_from_row(("H", "RAW", 16, 0, None, None, None, "Y", None, None), {})
    assert (raw.length, raw.length_semantics) == (16, "byte")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("employees", "EMPLOYEES"),
        ("Employees", "EMPLOYEES"),
        ('"MixedCase"', "MixedCase"),
        ('"lower"', "lower"),
        ("A$B#1", "A$B#1"),
    ],
)
def test_unquoted_names_fold_quoted_names_are_kept(given: str, stored: str) -> None:
    assert names.normalize(given) == stored


def test_lookup_candidates_try_the_folded_name_first() -> None:
    assert names.candidates("employees") == ("EMPLOYEES", "employees")
    assert names.candidates("MixedCase") == ("MIXEDCASE", "MixedCase")
    assert names.candidates('"MixedCase"') == ("MixedCase", "MixedCase")


@pytest.mark.parametrize(
    "bad", ["", "1abc", "a b", 'x"; drop table t --', '"a"b"', '""', "t;", "x" * 129]
)
def test_bad_identifiers_are_refused(bad: str) -> None:
    with pytest.raises(DbError):
        names.normalize(bad)


def test_quoting_and_procedure_names() -> None:
    assert names.qualified("emp", "hr") == '"HR"."EMP"'
    assert names.procedure_name("pkg.proc") == '"PKG"."PROC"'
    assert names.procedure_name('hr."My.Pkg".run') == '"HR"."My.Pkg"."RUN"'
    with pytest.raises(DbError):
        names.procedure_name("a.b.c.d")
    with pytest.raises(DbError):
        names.procedure_name("proc(1); end; begin evil")


def test_prefetch_fills_the_first_round_trip_unless_told() -> None:
    from flext_db_oracle_oracledb.query import prefetch_rows, row_factory

    assert prefetch_rows(None, 1000) == 1000
    assert prefetch_rows(50, 1000) == 50
    assert prefetch_rows(None, 1, 2) == 2
    assert row_factory("tuple", ["A"]) is None
    as_dict = row_factory("dict", ["A", "B"])
    assert as_dict is not None and as_dict(1, 2) == {"A": 1, "B": 2}
    named = row_factory("named", ["A", "COUNT(*)"])
    assert named is not None and named(1, 2) == (1, 2) and named(1, 2).A == 1
