"""Load: rows from a CSV, JSON lines or Parquet file into a table, in batches.

Values are converted to the target columns' types (`convert`), batches go through
the facade's bulk path, and bad rows are handled as `on_error` says:

- `stop` (the default): the failing batch loads nothing and the load fails, naming
  the row; batches before it stay (with `transaction="all"` nothing stays);
- `skip`: good rows load, bad ones are counted;
- `report`: as `skip`, and each bad row is written to the rejects file with its row
  number, code and message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import BatchOutcome, TableMetadata
from flext_db_oracle.ports import BatchErrorMode
from returns.result import Failure, Result, Success

from flext_db_oracle_transfer.backend import Backend, backend_of
from flext_db_oracle_transfer.convert import CONVERSION_ERRORS, Converter, converter_for
from flext_db_oracle_transfer.files import FileFormat, file_format_for
from flext_db_oracle_transfer.progress import Progress, no_progress
from flext_db_oracle_transfer.readers import (
    BadLine,
    FileRows,
    NumberedRow,
    file_schema,
    read_rows,
)
from flext_db_oracle_transfer.statements import (
    TRUNCATE_NOT_TRANSACTIONAL,
    bind_names,
    create_table_sql,
    truncate_sql,
    upsert_sql,
)
from flext_db_oracle_transfer.tables import find_table, qualified, quote, split_name
from flext_db_oracle_transfer.writers import csv_field

LoadMode = Literal["append", "truncate", "upsert"]
OnError = Literal["stop", "skip", "report"]
TransactionScope = Literal["batch", "all"]
CONVERSION_CODE = "conversion"
# A rejected row: its number, code, message and values as read (none for a bad line).
_Reject = tuple[int, str | None, str, Sequence[Any]]


@dataclass(frozen=True)
class LoadOptions:
    file_format: FileFormat | None = None
    batch_size: int = 10_000
    mode: LoadMode = "append"
    keys: tuple[str, ...] = ()
    create: bool = False
    transaction: TransactionScope = "batch"
    on_error: OnError = "stop"
    rejects: Path | None = None


@dataclass
class LoadSummary:
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    seconds: float = 0.0
    rejects_file: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.loaded / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        rejects = f" (see {self.rejects_file})" if self.rejects_file and self.rejected else ""
        return (
            f"read {self.read:,} rows, loaded {self.loaded:,}, rejected {self.rejected:,}{rejects}"
            f" in {self.seconds:.2f} s ({self.rows_per_second:,.0f} rows/s)"
        )


@dataclass(frozen=True)
class _Plan:
    """What each batch runs: the target and the statement for the file's columns."""

    table: TableMetadata
    columns: tuple[str, ...]  # the table's spelling, in the file's order
    converters: tuple[Converter | None, ...]
    upsert: str | None  # the upsert statement, for mode "upsert"


@dataclass(frozen=True)
class RowSource:
    """Where a load's rows come from: a file, or an Arrow table (DataFrames)."""

    name: str  # for messages
    open: Callable[[BadLine], FileRows]
    schema: Callable[[], Any]  # the Arrow schema, for `create`
    default_rejects: Path | None = None


def file_source(path: Path, file_format: FileFormat, batch_size: int) -> RowSource:
    return RowSource(
        name=str(path),
        open=lambda on_bad_line: read_rows(path, file_format, batch_size, on_bad_line),
        schema=lambda: file_schema(path, file_format),
        default_rejects=path.with_name(f"{path.stem}.rejects.csv"),
    )


def load(
    api: FlextDbOracleApi,
    path: Path,
    table: str,
    options: LoadOptions = LoadOptions(),
    progress: Progress = no_progress,
    *,
    warn: Callable[[str], None] | None = None,
) -> Result[LoadSummary, DbError]:
    """Load the rows of the file at `path` into `table`. `warn` hears each warning when
    it arises (they are in the summary too)."""
    try:
        file_format = file_format_for(str(path), options.file_format)
    except DbError as error:
        return Failure(error)
    source = file_source(path, file_format, options.batch_size)
    return load_rows(api, source, table, options, progress, warn=warn)


def load_rows(
    api: FlextDbOracleApi,
    source: RowSource,
    table: str,
    options: LoadOptions = LoadOptions(),
    progress: Progress = no_progress,
    *,
    warn: Callable[[str], None] | None = None,
) -> Result[LoadSummary, DbError]:
    """Load the rows `source` gives into `table`."""
    return backend_of(api).bind(
        lambda backend: _Load(api, source, table, backend, options, progress, warn).run()
    )


