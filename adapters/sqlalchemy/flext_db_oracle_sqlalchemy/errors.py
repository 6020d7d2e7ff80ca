"""Mapping driver exceptions (raw DBAPI or wrapped by SQLAlchemy) onto `DbError`.

SQLSTATE (PostgreSQL), MySQL error numbers and SQLite's extended result codes
decide the kind where they exist; the DBAPI exception class decides otherwise.
Each table is tested case by case: a retry policy relies on `retryable`.
"""

from __future__ import annotations

from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind

ADAPTER = "sqlalchemy"

# SQLSTATE classes and codes (PostgreSQL, and any driver exposing `sqlstate`).
_SQLSTATE_CLASSES = {
    "08": ErrorKind.CONNECTION,
    "22": ErrorKind.QUERY,  # data exception
    "23": ErrorKind.INTEGRITY,
    "25": ErrorKind.QUERY,  # invalid transaction state
    "28": ErrorKind.AUTHENTICATION,
    "3D": ErrorKind.NOT_FOUND,  # invalid catalog (database) name
    "3F": ErrorKind.NOT_FOUND,  # invalid schema name
    "40": ErrorKind.QUERY,  # transaction rollback (serialization, deadlock): retryable
    "42": ErrorKind.QUERY,
    "53": ErrorKind.CONNECTION,  # insufficient resources
    "54": ErrorKind.QUERY,  # program limit exceeded
    "55": ErrorKind.QUERY,  # object not in prerequisite state
    "57": ErrorKind.CONNECTION,  # operator intervention (shutdown, crash)
    "58": ErrorKind.CONNECTION,  # system error
    "XX": ErrorKind.INTERNAL,
}
_SQLSTATE_CODES = {
    "42P01": ErrorKind.NOT_FOUND,  # undefined table
    "42883": ErrorKind.NOT_FOUND,  # undefined function
    "42501": ErrorKind.AUTHORIZATION,  # insufficient privilege
    "57014": ErrorKind.TIMEOUT,  # query canceled (statement timeout)
    "55P03": ErrorKind.TIMEOUT,  # lock not available (lock timeout)
    "25P03": ErrorKind.TIMEOUT,  # idle in transaction timeout
}
_RETRYABLE_SQLSTATES = frozenset(
    {"40001", "40P01", "57014", "55P03", "53300", "57P01", "57P02", "57P03"}
)
_NOT_RETRYABLE_SQLSTATES = frozenset({"53100", "53200"})  # disk full, out of memory

# MySQL / MariaDB error numbers. Server errors (< 2000, and MySQL's 3000+, MariaDB's
# 4000+) default to `query`; client errors (2000-2999) are about the connection.
_MYSQL_CODES = {
    1040: ErrorKind.CONNECTION,  # too many connections
    1044: ErrorKind.AUTHORIZATION,
    1045: ErrorKind.AUTHENTICATION,
    1049: ErrorKind.NOT_FOUND,  # unknown database
    1051: ErrorKind.NOT_FOUND,  # unknown table (drop)
    1146: ErrorKind.NOT_FOUND,  # table doesn't exist
    1305: ErrorKind.NOT_FOUND,  # procedure/function does not exist
    1142: ErrorKind.AUTHORIZATION,
    1143: ErrorKind.AUTHORIZATION,
    1227: ErrorKind.AUTHORIZATION,
    1048: ErrorKind.INTEGRITY,  # column cannot be null
    1062: ErrorKind.INTEGRITY,  # duplicate entry
    1364: ErrorKind.INTEGRITY,  # field has no default
    1216: ErrorKind.INTEGRITY,
    1217: ErrorKind.INTEGRITY,
    1451: ErrorKind.INTEGRITY,
    1452: ErrorKind.INTEGRITY,
    1557: ErrorKind.INTEGRITY,
    1586: ErrorKind.INTEGRITY,
    4025: ErrorKind.INTEGRITY,  # CHECK constraint failed (MariaDB)
    3819: ErrorKind.INTEGRITY,  # CHECK constraint failed (MySQL)
    1205: ErrorKind.TIMEOUT,  # lock wait timeout
    1969: ErrorKind.TIMEOUT,  # MariaDB max_statement_time exceeded
    3024: ErrorKind.TIMEOUT,  # MySQL max_execution_time exceeded
    1213: ErrorKind.QUERY,  # deadlock: retryable
    1927: ErrorKind.CONNECTION,  # connection killed
}
_RETRYABLE_MYSQL = frozenset({1040, 1205, 1213, 1927, 2002, 2003, 2006, 2013, 2055})
_MYSQL_NOT_RETRYABLE_CLIENT = frozenset({2005})  # unknown host: retrying will not help

