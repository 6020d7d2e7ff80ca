"""Typed values for SQLite, which stores dates and decimals as text or floats.

sqlite3 converts by declared column type when `detect_types=PARSE_DECLTYPES`;
these converters and adapters give back `date`, `datetime` and `Decimal` and
accept them as binds. The registrations are process-wide (sqlite3 offers no
other way) but only affect connections that opt in with `PARSE_DECLTYPES`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

DETECT_TYPES = sqlite3.PARSE_DECLTYPES


def _lenient(parse: Callable[[str], Any]) -> Callable[[bytes], Any]:
    """Fall back to the stored text when a value does not parse: SQLite allows
    anything in any column, and one odd value must not fail the whole query."""

    def convert(raw: bytes) -> Any:
        text = raw.decode()
        try:
            return parse(text)
        except (ValueError, InvalidOperation):
            return text

    return convert


def _decimal_text(value: Decimal) -> str:
    """An integral decimal as plain digits (`576460752305000000`, not `5.76460752305E+17`),
    so that SQLite stores it as an INTEGER, exactly, rather than as a REAL."""
    return format(value, "f") if value == value.to_integral_value() else str(value)


def register() -> None:
    sqlite3.register_adapter(Decimal, _decimal_text)
    sqlite3.register_adapter(date, date.isoformat)
    sqlite3.register_adapter(datetime, lambda value: value.isoformat(" "))
    to_datetime = _lenient(datetime.fromisoformat)
    for declared in ("DATETIME", "TIMESTAMP"):
        sqlite3.register_converter(declared, to_datetime)
    sqlite3.register_converter("DATE", _lenient(date.fromisoformat))
    for declared in ("DECIMAL", "NUMERIC"):
        sqlite3.register_converter(declared, _lenient(Decimal))
