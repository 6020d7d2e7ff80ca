"""One test per numbered defect of issue 11 (and per Build item) not already reproduced
elsewhere; each docstring cites the item it proves fixed.

Items reproduced elsewhere (not repeated here): 3 (tests/reliability/test_faults.py,
silent-accept connect on both backends, sub-second timeouts), 5c/5d at the `redact`
level (tests/core/test_redaction_errors.py), the password file and `--ask-password`
(tests/reliability/test_secret_sweep.py).
"""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi, load_settings
from flext_db_oracle.cli.main import run
from flext_db_oracle.edge import ConnectionPinning
from flext_db_oracle.urls import DatabaseUrl
from returns.result import Failure, Success

from tests.reliability.support import (
    KILLERS,
    bounded,
    database_of,
    everything_said_by,
    typed_failure,
)
from tests.support.cli import CliRunner
from tests.support.databases import POSTGRESQL_ADMIN_URL, _mariadb_admin

SECRET = "Sekr3t-issue11-pw"
DEAD = {
    "postgresql": "postgresql://postgres@127.0.0.1:1/test",
    "mariadb": "mysql://root@127.0.0.1:1/test",
}
services = pytest.mark.services


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[FlextDbOracleApi]:
    db = FlextDbOracleApi.from_url(f"sqlite:///{tmp_path / 'items.db'}")
    yield db
    db.disconnect()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=services)])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'items.db'}"
    url: str = request.getfixturevalue("postgresql_url")
    return url


def _operations(db: FlextDbOracleApi) -> dict[str, Callable[[Any, Any], object]]:
    """Every statement-taking operation, as `call(sql, params)`; `stream` is read through."""

    def stream(sql: Any, params: Any) -> object:
        opened = db.stream(sql, params)
        if isinstance(opened, Success):
            with opened.unwrap() as rows:
                list(rows)
        return opened

    return {
        "query": db.query,
        "query_one": db.query_one,
        "stream": stream,
        "execute": db.execute,
        "execute_many": lambda sql, params: db.execute_many(
            sql, [params] if isinstance(params, dict) or params is None else params
        ),
    }


