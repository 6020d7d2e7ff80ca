"""`flext-db-oracle oic ...` against the contract server, in-process."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from flext_db_oracle import hookimpl
from flext_db_oracle.cli import main as cli_main
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Credentials, Permission, Principal
from flext_db_oracle.registry import AdapterRegistry
from returns.result import Failure, Result, Success

from tests.adapters.oic import contract_server as oic
from tests.adapters.oic.contract_server import Fault, OicContractServer
from tests.support.cli import CliRunner


@pytest.fixture
def basic_env(cli: CliRunner, server: OicContractServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `cli` cleared FLEXT_DB_ORACLE_*: the server, with basic auth."""
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_BASE_URL", server.base_url)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_USERNAME", oic.USERNAME)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_PASSWORD", oic.PASSWORD)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_RETRY__INITIAL_BACKOFF_S", "0.01")


@pytest.fixture
def oauth_env(cli: CliRunner, server: OicContractServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_BASE_URL", server.base_url)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_CLIENT_ID", oic.CLIENT_ID)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_CLIENT_SECRET", oic.CLIENT_SECRET)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_TOKEN_URL", server.token_url)
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_SCOPE", oic.SCOPE)


def test_plugins_lists_oic(cli: CliRunner) -> None:
    result = cli("plugins", "--format", "json")
    assert result.code == 0, result.err
    plugin = next(p for p in result.json() if p["name"] == "oic")
    assert plugin["distribution"] == "flext-db-oracle-oic"
    assert "record_source:oic" in plugin["adapters"]
    assert plugin["commands"] == ["oic"]


@pytest.mark.usefixtures("basic_env")
def test_integrations_as_json(cli: CliRunner, server: OicContractServer) -> None:
    result = cli("oic", "integrations", "--status", "ACTIVATED", "--format", "json")
    assert result.code == 0, result.err
    rows = result.json()
    assert len(rows) == 30
    assert {row["status"] for row in rows} == {"ACTIVATED"}
    assert rows[0]["lastUpdated"].endswith("+00:00")  # a typed timestamp, ISO 8601 again


@pytest.mark.usefixtures("basic_env")
def test_connections_and_one_integration(cli: CliRunner) -> None:
    targets = cli("oic", "connections", "--filter", "role=TARGET", "--format", "json")
    assert targets.code == 0, targets.err
    assert {row["id"] for row in targets.json()} == {"FTP_DROP", "ATP_ORDERS", "HALF_DONE"}
    one = cli("oic", "integration", "INT_0002|01.00.0000", "--format", "json")
    assert one.code == 0, one.err
    assert one.json()["name"] == "Customer Load 0002"
    missing = cli("oic", "integration", "NOPE|01.00.0000")
    assert missing.code == 1
    assert missing.err.startswith("error: not_found error [404]:")


