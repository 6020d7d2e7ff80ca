"""Auth end to end through the core: an auth adapter registered by hand, permissions,
principals in every statement's context, and a policy plugin refusing by principal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle import (
    Credentials,
    DbError,
    ErrorKind,
    FlextDbOracleApi,
    Permission,
    Principal,
    hookimpl,
)
from flext_db_oracle.observability import StatementContext
from flext_db_oracle.registry import AdapterRegistry
from flext_db_oracle.settings import DatabaseSettings
from pydantic import SecretStr
from returns.result import Failure, Result, Success

USERS = {
    "reader": ("reader-pass", frozenset({Permission.READ})),
    "writer": ("writer-pass", frozenset({Permission.WRITE})),
    "dba": ("dba-pass", frozenset({Permission.ADMIN})),
}


class TableAuth:
    """An auth port over a fixed table of users (what a directory adapter does)."""

    name = "table"

    def __init__(self, settings: DatabaseSettings, own: Any) -> None:
        self.closed = False

    def authenticate(self, credentials: Credentials) -> Result[Principal, DbError]:
        known = USERS.get(credentials.username)
        if known is None or known[0] != credentials.password.get_secret_value():
            return Failure(DbError(ErrorKind.AUTHENTICATION, "invalid credentials"))
        return Success(
            Principal(name=credentials.username, permissions=known[1], adapter=self.name)
        )

    def close(self) -> Result[None, DbError]:
        self.closed = True
        return Success(None)


class TableAuthPlugin:
    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        registry.add_auth("table", TableAuth)


class NoWritesForWriter:
    """A policy plugin: refuses `execute` when the principal is `writer`."""

    def __init__(self) -> None:
        self.seen: list[str | None] = []

    @hookimpl
    def before_execute(self, context: StatementContext) -> None:
        self.seen.append(context.principal.name if context.principal else None)
        principal = context.principal
        if principal is not None and principal.name == "writer" and context.operation == "execute":
            raise DbError(ErrorKind.AUTHORIZATION, "writer is frozen today", code="POLICY")


@pytest.fixture
def policy() -> NoWritesForWriter:
    return NoWritesForWriter()


@pytest.fixture
def db(tmp_path: Path, policy: NoWritesForWriter) -> Iterator[FlextDbOracleApi]:
    api = FlextDbOracleApi.from_url(
        f"sqlite:///{tmp_path / 'auth.db'}",
        auth_adapter="table",
        plugins=(TableAuthPlugin(), policy),
    )
    yield api
    api.disconnect()


def _sign_in(db: FlextDbOracleApi, user: str) -> FlextDbOracleApi:
    password = USERS[user][0]
    principal = db.authenticate(Credentials(username=user, password=SecretStr(password)))
    return db.as_principal(principal.unwrap())


def test_the_auth_adapter_authenticates_a_principal(db: FlextDbOracleApi) -> None:
    principal = db.authenticate(Credentials(username="dba", password=SecretStr("dba-pass")))

    assert principal.unwrap().name == "dba"
    assert principal.unwrap().allows(Permission.DDL)
    wrong = db.authenticate(Credentials(username="dba", password=SecretStr("nope")))
    assert isinstance(wrong, Failure)
    assert wrong.failure().kind is ErrorKind.AUTHENTICATION


def test_with_auth_configured_an_operation_without_a_principal_is_refused(
    db: FlextDbOracleApi,
) -> None:
    refused = db.query("SELECT 1")

    assert isinstance(refused, Failure)
    assert refused.failure().kind is ErrorKind.AUTHORIZATION
    assert isinstance(db.get_tables(), Failure)


def test_permissions_decide_what_each_principal_may_run(db: FlextDbOracleApi) -> None:
    dba = _sign_in(db, "dba")
    dba.execute("CREATE TABLE t (id INTEGER)").unwrap()
    reader = _sign_in(db, "reader")

    assert reader.query("SELECT count(*) FROM t").unwrap().scalar() == 0
    assert reader.get_tables().unwrap()[0].name == "t"
    for refused in (
        reader.execute("INSERT INTO t (id) VALUES (1)"),
        reader.query("DELETE FROM t"),  # a write through a read method is still a write
        reader.execute_many("INSERT INTO t (id) VALUES (:id)", [{"id": 1}]),
        reader.bulk_insert("t", ["id"], [(1,)]),
        _sign_in(db, "writer").execute("DROP TABLE t"),  # DDL needs `ddl`
    ):
        assert isinstance(refused, Failure), refused
        assert refused.failure().kind is ErrorKind.AUTHORIZATION
    assert reader.authorize(Permission.WRITE).failure().kind is ErrorKind.AUTHORIZATION
    assert dba.authorize(Permission.ADMIN) == Success(None)


def test_a_policy_plugin_refuses_execute_for_one_principal(
    db: FlextDbOracleApi, policy: NoWritesForWriter
) -> None:
    _sign_in(db, "dba").execute("CREATE TABLE t (id INTEGER)").unwrap()
    writer = _sign_in(db, "writer")

    refused = writer.execute("INSERT INTO t (id) VALUES (1)")
    allowed = writer.execute_many("INSERT INTO t (id) VALUES (:id)", [{"id": 2}])

    assert isinstance(refused, Failure)
    assert refused.failure().kind is ErrorKind.AUTHORIZATION
    assert refused.failure().code == "POLICY"
    assert allowed.unwrap().rowcount == 1
    assert "writer" in policy.seen and "dba" in policy.seen


def test_no_auth_configured_changes_nothing(tmp_path: Path) -> None:
    db = FlextDbOracleApi.from_url(f"sqlite:///{tmp_path / 'open.db'}")
    try:
        assert db.execute("CREATE TABLE t (id INTEGER)").unwrap().rowcount in {-1, 0}
        assert db.principal is None
        unconfigured = db.authenticate(Credentials(username="x", password=SecretStr("y")))
        assert unconfigured.failure().kind is ErrorKind.CONFIGURATION
    finally:
        db.disconnect()