def _wait_until_gone(backend: str, url: str, deadline_s: float = 5.0) -> None:
    """Killing is asynchronous: wait until no session of the database is left."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if backend == "postgresql":
            import psycopg

            with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
                left = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (database_of(url),),
                ).fetchone()[0]
        else:
            with _mariadb_admin() as admin, admin.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.processlist"
                    " WHERE db = %s AND id <> connection_id()",
                    (database_of(url),),
                )
                left = cursor.fetchone()[0]
        if not left:
            return
        time.sleep(0.05)
    pytest.fail(f"{backend}: sessions still alive {deadline_s} s after the kill")


def _kill(backend: str, url: str) -> None:
    KILLERS[backend](url)
    _wait_until_gone(backend, url)


def _insert_then_kill(
    db: FlextDbOracleApi,
    backend: str,
    url: str,
    table: str,
    then_raise: BaseException | None = None,
) -> None:
    """In one transaction: insert a row, kill every backend session, then end the block
    (raising `then_raise` if given), so the rollback or the commit meets a dead link."""
    with db.transaction():
        assert isinstance(db.execute(f"INSERT INTO {table} (a) VALUES (1)"), Success)
        _kill(backend, url)
        if then_raise is not None:
            raise then_raise


def _with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username}:{password}@{parts.hostname}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


# --- item 1: raw exceptions -------------------------------------------------------------


@services
def test_item1_stream_on_a_dead_server_is_a_typed_connection_failure() -> None:
    """Item 1: stream() on a dead server returns Failure(DbError), not OperationalError."""
    db = FlextDbOracleApi.from_url(DEAD["postgresql"], connect_timeout_s=2)
    try:
        outcome = bounded(lambda: db.stream("SELECT 1"), 20)
        assert outcome.finished and outcome.raised is None, outcome.describe()
        assert typed_failure(outcome.value).kind is ErrorKind.CONNECTION
    finally:
        db.disconnect()


@services
def test_item1_stream_on_an_exhausted_pool_is_a_typed_timeout(postgresql_url: str) -> None:
    """Item 1: stream() while the pool is exhausted returns Failure(timeout), not
    sqlalchemy.exc.TimeoutError."""
    db = FlextDbOracleApi.from_url(
        postgresql_url, pool={"size": 1, "max_overflow": 0, "timeout_s": 0.3}
    )
    try:
        holder = db.stream("SELECT generate_series(1, 10000)", batch_size=10)
        assert isinstance(holder, Success), holder
        with holder.unwrap():
            outcome = bounded(lambda: db.stream("SELECT 1"), 20)
            assert outcome.finished and outcome.raised is None, outcome.describe()
            assert typed_failure(outcome.value).kind is ErrorKind.TIMEOUT
    finally:
        db.disconnect()


@pytest.mark.parametrize("on_error", ["stop", "collect"])
def test_item1_execute_many_replay_of_an_overflowing_int_is_typed(
    sqlite_db: FlextDbOracleApi, on_error: str
) -> None:
    """Item 1: execute_many('select :a', [{'a': 2**70}]) on SQLite: no OverflowError."""
    result = sqlite_db.execute_many(
        "select :a",
        [{"a": 2**70}],
        on_error=on_error,  # type: ignore[arg-type]
    )
    if isinstance(result, Success):  # "collect" may list the row as a failure instead
        assert result.unwrap().failures, result
    else:
        assert typed_failure(result).kind is not ErrorKind.INTERNAL


def test_item1_lone_surrogate_in_sql_is_a_typed_failure_in_every_operation(
    sql_url: str,
) -> None:
    """Item 1: 'select \\udcff' gives Failure(DbError) from every operation, no
    UnicodeEncodeError from the statement fingerprint."""
    db = FlextDbOracleApi.from_url(sql_url)
    try:
        for name, call in _operations(db).items():
            for sql in ("select \udcff", "select '\udcff'"):
                outcome = bounded(lambda call=call, sql=sql: call(sql, None), 20)
                assert outcome.raised is None, f"{name}: {outcome.describe()}"
                typed_failure(outcome.value)
    finally:
        db.disconnect()


@pytest.mark.parametrize(
    ("sql", "params"),
    [(None, None), (b"select 1", None), ("select :a", [1]), (None, [1])],
    ids=["sql-none", "sql-bytes", "params-list", "both"],
)
def test_item1_wrongly_typed_arguments_are_typed_failures(
    sql_url: str, sql: Any, params: Any
) -> None:
    """Item 1: SQL as None/bytes and params as a list give Failure(DbError) everywhere."""
    db = FlextDbOracleApi.from_url(sql_url)
    try:
        for name, call in _operations(db).items():
            if name == "execute_many" and isinstance(params, list):
                calls = [
                    lambda: db.execute_many(sql, params),
                    lambda: db.execute_many(sql, [params]),
                ]
            else:
                calls = [lambda call=call: call(sql, params)]
            for each in calls:
                outcome = bounded(each, 20)
                assert outcome.raised is None, f"{name}({sql!r}, {params!r}): {outcome.describe()}"
                error = typed_failure(outcome.value)
                assert error.kind is not ErrorKind.INTERNAL, f"{name}: {error!r}"
    finally:
        db.disconnect()


@services
@pytest.mark.parametrize("command", ["query", "execute", "health"])
def test_item1_cli_on_a_dead_server_says_connection(cli: CliRunner, command: str) -> None:
    """Item 1: the CLI's `query` on a dead server says `connection`, as `health` does,
    not `internal error: OperationalError`."""
    args = ["--url", DEAD["postgresql"], command] + ([] if command == "health" else ["select 1"])
    done = cli(*args)
    assert done.code == 1, done
    assert "connection" in done.err, done.err
    assert "internal" not in done.err and "OperationalError" not in done.err, done.err


# --- item 2: a failed rollback never masks the caller's exception -------------------------


@services
@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_item2_killed_connection_in_transaction_keeps_the_callers_value_error(
    backend: str, request: pytest.FixtureRequest, unique_name: Callable[[str], str]
) -> None:
    """Item 2: kill the connection inside `with api.transaction():`, raise ValueError:
    the caller gets its own ValueError; the next call succeeds."""
    url: str = request.getfixturevalue(f"{backend}_url")
    table = unique_name("item2")
    db = FlextDbOracleApi.from_url(url)
    try:
        assert isinstance(db.execute(f"CREATE TABLE {table} (a INT)"), Success)
        with pytest.raises(ValueError, match="mine"):
            _insert_then_kill(db, backend, url, table, then_raise=ValueError("mine"))
        assert db.query(f"SELECT a FROM {table}").unwrap().rows == ()
    finally:
        db.execute(f"DROP TABLE {table}")
        db.disconnect()


# --- item 4: a statement timeout from the environment ------------------------------------


@services
def test_item4_pg_sleep_20_is_bounded_by_the_statement_timeout_variable(
    postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 4: `select pg_sleep(20)` with FLEXT_DB_ORACLE_STATEMENT_TIMEOUT_S=1 fails
    with `timeout` in about a second."""
    monkeypatch.setenv("FLEXT_DB_ORACLE_URL", postgresql_url)
    monkeypatch.setenv("FLEXT_DB_ORACLE_STATEMENT_TIMEOUT_S", "1")
    db = FlextDbOracleApi.from_env()
    try:
        outcome = bounded(lambda: db.query("select pg_sleep(20)"), 10)
        assert outcome.finished and outcome.raised is None, outcome.describe()
        assert typed_failure(outcome.value).kind is ErrorKind.TIMEOUT
        assert outcome.elapsed_s < 1.2 * 1 + 0.5, outcome.describe()
    finally:
        db.disconnect()