@pytest.mark.usefixtures("basic_env")
def test_instances_with_status_and_since(cli: CliRunner, server: OicContractServer) -> None:
    since = (server.now - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%S")  # naive: UTC
    result = cli("oic", "instances", "--status", "FAILED", "--since", since, "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    expected = [
        i["id"]
        for i in server.instances
        if i["status"] == "FAILED" and i["_updated"] >= server.now - timedelta(hours=20)
    ]
    assert [row["id"] for row in rows] == expected
    assert server.calls("GET", "monitoring/instances")[0].query["q"].startswith("{startdate:")


@pytest.mark.usefixtures("basic_env")
def test_instances_limit_and_window(cli: CliRunner) -> None:
    result = cli("oic", "instances", "--window", "3d", "--limit", "5", "--format", "jsonl")
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 5


@pytest.mark.usefixtures("basic_env")
def test_activate_and_deactivate(cli: CliRunner, server: OicContractServer) -> None:
    ident = "INT_0001|01.00.0000"
    activated = cli("oic", "activate", ident, "--format", "json")
    assert activated.code == 0, activated.err
    assert activated.json()["status"] == "ACTIVATED"
    again = cli("oic", "activate", ident)
    assert again.code == 1
    assert again.err.startswith("error: query error [412]:")
    assert len(again.err.strip().splitlines()) == 1
    deactivated = cli("oic", "deactivate", ident, "--format", "json")
    assert deactivated.json()["status"] == "CONFIGURED"


@pytest.mark.usefixtures("basic_env")
def test_activate_and_wait(cli: CliRunner, server: OicContractServer) -> None:
    server.activation_polls = 1
    done = cli("oic", "activate", "INT_0001|01.00.0000", "--wait", "10", "--format", "json")
    assert done.code == 0, done.err
    assert done.json()["status"] == "ACTIVATED"
    server.failing_activation.add("INT_0002|01.00.0000")
    failed = cli("oic", "activate", "INT_0002|01.00.0000", "--wait", "10")
    assert failed.code == 1
    assert failed.err.startswith("error: query error [FAILEDACTIVATION]: activation of")


@pytest.mark.usefixtures("basic_env")
def test_instance_detail_and_connection_test(cli: CliRunner, server: OicContractServer) -> None:
    detail = cli("oic", "instance", server.instances[3]["id"], "--format", "json")
    assert detail.code == 0, detail.err
    assert len(detail.json()["activityStream"]) == 4
    table = cli("oic", "instance", server.instances[3]["id"])
    assert "activity stream" in table.out
    assert "Invoke ERP" in table.out
    tested = cli("oic", "test-connection", "ERP_CLOUD", "--format", "json")
    assert tested.json() == {
        "id": "ERP_CLOUD",
        "name": "Oracle ERP Cloud",
        "status": "CONFIGURED",
        "testStatus": "SUCCESS",
    }


@pytest.mark.usefixtures("basic_env")
@pytest.mark.parametrize(
    "args",
    [
        ("oic", "instances", "--since", "yesterday"),
        ("oic", "instances", "--window", "1d", "--since", "2026-01-01"),
        ("oic", "instances", "--status", "DONE"),
        ("oic", "integrations", "--filter", "name"),
    ],
)
def test_usage_errors_exit_2(
    cli: CliRunner, server: OicContractServer, args: tuple[str, ...]
) -> None:
    assert cli(*args).code == 2
    assert server.requests == []


@pytest.mark.usefixtures("oauth_env")
def test_config_shows_the_oic_section_without_secrets(cli: CliRunner) -> None:
    result = cli("config", "--format", "json")
    assert result.code == 0, result.err
    section = result.json()["oic"]
    assert section["client_id"] == oic.CLIENT_ID
    assert section["client_secret"] == "**********"
    assert oic.CLIENT_SECRET not in result.out


def test_config_works_without_oic(cli: CliRunner) -> None:
    result = cli("config", "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["oic"]["base_url"] is None


def test_unconfigured_is_one_line_naming_the_variables(cli: CliRunner) -> None:
    result = cli("oic", "integrations")
    assert result.code == 1
    assert "FLEXT_DB_ORACLE_OIC_" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.usefixtures("oauth_env")
def test_no_secret_in_cli_output_even_verbose(cli: CliRunner, server: OicContractServer) -> None:
    ok = cli("oic", "connections", "-vv", "--format", "json")
    assert ok.code == 0, ok.err
    server.expire_tokens()
    server.inject("POST", "connections/ERP_CLOUD/test", Fault(500))
    failed = cli("oic", "test-connection", "ERP_CLOUD", "-vv")
    assert failed.code == 1
    assert "http.request" in ok.err + failed.err  # debug logging was on
    for secret in (oic.PASSWORD, oic.CLIENT_SECRET, *server.tokens):
        for text in (ok.out, ok.err, failed.out, failed.err):
            assert secret not in text


def _loaded_by(statement: str, prefixes: set[str]) -> list[str]:
    code = (
        f"import sys; {statement}; import json; "
        f"print(json.dumps(sorted({{m for m in sys.modules if m.split('.')[0] in {prefixes!r}}})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_the_plugin_module_is_light_and_the_commands_load_no_httpx() -> None:
    heavy = {"httpx", "httpcore", "pydantic", "pydantic_settings", "rich", "flext_db_oracle_http"}
    assert _loaded_by("import flext_db_oracle_oic.plugin", heavy) == []
    assert _loaded_by("import flext_db_oracle_oic.commands", {"httpx", "httpcore"}) == []


@pytest.mark.usefixtures("basic_env")
def test_progress_only_on_a_terminal(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    piped = cli("oic", "integrations", "--format", "csv")
    assert piped.err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    on_terminal = cli("oic", "integrations", "--format", "csv")
    assert on_terminal.code == 0
    assert "integrations: 120 rows" in on_terminal.err
    assert on_terminal.out == piped.out


class _TableAuth:
    """An auth port over two fixed users: a reader and a writer."""

    name = "table"
    users: ClassVar[dict[str, tuple[str, Permission]]] = {
        "reader": ("reader-pass", Permission.READ),
        "writer": ("writer-pass", Permission.WRITE),
    }

    def __init__(self, settings: Any, own: Any) -> None:
        pass

    def authenticate(self, credentials: Credentials) -> Result[Principal, DbError]:
        password, permission = self.users[credentials.username]
        if credentials.password.get_secret_value() != password:
            return Failure(DbError(ErrorKind.AUTHENTICATION, "invalid credentials"))
        return Success(Principal(name=credentials.username, permissions=frozenset({permission})))

    def close(self) -> Result[None, DbError]:
        return Success(None)


class _TableAuthPlugin:
    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        registry.add_auth("table", _TableAuth)


@pytest.fixture
def table_auth(basic_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-in configured with the `table` auth adapter, registered by hand."""
    original = cli_main.create_plugin_manager

    def with_table_auth(**options: Any) -> Any:
        manager = original(**options)
        manager.register(_TableAuthPlugin())
        return manager

    monkeypatch.setattr(cli_main, "create_plugin_manager", with_table_auth)
    monkeypatch.setenv("FLEXT_DB_ORACLE_AUTH_ADAPTER", "table")


def _as(user: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{user}-pass\n"))
    return ("--user", user, "--password-stdin")


@pytest.mark.usefixtures("table_auth")
def test_reading_needs_read_and_activating_needs_write(
    cli: CliRunner, server: OicContractServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ident = "INT_0001|01.00.0000"
    listed = cli("oic", "integrations", "--format", "json", *_as("reader", monkeypatch))
    assert listed.code == 0, listed.err
    assert len(listed.json()) == 120
    refused = cli("oic", "activate", ident, *_as("reader", monkeypatch))
    assert refused.code == 1
    assert refused.err.startswith("error: authorization error:")
    assert server.calls("POST", f"integrations/{ident}") == []
    allowed = cli("oic", "activate", ident, "--format", "json", *_as("writer", monkeypatch))
    assert allowed.code == 0, allowed.err
    assert allowed.json()["status"] == "ACTIVATED"
