"""What differs per DBAPI driver on the hot path: cursors per row shape, streaming
cursors, starting a transaction on an autocommit connection, and bind checks.

SQLAlchemy manages the pool, dialects and introspection; statements go straight
to the DBAPI cursor, whose per-execution cost is the driver's alone.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from flext_db_oracle.edge.statements import Paramstyle
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.ports import RowShape
from sqlalchemy import Dialect

from flext_db_oracle_sqlalchemy.errors import ADAPTER

_SQLITE_DIGITS = 15  # SQLite keeps 15 significant digits of a NUMERIC value


@lru_cache(maxsize=256)
def named_row_type(columns: tuple[str, ...]) -> Callable[..., tuple[Any, ...]]:
    """A named-tuple class for `columns` (names that are no identifiers are renamed)."""
    return namedtuple("Row", columns, rename=True)


def columns_of(cursor: Any) -> tuple[str, ...]:
    return tuple(d[0] for d in cursor.description) if cursor.description else ()


class Driver:
    """Any DBAPI driver: autocommit through the dialect, shapes built after the fetch."""

    builds_shapes = False  # whether the driver's cursors build dict and named rows themselves
    style: Paramstyle | None = None  # None: the dialect's own
    rejects_nan = False  # whether a float NaN or infinity must be refused before binding
    bulk_style: Paramstyle | None = None  # the style for bulk inserts of tuples, if another
    # Bind values of these exact types travel unchanged: no check is needed.
    safe_types: frozenset[type] = frozenset(
        {type(None), bool, int, float, str, bytes, Decimal, date, datetime, time, timedelta}
    )

    def __init__(self, dialect: Dialect, *, autocommit: bool) -> None:
        self.dialect = dialect
        self.paramstyle: Paramstyle = self.style or dialect.paramstyle  # type: ignore[assignment]
        self.autocommit = autocommit

    # --- cursors -----------------------------------------------------------------------

    def cursor(self, connection: Any, shape: RowShape) -> Any:
        """A cursor that returns rows in `shape` (where the driver can do it itself)."""
        del shape
        return connection.cursor()

    def prepare(self, cursor: Any, shape: RowShape) -> None:
        """Called once the statement ran, before the first fetch."""

    def copy_statement(self, target: str, columns: str) -> str | None:
        """The bulk-copy statement for `target`, where the driver has one."""
        del target, columns
        return None

    def shaped(self, cursor: Any, rows: list[Any], shape: RowShape) -> list[Any]:
        """`rows` in `shape`, for drivers whose cursor could not build them."""
        if self.builds_shapes or shape == "tuple" or not rows:
            return rows
        columns = columns_of(cursor)
        if shape == "dict":
            return [dict(zip(columns, row, strict=True)) for row in rows]
        make = named_row_type(columns)
        return [make(*row) for row in rows]

    def stream_cursor(self, connection: Any, shape: RowShape, batch_size: int) -> Any:
        """A cursor that keeps the result on the server (where the driver can)."""
        cursor = self.cursor(connection, shape)
        cursor.arraysize = batch_size
        return cursor

    def stream_needs_transaction(self) -> bool:
        return False

    def socket_of(self, connection: Any) -> int | None:
        """The file descriptor of the connection's socket, for the watchdog to shut."""
        del connection
        return None

    def cancel(self, connection: Any, side_connection: Callable[[], Any]) -> bool:
        """Cancel the statement running on `connection` (from another thread); False
        when this driver cannot, and the connection has to be cut instead."""
        del connection, side_connection
        return False

    # --- transactions on an autocommit connection -------------------------------------

    def begin(self, connection: Any) -> None:
        if self.autocommit:
            self.dialect.set_isolation_level(
                connection, self.dialect.get_default_isolation_level(connection)
            )

    def end(self, connection: Any) -> None:
        """Back to autocommit once the transaction is over."""
        if self.autocommit:
            self.dialect.set_isolation_level(connection, "AUTOCOMMIT")

    # --- binds ---------------------------------------------------------------------------

    def check_value(self, name: str, value: Any) -> Any:
        """The value to bind, or a `DbError` saying why it cannot travel unchanged."""
        return _check_plain(name, value)


_PLAIN = (
    type(None), bool, int, float, str, bytes, bytearray, memoryview, Decimal,
    date, datetime, time, timedelta, UUID,
)  # fmt: skip
_PLAIN_TYPES = frozenset(_PLAIN)


