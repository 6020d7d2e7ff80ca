"""What the schema port asks Oracle's data dictionary, written once for the sync and
the async adapters.

Each question is a plan: a generator that yields what it needs (`Ask` for a
dictionary query, `OWNER` for the schema a `None` stands for) and receives the
answer, then returns the port's value. A runner (`schema.DictionaryRunner`,
`aio.AsyncDictionaryRunner`) does the I/O and the rule for the `USER_*` fallback.
Names given by users are binds, folded by Oracle's rule (`names.candidates`).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

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

from flext_db_oracle_oracledb import names, sql

_T = TypeVar("_T")
Rows = list[tuple[Any, ...]]

# Errors that mean "the ALL_* views are closed to this user": ask the USER_* ones.
NO_ACCESS = frozenset({"ORA-00942", "ORA-01031"})


@dataclass(frozen=True)
class Ask:
    """A dictionary query for `owner` (None: no owner bind) with extra binds."""

    query: sql.DictionaryQuery
    owner: str | None
    binds: dict[str, Any] = field(default_factory=dict)

    def all_binds(self) -> dict[str, Any]:
        uses_owner = ":owner" in self.query.all_views
        return {**self.binds, "owner": self.owner} if uses_owner else dict(self.binds)


@dataclass(frozen=True)
class Plain:
    """A statement with no USER_* twin."""

    statement: str
    binds: dict[str, Any] = field(default_factory=dict)


class _Owner:
    """The request for the current schema."""


OWNER = _Owner()
Request = Ask | Plain | _Owner
Plan = Generator[Request, Any, _T]

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


def owner_of(schema: str | None) -> Plan[str]:
    if schema is not None:
        return names.normalize(schema)
    current: str = yield OWNER
    return current


def find(table: str, schema: str | None) -> Plan[tuple[str, str, str]]:
    """(owner, name, object type) of the table, view or materialized view `table` names."""
    folded, exact = names.candidates(table)
    owner = yield from owner_of(schema)
    found: Rows = yield Ask(sql.FIND_OBJECT, owner, {"folded": folded, "exact": exact})
    if not found:
        raise DbError(
            ErrorKind.NOT_FOUND,
            f"no table or view {table!r} in schema {owner!r}",
            detail={"table": table, "schema": owner},
        )
    return owner, found[0][0], found[0][1]


def list_schemas() -> Plan[list[str]]:
    rows: Rows = yield Ask(sql.SCHEMAS, None)
    return [row[0] for row in rows]


def list_tables(schema: str | None) -> Plan[list[TableRef]]:
    owner = yield from owner_of(schema)
    rows: Rows = yield Ask(sql.TABLES, owner)
    return [TableRef(schema_name=owner, name=name, kind=TableKind(kind)) for name, kind in rows]


def constraints(owner: str, name: str) -> Plan[_Constraints]:
    rows: Rows = yield Ask(sql.CONSTRAINTS, owner, {"name": name})
    return _Constraints(rows)


def columns_of(owner: str, name: str, primary_key: dict[str, int]) -> Plan[list[Column]]:
    rows: Rows = yield Ask(sql.COLUMNS, owner, {"name": name})
    return [column_from_row(row, primary_key) for row in rows]


def get_columns(table: str, schema: str | None) -> Plan[list[Column]]:
    owner, name, _ = yield from find(table, schema)
    keys = yield from constraints(owner, name)
    return (yield from columns_of(owner, name, keys.primary_positions()))


def indexes_of(owner: str, name: str) -> Plan[tuple[Index, ...]]:
    rows: Rows = yield Ask(sql.INDEXES, owner, {"name": name})
    grouped: dict[str, tuple[bool, list[str]]] = {}
    for index_name, uniqueness, column, _position in rows:
        grouped.setdefault(index_name, (uniqueness == "UNIQUE", []))[1].append(column)
    return tuple(
        Index(name=index_name, columns=tuple(columns), unique=unique)
        for index_name, (unique, columns) in grouped.items()
    )


def get_table_metadata(table: str, schema: str | None) -> Plan[TableMetadata]:
    owner, name, object_type = yield from find(table, schema)
    keys = yield from constraints(owner, name)
    columns = yield from columns_of(owner, name, keys.primary_positions())
    indexes = yield from indexes_of(owner, name)
    comments: Rows = yield Ask(sql.TABLE_COMMENT, owner, {"name": name})
    return TableMetadata(
        schema_name=owner,
        name=name,
        kind=_KINDS.get(object_type, TableKind.MATERIALIZED_VIEW),
        columns=tuple(columns),
        primary_key=keys.primary_key(),
        foreign_keys=keys.foreign_keys(),
        indexes=indexes,
        comment=next((row[0] for row in comments if row[0]), None),
    )


def list_check_constraints(table: str, schema: str | None) -> Plan[list[tuple[str, str]]]:
    owner, name, _ = yield from find(table, schema)
    keys = yield from constraints(owner, name)
    return keys.checks()


def list_unique_constraints(
    table: str, schema: str | None
) -> Plan[list[tuple[str, tuple[str, ...]]]]:
    owner, name, _ = yield from find(table, schema)
    keys = yield from constraints(owner, name)
    return keys.uniques()


def list_sequences(schema: str | None) -> Plan[list[SequenceInfo]]:
    owner = yield from owner_of(schema)
    rows: Rows = yield Ask(sql.SEQUENCES, owner)
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
        for name, min_value, max_value, increment, cycle, last_number in rows
    ]


def list_synonyms(schema: str | None) -> Plan[list[SynonymInfo]]:
    owner = yield from owner_of(schema)
    rows: Rows = yield Ask(sql.SYNONYMS, owner)
    return [
        SynonymInfo(
            schema_name=owner,
            name=name,
            target_schema=target_owner,
            target_name=target_name,
            db_link=db_link,
        )
        for name, target_owner, target_name, db_link in rows
    ]


def get_ddl(name: str, schema: str | None, object_type: str) -> Plan[str]:
    kind = object_type.upper().replace(" ", "_")
    if kind not in DDL_OBJECT_TYPES:
        raise DbError(
            ErrorKind.QUERY,
            f"unknown object type {object_type!r}; one of {', '.join(sorted(DDL_OBJECT_TYPES))}",
        )
    owner = yield from owner_of(schema)
    rows: Rows = yield Plain(
        sql.DDL, {"object_type": kind, "name": names.normalize(name), "owner": owner}
    )
    return str(rows[0][0]).strip()


def use_user_views(error: DbError, ask: Ask, current_schema: str) -> bool:
    """Whether a failed `ALL_*` query may be asked of the `USER_*` views instead: the
    views were closed to us, and the question is about our own schema."""
    return error.code in NO_ACCESS and ask.owner in {None, current_schema}


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
