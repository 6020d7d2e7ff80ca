"""Column types for `--create` from text: what CSV fields and JSON strings hold.

A column gets a type only when every value in the sample has its canonical text, so
nothing is changed by the type: `007` stays text (an integer column would drop the
zeros), `12.50` becomes a decimal with two places (not a float), ISO 8601 dates and
timestamps become dates and timestamps (with a zone only when every value has an
offset). Anything else, or a mix, is text. JSON strings are never integers: the export
writes integers as JSON numbers, so a string of digits was text in its source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from flext_db_oracle_transfer.arrow import infer_type

_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,17})")  # fits in 64 bits
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.(\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?")
_OFFSET = re.compile(r"(?:[+-]\d{2}:\d{2}|Z)")
_BOOLEANS = {"true", "false"}
_DECIMAL_DIGITS = 38


def text_type(values: Sequence[str], *, integers: bool = True) -> pa.DataType:
    """The Arrow type every one of `values` (non-null text) is the canonical text of."""
    if not values:
        return pa.string()
    if integers and all(_INTEGER.fullmatch(v) for v in values):
        return pa.int64()
    decimals = [_DECIMAL.fullmatch(v) for v in values]
    if all(decimals):
        scale = max(len(m.group(1)) for m in decimals if m is not None)
        digits = max(len(v.lstrip("-").replace(".", "")) for v in values)
        if max(digits, scale + 1) <= _DECIMAL_DIGITS:
            return pa.decimal128(_DECIMAL_DIGITS, scale)
        return pa.string()
    if all(v in _BOOLEANS for v in values):
        return pa.bool_()
    if all(_DATE.fullmatch(v) for v in values):
        return pa.date32()
    return _timestamp_type(values)


def _timestamp_type(values: Sequence[str]) -> pa.DataType:
    zoned = 0
    for value in values:
        match = _TIMESTAMP.match(value)
        if match is None:
            return pa.string()
        rest = value[match.end() :]
        if rest and not _OFFSET.fullmatch(rest):
            return pa.string()
        zoned += bool(rest)
    if zoned == 0:
        return pa.timestamp("us")
    return pa.timestamp("us", tz="UTC") if zoned == len(values) else pa.string()


def column_type(values: Sequence[Any], *, from_json: bool) -> pa.DataType:
    """The type of a sampled column: text by `text_type`, JSON numbers and booleans as
    themselves, all NULL as text."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, str) for v in present):
        return text_type(present, integers=not from_json)
    return infer_type(present)


def sample_schema(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, from_json: bool
) -> pa.Schema:
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pa.schema(
        [
            pa.field(name, column_type(values, from_json=from_json))
            for name, values in zip(columns, by_column, strict=True)
        ]
    )
