"""The CLI signed in through the LDAP adapter against the real slapd: `auth whoami`,
`auth check`, and data commands refused by permission."""

from __future__ import annotations

import io
import json
import sys

import pytest

from tests.adapters.ldap.conftest import (
    GROUPS,
    PASSWORDS,
    PEOPLE,
    ROLE_MAP,
    SERVICE_DN,
    SERVICE_PASSWORD,
)
from tests.adapters.ldap.slapd_server import SlapdServer
from tests.support.cli import CliRunner


@pytest.fixture
def directory_cli(cli: CliRunner, slapd: SlapdServer, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The `cli` runner with auth configured: FLEXT_DB_ORACLE_AUTH_ADAPTER=ldap."""
    settings = {
        "AUTH_ADAPTER": "ldap",
        "LDAP_URL": slapd.url,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_BASE_DN": PEOPLE,
        "LDAP_GROUP_BASE_DN": GROUPS,
        "LDAP_ROLE_MAP": json.dumps(ROLE_MAP),
        "LDAP_TIMEOUT_S": "3",
    }
    for name, value in settings.items():
        monkeypatch.setenv(f"FLEXT_DB_ORACLE_{name}", value)
    return cli


def _as(monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))


def test_whoami_shows_the_principal_roles_and_permissions(
    directory_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, PASSWORDS["bob"])
    done = directory_cli("auth", "whoami", "--user", "bob", "--password-stdin", "--format", "json")

    assert done.code == 0, done.err
    principal = done.json()
    assert principal["name"] == "bob"
    assert set(principal["groups"]) == {"oncall", "dbas"}  # dbas through a nested group
    assert "admin" in principal["permissions"]
    assert PASSWORDS["bob"] not in done.out + done.err


def test_check_exits_zero_when_allowed_and_one_when_refused(
    directory_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, PASSWORDS["alice"])
    allowed = directory_cli("auth", "check", "read", "--user", "alice", "--password-stdin")
    _as(monkeypatch, PASSWORDS["alice"])
    refused = directory_cli("auth", "check", "write", "--user", "alice", "--password-stdin")

    assert allowed.code == 0, allowed.err
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    assert refused.err.startswith("error: authorization error")


def test_an_unauthorised_execute_is_refused_with_one_clear_line(
    directory_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, PASSWORDS["bob"])
    created = directory_cli(
        "execute", "create table ledger (id integer)", "--user", "bob", "--password-stdin"
    )
    _as(monkeypatch, PASSWORDS["alice"])
    refused = directory_cli(
        "execute", "insert into ledger (id) values (1)", "--user", "alice", "--password-stdin"
    )
    _as(monkeypatch, PASSWORDS["alice"])
    read = directory_cli(
        "query", "select count(*) from ledger", "--user", "alice", "--password-stdin"
    )

    assert created.code == 0, created.err
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    assert "authorization error" in refused.err and "'write'" in refused.err
    assert read.code == 0, read.err


def test_a_wrong_password_fails_without_showing_it(
    directory_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, "Not-Alices-Password-9")
    done = directory_cli("auth", "whoami", "--user", "alice", "--password-stdin")

    assert done.code == 1
    assert done.err.startswith("error: authentication error")
    assert "Not-Alices-Password-9" not in done.out + done.err


def test_without_a_user_the_cli_says_how_to_give_one(directory_cli: CliRunner) -> None:
    done = directory_cli("query", "select 1")

    assert done.code == 1
    assert "--user" in done.err
