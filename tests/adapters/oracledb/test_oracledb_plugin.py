"""Registration: `thin` and `thick` from the default install, URL routing, lazy factories."""

from __future__ import annotations

from pathlib import Path

import pytest
from flext_db_oracle.plugins import build_registry, create_plugin_manager
from flext_db_oracle.registry import AdapterRegistry
from flext_db_oracle.settings import load_settings
from flext_db_oracle_oracledb.adapter import create_thick, create_thin
from flext_db_oracle_oracledb.settings import OracleDbSettings

from tests.support.cli import CliRunner


@pytest.fixture(scope="module")
def registry() -> AdapterRegistry:
    return build_registry(create_plugin_manager())


@pytest.mark.parametrize(
    ("url", "adapter"),
    [
        ("oracle://scott@db:1521/FREEPDB1", "thin"),
        ("oracle+thin://scott@db:1521/FREEPDB1", "thin"),
        ("oracle+thick://scott@db:1521/FREEPDB1", "thick"),
        ("db:1521/FREEPDB1", "thin"),
        ("(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521)))", "thin"),
    ],
)
def test_oracle_urls_route_to_the_oracle_adapters(
    registry: AdapterRegistry, url: str, adapter: str
) -> None:
    settings = load_settings(url=url)
    assert registry.for_url(settings.database_url()).name == adapter


def test_adapters_carry_their_settings_model(registry: AdapterRegistry) -> None:
    for name in ("thin", "thick"):
        assert registry.get("database", name).settings_model is OracleDbSettings


def test_sqlalchemy_dialect_url_stays_sqlalchemys(registry: AdapterRegistry) -> None:
    url = load_settings(url="oracle+oracledb://scott@db:1521/?service_name=X").database_url()
    assert registry.for_url(url).name == "sqlalchemy"


def test_factories_do_not_touch_the_network() -> None:
    settings = load_settings(url="oracle://scott:pw@127.0.0.1:9/svc")
    for factory in (create_thin, create_thick):
        adapter = factory(settings)
        stats = adapter.connection.pool_stats().unwrap()
        assert stats.description == "not opened yet"
        adapter.connection.close().unwrap()


def test_own_settings_come_from_the_profile_section(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        '[profiles.legacy]\ndriver = "oracle"\nhost = "db"\nport = 1521\nuser = "scott"\n'
        '[profiles.legacy.oracledb]\nsid = "ORCL"\nmodule = "nightly-load"\n',
        encoding="utf-8",
    )
    settings = load_settings(profile="legacy", profiles_file=profiles)
    adapter = create_thin(settings)
    assert "(SID=ORCL)" in adapter.pool.spec.dsn
    assert adapter.pool.own.module == "nightly-load"


def test_plugins_command_lists_thin_and_thick(cli: CliRunner) -> None:
    done = cli("--format", "json", "plugins")
    assert done.code == 0, done.err
    rows = {row["name"]: row for row in done.json()}
    assert rows["oracledb"]["distribution"] == "flext-db-oracle-oracledb"
    assert "database:thin" in rows["oracledb"]["adapters"]
    assert "database:thick" in rows["oracledb"]["adapters"]
    assert "doctor" in rows["oracledb"]["commands"]


@pytest.mark.parametrize("mode", ["sysdba", "sysoper", "sysbackup", "sysdg", "syskm", "sysasm"])
def test_pool_arguments_map_the_settings(mode: str) -> None:
    import oracledb

    settings = load_settings(
        url="oracle://scott:pw@db:1521/svc",
        connect_timeout_s=4,
        pool={"size": 3, "max_overflow": 2, "timeout_s": 2.5, "recycle_s": 600},
    )
    own = OracleDbSettings(
        pool_min=1,
        ping_interval_s=30,
        purity="self",
        cclass="BATCH",
        mode=mode,
        wallet_location="/w",
        wallet_password="wallet-pw",
    )
    arguments = create_thin(settings, own).pool._pool_arguments()
    assert arguments["dsn"] == "db:1521/svc"
    assert (arguments["min"], arguments["max"], arguments["increment"]) == (1, 5, 1)
    assert arguments["getmode"] == oracledb.POOL_GETMODE_TIMEDWAIT
    assert arguments["wait_timeout"] == 2500
    assert arguments["ping_interval"] == 30
    assert arguments["max_lifetime_session"] == 600
    assert arguments["tcp_connect_timeout"] == 4
    assert arguments["purity"] is oracledb.Purity.SELF
    assert arguments["cclass"] == "BATCH"
    assert isinstance(arguments["mode"], oracledb.AuthMode)
    assert arguments["wallet_password"] == "wallet-pw"
    assert arguments["wallet_location"] == "/w"
