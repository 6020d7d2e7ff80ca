"""Backends and contenders for the benchmarks: the same four workloads, three ways.

A *backend* is an isolated database (a temporary SQLite file, or a fresh
`flext_bench_<hex>` database on the local PostgreSQL / MariaDB server) holding
three tables with the same five columns (int, varchar, numeric, date, timestamp):

- `bench_10k`: 10,000 rows, read by `fetch_all` and `query_one`;
- `bench_100k`: 100,000 rows, read by `stream`;
- `bench_insert`: empty, the target of `execute_many` (emptied before every round).

A *contender* runs each workload one way:

- `raw`: the DBAPI driver alone (sqlite3, psycopg 3, pymysql) on one open connection,
  autocommit for the reads, one explicit transaction for the batch insert; the
  driver's server-side cursor for streaming where it has one;
- `sqlalchemy`: SQLAlchemy Core, `create_engine()` with its defaults and `text()`,
  one pooled connection borrowed per call (`engine.connect()` / `engine.begin()`);
- `facade`: `FlextDbOracleApi.from_url(...)` with its defaults, the public API only.

All three use the same driver and return the same Python types: on SQLite the raw
and SQLAlchemy connections get the adapter's own `detect_types` converters, so they
too return `date`, `datetime` and `Decimal`, as the facade does.

This module is loaded by `conftest.py` (pytest runs with `--import-mode=importlib`,
so the benchmarks directory is not a package on `sys.path`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle_sqlalchemy import sqlite_types
from sqlalchemy import Engine, create_engine, text

BACKENDS = ("sqlite", "postgresql", "mariadb")
CONTENDERS = ("raw", "sqlalchemy", "facade")

POSTGRESQL_ADMIN_URL = os.environ.get(
    "FLEXT_DB_ORACLE_BENCH_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
MARIADB_ADMIN_URL = os.environ.get(
    "FLEXT_DB_ORACLE_BENCH_MARIADB_URL", "mysql://root@127.0.0.1:3306/test"
)
CONNECT_TIMEOUT_S = 3

FETCH_ROWS = 10_000
INSERT_ROWS = 10_000
STREAM_ROWS = 100_000
STREAM_BATCH = 1_000
QUERY_ONE_ID = 4_242

COLUMNS = "id, name, amount, birth_date, created_at"
FETCH_ALL_SQL = f"SELECT {COLUMNS} FROM bench_10k"
QUERY_ONE_SQL = f"SELECT {COLUMNS} FROM bench_10k WHERE id = :id"
STREAM_SQL = f"SELECT {COLUMNS} FROM bench_100k"
INSERT_SQL = (
    "INSERT INTO {table} (id, name, amount, birth_date, created_at)"
    " VALUES (:id, :name, :amount, :birth_date, :created_at)"
)
INSERT_BENCH_SQL = INSERT_SQL.format(table="bench_insert")

_EPOCH = datetime(2020, 1, 1, 8, 30)


def make_rows(count: int) -> list[dict[str, Any]]:
    """`count` deterministic rows, as the named-bind dicts every contender accepts."""
    return [
        {
            "id": i,
            "name": f"customer-{i:07d}",
            "amount": Decimal(i % 1_000_000) / 100,
            "birth_date": (_EPOCH + timedelta(days=i % 20_000)).date(),
            "created_at": _EPOCH + timedelta(seconds=37 * i),
        }
        for i in range(1, count + 1)
    ]


def pyformat(sql: str) -> str:
    """`:name` binds rewritten as `%(name)s` (psycopg and pymysql)."""
    return re.sub(r":(\w+)", r"%(\1)s", sql)


class BackendUnavailableError(Exception):
    """The backend's server cannot be reached; the benchmarks for it are skipped."""


# --- backends ------------------------------------------------------------------------


