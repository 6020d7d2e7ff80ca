"""Row writers for export: CSV, JSON lines and Parquet, batch by batch in constant memory.

CSV: a header row; NULL is an empty unquoted field and an empty string is `""`;
bytes are base64; dates and times ISO 8601; decimals exact. JSON lines: one object
per row, decimals as strings, bytes base64. Parquet: typed columns (decimals, aware
timestamps, bytes kept), the schema taken from the first rows.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TextIO

from flext_db_oracle.cli.output import to_jsonable
from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_transfer.files import FileFormat

_NEEDS_QUOTES = frozenset(',"\r\n')


class RowFileWriter(Protocol):
    def write(self, batch: Sequence[Sequence[Any]]) -> None: ...

    def close(self) -> None:
        """Flush what is buffered and finish the file."""
        ...


def csv_field(value: Any) -> str:
    """One CSV field; NULL and the empty string stay apart."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | Decimal):
        return str(value)
    elif isinstance(value, float):
        return repr(value)
    elif isinstance(value, bytes | bytearray | memoryview):
        text = base64.b64encode(bytes(value)).decode("ascii")  # b"" is "", quoted below
    elif isinstance(value, datetime | date | time):
        return value.isoformat()
    else:
        text = json.dumps(to_jsonable(value), ensure_ascii=False)
    if not text or not _NEEDS_QUOTES.isdisjoint(text):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvFileWriter:
    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._stream = stream
        stream.write(",".join(csv_field(name) for name in columns) + "\n")

    def write(self, batch: Sequence[Sequence[Any]]) -> None:
        self._stream.write("".join(",".join(map(csv_field, row)) + "\n" for row in batch))

    def close(self) -> None:
        self._stream.flush()


class JsonlFileWriter:
    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._stream = stream
        self._columns = tuple(columns)

    def write(self, batch: Sequence[Sequence[Any]]) -> None:
        columns = self._columns
        self._stream.write(
            "".join(
                json.dumps(to_jsonable(dict(zip(columns, row, strict=True))), ensure_ascii=False)
                + "\n"
                for row in batch
            )
        )

    def close(self) -> None:
        self._stream.flush()


class ParquetFileWriter:
    """Parquet through pyarrow; the first rows (up to `lookahead`) fix the schema, so that
    a column NULL in the first batch still gets its type from a later one."""

    def __init__(self, path: Path, columns: Sequence[str], lookahead: int = 50_000) -> None:
        self._path = path
        self._columns = tuple(columns)
        self._lookahead = lookahead
        self._pending: list[Sequence[Any]] = []
        self._writer: Any = None
        self._schema: Any = None

    def write(self, batch: Sequence[Sequence[Any]]) -> None:
        if self._writer is None:
            self._pending.extend(batch)
            if len(self._pending) < self._lookahead and not self._typed(self._pending):
                return
            self._open(self._pending)
            batch, self._pending = self._pending, []
        self._write(batch)

    def close(self) -> None:
        if self._writer is None:
            self._open(self._pending)
            self._write(self._pending)
        self._writer.close()

    def _typed(self, rows: Sequence[Sequence[Any]]) -> bool:
        import pyarrow as pa

        from flext_db_oracle_transfer.arrow import infer_schema

        return not any(pa.types.is_null(f.type) for f in infer_schema(self._columns, rows))

    def _open(self, rows: Sequence[Sequence[Any]]) -> None:
        import pyarrow.parquet as pq

        from flext_db_oracle_transfer.arrow import infer_schema

        self._schema = infer_schema(self._columns, rows)
        self._writer = pq.ParquetWriter(self._path, self._schema)

    def _write(self, rows: Sequence[Sequence[Any]]) -> None:
        from flext_db_oracle_transfer.arrow import record_batch

        if rows:
            self._writer.write_batch(record_batch(self._schema, rows))


def open_writer(
    file_format: FileFormat, columns: Sequence[str], *, path: Path | None, stream: TextIO | None
) -> RowFileWriter:
    """A writer for `file_format` on `path` (Parquet, or any) or on a text `stream`."""
    if file_format == "parquet":
        if path is None:
            raise DbError(ErrorKind.CONFIGURATION, "Parquet cannot be written to standard output")
        return ParquetFileWriter(path, columns)
    if stream is None:
        raise DbError(ErrorKind.INTERNAL, "a text format needs a stream")
    if file_format == "csv":
        return CsvFileWriter(stream, columns)
    return JsonlFileWriter(stream, columns)
