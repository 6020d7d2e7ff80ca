"""Values read from a file, made the type the target column needs.

CSV holds text and JSON has no decimal, date or bytes type, so each value is
converted by the family of the column it goes into: `"12.50"` into a DECIMAL
column is `Decimal("12.50")`, base64 text into a BLOB is bytes, ISO 8601 text into
a TIMESTAMP is a datetime. A value that does not convert rejects its row; none is
changed silently. Parquet values arrive typed and pass through.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from flext_db_oracle.models import Column, TypeFamily

Converter = Callable[[Any], Any]

# Families from the backend's type name, for adapters that do not fill `Column.family`.
_FAMILY_BY_NAME: tuple[tuple[re.Pattern[str], TypeFamily], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), family)
    for pattern, family in (
        (r"with time zone|timestamptz", TypeFamily.TIMESTAMP_TZ),
        (r"^(timestamp|datetime)", TypeFamily.TIMESTAMP),
        (r"^date$", TypeFamily.DATE),
        (r"^time\b", TypeFamily.TIME),
        (r"^interval", TypeFamily.INTERVAL),
        (r"bool", TypeFamily.BOOLEAN),
        (r"^(tinyint\(1\))", TypeFamily.BOOLEAN),
        (r"int|serial", TypeFamily.INTEGER),
        (r"^(numeric|decimal|number|money)", TypeFamily.DECIMAL),
        (r"^(real|float|double|binary_double|binary_float)", TypeFamily.FLOAT),
        (r"blob|bytea|binary|raw", TypeFamily.BINARY),
        (r"json", TypeFamily.JSON),
        (r"clob|text", TypeFamily.TEXT),
        (r"char|string|uuid|enum", TypeFamily.STRING),
    )
)
_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


def column_family(column: Column) -> TypeFamily:
    """`column.family`, or the family its type name says when the adapter left it `other`."""
    if column.family is not TypeFamily.OTHER:
        return column.family
    for pattern, family in _FAMILY_BY_NAME:
        if pattern.search(column.type_name):
            return family
    return TypeFamily.OTHER


def _integer(value: Any) -> Any:
    if isinstance(value, str):
        return int(value.strip())
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _decimal(value: Any) -> Any:
    if isinstance(value, str | int):
        return Decimal(value.strip() if isinstance(value, str) else value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _float(value: Any) -> Any:
    return float(value) if isinstance(value, str | int | Decimal) else value


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{value!r} is not a boolean")
    return value


def _binary(value: Any) -> Any:
    if isinstance(value, str):
        return base64.b64decode(value, validate=True)
    return value


def _parsed(parse: Callable[[str], Any]) -> Converter:
    def convert(value: Any) -> Any:
        return parse(value.strip()) if isinstance(value, str) else value

    return convert


def _timestamp(value: Any) -> Any:
    """A timestamp for a column without time zone: an aware value would be shifted into
    the session's zone by the server, so it is refused."""
    parsed = datetime.fromisoformat(value.strip()) if isinstance(value, str) else value
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        raise ValueError(f"{value!s} has a time zone, the column has none")
    return parsed


def _timestamp_tz(value: Any) -> Any:
    """A timestamp for a column with time zone: a naive value would be read in the
    session's zone, so it is refused."""
    parsed = datetime.fromisoformat(value.strip()) if isinstance(value, str) else value
    if isinstance(parsed, datetime) and parsed.tzinfo is None:
        raise ValueError(f"{value!s} has no time zone, the column needs one")
    return parsed


def _json(value: Any) -> Any:
    return value if isinstance(value, str) else json.dumps(value)


_CONVERTERS: dict[TypeFamily, Converter] = {
    TypeFamily.INTEGER: _integer,
    TypeFamily.DECIMAL: _decimal,
    TypeFamily.FLOAT: _float,
    TypeFamily.BOOLEAN: _boolean,
    TypeFamily.BINARY: _binary,
    TypeFamily.DATE: _parsed(date.fromisoformat),
    TypeFamily.TIME: _parsed(time.fromisoformat),
    TypeFamily.TIMESTAMP: _timestamp,
    TypeFamily.TIMESTAMP_TZ: _timestamp_tz,
    TypeFamily.JSON: _json,
}


def converter_for(column: Column, *, zones_checked: bool = True) -> Converter | None:
    """How to convert values for `column`; None when they go in as they are.

    `zones_checked=False` is for SQLite, which has no timestamp type and stores a
    timestamp's text, offset and all."""
    family = column_family(column)
    if not zones_checked and family in {TypeFamily.TIMESTAMP, TypeFamily.TIMESTAMP_TZ}:
        return _parsed(datetime.fromisoformat)
    return _CONVERTERS.get(family)


CONVERSION_ERRORS = (ValueError, TypeError, InvalidOperation, binascii.Error)