@dataclass
class Backend:
    """One isolated database and how each contender reaches it."""

    name: str
    facade_url: str
    sqlalchemy_url: str
    sqlalchemy_connect_args: dict[str, Any]
    connect_raw: Callable[[], Any]
    truncate_sql: str
    drop: Callable[[], None] = field(repr=False)

    def truncate_insert_table(self) -> None:
        """Empty `bench_insert` (outside the timed region) before an `execute_many` round."""
        with closing(self.connect_raw()) as connection:
            connection.cursor().execute(self.truncate_sql)
            connection.commit()


def _create_tables(connection: Any, timestamp_type: str, paramstyle: Callable[[str], str]) -> None:
    cursor = connection.cursor()
    for table in ("bench_10k", "bench_100k", "bench_insert"):
        cursor.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(64) NOT NULL,"
            f" amount NUMERIC(12, 2) NOT NULL, birth_date DATE NOT NULL,"
            f" created_at {timestamp_type} NOT NULL)"
        )
    rows = make_rows(STREAM_ROWS)
    cursor.executemany(paramstyle(INSERT_SQL.format(table="bench_100k")), rows)
    cursor.executemany(paramstyle(INSERT_SQL.format(table="bench_10k")), rows[:FETCH_ROWS])
    connection.commit()


def open_sqlite(directory: Path) -> Backend:
    sqlite_types.register()  # what the facade's engine does; process-wide anyway
    path = directory / "bench.db"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, detect_types=sqlite_types.DETECT_TYPES)

    with closing(connect()) as connection:
        _create_tables(connection, "TIMESTAMP", lambda sql: sql)
    return Backend(
        name="sqlite",
        facade_url=f"sqlite:///{path}",
        sqlalchemy_url=f"sqlite:///{path}",
        sqlalchemy_connect_args={"detect_types": sqlite_types.DETECT_TYPES},
        connect_raw=connect,
        truncate_sql="DELETE FROM bench_insert",
        drop=lambda: path.unlink(missing_ok=True),
    )


def _database_name() -> str:
    return f"flext_bench_{uuid.uuid4().hex[:12]}"


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def _host_port(url: str, default_port: int) -> str:
    """Where the server is, never the credentials."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or default_port}"


def open_postgresql() -> Backend:
    import psycopg

    try:
        admin = psycopg.connect(
            POSTGRESQL_ADMIN_URL, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
        )
    except psycopg.Error as exc:
        raise BackendUnavailableError(
            f"PostgreSQL not reachable at {_host_port(POSTGRESQL_ADMIN_URL, 5432)}: {exc}"
        ) from None
    database = _database_name()
    with admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    url = _with_database(POSTGRESQL_ADMIN_URL, database)

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S)

    def drop() -> None:
        with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    try:
        with connect() as connection:
            _create_tables(connection, "TIMESTAMP", pyformat)
    except BaseException:
        drop()
        raise
    return Backend(
        name="postgresql",
        facade_url=url,
        sqlalchemy_url=url.replace("postgresql://", "postgresql+psycopg://", 1),
        sqlalchemy_connect_args={},
        connect_raw=connect,
        truncate_sql="TRUNCATE bench_insert",
        drop=drop,
    )


def _pymysql_arguments(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "charset": "utf8mb4",  # as the facade's engine sets it
        "connect_timeout": CONNECT_TIMEOUT_S,
    }


def open_mariadb() -> Backend:
    import pymysql

    arguments = _pymysql_arguments(MARIADB_ADMIN_URL)
    try:
        admin = pymysql.connect(**arguments, autocommit=True)
    except pymysql.Error as exc:
        raise BackendUnavailableError(
            f"MariaDB not reachable at {arguments['host']}:{arguments['port']}: {exc}"
        ) from None
    database = _database_name()
    with closing(admin):
        admin.cursor().execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    url = _with_database(MARIADB_ADMIN_URL, database)

    def connect() -> pymysql.Connection[Any]:
        return pymysql.connect(**arguments, database=database)

    def drop() -> None:
        with closing(pymysql.connect(**arguments, autocommit=True)) as connection:
            connection.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")

    try:
        with closing(connect()) as connection:
            # DATETIME: MariaDB's TIMESTAMP converts time zones and stops in 2038.
            _create_tables(connection, "DATETIME", pyformat)
    except BaseException:
        drop()
        raise
    return Backend(
        name="mariadb",
        facade_url=url,
        sqlalchemy_url=url.replace("mysql://", "mysql+pymysql://", 1) + "?charset=utf8mb4",
        sqlalchemy_connect_args={},
        connect_raw=connect,
        truncate_sql="TRUNCATE TABLE bench_insert",
        drop=drop,
    )


def open_backend(name: str, directory: Path) -> Backend:
    """Create and fill the backend's database; `BackendUnavailableError` if its server is down."""
    if name == "sqlite":
        return open_sqlite(directory)
    if name == "postgresql":
        return open_postgresql()
    if name == "mariadb":
        return open_mariadb()
    raise ValueError(f"unknown backend {name!r}")


