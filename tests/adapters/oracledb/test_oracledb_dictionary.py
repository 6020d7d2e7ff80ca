"""The schema port's dictionary plans, answered with rows as Oracle returns them, and the
rule that falls back from the ALL_* views to the USER_* ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import TableKind, TypeFamily
from flext_db_oracle_oracledb import dictionary, sql
from flext_db_oracle_oracledb.dictionary import OWNER, Ask, Plain, Plan

_T = TypeVar("_T")
Answer = Callable[[Ask | Plain], list[tuple[Any, ...]]]


def drive(plan: Plan[_T], answer: Answer, current_schema: str = "HR") -> tuple[_T, list[Any]]:
    """Run `plan` with canned answers; also give the requests it made."""
    requests: list[Any] = []
    try:
        request = next(plan)
        while True:
            requests.append(request)
            request = plan.send(current_schema if request is OWNER else answer(request))
    except StopIteration as done:
        return done.value, requests


CONSTRAINT_ROWS = [
    ("EMP_PK", "P", None, "ID", 1, None, None, None),
    ("EMP_DEPT_FK", "R", None, "DEPT_ID", 1, "HR", "DEPARTMENTS", "ID"),
    ("EMP_EMAIL_UK", "U", None, "EMAIL", 1, None, None, None),
    ("SYS_C001", "C", '"NAME" IS NOT NULL', "NAME", 1, None, None, None),
    ("EMP_SALARY_CK", "C", "salary > 0", "SALARY", 1, None, None, None),
]
COLUMN_ROWS = [
    ("ID", "NUMBER", 22, 0, None, 10, 0, "N", None, None),
    ("NAME", "VARCHAR2", 400, 100, "C", None, None, "N", None, "full name"),
    ("EMAIL", "VARCHAR2", 200, 200, "B", None, None, "Y", None, None),
    ("SALARY", "NUMBER", 22, 0, None, 8, 2, "Y", "0 ", None),
    ("DEPT_ID", "NUMBER", 22, 0, None, None, 0, "Y", None, None),
]


def employees(request: Ask | Plain) -> list[tuple[Any, ...]]:
    assert isinstance(request, Ask)
    return {
        sql.FIND_OBJECT: [("EMPLOYEES", "TABLE")],
        sql.CONSTRAINTS: CONSTRAINT_ROWS,
        sql.COLUMNS: COLUMN_ROWS,
        sql.INDEXES: [("EMP_PK", "UNIQUE", "ID", 1), ("EMP_IX", "NONUNIQUE", "NAME", 1),
                      ("EMP_IX", "NONUNIQUE", "EMAIL", 2)],
        sql.TABLE_COMMENT: [(None,), ("people we pay",)],
    }[request.query]  # fmt: skip


def test_table_metadata_from_dictionary_rows() -> None:
    meta, requests = drive(dictionary.get_table_metadata("employees", None), employees)
    assert requests[0] is OWNER
    assert requests[1].binds == {"folded": "EMPLOYEES", "exact": "employees"}
    assert requests[1].owner == "HR"
    assert (meta.schema_name, meta.name, meta.kind) == ("HR", "EMPLOYEES", TableKind.TABLE)
    assert meta.primary_key is not None and meta.primary_key.columns == ("ID",)
    (foreign_key,) = meta.foreign_keys
    assert (foreign_key.referred_schema, foreign_key.referred_table) == ("HR", "DEPARTMENTS")
    assert foreign_key.columns == ("DEPT_ID",) and foreign_key.referred_columns == ("ID",)
    assert [(i.name, i.columns, i.unique) for i in meta.indexes] == [
        ("EMP_PK", ("ID",), True),
        ("EMP_IX", ("NAME", "EMAIL"), False),
    ]
    assert meta.comment == "people we pay"
    by_name = {column.name: column for column in meta.columns}
    assert by_name["ID"].primary_key_position == 1
    assert by_name["ID"].family is TypeFamily.INTEGER
    assert (by_name["NAME"].length, by_name["NAME"].length_semantics) == (100, "char")
    assert (by_name["EMAIL"].length, by_name["EMAIL"].length_semantics) == (200, "byte")
    assert (by_name["SALARY"].precision, by_name["SALARY"].scale) == (8, 2)
    assert by_name["SALARY"].family is TypeFamily.DECIMAL
    assert by_name["SALARY"].default == "0"


def test_checks_leave_out_not_null_and_uniques_are_listed() -> None:
    checks, _ = drive(dictionary.list_check_constraints("EMPLOYEES", "hr"), employees)
    assert checks == [("EMP_SALARY_CK", "salary > 0")]
    uniques, requests = drive(dictionary.list_unique_constraints("EMPLOYEES", "hr"), employees)
    assert uniques == [("EMP_EMAIL_UK", ("EMAIL",))]
    assert OWNER not in requests  # a given schema needs no lookup
    assert requests[0].owner == "HR"  # folded


def test_a_missing_table_is_not_found() -> None:
    with pytest.raises(DbError) as caught:
        drive(dictionary.get_columns("nope", None), lambda _request: [])
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert "'nope'" in caught.value.message


def test_tables_sequences_synonyms_and_ddl() -> None:
    tables, _ = drive(
        dictionary.list_tables(None),
        lambda _r: [("EMPLOYEES", "table"), ("EMP_V", "view"), ("EMP_MV", "materialized_view")],
    )
    assert [(t.name, t.kind) for t in tables] == [
        ("EMPLOYEES", TableKind.TABLE),
        ("EMP_V", TableKind.VIEW),
        ("EMP_MV", TableKind.MATERIALIZED_VIEW),
    ]
    sequences, _ = drive(
        dictionary.list_sequences("hr"), lambda _r: [("EMP_SEQ", 1, 10**27, 1, "N", 21)]
    )
    assert (sequences[0].name, sequences[0].last_value, sequences[0].cycle) == (
        "EMP_SEQ",
        21,
        False,
    )
    synonyms, _ = drive(dictionary.list_synonyms(None), lambda _r: [("E", "HR", "EMPLOYEES", None)])
    assert (synonyms[0].target_schema, synonyms[0].target_name) == ("HR", "EMPLOYEES")
    ddl, requests = drive(
        dictionary.get_ddl("employees", None, "table"), lambda _r: [("\n  CREATE TABLE x ",)]
    )
    assert ddl == "CREATE TABLE x"
    assert requests[-1].binds == {"object_type": "TABLE", "name": "EMPLOYEES", "owner": "HR"}
    with pytest.raises(DbError, match="unknown object type"):
        drive(dictionary.get_ddl("x", None, "TABLE'); --"), lambda _r: [])


@pytest.mark.parametrize(
    ("code", "owner", "falls_back"),
    [
        ("ORA-00942", "HR", True),
        ("ORA-01031", None, True),
        ("ORA-00942", "SCOTT", False),  # another schema: USER_* views cannot answer
        ("ORA-00904", "HR", False),
    ],
)
def test_user_views_answer_only_for_our_own_schema_when_all_views_are_closed(
    code: str, owner: str | None, falls_back: bool
) -> None:
    error = DbError(ErrorKind.NOT_FOUND, "closed", code=code)
    assert dictionary.use_user_views(error, Ask(sql.TABLES, owner), "HR") is falls_back


def test_schema_port_runner_falls_back_to_user_views() -> None:
    from flext_db_oracle_oracledb.errors import to_db_error
    from flext_db_oracle_oracledb.schema import DictionaryRunner
    from oracledb.errors import _Error

    executed: list[str] = []

    class Cursor:
        def __enter__(self) -> Cursor:
            return self

        def __exit__(self, *exc_info: object) -> None:
            return None

        def execute(self, statement: str, binds: dict[str, Any]) -> None:
            executed.append(statement)
            if "all_tables" in statement:
                error = _Error("ORA-00942: table or view does not exist", code=942)
                raise error.exc_type(error)
            self.statement = statement

        def fetchall(self) -> list[tuple[Any, ...]]:
            if self.statement == sql.CURRENT_SCHEMA:
                return [("HR",)]
            return [("EMPLOYEES", "table")]

    class Connection:
        def cursor(self) -> Cursor:
            return Cursor()

    plan = dictionary.list_tables(None)
    tables = DictionaryRunner(to_db_error).run(plan, Connection(), next(plan))
    assert [table.name for table in tables] == ["EMPLOYEES"]
    assert executed == [sql.CURRENT_SCHEMA, sql.TABLES.all_views, sql.TABLES.user_views]
