from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import ReadRequest, SourceRef, TableMetadata
from flext_db_oracle.ports.query import RowStream

if TYPE_CHECKING:
    from flext_db_oracle.settings import DatabaseSettings


class RecordSourcePort(Protocol):
    """Sources that are not SQL (Oracle WMS entities, OIC resources) read as rows.

    Results take the shapes the database ports use (`TableMetadata`, `RowStream`),
    so output formats, export and DataFrames work on them unchanged.
    """

    name: str

    def list_sources(self) -> Result[list[SourceRef], DbError]: ...

    def describe(self, source: str) -> Result[TableMetadata, DbError]:
        """Fields of `source` as columns (kind `source`); unknown is `not_found`."""
        ...

    def read(self, source: str, request: ReadRequest) -> Result[RowStream, DbError]:
        """Rows page by page in constant memory; each page is one batch of the stream."""
        ...

    def close(self) -> Result[None, DbError]:
        """Release the HTTP client. Idempotent."""
        ...


class RecordSourceFactory(Protocol):
    """Builds a record source from the core settings and its own settings model."""

    def __call__(self, settings: DatabaseSettings, own: Any) -> RecordSourcePort: ...