# --- contenders ----------------------------------------------------------------------


class Contender(Protocol):
    def fetch_all(self) -> int: ...
    def query_one(self, key: int) -> tuple[Any, ...] | None: ...
    def stream(self) -> int: ...
    def execute_many(self, rows: list[dict[str, Any]]) -> int: ...
    def close(self) -> None: ...


class RawSqlite:
    """sqlite3 on one connection; reads need no transaction, the insert commits once."""

    def __init__(self, backend: Backend) -> None:
        self._connection: sqlite3.Connection = backend.connect_raw()

    def fetch_all(self) -> int:
        return len(self._connection.execute(FETCH_ALL_SQL).fetchall())

    def query_one(self, key: int) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._connection.execute(
            QUERY_ONE_SQL, {"id": key}
        ).fetchone()
        return row

    def stream(self) -> int:
        # sqlite3 has no server-side cursor; its cursor steps through the rows lazily.
        cursor = self._connection.execute(STREAM_SQL)
        count = 0
        while batch := cursor.fetchmany(STREAM_BATCH):
            count += len(batch)
        cursor.close()
        return count

    def execute_many(self, rows: list[dict[str, Any]]) -> int:
        with self._connection:  # commits
            cursor = self._connection.executemany(INSERT_BENCH_SQL, rows)
        return cursor.rowcount

    def close(self) -> None:
        self._connection.close()


class RawPsycopg:
    """psycopg 3: autocommit reads, a named (server-side) cursor for the stream."""

    def __init__(self, backend: Backend) -> None:
        self._connection = backend.connect_raw()
        self._connection.autocommit = True
        self._fetch_all = FETCH_ALL_SQL
        self._query_one = pyformat(QUERY_ONE_SQL)
        self._stream = STREAM_SQL
        self._insert = pyformat(INSERT_BENCH_SQL)

    def fetch_all(self) -> int:
        return len(self._connection.execute(self._fetch_all).fetchall())

    def query_one(self, key: int) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._connection.execute(
            self._query_one, {"id": key}
        ).fetchone()
        return row

    def stream(self) -> int:
        count = 0
        with (
            self._connection.transaction(),
            self._connection.cursor(name="bench_stream") as cursor,
        ):
            cursor.itersize = STREAM_BATCH
            cursor.execute(self._stream)
            while batch := cursor.fetchmany(STREAM_BATCH):
                count += len(batch)
        return count

    def execute_many(self, rows: list[dict[str, Any]]) -> int:
        with self._connection.transaction(), self._connection.cursor() as cursor:
            cursor.executemany(self._insert, rows)
            return len(rows)

    def close(self) -> None:
        self._connection.close()


