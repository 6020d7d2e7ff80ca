"""Export: a table or a query to CSV, JSON lines or Parquet, streamed in batches.

Memory stays constant: rows come through `FlextDbOracleApi.stream` batch by batch
and go straight to the file (Parquet buffers at most its schema look-ahead). The
file appears only when the export has finished: it is written beside the target
under a temporary name and renamed at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import ReadRequest
from flext_db_oracle.ports import RowStream
from returns.result import Failure, Result, Success

from flext_db_oracle_transfer.backend import Backend, backend_of
from flext_db_oracle_transfer.files import STDIO, FileFormat, atomic_output, file_format_for
from flext_db_oracle_transfer.progress import Progress, no_progress
from flext_db_oracle_transfer.tables import find_table, qualified, quote
from flext_db_oracle_transfer.writers import RowFileWriter, open_writer

DEFAULT_BATCH_SIZE = 10_000


@dataclass(frozen=True)
class ExportSummary:
    rows: int
    seconds: float
    target: str
    file_format: FileFormat

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"exported {self.rows:,} rows to {self.target} ({self.file_format}) in"
            f" {self.seconds:.2f} s ({self.rows_per_second:,.0f} rows/s)"
        )


def table_query(api: FlextDbOracleApi, table: str) -> Result[str, DbError]:
    """`SELECT` of every column of `table`, its names taken from the catalogue and quoted."""

    def build(backend: Backend) -> Result[str, DbError]:
        return find_table(api, table).map(
            lambda meta: (
                "SELECT "
                + ", ".join(quote(c.name, backend) for c in meta.columns)
                + f" FROM {qualified(meta, backend)}"
            )
        )

    return backend_of(api).bind(build)


def export(
    api: FlextDbOracleApi,
    out: str | Path,
    *,
    table: str | None = None,
    sql: str | None = None,
    source: str | None = None,
    file_format: FileFormat | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress = no_progress,
    stdout: TextIO | None = None,
) -> Result[ExportSummary, DbError]:
    """Write the rows of `table`, of the query `sql` or of the record source `source`
    (`ADAPTER:NAME`, e.g. `wms:item`) to `out` (`"-"`: standard output, CSV or JSON
    lines). The format comes from `out`'s extension unless `file_format` is given."""
    if sum(given is not None for given in (table, sql, source)) != 1:
        return Failure(DbError(ErrorKind.QUERY, "give one of a table, a query or a source"))
    target = str(out)
    try:
        chosen = file_format_for(target, file_format)
    except DbError as error:
        return Failure(error)
    if source is not None:
        rows = _source_rows(api, source, batch_size)
    else:
        query = table_query(api, table) if table is not None else Success(sql or "")
        rows = query.bind(lambda text: api.stream(text, batch_size=batch_size))
    return rows.bind(lambda stream: _write_all(stream, target, chosen, progress, stdout))


def _source_rows(api: FlextDbOracleApi, source: str, batch_size: int) -> Result[RowStream, DbError]:
    """A record source's rows, page by page (`ADAPTER:NAME`)."""
    adapter, separator, name = source.partition(":")
    if not separator or not adapter or not name:
        return Failure(
            DbError(ErrorKind.QUERY, f"{source!r} is not ADAPTER:SOURCE (e.g. wms:item)")
        )
    return api.read_source(adapter, name, ReadRequest(page_size=batch_size))


def _write_all(
    stream: RowStream,
    target: str,
    file_format: FileFormat,
    progress: Progress,
    stdout: TextIO | None,
) -> Result[ExportSummary, DbError]:
    started = time.perf_counter()
    rows = 0
    try:
        with stream, _writer(stream.columns, target, file_format, stdout) as writer:
            for batch in stream:
                writer.write(batch)
                rows += len(batch)
                progress(rows)
    except DbError as error:
        return Failure(error)
    except OSError as exc:
        return Failure(DbError(ErrorKind.CONFIGURATION, f"cannot write {target}: {exc}"))
    except Exception as exc:  # a writer's own failure (pyarrow): still typed, file removed
        return Failure(DbError(ErrorKind.INTERNAL, f"export to {target} failed: {exc!r}"))
    return Success(ExportSummary(rows, time.perf_counter() - started, target, file_format))


@contextmanager
def _writer(
    columns: tuple[str, ...], target: str, file_format: FileFormat, stdout: TextIO | None
) -> Iterator[RowFileWriter]:
    if target == STDIO:
        writer = open_writer(file_format, columns, path=None, stream=stdout or sys.stdout)
        yield writer
        writer.close()
        return
    with atomic_output(Path(target)) as temporary:
        if file_format == "parquet":
            writer = open_writer(file_format, columns, path=temporary, stream=None)
            yield writer
            writer.close()
            return
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = open_writer(file_format, columns, path=None, stream=handle)
            yield writer
            writer.close()
