"""Each session says who it is and sets its formats once; each acquired connection is
in autocommit with the adapter's type handler and call timeout (stub pool, no server)."""

from __future__ import annotations

from typing import Any

from flext_db_oracle.settings import load_settings
from flext_db_oracle_oracledb import sql
from flext_db_oracle_oracledb.adapter import create_thin
from flext_db_oracle_oracledb.settings import OracleDbSettings


class _Cursor:
    def __init__(self, executed: list[str]) -> None:
        self.executed = executed

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def execute(self, statement: str) -> None:
        self.executed.append(statement)


class _Connection:
    def __init__(self) -> None:
        self.executed: list[str] = []
        self.module: str | None = None
        self.action: str | None = None
        self.client_identifier: str | None = None
        self.autocommit = False
        self.outputtypehandler: Any = None
        self.call_timeout = 0

    def cursor(self) -> _Cursor:
        return _Cursor(self.executed)


class _DriverPool:
    def __init__(self, connection: _Connection) -> None:
        self.connection = connection
        self.opened = 1
        self.released: list[Any] = []
        self.dropped: list[Any] = []

    def acquire(self) -> _Connection:
        return self.connection

    def release(self, connection: Any) -> None:
        self.released.append(connection)

    def drop(self, connection: Any) -> None:
        self.dropped.append(connection)


def test_a_new_session_names_itself_and_sets_its_formats_in_one_statement() -> None:
    own = OracleDbSettings(action="nightly", client_identifier="etl@host", module="loader")
    adapter = create_thin(load_settings(url="oracle://u@127.0.0.1:9/svc"), own)
    connection = _Connection()
    adapter.pool._new_session(connection, None)
    assert (connection.module, connection.action, connection.client_identifier) == (
        "loader",
        "nightly",
        "etl@host",
    )
    assert connection.executed == [sql.session_setup("UTC")]


def test_acquired_connections_are_ready_and_go_back_or_are_dropped() -> None:
    own = OracleDbSettings(call_timeout_s=2.5)
    adapter = create_thin(load_settings(url="oracle://u@127.0.0.1:9/svc"), own)
    connection = _Connection()
    driver_pool = _DriverPool(connection)
    adapter.pool._pool = driver_pool  # an open pool with a session: no deadline thread
    acquired = adapter.pool.acquire()
    assert acquired is connection
    assert connection.autocommit is True
    assert callable(connection.outputtypehandler)
    assert connection.call_timeout == 2500
    adapter.pool.release(connection)
    adapter.pool.release(connection, broken=True)
    assert driver_pool.released == [connection]
    assert driver_pool.dropped == [connection]


def test_release_never_raises_on_a_closed_pool() -> None:
    adapter = create_thin(load_settings(url="oracle://u@127.0.0.1:9/svc"))

    class Closed(_DriverPool):
        def release(self, connection: Any) -> None:
            raise RuntimeError("pool closed")

    adapter.pool._pool = Closed(_Connection())
    adapter.pool.release(_Connection())  # logged, not raised
