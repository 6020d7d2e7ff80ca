from __future__ import annotations

from typing import Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import Column, SequenceInfo, SynonymInfo, TableMetadata, TableRef


class SchemaPort(Protocol):
    """Browsing the catalogue. `schema=None` means the connection's default schema.

    A missing table or schema is a `DbError` of kind `not_found`; what a backend
    does not have (synonyms outside Oracle) is a `DbError` of kind `unsupported`.
    """

    def list_schemas(self) -> Result[list[str], DbError]: ...

    def list_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        """Tables and views, sorted by name."""
        ...

    def get_columns(
        self, table: str, schema: str | None = None
    ) -> Result[list[Column], DbError]: ...

    def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]: ...

    def list_sequences(self, schema: str | None = None) -> Result[list[SequenceInfo], DbError]: ...

    def list_synonyms(self, schema: str | None = None) -> Result[list[SynonymInfo], DbError]: ...

    def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]:
        """The DDL that creates the object, as the backend itself writes it."""
        ...
