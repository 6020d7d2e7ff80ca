"""What only the Oracle adapters give, on a live server: exact types, the data dictionary,
stored procedures, array DML and direct path, Chinook, doctor."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle import ErrorKind, FlextDbOracleApi, QueryResult
from flext_db_oracle.models import TypeFamily
from flext_db_oracle.ports import OutBind
from returns.result import Failure

from tests.adapters.oracledb.live.conftest import OracleTarget, live_modes, open_api
from tests.support.cli import CliRunner

ROUND_TRIPS = [
    pytest.param("NUMBER(19)", 2**53 + 1, int, id="int-beyond-float"),
    pytest.param("NUMBER", Decimal("12345.678901234567890123"), Decimal, id="number-exact"),
    pytest.param("NUMBER", 42, int, id="unconstrained-integral"),
    pytest.param("NUMBER(18,4)", Decimal("-12345.6789"), Decimal, id="decimal-scale"),
    pytest.param("FLOAT", Decimal("0.1"), Decimal, id="float-is-a-number"),
    pytest.param("BINARY_DOUBLE", 3.141592653589793, float, id="binary-double"),
    pytest.param("VARCHAR2(100 CHAR)", "Zoë — 東京 🎉", str, id="varchar2-unicode"),
    pytest.param("CLOB", "x" * 100_000, str, id="clob-inline"),
    pytest.param("BLOB", b"\x00\x01" * 40_000, bytes, id="blob-inline"),
    pytest.param("RAW(16)", b"\x00\xff" * 8, bytes, id="raw"),
    pytest.param("DATE", datetime(2024, 2, 29, 23, 59, 58), datetime, id="date-has-time"),
    pytest.param("TIMESTAMP(6)", datetime(2024, 2, 29, 1, 2, 3, 456789), datetime, id="ts"),
    pytest.param(
        "INTERVAL DAY(3) TO SECOND(6)", timedelta(days=3, seconds=5), timedelta, id="interval"
    ),
]


@pytest.mark.parametrize(("column_type", "value", "expected_type"), ROUND_TRIPS)
def test_values_come_back_exact(
    oracle_api: FlextDbOracleApi,
    table_name: Callable[[str], str],
    dropped: list[str],
    column_type: str,
    value: Any,
    expected_type: type,
) -> None:
    table = table_name("rt")
    oracle_api.execute(f"CREATE TABLE {table} (id NUMBER(10), v {column_type})").unwrap()
    dropped.append(f"TABLE {table}")
    oracle_api.execute(f"INSERT INTO {table} (id, v) VALUES (1, :v)", {"v": value}).unwrap()
    got = oracle_api.query_one(f"SELECT v FROM {table}").unwrap()[0]
    assert type(got) is expected_type, f"{type(got).__name__}: {got!r}"
    assert got == value


def test_timestamp_with_time_zone_is_aware(oracle_api: FlextDbOracleApi) -> None:
    value = oracle_api.query_one(
        "SELECT TIMESTAMP '2024-03-01 10:00:00.5 +05:30' FROM dual"
    ).unwrap()[0]
    assert value.utcoffset() == timedelta(hours=5, minutes=30)
    assert value.replace(tzinfo=None) == datetime(2024, 3, 1, 10, 0, 0, 500000)
    local = oracle_api.query_one(
        "SELECT CAST(TIMESTAMP '2024-03-01 10:00:00 +00:00' AS TIMESTAMP WITH LOCAL TIME ZONE) "
        "FROM dual"
    ).unwrap()[0]
    assert local.utcoffset() == timedelta(0)  # the adapter's session time zone is UTC


def test_dictionary_gives_typed_columns_keys_indexes_and_ddl(
    oracle_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    parent, child = table_name("dept"), table_name("emp")
    oracle_api.execute(f"CREATE TABLE {parent} (id NUMBER(10) PRIMARY KEY)").unwrap()
    dropped.append(f"TABLE {parent}")
    oracle_api.execute(
        f"CREATE TABLE {child} (id NUMBER(10) CONSTRAINT {child}_PK PRIMARY KEY, "
        f"name VARCHAR2(30 CHAR) NOT NULL, code VARCHAR2(8 BYTE) UNIQUE, "
        f"salary NUMBER(8,2) CHECK (salary > 0), "
        f"dept_id NUMBER(10) REFERENCES {parent} (id))"
    ).unwrap()
    dropped.append(f"TABLE {child}")
    oracle_api.execute(f"CREATE INDEX {child}_IX ON {child} (name, salary)").unwrap()
    oracle_api.execute(f"COMMENT ON TABLE {child} IS 'people'").unwrap()
    meta = oracle_api.get_table_metadata(child.lower()).unwrap()
    by_name = {column.name: column for column in meta.columns}
    assert (by_name["NAME"].length, by_name["NAME"].length_semantics) == (30, "char")
    assert (by_name["CODE"].length, by_name["CODE"].length_semantics) == (8, "byte")
    assert (by_name["SALARY"].family, by_name["SALARY"].precision) == (TypeFamily.DECIMAL, 8)
    assert by_name["ID"].family is TypeFamily.INTEGER
    assert meta.primary_key is not None and meta.primary_key.columns == ("ID",)
    assert meta.foreign_keys[0].referred_table == parent
    assert any(index.columns == ("NAME", "SALARY") for index in meta.indexes)
    assert meta.comment == "people"
    ddl = oracle_api.get_ddl(child).unwrap()
    assert ddl.upper().startswith("CREATE TABLE")


def test_quoted_mixed_case_names_are_kept(
    oracle_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    table = table_name("Mixed").title()
    oracle_api.execute(f'CREATE TABLE "{table}" (id NUMBER(10))').unwrap()
    dropped.append(f'TABLE "{table}"')
    assert table in [t.name for t in oracle_api.get_tables().unwrap()]
    assert [c.name for c in oracle_api.get_columns(table).unwrap()] == ["ID"]


def test_sequences_and_synonym_chains(
    oracle_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    table, sequence = table_name("base"), table_name("seq")
    first, second = table_name("syn1"), table_name("syn2")
    oracle_api.execute(f"CREATE TABLE {table} (id NUMBER(10))").unwrap()
    dropped.append(f"TABLE {table}")
    oracle_api.execute(f"CREATE SEQUENCE {sequence} START WITH 5 INCREMENT BY 5").unwrap()
    dropped.append(f"SEQUENCE {sequence}")
    oracle_api.execute(f"CREATE SYNONYM {first} FOR {table}").unwrap()
    dropped.append(f"SYNONYM {first}")
    oracle_api.execute(f"CREATE SYNONYM {second} FOR {first}").unwrap()
    dropped.append(f"SYNONYM {second}")
    sequences = {s.name: s for s in oracle_api.get_sequences().unwrap()}
    assert sequences[sequence].increment == 5
    synonyms = {s.name: s for s in oracle_api.get_synonyms().unwrap()}
    assert synonyms[second].target_name == table  # the chain is followed to its end


def test_procedures_functions_and_ref_cursors(
    oracle_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    procedure, function = table_name("proc"), table_name("fn")
    oracle_api.execute(
        f"CREATE OR REPLACE PROCEDURE {procedure} (a IN NUMBER, b OUT NUMBER, "
        "c IN OUT VARCHAR2, rc OUT SYS_REFCURSOR) AS BEGIN b := a * 2; c := c || '!'; "
        "OPEN rc FOR SELECT LEVEL AS n FROM dual CONNECT BY LEVEL <= 3; END;"
    ).unwrap()
    dropped.append(f"PROCEDURE {procedure}")
    oracle_api.execute(
        f"CREATE OR REPLACE FUNCTION {function} (a IN NUMBER) RETURN NUMBER AS "
        "BEGIN RETURN a + 1; END;"
    ).unwrap()
    dropped.append(f"FUNCTION {function}")
    out = oracle_api.call_procedure(
        procedure.lower(),
        {"a": 21, "b": OutBind(int), "c": OutBind(str, "hi"), "rc": OutBind(QueryResult)},
    ).unwrap()
    assert (out["b"], out["c"]) == (42, "hi!")
    assert [int(row[0]) for row in out["rc"].rows] == [1, 2, 3]
    assert oracle_api.call_function(function, int, {"a": 1}).unwrap() == 2


def test_bulk_insert_array_dml_and_collect(
    oracle_api: FlextDbOracleApi, table_name: Callable[[str], str], dropped: list[str]
) -> None:
    table = table_name("bulk")
    oracle_api.execute(f"CREATE TABLE {table} (id NUMBER(10) PRIMARY KEY, v VARCHAR2(10))")
    dropped.append(f"TABLE {table}")
    rows = [(i, f"v{i}") for i in range(25_000)]
    done = oracle_api.bulk_insert(table.lower(), ["id", "v"], rows).unwrap()
    assert (done.rows_submitted, done.rowcount) == (25_000, 25_000)
    again = oracle_api.bulk_insert(table, ["id", "v"], [(1, "dup"), (30_000, "new")],
                                   on_error="collect").unwrap()  # fmt: skip
    assert [(f.index, f.code) for f in again.failures] == [(0, "ORA-00001")]


def test_direct_path_load_in_thin_mode(
    oracle_target: OracleTarget,
    table_name: Callable[[str], str],
    dropped: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_ORACLEDB_DIRECT_PATH_LOAD", "true")
    api = open_api(oracle_target, live_modes()[0])
    table = table_name("dpl")
    try:
        api.execute(f"CREATE TABLE {table} (id NUMBER(10), v VARCHAR2(10))").unwrap()
        dropped.append(f"TABLE {table}")
        done = api.bulk_insert(table, ["id", "v"], [(i, f"v{i}") for i in range(5000)])
        count = api.query(f"SELECT COUNT(*) FROM {table}").unwrap().scalar()
    finally:
        api.disconnect()
    assert done.unwrap().rowcount == 5000
    assert count == 5000


def test_arrow_tables_and_batches(oracle_target: OracleTarget) -> None:
    pytest.importorskip("pyarrow", reason="the arrow extra is not installed")
    from flext_db_oracle.settings import load_settings
    from flext_db_oracle_oracledb.adapter import create_thick, create_thin

    factory = create_thick if live_modes()[0] == "thick" else create_thin
    adapter = factory(
        load_settings(
            url=oracle_target.dsn, user=oracle_target.user, password=oracle_target.password
        )
    )
    sql_text = "SELECT LEVEL AS n, 'x' || LEVEL AS s FROM dual CONNECT BY LEVEL <= 2500"
    try:
        table = adapter.query.fetch_arrow(sql_text).unwrap()
        with adapter.query.stream_arrow(sql_text, batch_size=1000).unwrap() as stream:
            sizes = [batch.num_rows for batch in stream]
    finally:
        adapter.connection.close()
    assert table.num_rows == 2500
    assert table.column_names == ["N", "S"]
    assert sizes == [1000, 1000, 500]


def test_call_timeout_bounds_a_statement(
    oracle_target: OracleTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_ORACLEDB_CALL_TIMEOUT_S", "0.5")
    api = open_api(oracle_target, live_modes()[0])
    try:
        started = time.monotonic()
        result = api.execute("BEGIN DBMS_SESSION.SLEEP(5); END;")
        elapsed = time.monotonic() - started
    finally:
        api.disconnect()
    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.TIMEOUT
    assert elapsed < 3


def load_chinook(api: FlextDbOracleApi, script: str) -> None:
    """The Oracle script without its SQL*Plus parts (GRANT to and CONNECT as `chinook`,
    COMMIT, EXIT): the tables land in the test user's schema."""
    body = re.sub(r"/\*.*?\*/", "", script, flags=re.DOTALL)
    for statement in re.split(r";\s*\n", body):
        text = statement.strip()
        if not text or re.match(r"^(GRANT|CONNECT|COMMIT|EXIT)\b", text, re.IGNORECASE):
            continue
        api.execute(text).unwrap()


