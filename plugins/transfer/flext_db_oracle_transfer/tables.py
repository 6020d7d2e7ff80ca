"""Tables named by users: found in the catalogue, then quoted, never pasted into SQL."""

from __future__ import annotations

from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import TableMetadata
from returns.result import Failure, Result

from flext_db_oracle_transfer.backend import Backend


def split_name(spec: str) -> tuple[str | None, str]:
    """`schema.table` or `table`: (schema or None, table)."""
    schema, _, name = spec.strip().rpartition(".")
    return (schema or None), name


def check_identifier(name: str, what: str = "table") -> DbError | None:
    """Why `name` cannot be an identifier (empty, control characters), or None."""
    if not name or any(ord(c) < 32 for c in name) or len(name) > 128:
        return DbError(ErrorKind.QUERY, f"{name!r} is not a valid {what} name")
    return None


def find_table(api: FlextDbOracleApi, spec: str) -> Result[TableMetadata, DbError]:
    """The table `spec` names, as the catalogue spells it (`Track` finds `track`)."""
    schema, name = split_name(spec)
    for part, what in ((name, "table"), (schema, "schema")):
        if part is not None and (error := check_identifier(part, what)) is not None:
            return Failure(error)
    return api.get_table_metadata(name, schema)


def quote(name: str, backend: Backend) -> str:
    """`name` as a quoted identifier of `backend` (its quote character doubled inside)."""
    mark = "`" if backend == "mysql" else '"'
    return mark + name.replace(mark, mark * 2) + mark


def qualified(table: TableMetadata, backend: Backend) -> str:
    """The table's quoted, schema-qualified name when it has a schema."""
    name = quote(table.name, backend)
    return f"{quote(table.schema_name, backend)}.{name}" if table.schema_name else name
