"""Building a SQLAlchemy engine from the framework's settings.

Connections run in autocommit mode outside `transaction()`: a read is one round
trip, with no BEGIN/COMMIT around it and no reset on return to the pool. A
connection found dead is invalidated (with every pooled one opened before it), so
no per-call pre-ping is needed; `pool.pre_ping` turns it on for those who want it.
"""

from __future__ import annotations

from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.settings import DatabaseSettings
from flext_db_oracle.urls import DatabaseUrl
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from flext_db_oracle_sqlalchemy import sqlite_types
from flext_db_oracle_sqlalchemy.errors import ADAPTER

# Plain schemes get the driver shipped in this adapter's extras.
DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
    "oracle": "oracle+oracledb",
}
# Dialects whose connections this adapter runs in autocommit mode.
AUTOCOMMIT_DIALECTS = frozenset({"sqlite", "postgresql", "mysql", "mariadb", "oracle", "mssql"})


def to_sqlalchemy_url(url: DatabaseUrl) -> URL:
    scheme = url.scheme.lower()
    if scheme.endswith(f"+{ADAPTER}"):  # `sqlite+sqlalchemy://` names this adapter, not a driver
        scheme = url.backend
    scheme = DEFAULT_DRIVERS.get(scheme, scheme)
    query: dict[str, str] = dict(url.query)
    if url.backend in {"mysql", "mariadb"}:
        query.setdefault("charset", "utf8mb4")  # full Unicode, not MySQL's 3-byte utf8
    return URL.create(
        scheme,
        username=url.username,
        password=url.password.get_secret_value() if url.password else None,
        host=url.host,
        port=url.port,
        database=url.database,
        query=query,
    )


def _connect_args(backend: str, settings: DatabaseSettings) -> dict[str, Any]:
    timeout = settings.connect_timeout_s
    if backend == "sqlite":
        sqlite_types.register()
        return {"detect_types": sqlite_types.DETECT_TYPES, "timeout": timeout}
    if backend in {"postgresql", "postgres"}:
        return {"connect_timeout": max(1, round(timeout))}
    if backend in {"mysql", "mariadb"}:
        return {"connect_timeout": max(1, round(timeout))}
    return {}


def build_engine(settings: DatabaseSettings) -> tuple[Engine, bool]:
    """The engine for `settings`, and whether its connections run in autocommit mode."""
    url = settings.database_url()
    is_memory_sqlite = url.backend == "sqlite" and url.database in {None, ":memory:"}
    autocommit = url.backend in AUTOCOMMIT_DIALECTS or url.backend == "postgres"
    options: dict[str, Any] = {"pool_pre_ping": settings.pool.pre_ping}
    if autocommit:
        options |= {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None}
    if not is_memory_sqlite:  # in-memory SQLite uses a per-thread pool without sizes
        options |= {
            "pool_size": settings.pool.size,
            "max_overflow": settings.pool.max_overflow,
            "pool_timeout": settings.pool.timeout_s,
            "pool_recycle": settings.pool.recycle_s,
            # Last in, first out: sequential calls reuse the one warm connection (and its
            # server process) instead of cycling through the pool.
            "pool_use_lifo": True,
        }
    try:
        engine = create_engine(
            to_sqlalchemy_url(url), connect_args=_connect_args(url.backend, settings), **options
        )
    except NoSuchModuleError:
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"SQLAlchemy has no dialect or driver for URL scheme {url.scheme!r}"
            " (is its driver package installed?)",
            adapter=ADAPTER,
        ) from None
    except (ArgumentError, TypeError, ModuleNotFoundError) as exc:
        raise DbError(
            ErrorKind.CONFIGURATION, f"cannot configure {url}: {exc}", adapter=ADAPTER
        ) from None
    if url.backend == "sqlite":
        event.listen(engine, "connect", _enforce_foreign_keys)
    return engine, autocommit


def _enforce_foreign_keys(dbapi_connection: Any, _record: object) -> None:
    """SQLite checks foreign keys only when asked, per connection; users expect it to."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
