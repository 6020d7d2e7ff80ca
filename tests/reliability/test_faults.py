"""Network faults between the adapter and PostgreSQL/MariaDB, through the fault proxy.

Every operation ends within 1.2x its configured timeout (plus a small constant for the
thread that watches it) with `Failure(DbError)` of the right kind, never a raw
exception, never a hang; once the proxy heals, the next operation succeeds. Each call
runs in a thread joined with a timeout, so a missing timeout fails the test instead of
hanging the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flext_db_oracle import ErrorKind, FlextDbOracleApi
from flext_db_oracle.settings import load_settings
from returns.result import Success

from tests.reliability.fault_proxy import FaultProxy
from tests.reliability.support import Bounded, bounded, typed_failure

pytestmark = pytest.mark.services

BACKENDS = ["postgresql", "mariadb"]
CONNECT_TIMEOUT_S = 0.5
STATEMENT_TIMEOUT_S = 1.0
SLACK_S = 0.25  # the watching thread, the scheduler: the "+ small constant"
HANG_MARGIN_S = 1.5  # how much longer than the bound a call may run before it is a hang
# Rows big enough that a reset after a few KiB lands in the middle of the result.
BIG_RESULT_SQL = (
    "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500)"
    " SELECT n, REPEAT('x', 1000) AS filler FROM s"
)
SLEEP_SQL = {"postgresql": "SELECT pg_sleep(5)", "mariadb": "SELECT SLEEP(5)"}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def server_url(backend: str, request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{backend}_url")
    return url


@pytest.fixture
def proxy(server_url: str) -> Iterator[FaultProxy]:
    parts = urlsplit(server_url)
    with FaultProxy((parts.hostname or "127.0.0.1", parts.port or 0), lifetime_s=45) as running:
        yield running


def _facade(url: str, **settings: object) -> FlextDbOracleApi:
    options: dict[str, object] = {
        "connect_timeout_s": CONNECT_TIMEOUT_S,
        "statement_timeout_s": STATEMENT_TIMEOUT_S,
        "pool": {"size": 2, "max_overflow": 0, "timeout_s": 2.0},
    }
    options.update(settings)
    return FlextDbOracleApi.from_url(url, **options)


def _read_stream(db: FlextDbOracleApi, sql: str) -> object:
    """Open a stream and read it to the end inside `with` (closed whatever happens)."""
    opened = db.stream(sql, batch_size=50)
    if not isinstance(opened, Success):
        return opened
    with opened.unwrap() as stream:
        return Success(sum(len(batch) for batch in stream))


def _has_setting(db: FlextDbOracleApi, name: str) -> bool:
    return name in type(db.runtime.settings).model_fields


def _assert_bounded_failure(
    outcome: Bounded, limit_s: float, kinds: set[ErrorKind], what: str
) -> None:
    assert outcome.finished, f"{what}: {outcome.describe()} (bound {limit_s:.2f} s)"
    assert outcome.raised is None, f"{what}: a raw exception escaped: {outcome.describe()}"
    error = typed_failure(outcome.value)
    assert error.kind in kinds, f"{what}: kind {error.kind} ({error}), expected {kinds}"
    assert outcome.elapsed_s <= limit_s, (
        f"{what}: failed correctly but after {outcome.elapsed_s:.2f} s (bound {limit_s:.2f} s)"
    )


def _assert_next_call_succeeds(db: FlextDbOracleApi, what: str) -> None:
    outcome = bounded(lambda: db.query_one("SELECT 1"), 10)
    assert outcome.finished, f"{what}: the call after heal() hung"
    assert isinstance(outcome.value, Success), f"{what}: after heal(): {outcome.describe()}"


# --- connect -----------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["silent_accept", "black_hole"])
def test_connect_to_a_listener_that_never_answers_fails_within_the_connect_timeout(
    proxy: FaultProxy, server_url: str, fault: str
) -> None:
    db = _facade(proxy.url_for(server_url))
    # Build the adapter first (no network: its engine and dialect, ~0.15 s once per
    # process): the bound is on connecting, not on importing the driver.
    db.pool_stats().unwrap()
    getattr(proxy, fault)()
    limit = 1.2 * CONNECT_TIMEOUT_S + SLACK_S / 5
    try:
        outcome = bounded(db.connect, limit + HANG_MARGIN_S)
        _assert_bounded_failure(
            outcome, limit, {ErrorKind.TIMEOUT, ErrorKind.CONNECTION}, f"connect ({fault})"
        )
        proxy.heal()
        _assert_next_call_succeeds(db, f"connect ({fault})")
    finally:
        proxy.stop()  # unblocks a call still stuck on the proxy
        db.disconnect()


def test_sub_second_connect_timeout_is_kept_as_given(server_url: str) -> None:
    settings = load_settings(url=server_url, connect_timeout_s=0.3)
    assert settings.connect_timeout_s == 0.3


# --- statements ----------------------------------------------------------------------------


def test_statement_timeout_setting_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, server_url: str
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_STATEMENT_TIMEOUT_S", "0.75")
    settings = load_settings(url=server_url)
    assert getattr(settings, "statement_timeout_s", None) == 0.75, (
        "FLEXT_DB_ORACLE_STATEMENT_TIMEOUT_S is not a setting (statement_timeout_s missing)"
    )


@pytest.mark.parametrize("operation", ["query", "execute", "stream"])
def test_black_hole_mid_session_fails_with_timeout_within_the_statement_timeout(
    proxy: FaultProxy, server_url: str, operation: str
) -> None:
    db = _facade(proxy.url_for(server_url))
    try:
        assert isinstance(db.query_one("SELECT 1"), Success), "the proxy does not pass traffic"
        proxy.black_hole()
        calls = {
            "query": lambda: db.query("SELECT 1"),
            "execute": lambda: db.execute("SELECT 1"),
            "stream": lambda: _read_stream(db, "SELECT 1"),
        }
        limit = 1.2 * STATEMENT_TIMEOUT_S + SLACK_S
        outcome = bounded(calls[operation], limit + HANG_MARGIN_S)
        implemented = _has_setting(db, "statement_timeout_s")
        assert implemented or outcome.finished, (
            f"{operation} through a black hole {outcome.describe()}: "
            "statement_timeout_s is not implemented (no such setting)"
        )
        _assert_bounded_failure(outcome, limit, {ErrorKind.TIMEOUT}, f"{operation} (black hole)")
        proxy.heal()
        _assert_next_call_succeeds(db, f"{operation} (black hole)")
    finally:
        proxy.stop()
        db.disconnect()


def test_server_side_statement_timeout_is_honoured_as_given(backend: str, server_url: str) -> None:
    db = _facade(server_url, statement_timeout_s=0.5)
    try:
        limit = 1.2 * 0.5 + SLACK_S
        outcome = bounded(lambda: db.query(SLEEP_SQL[backend]), 7)
        assert outcome.finished
        assert not isinstance(outcome.value, Success), (
            f"a 5 s sleep with statement_timeout_s=0.5 {outcome.describe()}: no statement timeout"
        )
        _assert_bounded_failure(outcome, limit, {ErrorKind.TIMEOUT}, "a 5 s sleep, timeout 0.5 s")
        assert isinstance(db.query_one("SELECT 1"), Success)
    finally:
        db.disconnect()


# --- resets, latency, pool ------------------------------------------------------------------


@pytest.mark.parametrize("call", ["query", "query_one", "stream"])
def test_reset_mid_result_is_a_typed_connection_error(
    proxy: FaultProxy, server_url: str, call: str
) -> None:
    db = _facade(proxy.url_for(server_url))
    try:
        assert isinstance(db.query_one("SELECT 1"), Success)
        proxy.reset_after(4096)
        calls = {
            "query": lambda: db.query(BIG_RESULT_SQL),
            "query_one": lambda: db.query_one(BIG_RESULT_SQL),
            "stream": lambda: _read_stream(db, BIG_RESULT_SQL),
        }
        outcome = bounded(calls[call], 10)
        if call == "stream" and isinstance(outcome.raised, Exception):
            # A stream's batches cannot return a Result: it may raise, but only DbError.
            from flext_db_oracle import DbError

            assert isinstance(outcome.raised, DbError), outcome.describe()
            assert outcome.raised.kind is ErrorKind.CONNECTION, outcome.describe()
        else:
            _assert_bounded_failure(outcome, 10, {ErrorKind.CONNECTION}, f"{call} (reset)")
        assert proxy.stats.resets >= 1, "the proxy never reset a connection"
        proxy.heal()
        _assert_next_call_succeeds(db, f"{call} (reset)")
    finally:
        proxy.stop()
        db.disconnect()


def test_added_latency_still_succeeds(proxy: FaultProxy, server_url: str) -> None:
    proxy.latency(0.05)
    db = _facade(proxy.url_for(server_url), statement_timeout_s=5.0, connect_timeout_s=5.0)
    try:
        outcome = bounded(lambda: db.query(BIG_RESULT_SQL), 15)
        assert isinstance(outcome.value, Success), outcome.describe()
        assert len(outcome.value.unwrap().rows) == 500
        assert isinstance(db.query_one("SELECT 1"), Success)
        proxy.heal()
        _assert_next_call_succeeds(db, "latency")
    finally:
        proxy.stop()
        db.disconnect()


def test_exhausted_pool_fails_with_timeout_within_pool_timeout(server_url: str) -> None:
    db = _facade(server_url, pool={"size": 1, "max_overflow": 0, "timeout_s": 0.5})
    try:
        assert isinstance(db.query_one("SELECT 1"), Success)
        with db.transaction():  # holds the only connection
            db.query_one("SELECT 1")
            outcome = bounded(lambda: db.query_one("SELECT 1"), 0.6 + HANG_MARGIN_S)
        _assert_bounded_failure(outcome, 1.2 * 0.5 + SLACK_S, {ErrorKind.TIMEOUT}, "pool")
        assert isinstance(db.query_one("SELECT 1"), Success)
    finally:
        db.disconnect()