class _Load:
    def __init__(  # noqa: PLR0917 - one private call site
        self,
        api: FlextDbOracleApi,
        source: RowSource,
        table: str,
        backend: Backend,
        options: LoadOptions,
        progress: Progress,
        warn: Callable[[str], None] | None,
    ) -> None:
        self.api = api
        self._warn_now = warn
        self.source = source
        self.table = table
        self.backend = backend
        self.options = options
        self.progress = progress
        self.summary = LoadSummary()
        self.bad_lines: list[tuple[int, str]] = []
        self.rejects: Any = None  # csv writer, opened at the first reject

    def run(self) -> Result[LoadSummary, DbError]:
        started = time.perf_counter()
        with ExitStack() as cleanup:
            try:
                rows = self.source.open(lambda number, why: self.bad_lines.append((number, why)))
                if self.options.on_error == "report":
                    self.rejects = self._rejects_writer(cleanup, rows.columns)
                # With "all", the CREATE or TRUNCATE joins the transaction too, where the
                # backend can roll it back (PostgreSQL, SQLite).
                scope = self.api.transaction() if self.options.transaction == "all" else None
                with scope or nullcontext():
                    self._all(self._plan(rows.columns), rows.batches)
            except DbError as error:
                return Failure(error)
            except OSError as exc:
                return Failure(
                    DbError(ErrorKind.CONFIGURATION, f"cannot read {self.source.name}: {exc}")
                )
            except Exception as exc:  # pyarrow's parse errors have no common base
                return Failure(DbError(ErrorKind.QUERY, f"{self.source.name}: {exc}"))
        self.summary.seconds = time.perf_counter() - started
        return Success(self.summary)

    def _rejects_writer(self, cleanup: ExitStack, columns: Sequence[str]) -> _RejectsWriter:
        path = self.options.rejects or self.source.default_rejects
        if path is None:
            raise DbError(ErrorKind.CONFIGURATION, "on_error='report' needs a rejects path")
        self.summary.rejects_file = path
        return _RejectsWriter(cleanup.enter_context(_LazyFile(path)), columns)

    # --- planning ----------------------------------------------------------------

    def _plan(self, file_columns: Sequence[str]) -> _Plan:
        table = self._target(file_columns)
        by_name = {c.name: c for c in table.columns}
        by_folded = {c.name.casefold(): c for c in table.columns}
        columns = []
        for name in file_columns:
            column = by_name.get(name) or by_folded.get(name.casefold())
            if column is None:
                raise DbError(
                    ErrorKind.QUERY, f"the file's column {name!r} is not a column of {table.name}"
                )
            columns.append(column)
        names = tuple(c.name for c in columns)
        zones_checked = self.backend != "sqlite"
        converters = tuple(converter_for(c, zones_checked=zones_checked) for c in columns)
        target = qualified(table, self.backend)
        if self.options.mode == "truncate":
            self._truncate(target)
        upsert = None
        if self.options.mode == "upsert":
            upsert = upsert_sql(target, names, self._keys(table, names), self.backend)
        return _Plan(table, names, converters, upsert)

    def _target(self, file_columns: Sequence[str]) -> TableMetadata:
        found = find_table(self.api, self.table)
        if not isinstance(found, Failure):
            table: TableMetadata = found.unwrap()
            return table
        error = found.failure()
        if error.kind is not ErrorKind.NOT_FOUND or not self.options.create:
            raise error
        schema_name, name = split_name(self.table)
        target = quote(name, self.backend)
        if schema_name:
            target = f"{quote(schema_name, self.backend)}.{target}"
        schema = self.source.schema()
        unknown = set(self.options.keys) - set(file_columns)
        if unknown:
            raise DbError(ErrorKind.QUERY, f"--key {', '.join(sorted(unknown))} not in the file")
        sql = create_table_sql(target, schema, self.options.keys, self.backend)
        self.api.execute(sql).alt(_raise)
        created: TableMetadata = find_table(self.api, self.table).alt(_raise).unwrap()
        return created

    def _keys(self, table: TableMetadata, names: Sequence[str]) -> tuple[str, ...]:
        keys = self.options.keys or (table.primary_key.columns if table.primary_key else ())
        if not keys:
            raise DbError(ErrorKind.QUERY, f"upsert needs --key: {table.name} has no primary key")
        folded = {n.casefold(): n for n in names}
        missing = [k for k in keys if k.casefold() not in folded]
        if missing:
            raise DbError(ErrorKind.QUERY, f"key column(s) {', '.join(missing)} not in the file")
        return tuple(folded[k.casefold()] for k in keys)

    def _truncate(self, target: str) -> None:
        if self.backend in TRUNCATE_NOT_TRANSACTIONAL:
            self._warn(
                f"TRUNCATE commits at once on {self.backend}: a failed load cannot restore"
                " the rows it removed"
            )
        self.api.execute(truncate_sql(target, self.backend)).alt(_raise)

    def _warn(self, text: str) -> None:
        self.summary.warnings.append(text)
        if self._warn_now is not None:
            self._warn_now(text)

    # --- loading -----------------------------------------------------------------

    def _all(self, plan: _Plan, batches: Iterator[list[NumberedRow]]) -> None:
        for batch in batches:
            numbers, rows, rejects = self._converted(plan, batch)
            # The reader reads ahead: its bad lines up to this batch's last row belong here.
            last = batch[-1][0]
            rejects += [(n, CONVERSION_CODE, why, ()) for n, why in self.bad_lines if n <= last]
            self.bad_lines = [(n, why) for n, why in self.bad_lines if n > last]
            self.summary.read += len(batch) + sum(1 for r in rejects if not r[3])
            for number, code, message, values in sorted(rejects, key=lambda r: r[0]):
                self._reject(number, code, message, values)
            if rows:
                self._write(plan, numbers, rows)
            self.progress(self.summary.loaded)
        for number, message in self.bad_lines:
            self.summary.read += 1
            self._reject(number, CONVERSION_CODE, message, ())

    def _converted(
        self, plan: _Plan, batch: list[NumberedRow]
    ) -> tuple[list[int], list[tuple[Any, ...]], list[_Reject]]:
        """The batch's rows converted to the columns' types, column by column; when a
        value does not convert, row by row, to find each row that does not."""
        numbers = [number for number, _values in batch]
        columns = list(zip(*(values for _number, values in batch), strict=True))
        converted: list[Sequence[Any]] = []
        try:
            for convert, values in zip(plan.converters, columns, strict=True):
                converted.append(
                    values
                    if convert is None
                    else [None if v is None else convert(v) for v in values]
                )
        except CONVERSION_ERRORS:
            return self._converted_by_row(plan, batch)
        return numbers, list(zip(*converted, strict=True)), []

    def _converted_by_row(
        self, plan: _Plan, batch: list[NumberedRow]
    ) -> tuple[list[int], list[tuple[Any, ...]], list[_Reject]]:
        numbers: list[int] = []
        rows: list[tuple[Any, ...]] = []
        rejects: list[_Reject] = []
        converters = plan.converters
        for number, values in batch:
            try:
                row = tuple(
                    value if convert is None or value is None else convert(value)
                    for convert, value in zip(converters, values, strict=True)
                )
            except CONVERSION_ERRORS as exc:
                rejects.append((number, CONVERSION_CODE, str(exc), values))
                continue
            numbers.append(number)
            rows.append(row)
        return numbers, rows, rejects

    def _write(self, plan: _Plan, numbers: list[int], rows: list[tuple[Any, ...]]) -> None:
        mode: BatchErrorMode = "stop" if self.options.on_error == "stop" else "collect"
        outcome = write_batch(self.api, plan, rows, mode)
        if isinstance(outcome, Failure):
            error = outcome.failure()
            index = error.detail.get("row_index")
            if isinstance(index, int) and 0 <= index < len(numbers):
                raise DbError(
                    error.kind,
                    f"row {numbers[index]}: {error.message}",
                    code=error.code,
                    retryable=error.retryable,
                    adapter=error.adapter,
                    detail={**error.detail, "row": numbers[index]},
                )
            raise error
        done = outcome.unwrap()
        self.summary.loaded += done.rowcount if done.rowcount >= 0 else len(rows)
        for failure in done.failures:
            self._reject(numbers[failure.index], failure.code, failure.message, rows[failure.index])

    def _reject(self, number: int, code: str | None, message: str, values: Sequence[Any]) -> None:
        if self.options.on_error == "stop":
            raise DbError(
                ErrorKind.QUERY, f"row {number}: {message}", code=code, detail={"row": number}
            )
        self.summary.rejected += 1
        if self.rejects is not None:
            self.rejects.write(number, code, message, values)


