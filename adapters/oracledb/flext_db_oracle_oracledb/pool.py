"""One python-oracledb pool per adapter, opened on first use.

Connections come out in autocommit mode (a read is one round trip, a write
commits with its own round trip) with the adapter's output type handler. The
pool pings only sessions idle longer than `ping_interval_s`: never per call.
The first connection is bounded by the connect timeout on this side too: a
listener that accepts and never answers holds the driver past any
`tcp_connect_timeout`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import PoolStats
from flext_db_oracle.settings import DatabaseSettings

from flext_db_oracle_oracledb import sql
from flext_db_oracle_oracledb.connect import ConnectSpec
from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.settings import OracleDbSettings
from flext_db_oracle_oracledb.types import output_type_handler, parse_time_zone

_log = logging.getLogger("flext_db_oracle_oracledb.pool")

# The settings' privilege names to python-oracledb's `AuthMode` members.
AUTH_MODES = {
    "sysdba": "SYSDBA",
    "sysoper": "SYSOPER",
    "sysbackup": "SYSBKP",
    "sysdg": "SYSDGD",
    "syskm": "SYSKMT",
    "sysasm": "SYSASM",
}


class _Outcome:
    """What a worker thread hands back: a value or an exception."""

    def __init__(self) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()


def within_deadline(call: Any, seconds: float, what: str, adapter: str) -> Any:
    """`call()` in a daemon thread, waited for at most `seconds`; past that a `timeout`
    DbError. The abandoned call ends with its socket; a daemon thread never blocks exit."""
    outcome = _Outcome()

    def run() -> None:
        try:
            outcome.value = call()
        except BaseException as exc:
            outcome.error = exc
        finally:
            outcome.done.set()

    threading.Thread(target=run, name="flext-db-oracle-connect", daemon=True).start()
    if not outcome.done.wait(seconds):
        raise DbError(
            ErrorKind.TIMEOUT,
            f"no answer from {what} within the connect timeout of {seconds:g} s "
            "(FLEXT_DB_ORACLE_CONNECT_TIMEOUT_S)",
            retryable=True,
            adapter=adapter,
        )
    if outcome.error is not None:
        raise _without_frames(outcome.error)
    return outcome.value


def _without_frames(error: BaseException) -> BaseException:
    """`error` and its causes without their tracebacks: the worker thread's frames hold
    the driver's socket, which then closes now rather than when the error is dropped."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return error