# --- item 5: redaction ----------------------------------------------------------------------


@services
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "jsonl"])
def test_item5a_password_in_url_query_string_is_never_printed(
    cli: CliRunner, postgresql_url: str, fmt: str
) -> None:
    """Item 5: `postgresql://u@h/db?password=...` through `config` and `health`, every
    format, never prints the password."""
    url = f"postgresql://postgres@127.0.0.1:1/test?password={SECRET}"
    for command in ("config", "health"):
        done = cli("--url", url, "--format", fmt, command)
        assert SECRET not in done.out + done.err, (command, fmt, done)


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://u:{SECRET}@h:notaport/db",
        f"postgresql://u:{SECRET}@h:99999/db",
        f"postgresql://u:{SECRET}@[h/db",
        f"1pg://u:{SECRET}@h/db",
    ],
)
def test_item5b_unparsable_url_error_chain_holds_no_password(text: str) -> None:
    """Item 5: a DbError for an unparsable URL carries no pydantic error (or any other
    link of its chain) whose text contains the password."""
    for build in (
        lambda: DatabaseUrl.parse(text),
        lambda: load_settings(url=text),
        lambda: FlextDbOracleApi.from_url(text),
    ):
        with pytest.raises(DbError) as raised:
            build()
        assert raised.value.kind is ErrorKind.CONFIGURATION
        assert SECRET not in everything_said_by(raised.value)


@services
def test_item5c_password_with_an_at_sign_is_masked_whole(cli: CliRunner) -> None:
    """Item 5: a password containing `@` is masked whole in CLI output, not only up to
    its `@`."""
    done = cli("--url", "postgresql://u:p@ss-tail@127.0.0.1:1/db", "config", "--format", "json")
    assert "ss-tail" not in done.out + done.err, done
    failed = cli("--url", "postgresql://u:p@ss-tail@127.0.0.1:1/db", "health")
    assert "ss-tail" not in failed.out + failed.err, failed


@services
def test_item5d_password_test_does_not_mask_table_names(
    postgresql_url: str, unique_name: Callable[[str], str]
) -> None:
    """Item 5: with the password `test`, an error about `x_test...` keeps the relation's
    name (masking by position, not by substring)."""
    table = unique_name("x_test")
    db = FlextDbOracleApi.from_url(_with_password(postgresql_url, "test"))
    try:
        error = typed_failure(db.query(f"SELECT * FROM {table}"))
        assert table in error.message, error.message
        assert "***" not in error.message, error.message
    finally:
        db.disconnect()


# --- item 6: stacked statements on PostgreSQL -----------------------------------------------


