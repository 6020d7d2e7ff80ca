"""Mapping SQLAlchemy and DBAPI exceptions onto the core's `DbError` taxonomy.

SQLSTATE (PostgreSQL), MySQL error numbers and SQLite's messages decide the
kind where they can; SQLAlchemy's exception class decides otherwise.
"""

from __future__ import annotations

from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from sqlalchemy import exc as sa_exc

ADAPTER = "sqlalchemy"

# SQLSTATE classes and codes (PostgreSQL, and any driver exposing `sqlstate`).
_SQLSTATE_CLASSES = {
    "08": ErrorKind.CONNECTION,
    "23": ErrorKind.INTEGRITY,
    "28": ErrorKind.AUTHENTICATION,
    "42": ErrorKind.QUERY,
    "53": ErrorKind.CONNECTION,
    "57": ErrorKind.CONNECTION,
}
_SQLSTATE_CODES = {
    "42P01": ErrorKind.NOT_FOUND,  # undefined table
    "3F000": ErrorKind.NOT_FOUND,  # invalid schema name
    "3D000": ErrorKind.NOT_FOUND,  # invalid catalog (database) name
    "42501": ErrorKind.AUTHORIZATION,
    "57014": ErrorKind.TIMEOUT,  # query canceled (statement timeout)
    "40001": ErrorKind.QUERY,  # serialization failure: retryable
    "40P01": ErrorKind.QUERY,  # deadlock: retryable
}
_RETRYABLE_SQLSTATES = {"40001", "40P01", "57014", "53300"}

# MySQL / MariaDB error numbers.
_MYSQL_CODES = {
    1044: ErrorKind.AUTHORIZATION,
    1045: ErrorKind.AUTHENTICATION,
    1049: ErrorKind.NOT_FOUND,  # unknown database
    1051: ErrorKind.NOT_FOUND,  # unknown table (drop)
    1146: ErrorKind.NOT_FOUND,  # table doesn't exist
    1142: ErrorKind.AUTHORIZATION,
    1205: ErrorKind.TIMEOUT,  # lock wait timeout
    1213: ErrorKind.QUERY,  # deadlock
    2002: ErrorKind.CONNECTION,
    2003: ErrorKind.CONNECTION,
    2006: ErrorKind.CONNECTION,
    2013: ErrorKind.CONNECTION,
}
_RETRYABLE_MYSQL = {1205, 1213, 2006, 2013}

_SQLITE_MESSAGES = (
    ("no such table", ErrorKind.NOT_FOUND),
    ("unknown database", ErrorKind.NOT_FOUND),
    ("unable to open database", ErrorKind.CONNECTION),
    ("database is locked", ErrorKind.TIMEOUT),
)

_BY_CLASS: tuple[tuple[type[Exception], ErrorKind], ...] = (
    (sa_exc.IntegrityError, ErrorKind.INTEGRITY),
    (sa_exc.InterfaceError, ErrorKind.CONNECTION),
    (sa_exc.OperationalError, ErrorKind.CONNECTION),
    (sa_exc.ProgrammingError, ErrorKind.QUERY),
    (sa_exc.DataError, ErrorKind.QUERY),
    (sa_exc.NotSupportedError, ErrorKind.UNSUPPORTED),
    (sa_exc.TimeoutError, ErrorKind.TIMEOUT),
    (sa_exc.NoSuchTableError, ErrorKind.NOT_FOUND),
    (sa_exc.NoSuchModuleError, ErrorKind.CONFIGURATION),
    (sa_exc.ArgumentError, ErrorKind.QUERY),
    (sa_exc.StatementError, ErrorKind.QUERY),
)


def _first_line(text: str) -> str:
    # SQLAlchemy appends "(Background on this error at: <link>)"; keep the message only.
    text = text.split("(Background on this error", 1)[0]
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else text.strip()


def _message(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        text = _first_line(str(orig))
        if isinstance(orig.args, tuple) and len(orig.args) == 2 and isinstance(orig.args[0], int):
            text = _first_line(str(orig.args[1]))  # PyMySQL: (errno, message)
        return text or type(orig).__name__
    return _first_line(str(exc)) or type(exc).__name__


def _classify(exc: Exception) -> tuple[ErrorKind, str | None, bool | None]:
    orig: Any = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    args = getattr(orig, "args", ())
    # MySQL error numbers first: they are finer than the SQLSTATE that PyMySQL (>= 1.1.1)
    # also reports (1146 "table doesn't exist" is 42S02, 1044/1142 refusals are 42000).
    if args and isinstance(args[0], int) and type(orig).__module__.startswith("pymysql"):
        errno = args[0]
        kind = _MYSQL_CODES.get(errno) or _sqlstate_kind(sqlstate) or _by_class(exc)
        retryable = errno in _RETRYABLE_MYSQL or sqlstate in _RETRYABLE_SQLSTATES
        return kind, f"MYSQL-{errno}", retryable or None
    if isinstance(sqlstate, str) and sqlstate:
        kind = _sqlstate_kind(sqlstate) or _by_class(exc)
        return kind, sqlstate, sqlstate in _RETRYABLE_SQLSTATES or None
    sqlite_name = getattr(orig, "sqlite_errorname", None)
    if sqlite_name is not None:
        text = str(orig).lower()
        matched = next((k for needle, k in _SQLITE_MESSAGES if needle in text), None)
        if matched is None:
            matched = _by_class(exc)
            if matched is ErrorKind.CONNECTION:  # SQLite raises OperationalError for bad SQL too
                matched = ErrorKind.QUERY
        return matched, sqlite_name, None
    return _by_class(exc), None, None


def _sqlstate_kind(sqlstate: object) -> ErrorKind | None:
    if not isinstance(sqlstate, str) or not sqlstate:
        return None
    return _SQLSTATE_CODES.get(sqlstate) or _SQLSTATE_CLASSES.get(sqlstate[:2])


def _by_class(exc: Exception) -> ErrorKind:
    return next((kind for cls, kind in _BY_CLASS if isinstance(exc, cls)), ErrorKind.INTERNAL)


def to_db_error(exc: Exception, **detail: Any) -> DbError:
    """The `DbError` for a SQLAlchemy or DBAPI exception.

    Bind values are never added; a server's own message may still quote one (a
    duplicate key), as it would to any client.
    """
    kind, code, retryable = _classify(exc)
    return DbError(
        kind, _message(exc), code=code, retryable=retryable, adapter=ADAPTER, detail=detail
    )
