"""Observability never changes a result: failing hooks and log sinks, streams, transactions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi, hookimpl
from flext_db_oracle.observability import StatementContext, StatementOutcome
from returns.result import Failure, Success


class BrokenAfter:
    @hookimpl
    def after_execute(self, context: StatementContext, outcome: StatementOutcome) -> None:
        raise RuntimeError("metrics backend is down")


class BrokenOnError:
    @hookimpl
    def on_error(self, context: StatementContext, error: DbError) -> None:
        raise RuntimeError("alerting is down")


class BrokenBefore:
    @hookimpl
    def before_execute(self, context: StatementContext) -> None:
        raise KeyError("policy bug")


class Collector:
    def __init__(self) -> None:
        self.after: list[tuple[StatementContext, StatementOutcome]] = []

    @hookimpl
    def after_execute(self, context: StatementContext, outcome: StatementOutcome) -> None:
        self.after.append((context, outcome))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'isolation.db'}"


def test_a_raising_after_execute_hook_leaves_the_result_and_other_plugins_alone(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    collector = Collector()
    broken = BrokenAfter()
    db = FlextDbOracleApi.from_url(db_url, plugins=(broken, collector))
    try:
        first = db.query("SELECT 1 AS one")
        second = db.query("SELECT 2 AS two")
    finally:
        db.disconnect()

    assert first.unwrap().scalar() == 1
    assert second.unwrap().scalar() == 2
    assert len(collector.after) == 2  # the other plugin still ran, both times
    name = str(db.runtime.plugin_manager.get_name(broken))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and name in r.message]
    assert len(warnings) == 1  # once per plugin and hook in a process
    assert "after_execute" in warnings[0].message
    assert "metrics backend is down" in warnings[0].message


def test_a_raising_on_error_hook_leaves_the_failure_as_it_was(db_url: str) -> None:
    db = FlextDbOracleApi.from_url(db_url, plugins=(BrokenOnError(),))
    try:
        result = db.query("SELECT * FROM no_such_table")
    finally:
        db.disconnect()

    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.NOT_FOUND


def test_a_before_execute_hook_that_crashes_refuses_as_internal_naming_the_plugin(
    db_url: str,
) -> None:
    broken = BrokenBefore()
    db = FlextDbOracleApi.from_url(db_url, plugins=(broken,))
    try:
        result = db.query("SELECT 1")
    finally:
        db.disconnect()

    assert isinstance(result, Failure)
    error = result.failure()
    assert error.kind is ErrorKind.INTERNAL
    assert str(db.runtime.plugin_manager.get_name(broken)) in error.message
    assert "before_execute" in error.message


class _ClosedStream:
    def write(self, _text: str) -> int:
        raise ValueError("I/O operation on closed file.")

    def flush(self) -> None:
        raise ValueError("I/O operation on closed file.")


@pytest.fixture
def broken_sink() -> Iterator[None]:
    """structlog configured onto a stream that fails, as pytest's closed stderr did."""
    previous = structlog.get_config() if structlog.is_configured() else None
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=_ClosedStream()))
    yield
    structlog.reset_defaults()
    if previous is not None:
        structlog.configure(**previous)


@pytest.mark.usefixtures("broken_sink")
def test_a_failing_log_sink_never_reaches_the_caller(db_url: str) -> None:
    db = FlextDbOracleApi.from_url(db_url, slow_statement_ms=0)  # every statement logs
    try:
        ok = db.query("SELECT 1 AS one")
        failed = db.query("SELECT * FROM nowhere")
    finally:
        db.disconnect()

    assert ok == Success(ok.unwrap())
    assert ok.unwrap().scalar() == 1
    assert isinstance(failed, Failure)
    assert failed.failure().kind is ErrorKind.NOT_FOUND


# --- streams and transactions ------------------------------------------------------------


@pytest.mark.usefixtures("stdlib_logging")
def test_a_stream_is_logged_once_at_close_with_its_rows_and_duration(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    collector = Collector()
    db = FlextDbOracleApi.from_url(db_url, plugins=(collector,))
    db.execute("CREATE TABLE numbers (n INTEGER)").unwrap()
    db.execute_many(
        "INSERT INTO numbers (n) VALUES (:n)", [{"n": i} for i in range(10_000)]
    ).unwrap()
    collector.after.clear()
    caplog.set_level(logging.DEBUG, logger="flext_db_oracle.statement")
    try:
        with db.stream("SELECT n FROM numbers", batch_size=700).unwrap() as stream:
            delivered = sum(len(batch) for batch in stream)
    finally:
        db.disconnect()

    assert delivered == 10_000
    assert [(c.operation, o.rowcount) for c, o in collector.after] == [("stream", 10_000)]
    assert collector.after[0][1].duration_ms > 0
    lines = [r.getMessage() for r in caplog.records if "operation='stream'" in r.getMessage()]
    assert len(lines) == 1
    assert "rows=10000" in lines[0]
    assert "duration_ms=" in lines[0]


def _insert_then_fail(db: FlextDbOracleApi) -> None:
    with db.transaction():
        db.execute("INSERT INTO tx (id) VALUES (2)").unwrap()
        _ = 1 / 0


def test_transactions_emit_begin_commit_and_rollback(db_url: str) -> None:
    collector = Collector()
    db = FlextDbOracleApi.from_url(db_url, plugins=(collector,))
    try:
        db.execute("CREATE TABLE tx (id INTEGER)").unwrap()
        with db.transaction():
            db.execute("INSERT INTO tx (id) VALUES (1)").unwrap()
        with pytest.raises(ZeroDivisionError):
            _insert_then_fail(db)
    finally:
        db.disconnect()

    events = [c.operation for c, _ in collector.after if c.operation.startswith("transaction")]
    assert events == [
        "transaction.begin",
        "transaction.commit",
        "transaction.begin",
        "transaction.rollback",
    ]
    assert all(c.text is None for c, _ in collector.after if c.operation.startswith("transaction"))