@services
def test_item6_stacked_statement_never_runs_on_postgresql(
    cli: CliRunner, postgresql_url: str, unique_name: Callable[[str], str]
) -> None:
    """Item 6: `execute "select 1; drop table t"` (no binds) exits 1 and the table stays;
    `api.query` refuses it too."""
    table = unique_name("item6")
    db = FlextDbOracleApi.from_url(postgresql_url)
    try:
        assert isinstance(db.execute(f"CREATE TABLE {table} (a INT)"), Success)
        done = cli("--url", postgresql_url, "execute", f"select 1; drop table {table}")
        assert done.code == 1, done
        assert typed_failure(db.query(f"select 1; drop table {table}")).kind is ErrorKind.QUERY
        assert isinstance(db.query(f"SELECT a FROM {table}"), Success), "the table is gone"
    finally:
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.disconnect()


# --- item 7: empty SQL ---------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "sql"), [("query", ""), ("execute", "   ")])
def test_item7_empty_sql_exits_1_in_the_cli(
    cli: CliRunner, sql_url: str, command: str, sql: str
) -> None:
    """Item 7: `query ""` and `execute "   "` exit 1 on SQLite and PostgreSQL; the API
    says `query`."""
    done = cli("--url", sql_url, command, sql)
    assert done.code == 1, done
    db = FlextDbOracleApi.from_url(sql_url)
    try:
        for name, call in _operations(db).items():
            assert typed_failure(call(sql, None)).kind is ErrorKind.QUERY, name
    finally:
        db.disconnect()


# --- item 8: error kinds ------------------------------------------------------------------------


@services
def test_item8_postgresql_missing_database_is_not_found_and_final(postgresql_url: str) -> None:
    """Item 8: PostgreSQL's missing database is `not_found`, not retryable, code 3D000."""
    parts = urlsplit(postgresql_url)
    db = FlextDbOracleApi.from_url(urlunsplit(parts._replace(path="/no_such_db_item8")))
    try:
        error = typed_failure(db.connect())
        assert (error.kind, error.retryable, error.code) == (ErrorKind.NOT_FOUND, False, "3D000")
    finally:
        db.disconnect()


@services
def test_item8_postgresql_unknown_role_is_authentication_and_final(postgresql_url: str) -> None:
    """Item 8: PostgreSQL's unknown role is `authentication`, not retryable, code 28000."""
    parts = urlsplit(postgresql_url)
    db = FlextDbOracleApi.from_url(
        urlunsplit(parts._replace(netloc=f"no_such_role_item8@{parts.hostname}:{parts.port}"))
    )
    try:
        error = typed_failure(db.connect())
        assert (error.kind, error.retryable, error.code) == (
            ErrorKind.AUTHENTICATION,
            False,
            "28000",
        )
    finally:
        db.disconnect()


@services
@pytest.mark.parametrize(
    ("code", "sql"),
    [
        ("MYSQL-1241", "SELECT (SELECT 1, 2)"),
        ("MYSQL-4078", "SELECT 1 = (1, 2)"),  # MariaDB's spelling of the same mistake
        ("MYSQL-1242", "SELECT (SELECT 1 UNION SELECT 2)"),
        ("MYSQL-1052", "SELECT a FROM {t} x, {t} y"),
    ],
)
def test_item8_mysql_1241_1242_1052_are_final_query_errors(
    mariadb_url: str, unique_name: Callable[[str], str], code: str, sql: str
) -> None:
    """Item 8: MySQL 1241/1242 are not `connection`/retryable; 1052 (ambiguous column)
    is not `integrity`: all are `query`, not retryable (MariaDB says 4078 where MySQL
    says 1241 for `1 = (1, 2)`)."""
    table = unique_name("item8")
    db = FlextDbOracleApi.from_url(mariadb_url)
    try:
        assert isinstance(db.execute(f"CREATE TABLE {table} (a INT)"), Success)
        error = typed_failure(db.query(sql.format(t=table)))
        assert (error.kind, error.retryable, error.code) == (ErrorKind.QUERY, False, code)
    finally:
        db.execute(f"DROP TABLE {table}")
        db.disconnect()


# --- item 9: values never change silently ------------------------------------------------------


def _round_trip(db: FlextDbOracleApi, table: str, column_type: str, value: Any) -> tuple[bool, Any]:
    """(True, value read back) or (False, the typed DbError of the refusal)."""
    created = db.execute(f"CREATE TABLE {table} (v {column_type})")
    assert isinstance(created, Success), created
    written = db.execute(f"INSERT INTO {table} (v) VALUES (:v)", {"v": value})
    if isinstance(written, Failure):
        return False, typed_failure(written)
    rows = db.query(f"SELECT v FROM {table}")
    if isinstance(rows, Failure):
        return False, typed_failure(rows)
    return True, rows.unwrap().rows[0][0]


