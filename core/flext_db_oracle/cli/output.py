"""Rendering results as a table for people, or JSON, JSON lines and CSV for scripts.

JSON numbers carry decimals exactly (`12.50` stays `12.50`: written from the
`Decimal`'s own digits, never through a float); non-finite decimals, which JSON
cannot hold, are strings. Dates are ISO 8601, bytes base64.
"""

from __future__ import annotations

import base64
import csv
import json
import re
import secrets
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, TextIO

from flext_db_oracle.cli.context import Format

if TYPE_CHECKING:
    from rich.console import Console

FORMATS: tuple[Format, ...] = ("table", "json", "csv", "jsonl")


def dumps(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON, finite decimals as exact JSON numbers.

    Each decimal travels through the fast C encoder as a token no other string can
    equal (a per-process nonce between NULs), then its digits replace the token.
    """
    numbers: list[str] = []

    def exact(number: Decimal) -> str:
        numbers.append(_plain_digits(number))
        return f"\x00{_NONCE}{len(numbers) - 1}\x00"

    text = json.dumps(to_jsonable(value, exact=exact), ensure_ascii=False, indent=indent)
    if numbers:
        text = _TOKEN.sub(lambda match: numbers[int(match[1])], text)
    return text


_NONCE = secrets.token_hex(8)
_TOKEN = re.compile(r'"\\u0000' + _NONCE + r'(\d+)\\u0000"')


def to_jsonable(value: Any, *, exact: Callable[[Decimal], str] | None = None) -> Any:
    """`value` with every type JSON lacks converted; decimals become strings, or what
    `exact` makes of the finite ones (see `dumps`)."""
    if isinstance(value, Decimal):
        return exact(value) if exact is not None and value.is_finite() else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, exact=exact) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v, exact=exact) for v in value]
    return value


def _plain_digits(value: Decimal) -> str:
    """The decimal as JSON number text: `12.50`, `-0.001`, `1E+3` (JSON allows exponents)."""
    text = str(value)
    return text.replace("E", "e") if "E" in text else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return "0x" + bytes(value).hex()
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(to_jsonable(value))


def _console(stream: TextIO) -> Console:
    from rich.console import Console

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
                self._csv.writerow([_csv_cell(v) for v in _values(row)])
            elif self.fmt in {"json", "jsonl"}:
                record = dumps(dict(zip(self.columns, _values(row), strict=True)))
                if self.fmt == "json":
                    self.stream.write(("," if self.count else "") + "\n  " + record)
                else:
                    self.stream.write(record + "\n")
            else:
                self._table_rows.append(_values(row))
            self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("\n]\n" if self.count else "]\n")
        elif self.fmt == "table":
            from rich.table import Table

            table = Table(title=self.title, title_justify="left", show_lines=False)
            for column in self.columns:
                table.add_column(column, overflow="fold")
            for row in self._table_rows:
                table.add_row(*(_cell(v) for v in row))
            _console(self.stream).print(table)
        self.stream.flush()


def _values(row: Any) -> Sequence[Any]:
    """A row's values, whatever its shape (tuple, named tuple or dict)."""
    return list(row.values()) if isinstance(row, Mapping) else row


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
        sys.stdout.write(dumps(document, indent=2) + "\n")
    elif fmt == "jsonl":
        sys.stdout.write(dumps(document) + "\n")
    elif fmt == "csv":
        flat = {
            key: _cell(value) if not isinstance(value, Mapping) else json.dumps(to_jsonable(value))
            for key, value in document.items()
        }
        write_rows("csv", list(flat), [list(flat.values())])
    else:
        from rich.table import Table

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
