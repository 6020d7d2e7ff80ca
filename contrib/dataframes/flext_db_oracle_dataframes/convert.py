"""Arrow tables, polars and pandas DataFrames from a `QueryResult` or a `RowStream`.

Types are kept as Arrow keeps them: decimals as decimals, aware timestamps as UTC
timestamps (the same instants), bytes as binary. A stream is read to its end and
closed; each of its batches becomes one record batch, so the rows are held once,
in Arrow's columnar memory.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from flext_db_oracle.api import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import QueryResult
from flext_db_oracle.ports import Params, RowStream
from flext_db_oracle_transfer.arrow import infer_schema, record_batch
from returns.result import Failure, Result, Success

from flext_db_oracle_dataframes.optional import require

Rows = QueryResult | RowStream


def to_arrow(data: Rows) -> Result[Any, DbError]:
    """A `pyarrow.Table` of `data`'s rows."""
    try:
        if isinstance(data, QueryResult):
            return Success(_table(data.columns, [list(data.rows)]))
        with data:
            return Success(_table(data.columns, data))
    except DbError as error:
        return Failure(error)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        return Failure(DbError(ErrorKind.QUERY, f"cannot build an Arrow table: {exc}"))


def query_arrow(
    api: FlextDbOracleApi, sql: str, params: Params | None = None
) -> Result[Any, DbError]:
    """A `pyarrow.Table` of `sql`'s rows: on the adapter's native columnar path where it
    has one (Oracle's `fetch_df_all` with the thin or thick adapter), else built from
    the rows."""
    native = api.query_arrow(sql, params)
    if isinstance(native, Failure) and native.failure().kind is ErrorKind.UNSUPPORTED:
        return api.query(sql, params).bind(to_arrow)
    return native


def _table(columns: tuple[str, ...], batches: Any) -> Any:
    tables = [
        pa.Table.from_batches([record_batch(infer_schema(columns, rows), rows)])
        for rows in batches
        if rows
    ]
    if not tables:
        return pa.Table.from_batches([], schema=infer_schema(columns, []))
    # A column NULL in the first batch takes its type from a later one.
    return pa.concat_tables(tables, promote_options="permissive")


def to_polars(data: Rows) -> Result[Any, DbError]:
    """A `polars.DataFrame` of `data`'s rows (needs the `polars` extra)."""
    try:
        polars = require("polars")
    except DbError as error:
        return Failure(error)
    return to_arrow(data).map(polars.from_arrow)


def to_pandas(data: Rows) -> Result[Any, DbError]:
    """A `pandas.DataFrame` of `data`'s rows (needs the `pandas` extra). Decimals stay
    `Decimal` objects and aware timestamps keep their zone."""
    try:
        require("pandas")
    except DbError as error:
        return Failure(error)
    return to_arrow(data).map(lambda table: table.to_pandas())