CHINOOK_TABLES = ("PLAYLISTTRACK", "INVOICELINE", "TRACK", "PLAYLIST", "INVOICE", "CUSTOMER",
                  "EMPLOYEE", "ALBUM", "ARTIST", "GENRE", "MEDIATYPE")  # fmt: skip


def test_chinook_loads_and_gives_3503_tracks(
    oracle_api: FlextDbOracleApi, chinook_dir: Path, dropped: list[str]
) -> None:
    for table in CHINOOK_TABLES:
        oracle_api.execute(f"DROP TABLE {table} CASCADE CONSTRAINTS PURGE")  # earlier runs
    dropped.extend(f"TABLE {table}" for table in reversed(CHINOOK_TABLES))
    load_chinook(oracle_api, (chinook_dir / "Chinook_Oracle.sql").read_text(encoding="utf-8-sig"))
    assert oracle_api.query("SELECT COUNT(*) FROM track").unwrap().scalar() == 3503
    tables = {t.name for t in oracle_api.get_tables().unwrap()}
    assert set(CHINOOK_TABLES) <= tables


def test_doctor_reports_the_server(
    cli: CliRunner, oracle_target: OracleTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_USER", oracle_target.user)
    monkeypatch.setenv("FLEXT_DB_ORACLE_PASSWORD", oracle_target.password)
    done = cli("--url", oracle_target.dsn, "--format", "json", "doctor")
    assert done.code == 0, done.err
    report = done.json()
    assert report["connection"] == "ok"
    assert report["server_version"][:2].isdigit()
    assert "NLS_DATE_FORMAT" in report["nls_session"]
    assert report["nls_session"]["NLS_TIMESTAMP_TZ_FORMAT"].startswith("YYYY-MM-DD")
    assert oracle_target.password not in done.out + done.err