def _check_plain(name: str, value: Any) -> Any:
    if type(value) in _PLAIN_TYPES or isinstance(value, _PLAIN):
        return value
    raise DbError(
        ErrorKind.QUERY,
        f"bind :{name} has a {type(value).__name__} value, which no column type holds "
        "(give int, float, Decimal, str, bytes, date, time, datetime, timedelta, bool or None)",
        adapter=ADAPTER,
        detail={"bind": name},
    )


class SqliteDriver(Driver):
    """sqlite3: row factories on the cursor; an explicit BEGIN in autocommit mode."""

    builds_shapes = True
    # Integers, floats and decimals are checked: SQLite keeps 64-bit integers, no NaN
    # and 15 significant digits.
    # Integers: sqlite3 itself refuses one beyond 64 bits (OverflowError, a typed `query`
    # error). Floats: NaN is checked apart (SQLite would store NULL); decimals are
    # checked: SQLite keeps 15 significant digits.
    safe_types = frozenset({type(None), bool, int, str, bytes, date, datetime})
    rejects_nan = True
    style: Paramstyle | None = "named"  # sqlite3 takes `:name` with a dict as it is
    bulk_style: Paramstyle | None = "qmark"  # and `?` with a tuple

    def prepare(self, cursor: Any, shape: RowShape) -> None:
        """Set the row factory once the statement has run (its columns are known)."""
        if shape == "tuple" or cursor.description is None:
            return
        columns = columns_of(cursor)
        if shape == "dict":
            cursor.row_factory = lambda _c, row: dict(zip(columns, row, strict=True))
        else:
            make = named_row_type(columns)
            cursor.row_factory = lambda _c, row: make(*row)

    def begin(self, connection: Any) -> None:
        connection.execute("BEGIN")

    def end(self, connection: Any) -> None:
        """sqlite3 in autocommit mode returns to it by itself after COMMIT/ROLLBACK."""

    def cancel(self, connection: Any, side_connection: Callable[[], Any]) -> bool:
        del side_connection  # sqlite3 interrupts in place, safely from another thread
        connection.interrupt()
        return True

    def check_value(self, name: str, value: Any) -> Any:
        if value is None or isinstance(value, str | bytes | datetime):
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            if not -(2**63) <= value < 2**63:
                raise DbError(
                    ErrorKind.QUERY,
                    f"bind :{name} is outside SQLite's 64-bit integer range",
                    adapter=ADAPTER,
                    detail={"bind": name},
                )
            return value
        if isinstance(value, float):
            if math.isnan(value):
                raise DbError(
                    ErrorKind.QUERY,
                    f"bind :{name} is NaN, which SQLite would store as NULL",
                    adapter=ADAPTER,
                    detail={"bind": name},
                )
            return value
        if isinstance(value, Decimal):
            return _sqlite_decimal(name, value)
        return _check_plain(name, value)


def _sqlite_decimal(name: str, value: Decimal) -> Decimal:
    """A decimal SQLite keeps exactly in a NUMERIC column, or a `DbError` saying why
    not: an integral value is stored as a 64-bit INTEGER, any other as a REAL that
    keeps 15 significant digits."""
    problem = None
    if not value.is_finite():
        problem = f"is {value}, which SQLite cannot store"
    elif value == value.to_integral_value():
        if not -(2**63) <= int(value) < 2**63:
            problem = "is an integer beyond SQLite's 64-bit range"
    elif len(value.as_tuple().digits) > _SQLITE_DIGITS:
        problem = (
            f"has {len(value.as_tuple().digits)} significant digits; SQLite keeps "
            f"{_SQLITE_DIGITS} in a NUMERIC column"
        )
    if problem is not None:
        raise DbError(
            ErrorKind.QUERY,
            f"bind :{name} {problem} (bind it as text to keep it as written)",
            adapter=ADAPTER,
            detail={"bind": name},
        )
    return value


class PsycopgDriver(Driver):
    """psycopg 3: row factories at fetch time, named (server-side) cursors for streams."""

    builds_shapes = True
    # Positional `%s` with a tuple: psycopg converts it with less work than `%(name)s`.
    style: Paramstyle | None = "format"

    def cursor(self, connection: Any, shape: RowShape) -> Any:
        if shape == "tuple":
            return connection.cursor()
        return connection.cursor(row_factory=_psycopg_factory(shape))

    def stream_cursor(self, connection: Any, shape: RowShape, batch_size: int) -> Any:
        factory = None if shape == "tuple" else _psycopg_factory(shape)
        options = {"row_factory": factory} if factory is not None else {}
        cursor = connection.cursor(name=f"flext_stream_{id(connection):x}", **options)
        cursor.itersize = batch_size
        return cursor

    def stream_needs_transaction(self) -> bool:
        return True  # a server-side cursor lives in a transaction

    def copy_statement(self, target: str, columns: str) -> str | None:
        return f"COPY {target} ({columns}) FROM STDIN"

    def socket_of(self, connection: Any) -> int | None:
        fd: int = connection.pgconn.socket
        return fd

    def cancel(self, connection: Any, side_connection: Callable[[], Any]) -> bool:
        del side_connection  # libpq sends its cancel request on a connection of its own
        connection.cancel()
        return True

    def begin(self, connection: Any) -> None:
        connection.execute("BEGIN")

    def end(self, connection: Any) -> None:
        """psycopg stays in autocommit: BEGIN opened the transaction, COMMIT/ROLLBACK
        closed it."""