class RawPyMySQL:
    """pymysql: autocommit reads, `SSCursor` (unbuffered) for the stream."""

    def __init__(self, backend: Backend) -> None:
        import pymysql.cursors

        self._sscursor = pymysql.cursors.SSCursor
        self._connection = backend.connect_raw()
        self._connection.autocommit(True)
        self._fetch_all = FETCH_ALL_SQL
        self._query_one = pyformat(QUERY_ONE_SQL)
        self._stream = STREAM_SQL
        self._insert = pyformat(INSERT_BENCH_SQL)

    def fetch_all(self) -> int:
        with self._connection.cursor() as cursor:
            cursor.execute(self._fetch_all)
            return len(cursor.fetchall())

    def query_one(self, key: int) -> tuple[Any, ...] | None:
        with self._connection.cursor() as cursor:
            cursor.execute(self._query_one, {"id": key})
            row: tuple[Any, ...] | None = cursor.fetchone()
            return row

    def stream(self) -> int:
        count = 0
        with self._connection.cursor(self._sscursor) as cursor:
            cursor.execute(self._stream)
            while batch := cursor.fetchmany(STREAM_BATCH):
                count += len(batch)
        return count

    def execute_many(self, rows: list[dict[str, Any]]) -> int:
        self._connection.begin()
        try:
            with self._connection.cursor() as cursor:
                count: int = cursor.executemany(self._insert, rows)
        except BaseException:
            self._connection.rollback()
            raise
        self._connection.commit()
        return count

    def close(self) -> None:
        self._connection.close()


class SqlAlchemyCore:
    """`create_engine()` defaults (QueuePool, no pre-ping) and `text()` statements."""

    def __init__(self, backend: Backend) -> None:
        self._engine: Engine = create_engine(
            backend.sqlalchemy_url, connect_args=backend.sqlalchemy_connect_args
        )

    def fetch_all(self) -> int:
        with self._engine.connect() as connection:
            return len(connection.execute(text(FETCH_ALL_SQL)).fetchall())

    def query_one(self, key: int) -> tuple[Any, ...] | None:
        with self._engine.connect() as connection:
            row = connection.execute(text(QUERY_ONE_SQL), {"id": key}).first()
            return None if row is None else tuple(row)

    def stream(self) -> int:
        count = 0
        with self._engine.connect() as connection:
            result = connection.execute(
                text(STREAM_SQL),
                execution_options={"stream_results": True, "max_row_buffer": STREAM_BATCH},
            )
            for batch in result.partitions(STREAM_BATCH):
                count += len(batch)
        return count

    def execute_many(self, rows: list[dict[str, Any]]) -> int:
        with self._engine.begin() as connection:
            connection.execute(text(INSERT_BENCH_SQL), rows)
        return len(rows)

    def close(self) -> None:
        self._engine.dispose()


class Facade:
    """`FlextDbOracleApi.from_url(url)` with default settings, public methods only."""

    def __init__(self, backend: Backend) -> None:
        self.api = FlextDbOracleApi.from_url(backend.facade_url)
        self.api.connect().unwrap()

    def fetch_all(self) -> int:
        return len(self.api.query(FETCH_ALL_SQL).unwrap().rows)

    def query_one(self, key: int) -> tuple[Any, ...] | None:
        return self.api.query_one(QUERY_ONE_SQL, {"id": key}).unwrap()

    def stream(self) -> int:
        count = 0
        with self.api.stream(STREAM_SQL, batch_size=STREAM_BATCH).unwrap() as stream:
            for batch in stream:
                count += len(batch)
        return count

    def execute_many(self, rows: list[dict[str, Any]]) -> int:
        return self.api.execute_many(INSERT_BENCH_SQL, rows).unwrap().rows_submitted

    def close(self) -> None:
        self.api.disconnect()


_RAW: dict[str, Callable[[Backend], Contender]] = {
    "sqlite": RawSqlite,
    "postgresql": RawPsycopg,
    "mariadb": RawPyMySQL,
}


def open_contenders(backend: Backend) -> dict[str, Contender]:
    return {
        "raw": _RAW[backend.name](backend),
        "sqlalchemy": SqlAlchemyCore(backend),
        "facade": Facade(backend),
    }