# SQLite extended result codes (Python 3.11's `sqlite_errorname`).
_SQLITE_CODES = {
    "SQLITE_BUSY": ErrorKind.TIMEOUT,
    "SQLITE_LOCKED": ErrorKind.TIMEOUT,
    "SQLITE_CANTOPEN": ErrorKind.CONNECTION,
    "SQLITE_NOTADB": ErrorKind.CONNECTION,
    "SQLITE_CORRUPT": ErrorKind.INTERNAL,
    "SQLITE_FULL": ErrorKind.INTERNAL,
    "SQLITE_READONLY": ErrorKind.AUTHORIZATION,
    "SQLITE_PERM": ErrorKind.AUTHORIZATION,
    "SQLITE_AUTH": ErrorKind.AUTHORIZATION,
    "SQLITE_TOOBIG": ErrorKind.QUERY,
    "SQLITE_RANGE": ErrorKind.QUERY,
    "SQLITE_MISMATCH": ErrorKind.QUERY,
}
_SQLITE_MESSAGES = (
    ("no such table", ErrorKind.NOT_FOUND),
    ("unknown database", ErrorKind.NOT_FOUND),
    ("no such function", ErrorKind.NOT_FOUND),
)

# DBAPI (PEP 249) and SQLAlchemy exception class names, most specific first.
_BY_CLASS_NAME = (
    ("IntegrityError", ErrorKind.INTEGRITY),
    ("NoSuchTableError", ErrorKind.NOT_FOUND),
    ("NoSuchModuleError", ErrorKind.CONFIGURATION),
    ("TimeoutError", ErrorKind.TIMEOUT),
    ("NotSupportedError", ErrorKind.UNSUPPORTED),
    ("ProgrammingError", ErrorKind.QUERY),
    ("DataError", ErrorKind.QUERY),
    ("OperationalError", ErrorKind.CONNECTION),
    ("InterfaceError", ErrorKind.CONNECTION),
    ("ArgumentError", ErrorKind.QUERY),
    ("StatementError", ErrorKind.QUERY),
    ("OverflowError", ErrorKind.QUERY),
    ("UnicodeError", ErrorKind.QUERY),
    ("TypeError", ErrorKind.QUERY),
    ("ValueError", ErrorKind.QUERY),
)


