"""Loading an Arrow table or a polars/pandas DataFrame into a table, through the
transfer plugin's loader (same batches, bulk path, conversions and error modes)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle_transfer.load import LoadOptions, LoadSummary, RowSource, load_rows
from flext_db_oracle_transfer.readers import arrow_rows
from returns.result import Failure, Result


def as_arrow(frame: Any) -> Any:
    """`frame` as a `pyarrow.Table`: an Arrow table as it is, a polars DataFrame through
    `to_arrow()`, a pandas DataFrame without its index."""
    if isinstance(frame, pa.Table):
        return frame
    module = type(frame).__module__.split(".", 1)[0]
    if module == "polars":
        return frame.to_arrow()
    if module == "pandas":
        return pa.Table.from_pandas(frame, preserve_index=False)
    raise DbError(
        ErrorKind.QUERY,
        f"cannot load a {type(frame).__name__}: give a pyarrow Table or a polars or pandas"
        " DataFrame",
    )


def load_frame(
    api: FlextDbOracleApi, frame: Any, table: str, options: LoadOptions | None = None
) -> Result[LoadSummary, DbError]:
    """Load `frame`'s rows into `table` (`options.create` creates it from the frame's
    schema; `on_error="report"` needs `options.rejects`)."""
    options = options or LoadOptions()
    batch_size = options.batch_size
    try:
        arrow = as_arrow(frame)
    except DbError as error:
        return Failure(error)
    source = RowSource(
        name=f"{type(frame).__name__} of {arrow.num_rows} rows",
        open=lambda _on_bad_line: arrow_rows(arrow, batch_size),
        schema=lambda: arrow.schema,
    )
    return load_rows(api, source, table, options)