def write_batch(
    api: FlextDbOracleApi, plan: _Plan, rows: list[tuple[Any, ...]], on_error: BatchErrorMode
) -> Result[BatchOutcome, DbError]:
    """The one place a load writes a batch: the facade's bulk path (PostgreSQL COPY,
    Oracle array DML, `executemany` elsewhere) for inserts, `execute_many` for upserts."""
    if plan.upsert is not None:
        binds = bind_names(len(plan.columns))
        params = [dict(zip(binds, row, strict=True)) for row in rows]
        return api.execute_many(plan.upsert, params, on_error=on_error)
    return api.bulk_insert(
        plan.table.name, plan.columns, rows, schema=plan.table.schema_name, on_error=on_error
    )


class _RejectsWriter:
    """The rejects file: row number, code, message, then the row's values as read."""

    def __init__(self, handle: _LazyFile, columns: Sequence[str]) -> None:
        self._handle = handle
        self._columns = columns

    def write(self, number: int, code: str | None, message: str, values: Sequence[Any]) -> None:
        stream = self._handle.open(
            lambda s: s.write(
                ",".join(map(csv_field, ("row", "code", "message", *self._columns))) + "\n"
            )
        )
        cells = list(values) + [None] * (len(self._columns) - len(values))
        stream.write(",".join(map(csv_field, (number, code, message, *cells))) + "\n")


class _LazyFile:
    """A text file created at the first write, so a clean load leaves no rejects file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stream: TextIO | None = None

    def open(self, on_create: Any) -> TextIO:
        if self._stream is None:
            self._stream = self.path.open("w", encoding="utf-8", newline="")
            on_create(self._stream)
        return self._stream

    def __enter__(self) -> _LazyFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._stream is not None:
            self._stream.close()


def _raise(error: DbError) -> Result[Any, DbError]:
    raise error