@pytest.mark.parametrize("column_type", ["NUMERIC", "DECIMAL(20,2)", "TEXT"])
def test_item9_sqlite_keeps_all_17_digits_of_a_decimal(
    sqlite_db: FlextDbOracleApi, column_type: str
) -> None:
    """Item 9: SQLite gives back Decimal('12345678901234567.89') exactly, or refuses it."""
    sent = Decimal("12345678901234567.89")
    stored, got = _round_trip(sqlite_db, "dec", column_type, sent)
    if stored:
        assert got == sent, f"{column_type}: {sent!r} came back as {got!r}"
        assert str(got) == str(sent), f"{column_type}: {sent!r} came back as {got!r}"
    else:
        assert got.kind is not ErrorKind.INTERNAL


def test_item9_sqlite_never_stores_a_float_nan_as_null(sqlite_db: FlextDbOracleApi) -> None:
    """Item 9: a float NaN is not stored as NULL on SQLite: round trip or typed refusal."""
    stored, got = _round_trip(sqlite_db, "f", "REAL", math.nan)
    if stored:
        assert isinstance(got, float) and math.isnan(got), f"NaN came back as {got!r}"
    else:
        assert got.kind is ErrorKind.QUERY, got


@pytest.mark.parametrize("value", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_item9_sqlite_big_ints_round_trip_or_fail_typed_not_internal(
    sqlite_db: FlextDbOracleApi, value: int
) -> None:
    """Item 9: ints >= 2**63 on SQLite round-trip or fail as `query` saying why, never
    `internal`."""
    stored, got = _round_trip(sqlite_db, "i", "INTEGER", value)
    if stored:
        assert got == value and type(got) is int, f"{value} came back as {got!r}"
    else:
        assert got.kind is ErrorKind.QUERY, got
        assert got.message, got


@services
@pytest.mark.parametrize(
    "sent",
    [
        datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
        datetime(2024, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-8))),
    ],
)
def test_item9_mariadb_aware_datetime_keeps_its_instant(
    mariadb_url: str, unique_name: Callable[[str], str], sent: datetime
) -> None:
    """Item 9: an aware datetime written to MariaDB DATETIME(6) reads back as the same
    instant, or is refused with a typed error (never its offset dropped)."""
    table = unique_name("item9dt")
    db = FlextDbOracleApi.from_url(mariadb_url)
    try:
        stored, got = _round_trip(db, table, "DATETIME(6)", sent)
        if stored:
            assert isinstance(got, datetime), got
            assert got.tzinfo is not None, f"{sent!r} came back naive: {got!r}"
            assert got == sent, f"{sent!r} came back as {got!r}"
        else:
            assert got.kind is ErrorKind.QUERY, got
    finally:
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.disconnect()


@services
@pytest.mark.parametrize("value", [object(), 1 + 2j], ids=["object", "complex"])
def test_item9_mariadb_refuses_object_and_complex_binds(
    mariadb_url: str, unique_name: Callable[[str], str], value: object
) -> None:
    """Item 9: object()/complex binds are refused with a typed `query` error, never stored
    as their repr text."""
    table = unique_name("item9obj")
    db = FlextDbOracleApi.from_url(mariadb_url)
    try:
        stored, got = _round_trip(db, table, "TEXT", value)
        assert not stored, f"{value!r} was stored as {got!r}"
        assert got.kind is ErrorKind.QUERY, got
        assert db.query(f"SELECT v FROM {table}").unwrap().rows == ()
    finally:
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.disconnect()


# --- item 10: profiles -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"profiles = 5\n", "profiles"),
        (b"[profiles]\nx = 5\n", "x"),
        (b'[profiles.p]\nurl = "sqlite://"\n\xff\xfe\x80 = 1\n', None),
    ],
    ids=["profiles-is-an-int", "profile-is-an-int", "not-utf8"],
)
def test_item10_bad_profiles_file_is_a_configuration_error_naming_file_and_key(
    tmp_path: Path, content: bytes, key: str | None
) -> None:
    """Item 10: `profiles = 5`, `[profiles] x = 5` and non-UTF-8 bytes give a
    configuration error naming the file (and the key), not TypeError/UnicodeDecodeError."""
    path = tmp_path / "flext-db-oracle.toml"
    path.write_bytes(content)
    for profile in ("x", "p"):
        with pytest.raises(DbError) as raised:
            load_settings(profile=profile, profiles_file=path)
        error = raised.value
        assert error.kind is ErrorKind.CONFIGURATION, error
        assert str(path) in error.message, error.message
        if key is not None:
            assert key in error.message, error.message