def _psycopg_factory(shape: RowShape) -> Any:
    from psycopg import rows

    return rows.dict_row if shape == "dict" else rows.namedtuple_row


class PyMySqlDriver(Driver):
    """PyMySQL: dict and named cursors, unbuffered cursors for streams, aware datetimes
    refused (MySQL's DATETIME has no offset: the instant would shift silently)."""

    builds_shapes = True
    safe_types = frozenset({type(None), bool, int, str, bytes, Decimal, date, time, timedelta})
    rejects_nan = True
    style: Paramstyle | None = "format"  # positional: PyMySQL escapes a tuple directly

    def cursor(self, connection: Any, shape: RowShape) -> Any:
        return connection.cursor(_pymysql_cursor(shape, buffered=True))

    def stream_cursor(self, connection: Any, shape: RowShape, batch_size: int) -> Any:
        cursor = connection.cursor(_pymysql_cursor(shape, buffered=False))
        cursor.arraysize = batch_size
        return cursor

    def begin(self, connection: Any) -> None:
        # Autocommit off rather than BEGIN: a DDL statement commits implicitly in MySQL,
        # and the statements after it must still be in a transaction.
        connection.autocommit(False)

    def end(self, connection: Any) -> None:
        connection.autocommit(True)

    def socket_of(self, connection: Any) -> int | None:
        sock = getattr(connection, "_sock", None)
        return sock.fileno() if sock is not None else None

    def cancel(self, connection: Any, side_connection: Callable[[], Any]) -> bool:
        """`KILL QUERY` from a second connection: the statement stops, the session stays."""
        side = side_connection()
        try:
            with side.cursor() as cursor:
                cursor.execute(f"KILL QUERY {int(connection.thread_id())}")
        finally:
            side.close()
        return True

    def check_value(self, name: str, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            raise DbError(
                ErrorKind.QUERY,
                f"bind :{name} is a datetime with a time zone; MySQL/MariaDB DATETIME and "
                "TIMESTAMP keep no offset, so the instant would change (convert it to UTC "
                "and drop tzinfo, or store the offset in its own column)",
                adapter=ADAPTER,
                detail={"bind": name},
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise DbError(
                ErrorKind.QUERY,
                f"bind :{name} is {value}, which MySQL/MariaDB cannot store",
                adapter=ADAPTER,
                detail={"bind": name},
            )
        return super().check_value(name, value)


@lru_cache(maxsize=8)
def _pymysql_cursor(shape: RowShape, *, buffered: bool) -> Any:
    from pymysql import cursors  # type: ignore[import-untyped]

    if shape == "dict":
        return cursors.DictCursor if buffered else cursors.SSDictCursor
    if shape == "named":
        base = cursors.Cursor if buffered else cursors.SSCursor

        class NamedCursor(base):  # type: ignore[misc, valid-type]
            """Rows as named tuples, built as the driver converts each row."""

            def _conv_row(self, row: Sequence[Any]) -> Any:
                if row is None:
                    return None
                return named_row_type(columns_of(self))(*row)

        return NamedCursor
    return cursors.Cursor if buffered else cursors.SSCursor


def driver_for(dialect: Dialect, *, autocommit: bool) -> Driver:
    """The hot-path driver for `dialect`; the three this adapter ships get their own."""
    if autocommit and dialect.name == "sqlite" and dialect.driver == "pysqlite":
        return SqliteDriver(dialect, autocommit=autocommit)
    if autocommit and dialect.name == "postgresql" and dialect.driver == "psycopg":
        return PsycopgDriver(dialect, autocommit=autocommit)
    if autocommit and dialect.name in {"mysql", "mariadb"} and dialect.driver == "pymysql":
        return PyMySqlDriver(dialect, autocommit=autocommit)
    return Driver(dialect, autocommit=autocommit)
