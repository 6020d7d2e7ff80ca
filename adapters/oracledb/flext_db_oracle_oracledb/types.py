"""How Oracle values come back: exact numbers, aware timestamps, LOBs as values.

The output type handler is installed on each connection the adapter acquires.
It only changes what the driver would get wrong for a data pipeline:

- NUMBER with a fractional scale or without precision (and FLOAT) as `int` when
  the value is integral and `Decimal` otherwise, never a float unless
  `number_as="float"`; BINARY_FLOAT and BINARY_DOUBLE stay floats;
- TIMESTAMP WITH TIME ZONE as an aware datetime with the value's own offset (read
  as ISO text in the format the session sets, see `sql.SESSION_SETUP`);
- TIMESTAMP WITH LOCAL TIME ZONE as an aware datetime in the session time zone;
- CLOB, NCLOB and BLOB as `str`/`bytes` in the same round trip (up to 1 GB), or,
  with `lob_inline_limit`, as values up to that many bytes and LOB locators
  (streamed with `read(offset, amount)`) above it.

DATE and TIMESTAMP are naive datetimes, INTERVAL DAY TO SECOND a timedelta, RAW
bytes, JSON and VECTOR (23ai) the driver's dict/list and array values: the driver
already gives those.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<hours>\d{2}):(?P<minutes>\d{2})$")
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")


def exact_number(value: Decimal | None) -> int | Decimal | None:
    """An integral Decimal as int (Oracle keeps no trailing zeros), any other as it is."""
    if value is None or not value.is_finite():
        return value
    return int(value) if value == value.to_integral_value() else value


def aware_timestamp(text: str | None) -> datetime | None:
    """ISO text with its offset (`2024-03-01T10:00:00.000000+01:00`) as an aware datetime."""
    return None if text is None else datetime.fromisoformat(text)


def parse_time_zone(name: str) -> tzinfo:
    """A session time zone as Oracle accepts it (`UTC`, `+02:00`, `Europe/Paris`) as a
    Python tzinfo; anything else is a `ValueError` (the value reaches `ALTER SESSION`)."""
    if (match := _OFFSET.match(name)) is not None:
        sign = -1 if match["sign"] == "-" else 1
        delta = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"]))
        return timezone(sign * delta)
    if _ZONE_NAME.match(name) is None:
        raise ValueError(f"{name!r} is not a time zone name or a +HH:MM offset")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def lob_reader(limit: int) -> Callable[[Any], Any]:
    """An outconverter giving a LOB's value when it holds at most `limit` bytes (or
    characters), the LOB itself otherwise."""

    def read(lob: Any) -> Any:
        if lob is None:
            return None
        return lob.read() if lob.size() <= limit else lob

    return read


def output_type_handler(
    *, exact_numbers: bool, lob_inline_limit: int | None, session_zone: tzinfo
) -> Callable[[Any, Any], Any]:
    """The handler for `connection.outputtypehandler` (python-oracledb 2+ signature)."""
    import oracledb

    def localize(value: datetime | None) -> datetime | None:
        return None if value is None else value.replace(tzinfo=session_zone)

    lobs = {oracledb.DB_TYPE_CLOB: str, oracledb.DB_TYPE_NCLOB: str, oracledb.DB_TYPE_BLOB: bytes}
    inline = {str: oracledb.DB_TYPE_LONG, bytes: oracledb.DB_TYPE_LONG_RAW}

    def handler(cursor: Any, metadata: Any) -> Any:
        type_code = metadata.type_code
        if type_code is oracledb.DB_TYPE_NUMBER:
            integral_column = (metadata.precision or 0) > 0 and metadata.scale == 0
            if exact_numbers and not integral_column:
                return cursor.var(Decimal, arraysize=cursor.arraysize, outconverter=exact_number)
            return None
        if type_code is oracledb.DB_TYPE_TIMESTAMP_TZ:
            return cursor.var(str, arraysize=cursor.arraysize, outconverter=aware_timestamp)
        if type_code is oracledb.DB_TYPE_TIMESTAMP_LTZ:
            return cursor.var(type_code, arraysize=cursor.arraysize, outconverter=localize)
        if type_code in lobs:
            if lob_inline_limit is None:
                return cursor.var(inline[lobs[type_code]], arraysize=cursor.arraysize)
            return cursor.var(
                type_code, arraysize=cursor.arraysize, outconverter=lob_reader(lob_inline_limit)
            )
        return None

    return handler
