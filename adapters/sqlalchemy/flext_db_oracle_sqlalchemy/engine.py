"""Building a SQLAlchemy engine from the framework's settings.

Connections run in autocommit mode outside `transaction()`: a read is one round
trip, with no BEGIN/COMMIT around it and no reset on return to the pool. A
connection found dead is invalidated (with every pooled one opened before it), so
no per-call pre-ping is needed; `pool.pre_ping` turns it on for those who want it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flext_db_oracle.edge import within_deadline
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


# URL query parameters each shipped driver understands. Any other is a configuration
# error naming it: drivers ignore (or warn about) what they do not know, and a
# misspelt `sslmode` must not silently connect without TLS.
KNOWN_PARAMETERS = {
    "sqlite": frozenset(
        {"mode", "cache", "uri", "timeout", "check_same_thread", "immutable", "vfs", "nolock"}
    ),
    "postgresql": frozenset(
        {
            "host", "hostaddr", "port", "dbname", "user", "password", "passfile",
            "channel_binding", "connect_timeout", "client_encoding", "options",
            "application_name", "fallback_application_name", "keepalives", "keepalives_idle",
            "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
            "gssencmode", "sslmode", "requiressl", "sslcompression", "sslcert", "sslkey",
            "sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni",
            "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version",
            "krbsrvname", "gsslib", "gssdelegation", "service", "target_session_attrs",
            "load_balance_hosts", "prepare_threshold",
        }
    ),
    "mysql": frozenset(
        {
            "charset", "ssl_ca", "ssl_cert", "ssl_key", "ssl_capath", "ssl_cipher",
            "ssl_check_hostname", "ssl_verify_cert", "ssl_verify_identity", "ssl_disabled",
            "local_infile", "client_flag", "read_default_file", "read_default_group",
            "unix_socket", "init_command", "sql_mode", "connect_timeout", "read_timeout",
            "write_timeout", "binary_prefix", "program_name", "server_public_key", "collation",
        }
    ),
}  # fmt: skip
KNOWN_PARAMETERS["postgres"] = KNOWN_PARAMETERS["postgresql"]
KNOWN_PARAMETERS["mariadb"] = KNOWN_PARAMETERS["mysql"]


def _check_parameters(url: DatabaseUrl) -> None:
    known = KNOWN_PARAMETERS.get(url.backend)
    if known is None:  # another SQLAlchemy dialect: its driver's business
        return
    unknown = sorted({name for name, _ in url.query} - known)
    if unknown:
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"unknown URL parameter{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(n) for n in unknown)} for {url.backend} "
            f"(the driver would ignore {'them' if len(unknown) > 1 else 'it'}; "
            f"known: {', '.join(sorted(known))})",
            adapter=ADAPTER,
        )


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
    """The driver's own bounds. Where they fall short (libpq rounds connect timeouts
    up to 2 s; PyMySQL's does not cover the handshake) a deadline on the Python side
    and a watchdog finish the job; these make the abandoned call end too."""
    timeout = settings.connect_timeout_s
    statement_ms = _milliseconds(settings.statement_timeout_s)
    if backend == "sqlite":
        sqlite_types.register()
        return {"detect_types": sqlite_types.DETECT_TYPES, "timeout": timeout}
    if backend in {"postgresql", "postgres"}:
        args: dict[str, Any] = {"connect_timeout": max(1, round(timeout))}
        if statement_ms:
            args["options"] = f"-c statement_timeout={statement_ms}"
        return args
    if backend in {"mysql", "mariadb"}:
        # read_timeout bounds the handshake; it is lifted once connected (see below).
        return {
            "connect_timeout": timeout,
            "read_timeout": timeout,
            "write_timeout": timeout,
            "conv": _mysql_conversions(),
        }
    return {}


def _mysql_conversions() -> dict[Any, Any]:
    """PyMySQL's conversions, with TIME read back as a `time` of day when it is one
    (PyMySQL gives a `timedelta`, so a bound `time` would not round-trip)."""
    from pymysql import converters  # type: ignore[import-untyped]
    from pymysql.constants import FIELD_TYPE  # type: ignore[import-untyped]

    conversions: dict[Any, Any] = dict(converters.conversions)
    conversions[FIELD_TYPE.TIME] = _time_of_day
    return conversions


def _time_of_day(text: Any) -> Any:
    from pymysql import converters

    value = converters.convert_timedelta(text)
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):
        return (datetime.min + value).time()
    return value  # beyond a day (MySQL TIME spans ±838 hours): a duration


def _milliseconds(seconds: float | None) -> int | None:
    return max(1, round(seconds * 1000)) if seconds else None


def build_engine(settings: DatabaseSettings) -> tuple[Engine, bool]:
    """The engine for `settings`, and whether its connections run in autocommit mode."""
    url = settings.database_url()
    _check_parameters(url)
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
    else:
        deadline = settings.connect_timeout_s
        where = f"{url.host or 'localhost'}:{url.port or 'default port'}"

        def connect_within_deadline(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
            return within_deadline(
                lambda: dialect.connect(*cargs, **cparams), deadline, where, ADAPTER
            )

        event.listen(engine, "do_connect", connect_within_deadline)
    if url.backend in {"mysql", "mariadb"}:
        event.listen(engine, "connect", _mysql_session(settings.statement_timeout_s))
    return engine, autocommit


def _mysql_session(statement_timeout_s: float | None) -> Any:
    """Once connected: statements bounded on the server (MariaDB `max_statement_time`,
    MySQL `max_execution_time`), and the socket read timeout that bounded the
    handshake lifted (a long statement is the server's to bound; a silent socket
    is the watchdog's)."""

    def prepare(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection._read_timeout = None  # PyMySQL keeps it here, per read
        if statement_timeout_s:
            cursor = dbapi_connection.cursor()
            is_mariadb = "mariadb" in dbapi_connection.get_server_info().lower()
            if is_mariadb:
                cursor.execute(f"SET SESSION max_statement_time = {statement_timeout_s:.3f}")
            else:
                cursor.execute(
                    f"SET SESSION max_execution_time = {_milliseconds(statement_timeout_s)}"
                )
            cursor.close()

    return prepare


def _enforce_foreign_keys(dbapi_connection: Any, _record: object) -> None:
    """SQLite checks foreign keys only when asked, per connection; users expect it to."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
