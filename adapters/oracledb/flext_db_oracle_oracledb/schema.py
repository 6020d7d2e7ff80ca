"""The schema port from Oracle's data dictionary.

Each question goes to the `ALL_*` views and, where access to them is missing
(ORA-00942, ORA-01031) and the schema asked for is the user's own, to the
`USER_*` views. Names given by users are binds, folded by Oracle's rule
(`names.candidates`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any, Literal, TypeVar

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import (
    Column,
    ForeignKey,
    Index,
    PrimaryKey,
    SequenceInfo,
    SynonymInfo,
    TableKind,
    TableMetadata,
    TableRef,
    TypeFamily,
)
from returns.result import Result

from flext_db_oracle_oracledb import names, sql
from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.pool import SessionPool

_T = TypeVar("_T")
_NO_ACCESS = frozenset({"ORA-00942", "ORA-01031"})
# DBMS_METADATA object types the port accepts (bound, and checked before).
DDL_OBJECT_TYPES = frozenset(
    {
        "TABLE",
        "VIEW",
        "MATERIALIZED_VIEW",
        "INDEX",
        "SEQUENCE",
        "SYNONYM",
        "PROCEDURE",
        "FUNCTION",
        "PACKAGE",
        "PACKAGE_BODY",
        "TRIGGER",
        "TYPE",
        "CONSTRAINT",
        "REF_CONSTRAINT",
    }
)
_KINDS = {"TABLE": TableKind.TABLE, "VIEW": TableKind.VIEW}
_NOT_NULL_CHECK = re.compile(r'^\s*"[^"]+"\s+IS\s+NOT\s+NULL\s*$', re.IGNORECASE)

_FAMILIES: dict[str, TypeFamily] = {
    "VARCHAR2": TypeFamily.STRING,
    "NVARCHAR2": TypeFamily.STRING,
    "CHAR": TypeFamily.STRING,
    "NCHAR": TypeFamily.STRING,
    "VARCHAR": TypeFamily.STRING,
    "ROWID": TypeFamily.STRING,
    "UROWID": TypeFamily.STRING,
    "CLOB": TypeFamily.TEXT,
    "NCLOB": TypeFamily.TEXT,
    "LONG": TypeFamily.TEXT,
    "BLOB": TypeFamily.BINARY,
    "RAW": TypeFamily.BINARY,
    "LONG RAW": TypeFamily.BINARY,
    "BFILE": TypeFamily.BINARY,
    "BINARY_FLOAT": TypeFamily.FLOAT,
    "BINARY_DOUBLE": TypeFamily.FLOAT,
    "FLOAT": TypeFamily.DECIMAL,
    "DATE": TypeFamily.TIMESTAMP,  # an Oracle DATE holds a time of day
    "BOOLEAN": TypeFamily.BOOLEAN,
    "JSON": TypeFamily.JSON,
    "VECTOR": TypeFamily.VECTOR,
}


def column_family(data_type: str, scale: int | None) -> TypeFamily:
    """The portable family of an Oracle `DATA_TYPE` as the dictionary spells it."""
    if data_type == "NUMBER":
        return TypeFamily.INTEGER if scale == 0 else TypeFamily.DECIMAL
    if data_type.startswith("TIMESTAMP"):
        return TypeFamily.TIMESTAMP_TZ if "TIME ZONE" in data_type else TypeFamily.TIMESTAMP
    if data_type.startswith("INTERVAL"):
        return TypeFamily.INTERVAL
    return _FAMILIES.get(data_type, TypeFamily.OTHER)


def column_from_row(row: tuple[Any, ...], primary_key: dict[str, int]) -> Column:
    """A `Column` from a `sql.COLUMNS` row."""
    (name, data_type, data_length, char_length, char_used, precision, scale, nullable,
     default, comment) = row  # fmt: skip
    family = column_family(data_type, scale)
    length: int | None = None
    semantics: Literal["byte", "char"] | None = None
    if family is TypeFamily.STRING and char_used in {"B", "C"}:
        semantics = "char" if char_used == "C" else "byte"
        length = char_length if char_used == "C" else data_length
    elif family is TypeFamily.BINARY and data_type == "RAW":
        length, semantics = data_length, "byte"
    return Column(
        name=name,
        type_name=data_type,
        nullable=nullable == "Y",
        family=family,
        length=length,
        length_semantics=semantics,
        precision=precision,
        scale=scale,
        default=default.strip() if isinstance(default, str) else None,
        primary_key_position=primary_key.get(name),
        comment=comment,
    )


class OracleSchema:
    def __init__(self, pool: SessionPool, name: str) -> None:
        self._pool = pool
        self._map = partial(to_db_error, adapter=name)
        self._current_schema: str | None = None

    # --- plumbing ---------------------------------------------------------------

    def _run(self, call: Callable[[Any], _T]) -> Result[_T, DbError]:
        def run() -> _T:
            connection = self._pool.acquire()
            broken = False
            try:
                return call(connection)
            except BaseException as exc:
                broken = self._map(exc).kind is ErrorKind.CONNECTION
                raise
            finally:
                self._pool.release(connection, broken)

        return guarded(self._map, run)

    def _owner(self, connection: Any, schema: str | None) -> str:
        if schema is not None:
            return names.normalize(schema)
        if self._current_schema is None:
            self._current_schema = str(_rows(connection, sql.CURRENT_SCHEMA, {})[0][0])
        return self._current_schema

    def _ask(
        self, connection: Any, query: sql.DictionaryQuery, owner: str | None, binds: dict[str, Any]
    ) -> list[tuple[Any, ...]]:
        """The `ALL_*` answer, or the `USER_*` one where the `ALL_*` views are closed to us."""
        uses_owner = ":owner" in query.all_views
        try:
            return _rows(
                connection, query.all_views, {**binds, "owner": owner} if uses_owner else binds
            )
        except Exception as exc:
            error = self._map(exc)
            own_schema = owner is None or owner == self._owner(connection, None)
            if error.code not in _NO_ACCESS or not own_schema:
                raise error from None
            return _rows(connection, query.user_views, binds)

    def _find(self, connection: Any, table: str, schema: str | None) -> tuple[str, str, str]:
        """(owner, name, object type) of the table, view or materialized view `table` names."""
        owner = self._owner(connection, schema)
        folded, exact = names.candidates(table)
        found = self._ask(connection, sql.FIND_OBJECT, owner, {"folded": folded, "exact": exact})
        if not found:
            raise DbError(
                ErrorKind.NOT_FOUND,
                f"no table or view {table!r} in schema {owner!r}",
                detail={"table": table, "schema": owner},
            )
        return owner, found[0][0], found[0][1]

    # --- the port ---------------------------------------------------------------

    def list_schemas(self) -> Result[list[str], DbError]:
        return self._run(lambda c: [row[0] for row in self._ask(c, sql.SCHEMAS, None, {})])

    def list_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        def run(connection: Any) -> list[TableRef]:
            owner = self._owner(connection, schema)
            return [
                TableRef(schema_name=owner, name=name, kind=TableKind(kind))
                for name, kind in self._ask(connection, sql.TABLES, owner, {})
            ]

        return self._run(run)

    def get_columns(self, table: str, schema: str | None = None) -> Result[list[Column], DbError]:
        def run(connection: Any) -> list[Column]:
            owner, name, _ = self._find(connection, table, schema)
            keys = self._constraints(connection, owner, name)
            return self._columns(connection, owner, name, keys.primary_positions())

        return self._run(run)

    def _columns(
        self, connection: Any, owner: str, name: str, primary_key: dict[str, int]
    ) -> list[Column]:
        rows = self._ask(connection, sql.COLUMNS, owner, {"name": name})
        return [column_from_row(row, primary_key) for row in rows]

    def _constraints(self, connection: Any, owner: str, name: str) -> _Constraints:
        return _Constraints(self._ask(connection, sql.CONSTRAINTS, owner, {"name": name}))

    def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]:
        def run(connection: Any) -> TableMetadata:
            owner, name, object_type = self._find(connection, table, schema)
            keys = self._constraints(connection, owner, name)
            columns = self._columns(connection, owner, name, keys.primary_positions())
            comment_rows = self._ask(connection, sql.TABLE_COMMENT, owner, {"name": name})
            comment = next((row[0] for row in comment_rows if row[0]), None)
            return TableMetadata(
                schema_name=owner,
                name=name,
                kind=_KINDS.get(object_type, TableKind.MATERIALIZED_VIEW),
                columns=tuple(columns),
                primary_key=keys.primary_key(),
                foreign_keys=keys.foreign_keys(),
                indexes=self._indexes(connection, owner, name),
                comment=comment,
            )

        return self._run(run)

    def list_check_constraints(
        self, table: str, schema: str | None = None
    ) -> Result[list[tuple[str, str]], DbError]:
        """(name, condition) of each check constraint, without the NOT NULL ones
        (`nullable` on the columns says those)."""

        def run(connection: Any) -> list[tuple[str, str]]:
            owner, name, _ = self._find(connection, table, schema)
            return self._constraints(connection, owner, name).checks()

        return self._run(run)

    def list_unique_constraints(
        self, table: str, schema: str | None = None
    ) -> Result[list[tuple[str, tuple[str, ...]]], DbError]:
        """(name, columns) of each unique constraint."""

        def run(connection: Any) -> list[tuple[str, tuple[str, ...]]]:
            owner, name, _ = self._find(connection, table, schema)
            return self._constraints(connection, owner, name).uniques()

        return self._run(run)

    def _indexes(self, connection: Any, owner: str, name: str) -> tuple[Index, ...]:
        grouped: dict[str, tuple[bool, list[str]]] = {}
        for index_name, uniqueness, column, _position in self._ask(
            connection, sql.INDEXES, owner, {"name": name}
        ):
            grouped.setdefault(index_name, (uniqueness == "UNIQUE", []))[1].append(column)
        return tuple(
            Index(name=index_name, columns=tuple(columns), unique=unique)
            for index_name, (unique, columns) in grouped.items()
        )

    def list_sequences(self, schema: str | None = None) -> Result[list[SequenceInfo], DbError]:
        def run(connection: Any) -> list[SequenceInfo]:
            owner = self._owner(connection, schema)
            return [
                SequenceInfo(
                    schema_name=owner,
                    name=name,
                    min_value=int(min_value),
                    max_value=int(max_value),
                    increment=int(increment),
                    cycle=cycle == "Y",
                    last_value=int(last_number),
                )
                for name, min_value, max_value, increment, cycle, last_number in self._ask(
                    connection, sql.SEQUENCES, owner, {}
                )
            ]

        return self._run(run)

    def list_synonyms(self, schema: str | None = None) -> Result[list[SynonymInfo], DbError]:
        def run(connection: Any) -> list[SynonymInfo]:
            owner = self._owner(connection, schema)
            return [
                SynonymInfo(
                    schema_name=owner,
                    name=name,
                    target_schema=target_owner,
                    target_name=target_name,
                    db_link=db_link,
                )
                for name, target_owner, target_name, db_link in self._ask(
                    connection, sql.SYNONYMS, owner, {}
                )
            ]

        return self._run(run)

    def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]:
        def run(connection: Any) -> str:
            kind = object_type.upper().replace(" ", "_")
            if kind not in DDL_OBJECT_TYPES:
                raise DbError(
                    ErrorKind.QUERY,
                    f"unknown object type {object_type!r}; one of "
                    f"{', '.join(sorted(DDL_OBJECT_TYPES))}",
                )
            owner = self._owner(connection, schema)
            binds = {"object_type": kind, "name": names.normalize(name), "owner": owner}
            value = _rows(connection, sql.DDL, binds)[0][0]
            return str(value).strip()

        return self._run(run)


def _rows(connection: Any, statement: str, binds: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, binds)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


class _Constraints:
    """The rows of `sql.CONSTRAINTS`, grouped by constraint."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._by_name: dict[str, dict[str, Any]] = {}
        for name, kind, condition, column, _position, r_owner, r_table, r_column in rows:
            entry = self._by_name.setdefault(
                name,
                {"type": kind, "condition": condition, "columns": [], "r_owner": r_owner,
                 "r_table": r_table, "r_columns": []},
            )  # fmt: skip
            if column is not None:
                entry["columns"].append(column)
            if r_column is not None:
                entry["r_columns"].append(r_column)

    def _of(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [(name, entry) for name, entry in self._by_name.items() if entry["type"] == kind]

    def primary_positions(self) -> dict[str, int]:
        return {
            column: position
            for _, entry in self._of("P")
            for position, column in enumerate(entry["columns"], start=1)
        }

    def primary_key(self) -> PrimaryKey | None:
        return next(
            (
                PrimaryKey(name=name, columns=tuple(entry["columns"]))
                for name, entry in self._of("P")
            ),
            None,
        )

    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        return tuple(
            ForeignKey(
                name=name,
                columns=tuple(entry["columns"]),
                referred_schema=entry["r_owner"],
                referred_table=entry["r_table"],
                referred_columns=tuple(entry["r_columns"]),
            )
            for name, entry in self._of("R")
        )

    def uniques(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(name, tuple(entry["columns"])) for name, entry in self._of("U")]

    def checks(self) -> list[tuple[str, str]]:
        return [
            (name, str(entry["condition"]))
            for name, entry in self._of("C")
            if entry["condition"] and _NOT_NULL_CHECK.match(str(entry["condition"])) is None
        ]
