"""Execute hooks and statement logs around every query, and embedding the container.

These run on an embedded SQLite file: no server, but a real database.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import containers, providers
from flext_db_oracle import DbContainer, DbError, ErrorKind, FlextDbOracleApi, hookimpl
from flext_db_oracle.edge.statements import fingerprint
from flext_db_oracle.observability import StatementContext, StatementOutcome
from flext_db_oracle.settings import load_settings
from returns.result import Failure, Success


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'observed.db'}"


class Recorder:
    """A plugin that records what the execute hooks see."""

    def __init__(self) -> None:
        self.before: list[StatementContext] = []
        self.after: list[tuple[StatementContext, StatementOutcome]] = []
        self.errors: list[tuple[StatementContext, DbError]] = []

    @hookimpl
    def before_execute(self, context: StatementContext) -> None:
        self.before.append(context)

    @hookimpl
    def after_execute(self, context: StatementContext, outcome: StatementOutcome) -> None:
        self.after.append((context, outcome))

    @hookimpl
    def on_error(self, context: StatementContext, error: DbError) -> None:
        self.errors.append((context, error))


class ReadOnlyPolicy:
    """A plugin that refuses every statement that is not a SELECT."""

    @hookimpl
    def before_execute(self, context: StatementContext) -> None:
        if not (context.text or "").lstrip().upper().startswith(("SELECT", "WITH")):
            raise DbError(ErrorKind.AUTHORIZATION, "read-only session", code="POLICY")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def observed(db_url: str, recorder: Recorder) -> Iterator[FlextDbOracleApi]:
    db = FlextDbOracleApi.from_url(db_url, plugins=(recorder,))
    db.execute("CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, s VARCHAR(20))").unwrap()
    recorder.before.clear()
    recorder.after.clear()
    yield db
    db.disconnect()


# --- hooks -------------------------------------------------------------------------------


def test_every_statement_passes_through_before_and_after(
    observed: FlextDbOracleApi, recorder: Recorder
) -> None:
    insert = "INSERT INTO t (id, s) VALUES (:id, :s)"
    observed.execute(insert, {"id": 1, "s": "a"}).unwrap()
    observed.execute_many(insert, [{"id": 2, "s": "b"}, {"id": 3, "s": "c"}]).unwrap()
    observed.query("SELECT id FROM t ORDER BY id").unwrap()
    observed.query_one("SELECT s FROM t WHERE id = :id", {"id": 2}).unwrap()

    operations = [c.operation for c in recorder.before]
    assert operations == ["execute", "execute_many", "fetch_all", "fetch_one"]
    assert [c for c, _ in recorder.after] == recorder.before
    assert [o.rowcount for _, o in recorder.after] == [1, 2, 3, 1]
    first = recorder.before[0]
    assert first.adapter == "sqlalchemy"
    assert first.text == insert
    assert first.target is None
    assert first.principal is None
    assert first.params == {"id": 1, "s": "a"}
    assert first.fingerprint == fingerprint(insert)
    assert recorder.before[1].params == [{"id": 2, "s": "b"}, {"id": 3, "s": "c"}]
    assert all(isinstance(o.duration_ms, float) for _, o in recorder.after)
    assert recorder.errors == []


def test_a_failing_statement_reaches_on_error_not_after(
    observed: FlextDbOracleApi, recorder: Recorder
) -> None:
    result = observed.query("SELECT * FROM missing_table")

    assert isinstance(result, Failure)
    assert recorder.after == []
    assert len(recorder.errors) == 1
    context, error = recorder.errors[0]
    assert context.operation == "fetch_all"
    assert error == result.failure()
    assert error.kind is ErrorKind.NOT_FOUND


def test_a_policy_hook_refuses_a_statement_before_it_runs(db_url: str, recorder: Recorder) -> None:
    setup = FlextDbOracleApi.from_url(db_url)
    setup.execute("CREATE TABLE keep (id INTEGER)").unwrap()
    setup.execute("INSERT INTO keep (id) VALUES (1)").unwrap()
    setup.disconnect()
    db = FlextDbOracleApi.from_url(db_url, plugins=(ReadOnlyPolicy(), recorder))
    try:
        refused = db.execute("DELETE FROM keep")
        allowed = db.query("SELECT count(*) FROM keep")
    finally:
        db.disconnect()

    assert isinstance(refused, Failure)
    assert refused.failure().kind is ErrorKind.AUTHORIZATION
    assert refused.failure().code == "POLICY"
    assert allowed.unwrap().scalar() == 1  # the DELETE never ran
    assert [(c.operation, e.code) for c, e in recorder.errors] == [("execute", "POLICY")]


def test_a_refusal_inside_a_transaction_rolls_it_back(db_url: str) -> None:
    class RefuseDrops:
        @hookimpl
        def before_execute(self, context: StatementContext) -> None:
            if "DROP" in (context.text or "").upper():
                raise DbError(ErrorKind.AUTHORIZATION, "no drops")

    db = FlextDbOracleApi.from_url(db_url, plugins=(RefuseDrops(),))
    try:
        db.execute("CREATE TABLE tx (id INTEGER)").unwrap()

        def write_then_drop() -> None:
            with db.transaction():
                db.execute("INSERT INTO tx (id) VALUES (1)").unwrap()
                db.execute("DROP TABLE tx")  # refused: a Failure, raised at block end

        with pytest.raises(DbError, match="no drops"):
            write_then_drop()
        assert db.query("SELECT count(*) FROM tx").unwrap().scalar() == 0
    finally:
        db.disconnect()


def test_fingerprint_ignores_whitespace_and_case_only() -> None:
    assert fingerprint("SELECT  *\n FROM t") == fingerprint("select * from t")
    assert fingerprint("select * from t") != fingerprint("select * from u")
    assert len(fingerprint("select 1")) == 12


# --- statement logs ----------------------------------------------------------------------


@pytest.mark.usefixtures("stdlib_logging")
def test_statements_log_fingerprint_and_rows_but_never_bind_values(
    observed: FlextDbOracleApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="flext_db_oracle.statement")
    sql = "INSERT INTO t (id, s) VALUES (:id, :s)"

    observed.execute(sql, {"id": 1, "s": "bind-value-xyzzy"}).unwrap()
    observed.query("SELECT * FROM nowhere")

    records = [r for r in caplog.records if r.name == "flext_db_oracle.statement"]
    assert [r.levelno for r in records] == [logging.DEBUG, logging.INFO]
    assert fingerprint(sql) in records[0].getMessage()
    assert "rows=1" in records[0].getMessage()
    assert "adapter='sqlalchemy'" in records[0].getMessage()
    assert "statement failed" in records[1].getMessage()
    assert "bind-value-xyzzy" not in caplog.text


@pytest.mark.usefixtures("stdlib_logging")
def test_statements_slower_than_the_threshold_log_a_warning(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="flext_db_oracle.statement")
    db = FlextDbOracleApi.from_url(db_url, slow_statement_ms=0)  # every statement is "slow"
    try:
        db.query("SELECT 1 AS one").unwrap()
    finally:
        db.disconnect()

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "slow statement" in warnings[0].getMessage()


# --- the container, embedded --------------------------------------------------------------


class RecordingQuery:
    """Wraps a query port and records each call: what a host substitutes in tests."""

    def __init__(self, inner: Any, calls: list[tuple[str, str]]) -> None:
        self._inner = inner
        self._calls = calls
        self.name = inner.name

    def __getattr__(self, operation: str) -> Any:
        target = getattr(self._inner, operation)

        def call(sql: str, *args: Any, **kwargs: Any) -> Any:
            self._calls.append((operation, sql))
            return target(sql, *args, **kwargs)

        return call

    def transaction(self) -> Any:
        return self._inner.transaction()


def test_a_host_container_embeds_ours_and_overrides_providers(tmp_path: Path) -> None:
    path = tmp_path / "host.db"
    calls: list[tuple[str, str]] = []

    class HostContainer(containers.DeclarativeContainer):
        database = providers.Container(
            DbContainer, settings=providers.Singleton(load_settings, url=f"sqlite:///{path}")
        )
        greeting = providers.Object("a host provider of its own")

    host = HostContainer()
    host.database.query.override(
        providers.Factory(RecordingQuery, inner=host.database.database.provided.query, calls=calls)
    )
    db = FlextDbOracleApi(host.database)  # type: ignore[arg-type]  # a provider of DbContainer
    try:
        db.execute("CREATE TABLE hosted (id INTEGER)").unwrap()
        db.execute_many("INSERT INTO hosted (id) VALUES (:id)", [{"id": 1}, {"id": 2}]).unwrap()
        info = db.connect().unwrap()
    finally:
        assert db.disconnect() == Success(None)

    assert info.database == str(path)  # the overridden settings chose the database
    assert calls == [
        ("execute", "CREATE TABLE hosted (id INTEGER)"),
        ("execute_many", "INSERT INTO hosted (id) VALUES (:id)"),
    ]
    with sqlite3.connect(path) as check:  # the data really went to that file
        assert check.execute("SELECT count(*) FROM hosted").fetchone() == (2,)


def test_overriding_settings_on_our_container_and_resetting_it(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    container = DbContainer()
    container.settings.override(providers.Object(load_settings(url=f"sqlite:///{first}")))
    db = FlextDbOracleApi(container)
    assert db.connect().unwrap().database == str(first)
    db.disconnect()

    container.settings.override(providers.Object(load_settings(url=f"sqlite:///{second}")))
    assert db.connect().unwrap().database == str(second)
    db.disconnect()

    container.settings.reset_override()  # back to the environment: the embedded default
    assert db.connect().unwrap().database == "flext_db_oracle.db"
    db.disconnect()


def test_an_overridden_query_port_is_still_observed(db_url: str, recorder: Recorder) -> None:
    calls: list[tuple[str, str]] = []
    db = FlextDbOracleApi.from_url(db_url, plugins=(recorder,))
    try:
        db.query("SELECT 1").unwrap()  # resolves the ports once
        db.override(
            "query",
            providers.Factory(
                RecordingQuery, inner=db.container.database.provided.query, calls=calls
            ),
        )
        db.query("SELECT 2").unwrap()
    finally:
        db.disconnect()

    assert calls == [("fetch_all", "SELECT 2")]  # the override took effect on the next call
    assert [c.text for c, _ in recorder.after] == ["SELECT 1", "SELECT 2"]
