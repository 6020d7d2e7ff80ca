"""The SQLAlchemy adapter's edges: driver exceptions to `DbError`, URLs to driver URLs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flext_db_oracle import DatabaseUrl, DbError, ErrorKind, FlextDbOracleApi
from flext_db_oracle_sqlalchemy.engine import to_sqlalchemy_url
from flext_db_oracle_sqlalchemy.errors import to_db_error
from returns.result import Failure
from sqlalchemy import exc as sa_exc


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'errors.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL)"))
        connection.execute(sa.text("INSERT INTO t (id, s) VALUES (1, 'one')"))
    yield engine
    engine.dispose()


def _raised_by(engine: sa.Engine, sql: str, params: dict[str, object] | None = None) -> Exception:
    with pytest.raises(sa_exc.SQLAlchemyError) as raised, engine.begin() as connection:
        connection.execute(sa.text(sql), params or {})
    return raised.value


# --- error mapping on real sqlite3 exceptions ------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "kind", "code"),
    [
        ("SELECT * FROM missing", ErrorKind.NOT_FOUND, "SQLITE_ERROR"),
        ("SELEC 1", ErrorKind.QUERY, "SQLITE_ERROR"),
        ("SELECT nope FROM t", ErrorKind.QUERY, "SQLITE_ERROR"),
        ("INSERT INTO t (id, s) VALUES (1, 'again')", ErrorKind.INTEGRITY, None),
        ("INSERT INTO t (id, s) VALUES (2, NULL)", ErrorKind.INTEGRITY, None),
    ],
    ids=["missing-table", "syntax", "missing-column", "duplicate-key", "not-null"],
)
def test_sqlite_errors_map_to_kinds(
    engine: sa.Engine, sql: str, kind: ErrorKind, code: str | None
) -> None:
    error = to_db_error(_raised_by(engine, sql))

    assert isinstance(error, DbError)
    assert error.kind is kind
    assert error.adapter == "sqlalchemy"
    assert error.code is not None
    assert error.code.startswith("SQLITE_")
    if code is not None:
        assert error.code == code
    if kind is ErrorKind.INTEGRITY:
        assert error.code.startswith("SQLITE_CONSTRAINT")


def test_the_message_is_the_driver_line_without_sql_params_or_links(engine: sa.Engine) -> None:
    raised = _raised_by(
        engine, "INSERT INTO t (id, s) VALUES (:id, :s)", {"id": 1, "s": "bind-value-plugh"}
    )
    assert "bind-value-plugh" in str(raised)  # SQLAlchemy's own text shows the parameters

    error = to_db_error(raised)

    assert error.message == "UNIQUE constraint failed: t.id"
    assert "bind-value-plugh" not in str(error)
    assert "sqlalche.me" not in str(error)


def test_an_unopenable_database_file_is_a_connection_error_not_worth_retrying(
    tmp_path: Path,
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    try:
        with pytest.raises(sa_exc.OperationalError) as raised:
            engine.connect()
    finally:
        engine.dispose()

    error = to_db_error(raised.value)

    assert error.kind is ErrorKind.CONNECTION
    assert error.code == "SQLITE_CANTOPEN"
    assert error.retryable is False  # a missing directory does not appear by retrying


def test_a_locked_database_is_a_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    holder = sa.create_engine(url)
    waiter = sa.create_engine(url, connect_args={"timeout": 0})
    try:
        with holder.connect() as held:
            held.exec_driver_sql("CREATE TABLE x (id INTEGER)")
            held.commit()
            held.exec_driver_sql("BEGIN EXCLUSIVE")
            raised = _raised_by(waiter, "INSERT INTO x (id) VALUES (1)")
            held.rollback()
    finally:
        holder.dispose()
        waiter.dispose()

    error = to_db_error(raised)

    assert error.kind is ErrorKind.TIMEOUT
    assert error.retryable is True


def test_an_exhausted_pool_is_a_timeout(tmp_path: Path) -> None:
    engine = sa.create_engine(
        f"sqlite:///{tmp_path / 'pool.db'}",
        poolclass=sa.pool.QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.01,
    )
    try:
        with engine.connect(), pytest.raises(sa_exc.TimeoutError) as raised:
            engine.connect()
    finally:
        engine.dispose()

    assert to_db_error(raised.value).kind is ErrorKind.TIMEOUT


def test_detail_is_passed_through(engine: sa.Engine) -> None:
    error = to_db_error(_raised_by(engine, "SELEC 1"), row_index=3, table="t")

    assert dict(error.detail) == {"row_index": 3, "table": "t"}


def test_exceptions_without_a_driver_error_map_by_class() -> None:
    assert to_db_error(sa_exc.NoSuchTableError("t")).kind is ErrorKind.NOT_FOUND
    assert to_db_error(sa_exc.ArgumentError("bad")).kind is ErrorKind.QUERY
    assert to_db_error(sa_exc.NoSuchModuleError("x")).kind is ErrorKind.CONFIGURATION
    assert to_db_error(RuntimeError("?")).kind is ErrorKind.INTERNAL


# --- other drivers' exception classes (mapping logic only; the contract suite provokes them) ---


def _wrapped(orig: Exception, cls: type[sa_exc.DBAPIError] = sa_exc.DBAPIError) -> Exception:
    return cls("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("errno", "sqlstate", "cls", "kind", "retryable"),
    [
        (1146, "42S02", sa_exc.ProgrammingError, ErrorKind.NOT_FOUND, False),
        (1049, "42000", sa_exc.OperationalError, ErrorKind.NOT_FOUND, False),
        (1044, "42000", sa_exc.OperationalError, ErrorKind.AUTHORIZATION, False),
        (1045, "28000", sa_exc.OperationalError, ErrorKind.AUTHENTICATION, False),
        (1062, "23000", sa_exc.IntegrityError, ErrorKind.INTEGRITY, False),
        (1205, "HY000", sa_exc.OperationalError, ErrorKind.TIMEOUT, True),
        (1213, "40001", sa_exc.OperationalError, ErrorKind.QUERY, True),
        (1064, "42000", sa_exc.ProgrammingError, ErrorKind.QUERY, False),
        (2003, None, sa_exc.OperationalError, ErrorKind.CONNECTION, True),
    ],
)
def test_pymysql_errors_map_by_error_number_first(
    errno: int,
    sqlstate: str | None,
    cls: type[sa_exc.DBAPIError],
    kind: ErrorKind,
    retryable: bool,
) -> None:
    pymysql = pytest.importorskip("pymysql")
    driver_cls = {
        sa_exc.ProgrammingError: pymysql.err.ProgrammingError,
        sa_exc.OperationalError: pymysql.err.OperationalError,
        sa_exc.IntegrityError: pymysql.err.IntegrityError,
    }[cls]
    orig = driver_cls(errno, "message from the server")
    orig.sqlstate = sqlstate  # what PyMySQL >= 1.1.1 sets from the error packet

    error = to_db_error(_wrapped(orig, cls))

    assert error.kind is kind
    assert error.code == f"MYSQL-{errno}"
    assert error.retryable is retryable
    assert error.message == "message from the server"


@pytest.mark.parametrize(
    ("name", "kind", "retryable"),
    [
        ("UndefinedTable", ErrorKind.NOT_FOUND, False),
        ("InvalidSchemaName", ErrorKind.NOT_FOUND, False),
        ("UniqueViolation", ErrorKind.INTEGRITY, False),
        ("SyntaxError", ErrorKind.QUERY, False),
        ("InsufficientPrivilege", ErrorKind.AUTHORIZATION, False),
        ("InvalidPassword", ErrorKind.AUTHENTICATION, False),
        ("QueryCanceled", ErrorKind.TIMEOUT, True),
        ("SerializationFailure", ErrorKind.QUERY, True),
        ("DeadlockDetected", ErrorKind.QUERY, True),
        ("TooManyConnections", ErrorKind.CONNECTION, True),
    ],
)
def test_psycopg_errors_map_by_sqlstate(name: str, kind: ErrorKind, retryable: bool) -> None:
    psycopg = pytest.importorskip("psycopg")
    orig = getattr(psycopg.errors, name)("server says no")

    error = to_db_error(_wrapped(orig))

    assert error.kind is kind
    assert error.code == orig.sqlstate
    assert error.retryable is retryable


# --- URLs for SQLAlchemy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "drivername"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("mysql://u@h/db", "mysql+pymysql"),
        ("mariadb://u@h/db", "mariadb+pymysql"),
        ("oracle://u@h:1521/orcl", "oracle+oracledb"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_plain_schemes_get_the_adapters_default_driver(given: str, drivername: str) -> None:
    assert to_sqlalchemy_url(DatabaseUrl.parse(given)).drivername == drivername


def test_mysql_urls_default_to_full_unicode_unless_told_otherwise() -> None:
    assert to_sqlalchemy_url(DatabaseUrl.parse("mysql://u@h/db")).query == {"charset": "utf8mb4"}
    assert to_sqlalchemy_url(DatabaseUrl.parse("mariadb://u@h/db")).query["charset"] == "utf8mb4"
    kept = to_sqlalchemy_url(DatabaseUrl.parse("mysql://u@h/db?charset=latin1"))
    assert kept.query["charset"] == "latin1"
    assert "charset" not in to_sqlalchemy_url(DatabaseUrl.parse("postgresql://u@h/db")).query


def test_every_part_of_the_url_reaches_sqlalchemy() -> None:
    url = to_sqlalchemy_url(
        DatabaseUrl.parse("postgresql://sc%40tt:p%40ss@db.example:6543/sales?sslmode=require")
    )

    assert url.username == "sc@tt"
    assert url.password == "p@ss"
    assert url.host == "db.example"
    assert url.port == 6543
    assert url.database == "sales"
    assert url.query == {"sslmode": "require"}
    assert "p@ss" not in repr(url)  # SQLAlchemy masks it too


def test_sqlite_paths_reach_sqlalchemy_unchanged(tmp_path: Path) -> None:
    absolute = tmp_path / "abs.db"

    assert to_sqlalchemy_url(DatabaseUrl.parse(f"sqlite:///{absolute}")).database == str(absolute)
    assert to_sqlalchemy_url(DatabaseUrl.parse("sqlite:///rel.db")).database == "rel.db"
    assert to_sqlalchemy_url(DatabaseUrl.parse("sqlite://")).database is None


def test_a_scheme_without_a_sqlalchemy_dialect_is_a_configuration_error() -> None:
    db = FlextDbOracleApi.from_url("nosuchdialect://u@h/db")

    result = db.connect()

    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.CONFIGURATION
    assert "nosuchdialect" in result.failure().message