# --- item 11: smaller ------------------------------------------------------------------------


def test_item11_health_on_a_missing_sqlite_path_creates_no_file(
    cli: CliRunner, tmp_path: Path
) -> None:
    """Item 11: `health` on a missing SQLite path reports it and creates no empty file."""
    missing = tmp_path / "nowhere" / "missing.db"
    missing.parent.mkdir()
    done = cli("--url", f"sqlite:///{missing}", "health")
    assert done.code == 1, done
    assert not missing.exists(), "health created the database file"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgresql://postgres@127.0.0.1:1/test?bogus_param=1", id="postgresql"),
        pytest.param("sqlite:///{tmp}/x.db?bogus_param=1", id="sqlite"),
    ],
)
def test_item11_unknown_url_query_parameter_is_a_configuration_error(
    cli: CliRunner, url: str, tmp_path: Path
) -> None:
    """Item 11: an unknown URL query parameter is a configuration error naming it, with
    no SQLAlchemy warning and no silent drop."""
    sqlite3.connect(tmp_path / "x.db").close()  # an existing file: only the parameter is wrong
    url = url.format(tmp=tmp_path)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            db = FlextDbOracleApi.from_url(url)
        except DbError as refused:
            error = refused
        else:
            error = typed_failure(db.connect())
            db.disconnect()
    assert error.kind is ErrorKind.CONFIGURATION, error
    assert "bogus_param" in error.message, error.message
    assert not seen, [str(w.message) for w in seen]
    done = cli("--url", url, "health")
    assert done.code == 1 and "bogus_param" in done.err, done


# --- Build: warnings, outcome unknown, Ctrl-C ---------------------------------------------------


def test_build_password_in_url_draws_a_warning_naming_the_safer_routes(
    cli: CliRunner, tmp_path: Path
) -> None:
    """Build: a password written inside --url draws a warning naming the safer routes; a
    URL without one draws none."""
    done = cli("--url", f"postgresql://u:{SECRET}@127.0.0.1:1/db", "health")
    warning = [line for line in done.err.splitlines() if line.startswith("warning:")]
    assert warning, done.err
    for route in ("FLEXT_DB_ORACLE_PASSWORD", "FLEXT_DB_ORACLE_PASSWORD_FILE", "profile"):
        assert route in warning[0], warning
    assert SECRET not in done.out + done.err
    plain = cli("--url", f"sqlite:///{tmp_path / 'w.db'}", "health")
    assert "warning: a password" not in plain.err


