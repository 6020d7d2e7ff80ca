"""Throwaway databases on the machine's servers: created fresh, dropped afterwards.

The administrative URLs can be changed with `FLEXT_DB_ORACLE_TEST_POSTGRESQL_URL`
and `FLEXT_DB_ORACLE_TEST_MARIADB_URL`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from tests.support.services import require_service

POSTGRESQL_ADMIN_URL = os.environ.get(
    "FLEXT_DB_ORACLE_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
MARIADB_ADMIN_URL = os.environ.get(
    "FLEXT_DB_ORACLE_TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test"
)


def _new_database_name() -> str:
    return f"flext_test_{uuid.uuid4().hex[:12]}"


def _with_database(admin_url: str, database: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextmanager
def postgresql_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database; dropped on exit."""
    try:
        import psycopg
    except ImportError:
        require_service("psycopg is not installed (flext-db-oracle-sqlalchemy[postgresql])")
    shown = POSTGRESQL_ADMIN_URL.split("@")[-1]
    try:
        admin = psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        require_service(f"PostgreSQL is not reachable at {shown}: {' '.join(str(exc).split())}")
    name = _new_database_name()
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(POSTGRESQL_ADMIN_URL, name)
    finally:
        with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _mariadb_admin() -> Any:
    import pymysql

    parts = urlsplit(MARIADB_ADMIN_URL)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        connect_timeout=5,
        autocommit=True,
    )


@contextmanager
def mariadb_database() -> Iterator[str]:
    """The URL of a new, empty MariaDB database (utf8mb4); dropped on exit."""
    try:
        import pymysql
    except ImportError:
        require_service("PyMySQL is not installed (flext-db-oracle-sqlalchemy[mysql])")
    shown = MARIADB_ADMIN_URL.split("@")[-1]
    try:
        admin = _mariadb_admin()
    except pymysql.err.MySQLError as exc:
        require_service(f"MariaDB is not reachable at {shown}: {exc}")
    name = _new_database_name()
    with admin, admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        yield _with_database(MARIADB_ADMIN_URL, name)
    finally:
        with _mariadb_admin() as admin, admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
