"""Domain models shared by every port: frozen pydantic v2 values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

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


class TableRef(_Frozen):
    schema_name: str | None = Field(default=None, alias="schema")
    name: str
    kind: TableKind = TableKind.TABLE

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Column(_Frozen):
    name: str
    type_name: str
    nullable: bool
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


class Credentials(_Frozen):
    username: str
    password: SecretStr


class Principal(_Frozen):
    """An authenticated identity with its roles."""

    name: str
    roles: frozenset[str] = frozenset()
    attributes: dict[str, Sequence[str]] = Field(default_factory=dict)
