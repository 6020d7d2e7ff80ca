"""A third party's distribution, made in a temp dir, is found without any change to our code.

The distribution is real metadata (a `.dist-info` with `entry_points.txt`) on
`sys.path`, which is all that `importlib.metadata` (and so pluggy) reads of an
installed package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi, hookimpl, load_settings

PLUGIN_SOURCE = '''
from __future__ import annotations

import click
from returns.result import Failure, Success

from flext_db_oracle import DbError, ErrorKind, QueryResult, ServerInfo, hookimpl
from flext_db_oracle.cli import CliContext, pass_cli


class EchoPorts:
    """Answers every query with the statement it was given."""

    name = "echo"

    def ping(self):
        return Success(ServerInfo(adapter="echo", dialect="echo", product="Echo", version="1.0"))

    def pool_stats(self):
        return Failure(DbError(ErrorKind.UNSUPPORTED, "echo has no pool"))

    def close(self):
        return Success(None)

    def fetch_all(self, sql, params=None, *, shape="tuple"):
        return Success(QueryResult(columns=("echo", "params"), rows=((sql, repr(params)),)))

    def stream(self, sql, params=None, *, batch_size=1000, shape="tuple"):
        return self.fetch_all(sql, params).map(EchoStream)


class EchoStream:
    def __init__(self, result):
        self.columns = result.columns
        self._rows = result.rows

    def __iter__(self):
        yield list(self._rows)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._rows = ()


class EchoAdapter:
    name = "echo"

    def __init__(self, settings, own):
        self.settings = settings
        self.connection = self.query = self.schema = EchoPorts()


@hookimpl
def register_adapters(registry):
    registry.add_database("echo", EchoAdapter, schemes=("echo",), description="echoes the SQL")


@hookimpl
def register_commands(cli):
    @cli.command()
    @click.argument("who", default="world")
    @pass_cli
    def hello(ctx: CliContext, who):
        """Greet someone (a third-party command)."""
        click.echo(f"hello {who} ({ctx.format})")
'''


@pytest.fixture
def third_party_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = tmp_path / "site"
    dist_info = site / "flext_demo_plugin-1.2.3.dist-info"
    dist_info.mkdir(parents=True)
    (site / "flext_demo_plugin.py").write_text(PLUGIN_SOURCE)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: flext-demo-plugin\nVersion: 1.2.3\n"
    )
    (dist_info / "entry_points.txt").write_text("[flext_db_oracle]\ndemo = flext_demo_plugin\n")
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("flext_demo_plugin", None)


def _cli(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("FLEXT_DB_ORACLE_DISABLE_AUTOLOAD", None)
    return subprocess.run(
        [sys.executable, "-m", "flext_db_oracle", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_plugins_command_lists_the_third_party_distribution(
    third_party_dist: Path, tmp_path: Path
) -> None:
    done = _cli(third_party_dist, "plugins", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    plugins = {p["name"]: p for p in json.loads(done.stdout)}
    assert plugins["demo"]["distribution"] == "flext-demo-plugin"
    assert plugins["demo"]["version"] == "1.2.3"
    assert plugins["demo"]["adapters"] == ["database:echo"]
    assert plugins["demo"]["commands"] == ["hello"]
    # The built-in adapter is discovered through the very same door.
    assert plugins["sqlalchemy"]["distribution"] == "flext-db-oracle-sqlalchemy"
    assert plugins["sqlalchemy"]["adapters"] == ["database:sqlalchemy"]


def test_third_party_command_runs_with_the_common_options(
    third_party_dist: Path, tmp_path: Path
) -> None:
    done = _cli(third_party_dist, "hello", "flext", "--format", "jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "hello flext (jsonl)"
    assert "hello" in _cli(third_party_dist, "--help", cwd=tmp_path).stdout


def test_selecting_the_adapter_by_name_routes_the_cli(
    third_party_dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_ADAPTER", "echo")
    done = _cli(third_party_dist, "query", "select 42", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"echo": "select 42", "params": "{}"}]


def test_selecting_the_adapter_by_name_routes_the_facade(third_party_dist: Path) -> None:
    api = FlextDbOracleApi.from_settings(load_settings(adapter="echo"), autoload=True)
    result = api.query("select :x", {"x": 1}).unwrap()
    assert result.rows == (("select :x", "{'x': 1}"),)
    assert api.connect().unwrap().product == "Echo"


def test_the_url_scheme_routes_to_the_adapter_that_claims_it(third_party_dist: Path) -> None:
    api = FlextDbOracleApi.from_url("echo://somewhere/db", autoload=True)
    assert api.query("ping").unwrap().rows[0][0] == "ping"


def test_without_the_plugin_the_adapter_name_is_unknown() -> None:
    api = FlextDbOracleApi.from_settings(load_settings(adapter="echo"), autoload=True)
    error = api.query("select 1").failure()
    assert isinstance(error, DbError)
    assert error.kind is ErrorKind.CONFIGURATION
    assert "unknown database adapter 'echo'" in error.message
    assert "sqlalchemy" in error.message  # tells what is installed


class WarehouseResolver:
    """A naming service in miniature: the `resolve_dsn` hook turns aliases into URLs."""

    def __init__(self, url: str) -> None:
        self.url = url

    @hookimpl
    def resolve_dsn(self, alias: str) -> str | None:
        return self.url if alias == "warehouse" else None


def test_resolve_dsn_turns_an_alias_into_the_url(tmp_path: Path) -> None:
    resolver = WarehouseResolver(f"sqlite:///{tmp_path / 'warehouse.db'}")
    api = FlextDbOracleApi.from_settings(load_settings(url="warehouse"), plugins=(resolver,))
    assert api.connect().unwrap().database == str(tmp_path / "warehouse.db")
    unknown = FlextDbOracleApi.from_settings(load_settings(url="elsewhere"), plugins=(resolver,))
    error = unknown.connect().failure()
    assert error.kind is ErrorKind.CONFIGURATION
    assert "no plugin resolved it as an alias" in error.message
