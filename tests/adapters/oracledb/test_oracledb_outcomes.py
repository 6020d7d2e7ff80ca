"""What a lost connection means for each kind of call: a write sent outside a transaction
(autocommit) has an unknown outcome, a read does not, an atomic batch never committed."""

from __future__ import annotations

from typing import Any

from flext_db_oracle.errors import ErrorKind
from flext_db_oracle_oracledb.query import OracleQuery
from flext_db_oracle_oracledb.settings import OracleDbSettings
from oracledb.errors import _Error
from returns.result import Failure


def lost_connection() -> BaseException:
    error = _Error("ORA-03113: end-of-file on communication channel", code=3113)
    return error.exc_type(error)


class _Cursor:
    def __init__(self, connection: _Connection) -> None:
        self.connection = connection
        self.arraysize = self.prefetchrows = 0
        self.rowcount = 0

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def close(self) -> None:
        return None

    def execute(self, statement: str, binds: Any) -> None:
        self.connection.sent.append(statement)
        raise lost_connection()

    def executemany(self, statement: str, rows: Any, **options: Any) -> None:
        self.connection.sent.append(statement)
        raise lost_connection()


class _Connection:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.autocommit = True
        self.rolled_back = False

    def cursor(self) -> _Cursor:
        return _Cursor(self)

    def rollback(self) -> None:
        self.rolled_back = True


class _Pool:
    def __init__(self) -> None:
        self.own = OracleDbSettings()
        self.connection = _Connection()
        self.released: list[bool] = []

    def acquire(self) -> _Connection:
        return self.connection

    def release(self, connection: _Connection, broken: bool = False) -> None:
        self.released.append(broken)


def query() -> tuple[OracleQuery, _Pool]:
    pool = _Pool()
    return OracleQuery(pool, "thin"), pool  # type: ignore[arg-type]


def test_a_lost_autocommit_write_has_an_unknown_outcome() -> None:
    port, pool = query()
    result = port.execute("UPDATE t SET a = 1")
    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.CONNECTION
    assert result.failure().outcome_unknown
    assert pool.released == [True]  # the broken session is dropped, never reused


def test_a_lost_read_is_only_retryable() -> None:
    port, _ = query()
    for result in (port.execute("SELECT 1 FROM dual"), port.fetch_all("SELECT 1 FROM dual")):
        assert isinstance(result, Failure)
        assert result.failure().retryable
        assert not result.failure().outcome_unknown


def test_a_lost_atomic_batch_was_not_committed() -> None:
    port, pool = query()
    result = port.execute_many("INSERT INTO t (a) VALUES (:a)", [{"a": 1}, {"a": 2}])
    assert isinstance(result, Failure)
    assert not result.failure().outcome_unknown
    assert result.failure().detail["row_index"] == 0
    assert pool.connection.rolled_back
    assert pool.connection.autocommit is True  # back in autocommit for the next user


def test_a_lost_collecting_batch_has_an_unknown_outcome() -> None:
    port, _ = query()
    result = port.execute_many("INSERT INTO t (a) VALUES (:a)", [{"a": 1}], on_error="collect")
    assert isinstance(result, Failure)
    assert result.failure().outcome_unknown


def test_an_empty_batch_sends_nothing() -> None:
    port, pool = query()
    assert port.execute_many("INSERT INTO t (a) VALUES (:a)", []).unwrap().rows_submitted == 0
    assert pool.connection.sent == []