class SessionPool:
    """The adapter's pool and the life cycle of its connections."""

    def __init__(
        self,
        spec: ConnectSpec,
        settings: DatabaseSettings,
        own: OracleDbSettings,
        *,
        adapter: str,
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.own = own
        self.adapter = adapter
        self._pool: Any = None
        self._lock = threading.Lock()
        self._closed = False
        zone = parse_time_zone(own.session_time_zone)
        self._handler = output_type_handler(
            exact_numbers=own.number_as == "exact",
            lob_inline_limit=own.lob_inline_limit,
            session_zone=zone,
        )
        self._session_setup = sql.session_setup(own.session_time_zone)

    # --- the pool ---------------------------------------------------------------

    def _pool_arguments(self) -> dict[str, Any]:
        import oracledb

        own, pool = self.own, self.settings.pool
        arguments: dict[str, Any] = {
            **self.spec.options,
            "dsn": self.spec.dsn,
            "user": self.spec.user,
            "password": self.spec.password.get_secret_value() if self.spec.password else None,
            "min": own.pool_min,
            "max": max(pool.size + pool.max_overflow, own.pool_min, 1),
            "increment": own.pool_increment,
            "getmode": oracledb.POOL_GETMODE_TIMEDWAIT,
            "wait_timeout": int(pool.timeout_s * 1000),
            "ping_interval": own.ping_interval_s,
            "max_lifetime_session": (
                own.max_lifetime_session_s
                if own.max_lifetime_session_s is not None
                else max(pool.recycle_s, 0)
            ),
            "purity": getattr(oracledb.Purity, own.purity.upper()),
            "session_callback": self._new_session,
        }
        if self.spec.wallet_password is not None:
            arguments["wallet_password"] = self.spec.wallet_password.get_secret_value()
        if own.mode != "default":
            arguments["mode"] = getattr(oracledb.AuthMode, AUTH_MODES[own.mode])
        return arguments

    def _open(self) -> Any:
        """The pool, created on first use. Creation runs outside the lock: a thick-mode
        pool may wait on the network, and a caller that gave up must not block others."""
        with self._lock:
            self._check_open()
            if self._pool is not None:
                return self._pool
        import oracledb

        try:
            created = oracledb.create_pool(**self._pool_arguments())
        except Exception as exc:
            raise to_db_error(exc, self.adapter) from None
        with self._lock:
            if self._pool is None and not self._closed:
                self._pool = created
                return created
            current = self._pool
        created.close(force=True)  # another caller won the race, or the adapter closed
        with self._lock:
            self._check_open()
        return current

    def _check_open(self) -> None:
        if self._closed:
            raise DbError(
                ErrorKind.CONNECTION,
                "the connection pool was closed",
                retryable=False,
                adapter=self.adapter,
            )

    def _new_session(self, connection: Any, _requested_tag: Any) -> None:
        """Once per new session: who we are in V$SESSION, and the session formats."""
        connection.module = self.own.module
        if self.own.action is not None:
            connection.action = self.own.action
        if self.own.client_identifier is not None:
            connection.client_identifier = self.own.client_identifier
        with connection.cursor() as cursor:
            cursor.execute(self._session_setup)

    # --- connections ------------------------------------------------------------

    def acquire(self) -> Any:
        """A connection in autocommit mode; raises `DbError`."""
        pool = self._pool
        try:
            if pool is None or pool.opened == 0:  # a new session must be made: bound it
                connection = within_deadline(
                    lambda: self._open().acquire(),
                    self.settings.connect_timeout_s,
                    self.spec.described(),
                    self.adapter,
                )
            else:
                connection = pool.acquire()
        except DbError as error:
            if error.kind is ErrorKind.TIMEOUT and error.code is None:
                self._abandon()
            raise
        except Exception as exc:
            raise to_db_error(exc, self.adapter) from None
        connection.autocommit = True
        connection.outputtypehandler = self._handler
        if self.own.call_timeout_s is not None:
            connection.call_timeout = int(self.own.call_timeout_s * 1000)
        return connection

    def release(self, connection: Any, broken: bool = False) -> None:
        """Give `connection` back, or drop it when `broken`. Never raises: a pool closed
        meanwhile, or a session already gone, leaves nothing to give back."""
        pool = self._pool
        try:
            if pool is None:
                connection.close()
            elif broken:
                pool.drop(connection)
            else:
                pool.release(connection)
        except Exception as exc:
            _log.debug("releasing a connection failed: %s", to_db_error(exc, self.adapter))

    def _abandon(self) -> None:
        """Forget a pool whose first session never came: the next call starts afresh
        (the abandoned attempt ends with its socket, in its daemon thread)."""
        with self._lock:
            self._pool = None

    # --- reporting and closing --------------------------------------------------

    def stats(self) -> PoolStats:
        pool = self._pool
        if pool is None:
            return PoolStats(size=0, checked_out=0, overflow=0, description="not opened yet")
        opened, busy = pool.opened, pool.busy
        return PoolStats(
            size=opened,
            checked_out=busy,
            overflow=max(opened - self.settings.pool.size, 0),
            description=(
                f"python-oracledb {'thin' if pool.thin else 'thick'} pool: {opened} open, "
                f"{busy} busy, min {pool.min}, max {pool.max}, increment {pool.increment}, "
                f"ping after {pool.ping_interval} s idle, wait {pool.wait_timeout} ms"
            ),
        )

    def close(self) -> None:
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.close(force=True)
