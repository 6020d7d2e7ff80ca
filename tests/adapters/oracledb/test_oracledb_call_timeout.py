"""A per-call timeout on the Oracle adapters is python-oracledb's `call_timeout`, set for
the call and put back afterwards (no round trip)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flext_db_oracle_oracledb.query import _call_timeout


@dataclass
class Connection:
    call_timeout: int = 0


def test_the_call_timeout_is_set_for_the_call_and_restored() -> None:
    connection = Connection(call_timeout=30_000)

    with _call_timeout(connection, 0.25):
        assert connection.call_timeout == 250

    assert connection.call_timeout == 30_000


def test_it_is_restored_when_the_call_fails() -> None:
    connection = Connection(call_timeout=0)

    with pytest.raises(RuntimeError), _call_timeout(connection, 2):
        raise RuntimeError("ORA-03156: the call timed out")

    assert connection.call_timeout == 0


def test_no_timeout_leaves_the_connection_alone() -> None:
    connection = Connection(call_timeout=1_000)

    with _call_timeout(connection, None):
        assert connection.call_timeout == 1_000
