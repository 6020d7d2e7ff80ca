"""Reading rows from CSV, JSON lines and Parquet files, batch by batch.

Each reader gives the file's column names and batches of `(row_number, values)`;
row numbers count data rows from 1 (a CSV header is not a row). A line that cannot
be read (a CSV row with the wrong number of fields, JSON that does not parse) is
handed to `on_bad_line` with its number and reason, and reading goes on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_transfer.files import FileFormat

NumberedRow = tuple[int, tuple[Any, ...]]
BadLine = Callable[[int, str], None]


@dataclass
class FileRows:
    columns: tuple[str, ...]
    batches: Iterator[list[NumberedRow]]


def read_rows(
    path: Path, file_format: FileFormat, batch_size: int, on_bad_line: BadLine
) -> FileRows:
    """The columns and row batches of `path`; a file that cannot be opened is a
    `not_found` or `query` error."""
    if not path.is_file():
        raise DbError(ErrorKind.NOT_FOUND, f"no file {path}")
    if file_format == "csv":
        return _csv(path, batch_size, on_bad_line)
    if file_format == "jsonl":
        return _jsonl(path, batch_size, on_bad_line)
    return _parquet(path, batch_size)


def _csv(path: Path, batch_size: int, on_bad_line: BadLine) -> FileRows:
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    with path.open(encoding="utf-8-sig", newline="") as handle:  # pyarrow skips a BOM too
        header = next(csv.reader(handle), None)
    if not header:
        raise DbError(ErrorKind.QUERY, f"{path} has no header row")
    columns = tuple(header)
    skipped: set[int] = set()

    def invalid(row: Any) -> str:
        # pyarrow counts lines from 1 with the header; rows are counted without it.
        number = (row.number or 0) - 1
        skipped.add(number)
        on_bad_line(number, f"expected {row.expected_columns} fields, found {row.actual_columns}")
        return "skip"

    # Every field as text: NULL is an empty unquoted field, "" is the empty string.
    convert = pa_csv.ConvertOptions(
        column_types=dict.fromkeys(columns, pa.string()),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(use_threads=False, block_size=1 << 22),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid),
        convert_options=convert,
    )
    return FileRows(columns, _arrow_batches(reader, batch_size, skipped))


def _arrow_batches(
    batches: Any, batch_size: int, skipped: set[int] | None = None
) -> Iterator[list[NumberedRow]]:
    """Rows numbered from 1; `skipped` holds the numbers of rows the reader dropped (and
    reported), which are read before the block holding them is handed over."""
    number = 0
    pending: list[NumberedRow] = []
    for batch in batches:
        columns = [column.to_pylist() for column in batch.columns]
        for values in zip(*columns, strict=True):
            number += 1
            while skipped and number in skipped:
                number += 1
            pending.append((number, values))
            if len(pending) >= batch_size:
                yield pending
                pending = []
    if pending:
        yield pending


def _jsonl(path: Path, batch_size: int, on_bad_line: BadLine) -> FileRows:
    with path.open(encoding="utf-8-sig") as handle:
        first = next((line for line in handle if line.strip()), None)
    if first is None:
        raise DbError(ErrorKind.QUERY, f"{path} has no rows")
    try:
        columns = tuple(json.loads(first))
    except (ValueError, TypeError):
        raise DbError(ErrorKind.QUERY, f"{path}: the first line is not a JSON object") from None
    return FileRows(columns, _json_batches(path, columns, batch_size, on_bad_line))


def _json_batches(
    path: Path, columns: Sequence[str], batch_size: int, on_bad_line: BadLine
) -> Iterator[list[NumberedRow]]:
    known = set(columns)
    pending: list[NumberedRow] = []
    number = 0
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.strip():
                continue
            number += 1
            try:
                record = json.loads(line)
            except ValueError as exc:
                on_bad_line(number, f"not JSON: {exc}")
                continue
            if not isinstance(record, dict):
                on_bad_line(number, "not a JSON object")
                continue
            if unknown := set(record) - known:
                on_bad_line(number, f"fields not in the first row: {', '.join(sorted(unknown))}")
                continue
            pending.append((number, tuple(record.get(name) for name in columns)))
            if len(pending) >= batch_size:
                yield pending
                pending = []
    if pending:
        yield pending


def arrow_rows(table: Any, batch_size: int) -> FileRows:
    """The rows of an Arrow table, numbered from 1."""
    return FileRows(
        tuple(table.column_names), _arrow_batches(table.to_batches(batch_size), batch_size)
    )


def _parquet(path: Path, batch_size: int) -> FileRows:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise DbError(ErrorKind.QUERY, f"{path} is not a Parquet file: {exc}") from None
    columns = tuple(parquet.schema_arrow.names)
    return FileRows(columns, _arrow_batches(parquet.iter_batches(batch_size), batch_size))


def file_schema(path: Path, file_format: FileFormat, sample_rows: int = 10_000) -> Any:
    """The Arrow schema of the file's values, for `--create`: Parquet's own; for CSV and
    JSON lines, types from the first `sample_rows` rows (`text_types`)."""
    if file_format == "parquet":
        import pyarrow.parquet as pq

        return pq.read_schema(path)
    from flext_db_oracle_transfer.text_types import sample_schema

    rows = read_rows(path, file_format, sample_rows, lambda _number, _reason: None)
    sample = [values for _number, values in next(rows.batches, [])]
    return sample_schema(rows.columns, sample, from_json=file_format == "jsonl")
