"""Arrow schemas and record batches from rows of Python values, types kept.

Decimals become `decimal128(38, s)` with the largest scale of the first rows (or
`decimal256` when 38 digits are too few); aware timestamps become UTC timestamps
(the same instants); a value that does not fit the schema fails loudly rather
than being changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa
from flext_db_oracle.errors import DbError, ErrorKind

_DECIMAL128_DIGITS = 38


def infer_type(values: Sequence[Any]) -> pa.DataType:
    """The Arrow type for a column holding `values` (null when every value is NULL)."""
    present = [value for value in values if value is not None]
    if not present:
        return pa.null()
    try:
        inferred = pa.array(present).type
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
        raise DbError(ErrorKind.QUERY, f"values of mixed or unsupported types: {exc}") from None
    if pa.types.is_decimal(inferred):
        return _decimal_type(present)
    if pa.types.is_timestamp(inferred) and inferred.tz is not None:
        return pa.timestamp(inferred.unit, tz="UTC")
    return inferred


def _decimal_type(values: Sequence[Decimal]) -> pa.DataType:
    scale = 0
    integer_digits = 1
    for value in values:
        _sign, digits, exponent = value.as_tuple()
        if isinstance(exponent, int):
            scale = max(scale, -exponent)
            integer_digits = max(integer_digits, len(digits) + exponent)
    if integer_digits + scale <= _DECIMAL128_DIGITS:
        return pa.decimal128(_DECIMAL128_DIGITS, scale)
    return pa.decimal256(76, scale)


def infer_schema(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> pa.Schema:
    """One field per column, typed from `rows`."""
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    fields = []
    for name, values in zip(columns, by_column, strict=True):
        try:
            fields.append(pa.field(name, infer_type(values)))
        except DbError as error:
            raise DbError(error.kind, f"column {name!r}: {error.message}") from None
    return pa.schema(fields)


def record_batch(schema: pa.Schema, rows: Sequence[Sequence[Any]]) -> pa.RecordBatch:
    """`rows` as a record batch of `schema`; a value that does not fit is a `query` error."""
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = []
    for field, values in zip(schema, by_column, strict=True):
        try:
            arrays.append(pa.array(values, type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise DbError(
                ErrorKind.QUERY,
                f"column {field.name!r}: a value does not fit the type {field.type}"
                f" taken from the first rows ({exc})",
            ) from None
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
