"""Domain models shared by every port: frozen pydantic v2 values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class ServerInfo(_Frozen):
    """What the connection port reports about the server it reached."""

    adapter: str
    dialect: str
    product: str
    version: str
    database: str | None = None
    latency_ms: float | None = None


class PoolStats(_Frozen):
    """A snapshot of a connection pool, for health checks and metrics."""

    size: int
    checked_out: int
    overflow: int
    description: str


class TableKind(StrEnum):
    TABLE = "table"
    VIEW = "view"
    MATERIALIZED_VIEW = "materialized_view"
    SOURCE = "source"  # a record source's entity or resource (WMS, OIC)


class TableRef(_Frozen):
    schema_name: str | None = Field(default=None, alias="schema")
    name: str
    kind: TableKind = TableKind.TABLE

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class TypeFamily(StrEnum):
    """A column's type, portable across backends, so a tap or a DDL generator can map
    types without parsing `type_name`."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    FLOAT = "float"
    STRING = "string"
    TEXT = "text"  # large character objects (CLOB, TEXT)
    BINARY = "binary"
    BOOLEAN = "boolean"
    DATE = "date"
    TIME = "time"
    TIMESTAMP = "timestamp"
    TIMESTAMP_TZ = "timestamp_tz"
    INTERVAL = "interval"
    JSON = "json"
    VECTOR = "vector"
    OTHER = "other"


class Column(_Frozen):
    """A column. `type_name` is the backend's own spelling; the fields after it are the
    same facts, typed: family, length (in bytes or characters), precision and scale."""

    name: str
    type_name: str
    nullable: bool
    family: TypeFamily = TypeFamily.OTHER
    length: int | None = None
    length_semantics: Literal["byte", "char"] | None = None
    precision: int | None = None
    scale: int | None = None
    default: str | None = None
    primary_key_position: int | None = None
    comment: str | None = None

    @property
    def is_primary_key(self) -> bool:
        return self.primary_key_position is not None


class PrimaryKey(_Frozen):
    name: str | None
    columns: tuple[str, ...]


class ForeignKey(_Frozen):
    name: str | None
    columns: tuple[str, ...]
    referred_schema: str | None
    referred_table: str
    referred_columns: tuple[str, ...]


class Index(_Frozen):
    name: str | None
    columns: tuple[str, ...]
    unique: bool


class TableMetadata(_Frozen):
    """Everything `describe` shows about one table or view."""

    schema_name: str | None = Field(default=None, alias="schema")
    name: str
    kind: TableKind
    columns: tuple[Column, ...]
    primary_key: PrimaryKey | None
    foreign_keys: tuple[ForeignKey, ...]
    indexes: tuple[Index, ...]
    comment: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


Row = tuple[Any, ...]


class QueryResult(_Frozen):
    """Rows of a query, values typed as the driver returned them (never stringified)."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:  # type: ignore[override]  # iterate rows, not fields
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The first column of the first row, or None when there is no row."""
        return self.rows[0][0] if self.rows else None


class ExecuteOutcome(_Frozen):
    """What a DML or DDL statement did; `rowcount` is -1 where the driver cannot tell."""

    rowcount: int


class RowFailure(_Frozen):
    """One failing row of a batch: its index in the input and why it failed."""

    index: int
    code: str | None
    message: str


class BatchOutcome(_Frozen):
    """The result of `execute_many`.

    Batches are atomic on adapters whose driver rejects the batch as a whole (the
    SQLAlchemy adapter): then either every row is written or the call fails. Adapters
    with per-row error reporting (Oracle's array DML) may write the good rows and
    list the rejected ones in `failures`.
    """

    rows_submitted: int
    rowcount: int
    failures: tuple[RowFailure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


class SequenceInfo(_Frozen):
    schema_name: str | None = Field(default=None, alias="schema")
    name: str
    start: int | None = None
    increment: int = 1
    min_value: int | None = None
    max_value: int | None = None
    cycle: bool = False
    last_value: int | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class SynonymInfo(_Frozen):
    """A synonym and what it finally names (chains of synonyms resolved)."""

    schema_name: str | None = Field(default=None, alias="schema")
    name: str
    target_schema: str | None
    target_name: str
    db_link: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Credentials(_Frozen):
    username: str
    password: SecretStr


class Permission(StrEnum):
    """What a principal may do. Each includes the ones before it:
    `read` < `write` < `ddl` < `admin`."""

    READ = "read"
    WRITE = "write"
    DDL = "ddl"
    ADMIN = "admin"

    def implied(self) -> frozenset[Permission]:
        """This permission and every weaker one."""
        order = list(Permission)
        return frozenset(order[: order.index(self) + 1])


class Principal(_Frozen):
    """An authenticated identity: who, which directory groups, which roles, and the
    permissions those roles grant (the auth adapter maps groups to roles to permissions)."""

    name: str
    dn: str | None = None
    display_name: str | None = None
    email: str | None = None
    groups: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    permissions: frozenset[Permission] = frozenset()
    adapter: str | None = None

    def allows(self, permission: Permission) -> bool:
        return any(permission in granted.implied() for granted in self.permissions)


class SourceRef(_Frozen):
    """A record source's readable thing: a WMS entity, an OIC resource type."""

    name: str
    description: str | None = None


class ReadRequest(_Frozen):
    """How to read a record source: which fields, which records, in what order, page size.

    `filters` are passed to the source as it names them (WMS: `mod_ts__gte`). For an
    incremental read give `since` (an aware datetime; the source's change-time field is
    compared with it) and an `overlap`, re-read and de-duplicated to cover clock skew.
    """

    fields: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    ordering: tuple[str, ...] = ()
    page_size: int | None = Field(default=None, ge=1)
    since: datetime | None = None
    overlap: timedelta = timedelta(0)
    limit: int | None = Field(default=None, ge=0)
