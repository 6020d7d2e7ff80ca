"""Injection corpora: hostile identifiers through the schema API, `bulk_insert` and the
CLI's `describe`; stacked statements and comment/unicode tricks through `query`,
`execute`, `stream` and the CLI. Zero successes: a canary table keeps its one row, no
table appears or disappears, and every stacked statement is refused as a `query` error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flext_db_oracle import ErrorKind, FlextDbOracleApi
from flext_db_oracle.cli.main import run
from returns.result import Failure, Success

from tests.reliability.support import check_result

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.services),
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.services),
]
CANARY = "canary_inj"


def identifier_corpus(canary: str) -> list[str]:
    return [
        f'{canary}"; DROP TABLE {canary}; --',
        f"{canary}`; DROP TABLE {canary}; --",
        f"{canary}'; DROP TABLE {canary}; --",
        f"{canary}; DROP TABLE {canary}",
        f"{canary} --",
        f"{canary}/**/",
        'x" UNION SELECT 1 --',
        f"{canary}\x00; DROP TABLE {canary}",
        f"{canary}\u037e DROP TABLE {canary}",
        f"{canary}\uff1b DROP TABLE {canary}",
        f"(SELECT 1); DROP TABLE {canary}",
        f"{canary}) ; DROP TABLE {canary}; --",
        "information_schema.tables",
        f"{canary}.{canary}",
        "' OR '1'='1",
        f"{canary}%' --",
    ]


def stacked_corpus(canary: str) -> list[tuple[str, bool]]:
    """(statement, may it succeed as one harmless statement?)"""
    return [
        (f"SELECT 1; DROP TABLE {canary}", False),
        (f"SELECT 1;DROP TABLE {canary};", False),
        (f"SELECT 1 ; INSERT INTO {canary} VALUES (666)", False),
        (f"INSERT INTO {canary} VALUES (666); SELECT 1", False),
        (f"SELECT 1;\nDELETE FROM {canary}", False),
        (f"SELECT 1 /* ; */ ; DELETE FROM {canary}", False),
        (f"SELECT ';' ; DELETE FROM {canary}", False),
        (f"SELECT 1 -- ; DELETE FROM {canary}", True),
        (f"SELECT 1 /* ; DELETE FROM {canary} */", True),
        (f"SELECT '; DELETE FROM {canary}'", True),
        (f"SELECT 1\u037e DELETE FROM {canary}", False),
        (f"SELECT 1\uff1b DELETE FROM {canary}", False),
        (f"SELECT 1\ufe54 DELETE FROM {canary}", False),
        (f"SELECT 1 \\; DELETE FROM {canary}", False),
        (f"SELECT 1; ; DELETE FROM {canary}", False),
        (f"SELECT 1;\x00DELETE FROM {canary}", False),
        (f"DO $$ BEGIN DELETE FROM {canary}; END $$; SELECT 1", False),
        (f"SELECT $a$;$a$; DELETE FROM {canary}", False),
        (f"BEGIN; DELETE FROM {canary}; COMMIT", False),
        (f"SELECT 1; -- \n DELETE FROM {canary}", False),
    ]


@pytest.fixture(params=BACKENDS)
def guarded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FlextDbOracleApi, str]]:
    backend: str = request.param
    url = (
        f"sqlite:///{tmp_path_factory.mktemp('inj') / 'inj.db'}"
        if backend == "sqlite"
        else request.getfixturevalue(f"{backend}_url")
    )
    db = FlextDbOracleApi.from_url(url)
    db.execute(f"DROP TABLE IF EXISTS {CANARY}")
    assert isinstance(db.execute(f"CREATE TABLE {CANARY} (id INT)"), Success)
    assert isinstance(db.execute(f"INSERT INTO {CANARY} (id) VALUES (1)"), Success)
    yield db, url
    db.execute(f"DROP TABLE IF EXISTS {CANARY}")
    db.disconnect()


def _state(db: FlextDbOracleApi) -> tuple[list[str], object]:
    tables = sorted(ref.name for ref in db.get_tables().unwrap())
    rows = db.query(f"SELECT id FROM {CANARY}").unwrap().rows
    return tables, rows


def test_identifiers_never_inject(guarded_db: tuple[FlextDbOracleApi, str]) -> None:
    db, _url = guarded_db
    before = _state(db)
    successes = []
    for name in identifier_corpus(CANARY):
        attempts = {
            "get_table_metadata": db.get_table_metadata(name),
            "get_columns": db.get_columns(name),
            "get_table_metadata(schema=)": db.get_table_metadata(CANARY, schema=name),
            "bulk_insert(table)": db.bulk_insert(name, ["id"], [(7,)]),
            "bulk_insert(column)": db.bulk_insert(CANARY, [name], [(7,)]),
            "bulk_insert(schema)": db.bulk_insert(CANARY, ["id"], [(7,)], schema=name),
        }
        for what, result in attempts.items():
            check_result(result)
            if isinstance(result, Success):
                successes.append((what, name))
        assert _state(db) == before, f"{name!r} changed the database"
    assert not successes, f"hostile identifiers accepted: {successes[:5]}"


def test_stacked_statements_never_run(guarded_db: tuple[FlextDbOracleApi, str]) -> None:
    db, _url = guarded_db
    before = _state(db)
    successes = []
    for sql, harmless in stacked_corpus(CANARY):
        for what, call in (
            ("query", db.query),
            ("execute", db.execute),
            ("query_one", db.query_one),
        ):
            result = check_result(call(sql))
            if isinstance(result, Success) and not harmless:
                successes.append((what, sql))
            if isinstance(result, Failure) and not harmless and ";" in sql and "\\" not in sql:
                assert result.failure().kind is ErrorKind.QUERY, (sql, result)
            assert _state(db) == before, f"{what}({sql!r}) changed the database"
        opened = check_result(db.stream(sql))
        if isinstance(opened, Success):
            with opened.unwrap() as stream:
                list(stream)
            if not harmless:
                successes.append(("stream", sql))
        assert _state(db) == before, f"stream({sql!r}) changed the database"
    assert not successes, f"stacked statements accepted: {successes[:5]}"


def test_cli_never_injects(
    guarded_db: tuple[FlextDbOracleApi, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db, url = guarded_db
    before = _state(db)
    successes = []
    for name in identifier_corpus(CANARY):
        if run(["--url", url, "describe", name]) == 0:
            successes.append(("describe", name))
    for sql, harmless in stacked_corpus(CANARY):
        for command in ("query", "execute"):
            if run(["--url", url, command, sql]) == 0 and not harmless:
                successes.append((command, sql))
    capsys.readouterr()
    assert _state(db) == before
    assert not successes, f"the CLI accepted: {successes[:5]}"
