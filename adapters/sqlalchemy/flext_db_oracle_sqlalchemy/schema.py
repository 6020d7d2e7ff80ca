"""The schema port through SQLAlchemy's Inspector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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
from returns.result import Failure, Result
from sqlalchemy import Engine, MetaData, Table, inspect, types
from sqlalchemy.engine import Inspector
from sqlalchemy.schema import CreateTable

from flext_db_oracle_sqlalchemy.errors import ADAPTER, to_db_error
from flext_db_oracle_sqlalchemy.warm import WarmConnections

_T = TypeVar("_T")


class SqlAlchemySchema:
    def __init__(self, engine: Engine, warm: WarmConnections) -> None:
        self._engine = engine
        self._warm = warm

    def _inspect(self, read: Callable[[Inspector], _T]) -> Result[_T, DbError]:
        # The Inspector borrows through SQLAlchemy's own checkout: the query port's idle
        # warm connections go back first, so a small pool is never held empty by them.
        self._warm.drain()
        # A fresh Inspector per call: its cache would hide tables created since.
        return guarded(to_db_error, lambda: read(inspect(self._engine)))

    def list_sequences(self, schema: str | None = None) -> Result[list[SequenceInfo], DbError]:
        def read(inspector: Inspector) -> list[SequenceInfo]:
            _require_schema(inspector, schema)
            try:
                names = inspector.get_sequence_names(schema)
            except NotImplementedError:
                raise _unsupported(f"sequences on {inspector.dialect.name}") from None
            return [SequenceInfo(schema_name=schema, name=name) for name in sorted(names)]

        return self._inspect(read)

    def list_synonyms(self, schema: str | None = None) -> Result[list[SynonymInfo], DbError]:
        del schema  # no dialect SQLAlchemy reflects has synonyms to list
        return Failure(_unsupported(f"synonyms on {self._engine.dialect.name}"))

    def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]:
        """The CREATE statement SQLAlchemy renders for the reflected table."""
        if object_type.upper() != "TABLE":
            return Failure(_unsupported(f"DDL of {object_type} objects"))

        def read(inspector: Inspector) -> str:
            _require_schema(inspector, schema)
            if not inspector.has_table(name, schema):
                raise DbError(
                    ErrorKind.NOT_FOUND, f"no table named {name!r}", adapter=ADAPTER,
                    detail={"table": name, "schema": schema},
                )  # fmt: skip
            table = Table(name, MetaData(), schema=schema, autoload_with=self._engine)
            return str(CreateTable(table).compile(dialect=self._engine.dialect)).strip()

        return self._inspect(read)

    def list_schemas(self) -> Result[list[str], DbError]:
        return self._inspect(lambda inspector: sorted(inspector.get_schema_names()))

    def list_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        def read(inspector: Inspector) -> list[TableRef]:
            _require_schema(inspector, schema)
            tables = [
                TableRef(schema_name=schema, name=name, kind=TableKind.TABLE)
                for name in inspector.get_table_names(schema)
            ]
            views = [
                TableRef(schema_name=schema, name=name, kind=TableKind.VIEW)
                for name in inspector.get_view_names(schema)
            ]
            return sorted(tables + views, key=lambda ref: ref.name)

        return self._inspect(read)

    def get_columns(self, table: str, schema: str | None = None) -> Result[list[Column], DbError]:
        return self.get_table_metadata(table, schema).map(lambda meta: list(meta.columns))

    def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]:
        def read(inspector: Inspector) -> TableMetadata:
            _require_schema(inspector, schema)
            if not inspector.has_table(table, schema):
                where = f" in schema {schema!r}" if schema else ""
                raise DbError(
                    ErrorKind.NOT_FOUND,
                    f"no table or view named {table!r}{where}",
                    adapter=ADAPTER,
                    detail={"table": table, "schema": schema},
                )
            is_view = table in inspector.get_view_names(schema)
            pk: dict[str, Any] = (
                dict(inspector.get_pk_constraint(table, schema)) if not is_view else {}
            )
            pk_columns: list[str] = list(pk.get("constrained_columns") or [])
            dialect = self._engine.dialect
            columns = tuple(
                Column(
                    name=col["name"],
                    type_name=_type_name(col["type"], dialect),
                    **_type_facts(col["type"]),
                    # Key columns are NOT NULL whatever the dialect reflects
                    # (SQLite reports its INTEGER PRIMARY KEY as nullable).
                    nullable=bool(col.get("nullable", True)) and col["name"] not in pk_columns,
                    default=_text_or_none(col.get("default")),
                    primary_key_position=pk_columns.index(col["name"]) + 1
                    if col["name"] in pk_columns
                    else None,
                    comment=col.get("comment"),
                )
                for col in inspector.get_columns(table, schema)
            )
            comment = None if is_view else _table_comment(inspector, table, schema)
            return TableMetadata(
                schema_name=schema,
                name=table,
                kind=TableKind.VIEW if is_view else TableKind.TABLE,
                columns=columns,
                primary_key=PrimaryKey(name=pk.get("name"), columns=tuple(pk_columns))
                if pk_columns
                else None,
                foreign_keys=() if is_view else _foreign_keys(inspector, table, schema),
                indexes=() if is_view else _indexes(inspector, table, schema, tuple(pk_columns)),
                comment=comment,
            )

        return self._inspect(read)


def _require_schema(inspector: Inspector, schema: str | None) -> None:
    if schema is not None and schema not in inspector.get_schema_names():
        raise DbError(
            ErrorKind.NOT_FOUND,
            f"no schema named {schema!r}",
            adapter=ADAPTER,
            detail={"schema": schema},
        )


def _type_name(sa_type: Any, dialect: Any) -> str:
    try:
        return str(sa_type.compile(dialect=dialect))
    except Exception:  # types the dialect reflects but cannot render (NullType)
        return type(sa_type).__name__.upper()


def _unsupported(what: str) -> DbError:
    return DbError(
        ErrorKind.UNSUPPORTED, f"the sqlalchemy adapter does not support {what}", adapter=ADAPTER
    )


# SQLAlchemy's generic types, most specific first (Float is a Numeric, Text a String).
_FAMILIES: tuple[tuple[type[Any], TypeFamily], ...] = (
    (types.Boolean, TypeFamily.BOOLEAN),
    (types.Integer, TypeFamily.INTEGER),
    (types.Float, TypeFamily.FLOAT),
    (types.Numeric, TypeFamily.DECIMAL),
    (types.Text, TypeFamily.TEXT),
    (types.String, TypeFamily.STRING),
    (types._Binary, TypeFamily.BINARY),
    (types.DateTime, TypeFamily.TIMESTAMP),
    (types.Date, TypeFamily.DATE),
    (types.Time, TypeFamily.TIME),
    (types.Interval, TypeFamily.INTERVAL),
    (types.JSON, TypeFamily.JSON),
)


def _type_facts(sa_type: Any) -> dict[str, Any]:
    """Family, length, precision and scale of a reflected type, as `Column` fields."""
    family = next((f for cls, f in _FAMILIES if isinstance(sa_type, cls)), TypeFamily.OTHER)
    if family is TypeFamily.TIMESTAMP and getattr(sa_type, "timezone", False):
        family = TypeFamily.TIMESTAMP_TZ
    facts: dict[str, Any] = {"family": family}
    length = getattr(sa_type, "length", None)
    if isinstance(length, int) and family in {TypeFamily.STRING, TypeFamily.BINARY}:
        facts["length"] = length
        facts["length_semantics"] = "char" if family is TypeFamily.STRING else "byte"
    if family in {TypeFamily.DECIMAL, TypeFamily.FLOAT}:
        precision, scale = getattr(sa_type, "precision", None), getattr(sa_type, "scale", None)
        facts["precision"] = precision if isinstance(precision, int) else None
        facts["scale"] = scale if isinstance(scale, int) else None
    return facts


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _table_comment(inspector: Inspector, table: str, schema: str | None) -> str | None:
    try:
        text: str | None = inspector.get_table_comment(table, schema).get("text")
    except NotImplementedError:  # SQLite has no comments
        return None
    return text


def _foreign_keys(inspector: Inspector, table: str, schema: str | None) -> tuple[ForeignKey, ...]:
    return tuple(
        ForeignKey(
            name=fk.get("name"),
            columns=tuple(fk["constrained_columns"]),
            referred_schema=fk.get("referred_schema"),
            referred_table=fk["referred_table"],
            referred_columns=tuple(fk["referred_columns"]),
        )
        for fk in inspector.get_foreign_keys(table, schema)
    )


def _indexes(
    inspector: Inspector, table: str, schema: str | None, primary_key: tuple[str, ...]
) -> tuple[Index, ...]:
    """Unique constraints and indexes, each once: dialects report some as both.

    SQLite reports an inline `UNIQUE` column only as an automatic index, so those
    are read too, except the one that backs the primary key.
    """
    try:
        uniques = inspector.get_unique_constraints(table, schema)
    except NotImplementedError:
        uniques = []
    found = [
        Index(name=uc.get("name"), columns=tuple(uc["column_names"]), unique=True) for uc in uniques
    ]
    options = {"include_auto_indexes": True} if inspector.dialect.name == "sqlite" else {}
    for ix in inspector.get_indexes(table, schema, **options):
        index = Index(
            name=ix.get("name"),
            columns=tuple(str(c) for c in ix["column_names"] if c is not None),
            unique=bool(ix.get("unique")),
        )
        duplicate = any(
            other.name == index.name or (other.unique and other.columns == index.columns)
            for other in found
        )
        backs_primary_key = index.unique and index.columns == primary_key and _is_auto(index)
        if not duplicate and not backs_primary_key:
            found.append(index)
    return tuple(sorted(found, key=lambda ix: (ix.name or "", ix.columns)))


def _is_auto(index: Index) -> bool:
    return (index.name or "").startswith("sqlite_autoindex_")
