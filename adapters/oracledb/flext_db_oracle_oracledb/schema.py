"""The schema port from Oracle's data dictionary (the questions are in `dictionary`)."""

from __future__ import annotations

from functools import partial
from typing import Any, TypeVar

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Column, SequenceInfo, SynonymInfo, TableMetadata, TableRef
from returns.result import Result

from flext_db_oracle_oracledb import dictionary, sql
from flext_db_oracle_oracledb.dictionary import Ask, Plain, Plan, Request, Rows
from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.pool import SessionPool

_T = TypeVar("_T")


def _rows(connection: Any, statement: str, binds: dict[str, Any]) -> Rows:
    with connection.cursor() as cursor:
        cursor.execute(statement, binds)
        rows: Rows = cursor.fetchall()
        return rows


class DictionaryRunner:
    """Runs dictionary plans on a connection, with the `USER_*` fallback."""

    def __init__(self, map_error: Any) -> None:
        self._map = map_error
        self._current_schema: str | None = None

    def run(self, plan: Plan[_T], connection: Any, first: Request) -> _T:
        """Answer `first` (the plan's first request) and every later one."""
        request = first
        try:
            while True:
                request = plan.send(self._answer(request, connection))
        except StopIteration as done:
            value: _T = done.value
            return value

    def _answer(self, request: Request, connection: Any) -> Any:
        if isinstance(request, Plain):
            return _rows(connection, request.statement, request.binds)
        if isinstance(request, Ask):
            try:
                return _rows(connection, request.query.all_views, request.all_binds())
            except Exception as exc:
                error = self._map(exc)
                if not dictionary.use_user_views(error, request, self._schema(connection)):
                    raise error from None
                return _rows(connection, request.query.user_views, request.binds)
        return self._schema(connection)  # OWNER: the current schema

    def _schema(self, connection: Any) -> str:
        if self._current_schema is None:
            self._current_schema = str(_rows(connection, sql.CURRENT_SCHEMA, {})[0][0])
        return self._current_schema


class OracleSchema:
    def __init__(self, pool: SessionPool, name: str) -> None:
        self._pool = pool
        self._map = partial(to_db_error, adapter=name)
        self._runner = DictionaryRunner(self._map)

    def _run(self, plan: Plan[_T]) -> Result[_T, DbError]:
        def run() -> _T:
            try:
                first = next(plan)  # checks the input before a connection is taken
            except StopIteration as done:
                value: _T = done.value
                return value
            connection = self._pool.acquire()
            broken = False
            try:
                return self._runner.run(plan, connection, first)
            except BaseException as exc:
                broken = self._map(exc).kind is ErrorKind.CONNECTION
                raise
            finally:
                self._pool.release(connection, broken)

        return guarded(self._map, run)

    def list_schemas(self) -> Result[list[str], DbError]:
        return self._run(dictionary.list_schemas())

    def list_tables(self, schema: str | None = None) -> Result[list[TableRef], DbError]:
        return self._run(dictionary.list_tables(schema))

    def get_columns(self, table: str, schema: str | None = None) -> Result[list[Column], DbError]:
        return self._run(dictionary.get_columns(table, schema))

    def get_table_metadata(
        self, table: str, schema: str | None = None
    ) -> Result[TableMetadata, DbError]:
        return self._run(dictionary.get_table_metadata(table, schema))

    def list_check_constraints(
        self, table: str, schema: str | None = None
    ) -> Result[list[tuple[str, str]], DbError]:
        """(name, condition) of each check constraint, without the NOT NULL ones
        (`nullable` on the columns says those)."""
        return self._run(dictionary.list_check_constraints(table, schema))

    def list_unique_constraints(
        self, table: str, schema: str | None = None
    ) -> Result[list[tuple[str, tuple[str, ...]]], DbError]:
        """(name, columns) of each unique constraint."""
        return self._run(dictionary.list_unique_constraints(table, schema))

    def list_sequences(self, schema: str | None = None) -> Result[list[SequenceInfo], DbError]:
        return self._run(dictionary.list_sequences(schema))

    def list_synonyms(self, schema: str | None = None) -> Result[list[SynonymInfo], DbError]:
        """Synonyms with what each finally names (chains followed by the database)."""
        return self._run(dictionary.list_synonyms(schema))

    def get_ddl(
        self, name: str, schema: str | None = None, object_type: str = "TABLE"
    ) -> Result[str, DbError]:
        """`DBMS_METADATA.GET_DDL` for the object (types in `dictionary.DDL_OBJECT_TYPES`)."""
        return self._run(dictionary.get_ddl(name, schema, object_type))
