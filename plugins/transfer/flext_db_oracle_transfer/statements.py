"""The SQL a load runs, per backend: insert, upsert, truncate and create table.

Every identifier is quoted (`tables.quote`); values always travel as binds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_transfer.backend import Backend
from flext_db_oracle_transfer.tables import quote


def bind_names(count: int) -> list[str]:
    return [f"p{index}" for index in range(count)]


def upsert_sql(target: str, columns: Sequence[str], keys: Sequence[str], backend: Backend) -> str:
    """Insert or update by `keys`: MERGE on Oracle, ON CONFLICT on PostgreSQL and SQLite,
    ON DUPLICATE KEY on MySQL/MariaDB (which uses the table's own unique keys)."""
    q = [quote(c, backend) for c in columns]
    binds = [f":{b}" for b in bind_names(len(columns))]
    others = [name for name, column in zip(q, columns, strict=True) if column not in keys]
    if backend == "oracle":
        source = ", ".join(f"{b} AS {n}" for b, n in zip(binds, q, strict=True))
        on = " AND ".join(f"t.{quote(k, backend)} = s.{quote(k, backend)}" for k in keys)
        update = ", ".join(f"t.{n} = s.{n}" for n in others)
        matched = f" WHEN MATCHED THEN UPDATE SET {update}" if others else ""
        return (
            f"MERGE INTO {target} t USING (SELECT {source} FROM dual) s ON ({on}){matched}"
            f" WHEN NOT MATCHED THEN INSERT ({', '.join(q)})"
            f" VALUES ({', '.join(f's.{n}' for n in q)})"
        )
    insert = f"INSERT INTO {target} ({', '.join(q)}) VALUES ({', '.join(binds)})"
    if backend == "mysql":
        update = ", ".join(f"{n} = VALUES({n})" for n in others or q[:1])
        return f"{insert} ON DUPLICATE KEY UPDATE {update}"
    conflict = ", ".join(quote(k, backend) for k in keys)
    if not others:
        return f"{insert} ON CONFLICT ({conflict}) DO NOTHING"
    update = ", ".join(f"{n} = EXCLUDED.{n}" for n in others)
    return f"{insert} ON CONFLICT ({conflict}) DO UPDATE SET {update}"


def truncate_sql(target: str, backend: Backend) -> str:
    return f"DELETE FROM {target}" if backend == "sqlite" else f"TRUNCATE TABLE {target}"


# Backends whose TRUNCATE commits by itself (DDL), so a failed load cannot undo it.
TRUNCATE_NOT_TRANSACTIONAL = frozenset({"oracle", "mysql"})


def create_table_sql(target: str, schema: Any, keys: Sequence[str], backend: Backend) -> str:
    """CREATE TABLE with one column per field of the Arrow `schema`."""
    columns = [
        f"{quote(f.name, backend)} {sql_type(f.type, backend, f.name, f.name in keys)}"
        for f in schema
    ]
    if keys:
        columns.append(f"PRIMARY KEY ({', '.join(quote(k, backend) for k in keys)})")
    return f"CREATE TABLE {target} ({', '.join(columns)})"


def sql_type(arrow_type: Any, backend: Backend, name: str, key: bool = False) -> str:
    """The backend's column type for values of `arrow_type` (a key column of text gets a
    bounded type: MySQL and Oracle cannot index unbounded text)."""
    import pyarrow as pa

    types = pa.types
    if types.is_boolean(arrow_type):
        return "NUMBER(1)" if backend == "oracle" else "BOOLEAN"
    if types.is_integer(arrow_type):
        return "NUMBER(19)" if backend == "oracle" else "BIGINT"
    if types.is_floating(arrow_type):
        return {"oracle": "BINARY_DOUBLE", "mysql": "DOUBLE"}.get(backend, "DOUBLE PRECISION")
    if types.is_decimal(arrow_type):
        precision = min(arrow_type.precision, 38 if backend == "oracle" else 65)
        kind = "NUMBER" if backend == "oracle" else "DECIMAL"
        return f"{kind}({precision}, {arrow_type.scale})"
    if types.is_timestamp(arrow_type):
        if arrow_type.tz is None:
            return {"mysql": "DATETIME(6)"}.get(backend, "TIMESTAMP")
        if backend == "mysql":
            raise DbError(
                ErrorKind.UNSUPPORTED,
                f"column {name!r} holds timestamps with a time zone, which MySQL and MariaDB"
                " cannot store without shifting them",
            )
        return "TIMESTAMP" if backend == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    if types.is_date(arrow_type):
        return "DATE"
    if types.is_time(arrow_type):
        return "VARCHAR2(18)" if backend == "oracle" else "TIME"
    if types.is_binary(arrow_type) or types.is_large_binary(arrow_type):
        return {"oracle": "BLOB", "postgresql": "BYTEA", "mysql": "LONGBLOB"}.get(backend, "BLOB")
    if key:
        return {"oracle": "VARCHAR2(4000)", "mysql": "VARCHAR(255)"}.get(backend, "TEXT")
    return {"oracle": "CLOB", "mysql": "LONGTEXT"}.get(backend, "TEXT")
