"""Rendering results as a table for people, or JSON, JSON lines and CSV for scripts.

JSON has no decimal, date or bytes type: decimals are written as strings (exact),
dates as ISO 8601, bytes as base64.
"""

from __future__ import annotations

import base64
import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.table import Table

Format = Literal["table", "json", "csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv", "jsonl")


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return "0x" + bytes(value).hex()
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(to_jsonable(value))


def _console(stream: TextIO) -> Console:
    # Piped output keeps full rows: rich would otherwise wrap to 80 columns.
    width = None if stream.isatty() else 1_000
    return Console(file=stream, width=width, highlight=False, soft_wrap=True)


class RowWriter:
    """Writes rows batch by batch: CSV and JSON lines stream in constant memory,
    JSON writes one array incrementally, the table collects rows to size its columns."""

    def __init__(
        self,
        fmt: Format,
        columns: Sequence[str],
        stream: TextIO | None = None,
        title: str | None = None,
    ) -> None:
        self.fmt = fmt
        self.columns = list(columns)
        self.stream = stream or sys.stdout
        self.title = title
        self.count = 0
        self._table_rows: list[Sequence[Any]] = []
        self._csv = csv.writer(self.stream) if fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow(self.columns)
        elif fmt == "json":
            self.stream.write("[")

    def write(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            if self._csv is not None:
                self._csv.writerow([_csv_cell(v) for v in row])
            elif self.fmt in {"json", "jsonl"}:
                record = json.dumps(
                    to_jsonable(dict(zip(self.columns, row, strict=True))), ensure_ascii=False
                )
                if self.fmt == "json":
                    self.stream.write(("," if self.count else "") + "\n  " + record)
                else:
                    self.stream.write(record + "\n")
            else:
                self._table_rows.append(row)
            self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("\n]\n" if self.count else "]\n")
        elif self.fmt == "table":
            table = Table(title=self.title, title_justify="left", show_lines=False)
            for column in self.columns:
                table.add_column(column, overflow="fold")
            for row in self._table_rows:
                table.add_row(*(_cell(v) for v in row))
            _console(self.stream).print(table)
        self.stream.flush()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return _cell(value)


def write_rows(
    fmt: Format, columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None
) -> None:
    writer = RowWriter(fmt, columns, title=title)
    writer.write(rows)
    writer.close()


def write_document(fmt: Format, document: Mapping[str, Any], title: str | None = None) -> None:
    """One record (health, config...): key/value table, JSON object, or one CSV/JSONL row."""
    if fmt == "json":
        sys.stdout.write(json.dumps(to_jsonable(document), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "jsonl":
        sys.stdout.write(json.dumps(to_jsonable(document), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        flat = {
            key: _cell(value) if not isinstance(value, Mapping) else json.dumps(to_jsonable(value))
            for key, value in document.items()
        }
        write_rows("csv", list(flat), [list(flat.values())])
    else:
        table = Table(title=title, title_justify="left", show_header=False)
        table.add_column("key", style="bold")
        table.add_column("value", overflow="fold")
        for key, value in document.items():
            shown = json.dumps(to_jsonable(value)) if isinstance(value, Mapping) else _cell(value)
            table.add_row(key, shown)
        _console(sys.stdout).print(table)


def print_heading(text: str) -> None:
    if sys.stdout.isatty():
        _console(sys.stdout).rule(text, align="left")
    else:
        sys.stdout.write(f"\n== {text} ==\n")