def _driver_exception(exc: BaseException) -> BaseException:
    """The DBAPI exception: SQLAlchemy keeps it in `.orig`."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def _first_line(text: str) -> str:
    # SQLAlchemy appends "(Background on this error at: <link>)"; keep the message only.
    text = text.split("(Background on this error", 1)[0]
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else text.strip()


def _message(exc: BaseException) -> str:
    driver = _driver_exception(exc)
    args = getattr(driver, "args", ())
    if isinstance(args, tuple) and len(args) == 2 and isinstance(args[0], int):
        return _first_line(str(args[1])) or type(driver).__name__  # PyMySQL: (errno, message)
    return _first_line(str(driver)) or type(driver).__name__


def _by_class(exc: BaseException) -> ErrorKind:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return next((kind for name, kind in _BY_CLASS_NAME if name in names), ErrorKind.INTERNAL)


def _classify(exc: BaseException) -> tuple[ErrorKind, str | None, bool | None]:
    driver: Any = _driver_exception(exc)
    module = type(driver).__module__
    args = getattr(driver, "args", ())
    if module.startswith("pymysql") and args and isinstance(args[0], int):
        return _mysql(args[0])
    sqlstate = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)
    if isinstance(sqlstate, str) and sqlstate:
        kind = _SQLSTATE_CODES.get(sqlstate) or _SQLSTATE_CLASSES.get(sqlstate[:2])
        retryable = sqlstate in _RETRYABLE_SQLSTATES or (
            None if sqlstate not in _NOT_RETRYABLE_SQLSTATES else False
        )
        return kind or _by_class(driver), sqlstate, retryable
    if module.startswith("psycopg"):
        return _psycopg_without_sqlstate(driver)
    sqlite_name = getattr(driver, "sqlite_errorname", None)
    if sqlite_name is not None:
        return _sqlite(sqlite_name, driver)
    return _by_class(exc), None, None


def _mysql(errno: int) -> tuple[ErrorKind, str | None, bool | None]:
    kind = _MYSQL_CODES.get(errno)
    if kind is None:
        # 0: PyMySQL's own "the connection is gone" (InterfaceError(0, '')); 2000-2999:
        # client errors. MySQL's 3000+ and MariaDB's 4000+ are server errors again.
        kind = ErrorKind.CONNECTION if errno == 0 or 2000 <= errno < 3000 else ErrorKind.QUERY
    retryable = errno in _RETRYABLE_MYSQL or (
        kind is ErrorKind.CONNECTION and errno not in _MYSQL_NOT_RETRYABLE_CLIENT
    )
    return kind, f"MYSQL-{errno}", retryable


# What psycopg says when a connection attempt fails before any SQLSTATE exists.
_PSYCOPG_CONNECT_FAILURES = (
    ("password authentication failed", ErrorKind.AUTHENTICATION, "28P01"),
    ('role "', ErrorKind.AUTHENTICATION, "28000"),
    ("no password supplied", ErrorKind.AUTHENTICATION, "28000"),
    ('database "', ErrorKind.NOT_FOUND, "3D000"),
    ("timeout expired", ErrorKind.TIMEOUT, None),
)


def _psycopg_without_sqlstate(driver: BaseException) -> tuple[ErrorKind, str | None, bool | None]:
    text = str(driver)
    for needle, kind, code in _PSYCOPG_CONNECT_FAILURES:
        if needle in text and ("does not exist" in text or kind is not ErrorKind.NOT_FOUND):
            return kind, code, kind is ErrorKind.TIMEOUT
    return _by_class(driver), None, None


def _sqlite(name: str, driver: BaseException) -> tuple[ErrorKind, str | None, bool | None]:
    text = str(driver).lower()
    kind = _SQLITE_CODES.get(name)
    if kind is None:
        kind = next((k for needle, k in _SQLITE_MESSAGES if needle in text), None)
    if kind is None:
        kind = _by_class(driver)
        if kind is ErrorKind.CONNECTION:  # SQLite raises OperationalError for bad SQL too
            kind = ErrorKind.QUERY
    return kind, name, kind is ErrorKind.TIMEOUT


def to_db_error(exc: BaseException, **detail: Any) -> DbError:
    """The `DbError` for a driver exception (raw DBAPI, SQLAlchemy-wrapped, or a
    Python error a driver raised while converting a value).

    Bind values are never added; a server's own message may still quote one (a
    duplicate key), as it would to any client.
    """
    if isinstance(exc, DbError):
        return exc.from_adapter(ADAPTER)
    kind, code, retryable = _classify(exc)
    return DbError(
        kind, _message(exc), code=code, retryable=retryable, adapter=ADAPTER, detail=detail
    )
