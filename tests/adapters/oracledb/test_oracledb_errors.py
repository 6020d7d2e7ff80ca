"""The error table: python-oracledb's errors (built by the driver's own error class)
mapped to the core taxonomy by code, with true retryable flags."""

from __future__ import annotations

from typing import Any

import pytest
from flext_db_oracle.edge import ConnectionPinning
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle_oracledb.errors import CODES, classify, to_db_error
from oracledb.errors import _Error  # the driver's own error constructor


def driver_exception(message: str, code: int = 0) -> BaseException:
    """The exception python-oracledb raises for `message` (`ORA-03113: ...`)."""
    error = _Error(message, code=code)
    return error.exc_type(error)


def ora(number: int, text: str = "oracle says no") -> BaseException:
    return driver_exception(f"ORA-{number:05d}: {text}", code=number)


def dpy(number: int, text: str = "driver says no") -> BaseException:
    return driver_exception(f"DPY-{number}: {text}")


RETRYABLE_CONNECTION = [3113, 3114, 3135, 12541, 12514, 28, 1012, 1089, 1092, 12537, 12547]


@pytest.mark.parametrize("number", RETRYABLE_CONNECTION)
def test_lost_connections_are_retryable_connection_errors(number: int) -> None:
    error = to_db_error(ora(number))
    assert error.kind is ErrorKind.CONNECTION
    assert error.retryable is True
    assert error.code == f"ORA-{number:05d}"


def test_the_driver_code_over_an_oracle_code_is_kept_in_detail() -> None:
    error = to_db_error(ora(3113, "end-of-file on communication channel"))
    assert error.detail["driver_code"] == "DPY-4011"  # python-oracledb's cross-reference


@pytest.mark.parametrize(
    ("exception", "kind", "retryable"),
    [
        (ora(12170), ErrorKind.TIMEOUT, True),
        (dpy(4011), ErrorKind.CONNECTION, True),
        (dpy(6005), ErrorKind.CONNECTION, True),
        (dpy(4024), ErrorKind.TIMEOUT, True),
        (dpy(4005), ErrorKind.TIMEOUT, True),
        (ora(1017), ErrorKind.AUTHENTICATION, False),
        (ora(28000), ErrorKind.AUTHENTICATION, False),
        (ora(1031), ErrorKind.AUTHORIZATION, False),
        (ora(942), ErrorKind.NOT_FOUND, False),
        (ora(1), ErrorKind.INTEGRITY, False),
        (ora(2291), ErrorKind.INTEGRITY, False),
        (ora(12899), ErrorKind.INTEGRITY, False),
        (ora(60), ErrorKind.QUERY, True),
        (ora(8177), ErrorKind.QUERY, True),
        (ora(904), ErrorKind.QUERY, False),
        (ora(20001, "business rule"), ErrorKind.QUERY, False),
        (ora(12154), ErrorKind.CONFIGURATION, False),
        (dpy(4000), ErrorKind.CONFIGURATION, False),
        (dpy(2019), ErrorKind.CONFIGURATION, False),
        (dpy(3010), ErrorKind.CONFIGURATION, False),
        (dpy(3001), ErrorKind.UNSUPPORTED, False),
        (
            driver_exception("DPI-1047: Cannot locate a 64-bit Oracle Client library"),
            ErrorKind.CONFIGURATION,
            False,
        ),
        (ora(600), ErrorKind.INTERNAL, False),
    ],
)
def test_table_maps_codes_to_kinds(
    exception: BaseException, kind: ErrorKind, retryable: bool
) -> None:
    error = to_db_error(exception, "thin")
    assert (error.kind, error.retryable, error.adapter) == (kind, retryable, "thin")


def test_every_table_code_is_well_formed() -> None:
    for code in CODES:
        prefix, _, number = code.partition("-")
        assert prefix in {"ORA", "DPY", "DPI"}
        assert number.isdigit()
        assert len(number) == (5 if prefix == "ORA" else 4)


def test_unknown_codes_fall_back_on_the_driver_class() -> None:
    assert classify("ORA-99999") is None
    error = to_db_error(ora(99999))
    assert error.kind is ErrorKind.INTERNAL  # plain DatabaseError: nothing more is known
    assert error.code == "ORA-99999"


def test_cause_chain_decides_a_timeout() -> None:
    outer = dpy(6005, "cannot connect to database")
    outer.__cause__ = TimeoutError("timed out")
    assert to_db_error(outer).kind is ErrorKind.TIMEOUT


def test_hints_say_what_to_do() -> None:
    message = to_db_error(
        driver_exception("DPI-1047: Cannot locate a 64-bit Oracle Client")
    ).message
    assert "Instant Client" in message
    assert "FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR" in message
    assert "thick" in to_db_error(dpy(3015)).message
    assert "its own process" in to_db_error(dpy(2019)).message


def test_python_errors_around_the_driver() -> None:
    assert to_db_error(TimeoutError("x")).kind is ErrorKind.TIMEOUT
    assert to_db_error(ConnectionResetError("x")).kind is ErrorKind.CONNECTION
    assert to_db_error(TypeError("x")).kind is ErrorKind.QUERY
    same = DbError(ErrorKind.QUERY, "kept")
    assert to_db_error(same) is same


def test_help_links_are_left_out_of_messages() -> None:
    error = to_db_error(dpy(4011, "the database or network closed the connection"))
    assert "Help:" not in error.message


class _FailingCommit:
    def __init__(self, exception: BaseException) -> None:
        self.exception = exception

    def commit(self) -> None:
        raise self.exception


@pytest.mark.parametrize("exception", [ora(3113), dpy(4011), dpy(4024)])
def test_a_connection_lost_during_commit_is_outcome_unknown(exception: BaseException) -> None:
    connection = _FailingCommit(exception)
    pinning: ConnectionPinning[Any] = ConnectionPinning(
        acquire=lambda: connection,
        begin=lambda _c: None,
        commit=lambda c: c.commit(),
        rollback=lambda _c: None,
        release=lambda _c, _broken: None,
        map_error=to_db_error,
    )
    with pytest.raises(DbError) as caught, pinning.transaction():
        pass
    assert caught.value.outcome_unknown
    assert caught.value.retryable