def _lost_connection_errors() -> list[BaseException]:
    import psycopg
    import pymysql

    return [
        pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query"),
        pymysql.err.OperationalError(2006, "MySQL server has gone away"),
        psycopg.OperationalError("server closed the connection unexpectedly"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    ]


@pytest.mark.parametrize("lost", _lost_connection_errors(), ids=lambda e: type(e).__name__)
def test_build_lost_connection_during_commit_is_outcome_unknown_in_the_edge_kit(
    lost: BaseException,
) -> None:
    """Build: ConnectionPinning with the SQLAlchemy adapter's error mapper and a commit
    that loses its connection reports `outcome_unknown`, never success or a plain
    failure, and not retryable."""
    from flext_db_oracle_sqlalchemy.errors import to_db_error

    def commit(_connection: object) -> None:
        raise lost

    released: list[bool] = []
    pinning: ConnectionPinning[object] = ConnectionPinning(
        acquire=object,
        begin=lambda _c: None,
        commit=commit,
        rollback=lambda _c: None,
        release=lambda _c, broken: released.append(broken),
        map_error=to_db_error,
    )
    with pytest.raises(DbError) as caught, pinning.transaction():
        pass
    assert caught.value.outcome_unknown, caught.value
    assert caught.value.detail.get("outcome") == "unknown"
    assert not caught.value.retryable
    assert released == [True]


@services
@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_build_backend_killed_between_last_statement_and_commit_is_outcome_unknown(
    backend: str, request: pytest.FixtureRequest, unique_name: Callable[[str], str]
) -> None:
    """Build: the backend killed after the block's last statement and before the commit:
    the transaction raises DbError with `outcome_unknown`; the next call succeeds."""
    url: str = request.getfixturevalue(f"{backend}_url")
    table = unique_name("commitkill")
    db = FlextDbOracleApi.from_url(url)
    try:
        assert isinstance(db.execute(f"CREATE TABLE {table} (a INT)"), Success)
        with pytest.raises(DbError) as caught:
            _insert_then_kill(db, backend, url, table)
        error = caught.value
        assert error.outcome_unknown, error
        assert error.detail.get("outcome") == "unknown"
        assert not error.retryable
        rows = db.query(f"SELECT a FROM {table}")
        assert isinstance(rows, Success), rows
        assert list(rows.unwrap().rows) in ([], [(1,)])  # unknown means either, never half
    finally:
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.disconnect()


def test_build_ctrl_c_in_the_cli_exits_130(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Build: Ctrl-C (KeyboardInterrupt) during a CLI command exits 130, one line, no
    traceback."""

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    for name in ("query", "query_one", "stream", "execute", "connect", "test_connection"):
        monkeypatch.setattr(FlextDbOracleApi, name, interrupted)
    sqlite3.connect(tmp_path / "c.db").close()
    url = f"sqlite:///{tmp_path / 'c.db'}"
    for args in (["query", "select 1"], ["execute", "select 1"], ["health"]):
        assert run(["--url", url, *args]) == 130, args
        err = capsys.readouterr().err
        assert "Traceback" not in err, err


@services
def test_build_ctrl_c_cancels_the_running_statement_and_exits_130(postgresql_url: str) -> None:
    """Build: SIGINT to `flext-db-oracle query "select pg_sleep(30)"` exits 130 at once
    and the statement no longer runs on the server."""
    import psycopg

    marker = f"item_ctrl_c_{time.time_ns()}"
    sql = f"select pg_sleep(30) as {marker}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLEXT_DB_ORACLE_")}

    def running() -> int:
        with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
            return admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                " AND datname = %s AND pid <> pg_backend_pid()",
                (database_of(postgresql_url),),
            ).fetchone()[0]

    child = subprocess.Popen(
        [sys.executable, "-m", "flext_db_oracle", "--url", postgresql_url, "query", sql],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        end = time.monotonic() + 15
        while not running() and time.monotonic() < end:
            assert child.poll() is None, child.communicate()
            time.sleep(0.1)
        assert running(), "the statement never started"
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=10)
        assert child.returncode == 130, (child.returncode, err)
        assert time.monotonic() - started < 5
        assert "Traceback" not in err, err
        end = time.monotonic() + 3
        while running() and time.monotonic() < end:
            time.sleep(0.1)
        assert not running(), "the statement still runs on the server after Ctrl-C"
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()


@services
def test_build_ctrl_c_cancels_the_running_statement_on_mariadb_too(mariadb_url: str) -> None:
    """Build: SIGINT to `flext-db-oracle query "select sleep(30)"` on MariaDB exits 130
    and the statement is killed on the server (`KILL QUERY` from a second connection)."""
    database = database_of(mariadb_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLEXT_DB_ORACLE_")}

    def running() -> int:
        with _mariadb_admin() as admin, admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.processlist"
                " WHERE db = %s AND command = 'Query' AND info LIKE 'select sleep%%'",
                (database,),
            )
            return int(cursor.fetchone()[0])

    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flext_db_oracle",
            "--url",
            mariadb_url,
            "query",
            "select sleep(30)",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        end = time.monotonic() + 15
        while not running() and time.monotonic() < end:
            assert child.poll() is None, child.communicate()
            time.sleep(0.1)
        assert running(), "the statement never started"
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=10)
        assert child.returncode == 130, (child.returncode, err)
        assert "Traceback" not in err, err
        end = time.monotonic() + 3
        while running() and time.monotonic() < end:
            time.sleep(0.1)
        assert not running(), "the statement still runs on the server after Ctrl-C"
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
