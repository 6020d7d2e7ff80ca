"""The adapter registry and the plugin manager: discovery, registration by hand, introspection."""

from __future__ import annotations

from importlib.metadata import version
from types import SimpleNamespace
from typing import Any

import flext_db_oracle_sqlalchemy.plugin as sqlalchemy_plugin
import pytest
from flext_db_oracle import DatabaseUrl, DbError, ErrorKind, FlextDbOracleApi, hookimpl
from flext_db_oracle.plugins import (
    DISABLE_AUTOLOAD_ENV,
    ENTRY_POINT_GROUP,
    build_registry,
    collect_plugin_settings,
    create_plugin_manager,
    describe_plugins,
)
from flext_db_oracle.registry import ANY_SCHEME, AdapterRegistry
from flext_db_oracle.settings import load_adapter_settings, load_settings
from pydantic_settings import BaseSettings, SettingsConfigDict


def _factory(name: str) -> Any:
    def build(settings: Any) -> Any:
        return SimpleNamespace(name=name, settings=settings)

    return build


# --- registry ---------------------------------------------------------------------------


def test_a_second_registration_of_a_name_is_refused_naming_both_plugins() -> None:
    registry = AdapterRegistry()
    registry.registering_for("first-plugin").add_database("pg", _factory("a"), schemes=("x",))

    with pytest.raises(DbError) as raised:
        registry.registering_for("second-plugin").add_database("pg", _factory("b"))

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "first-plugin" in raised.value.message
    assert "second-plugin" in raised.value.message
    assert registry.get("database", "pg").plugin == "first-plugin"


def test_the_same_name_may_serve_two_kinds() -> None:
    registry = AdapterRegistry()
    registry.add_database("ldap", _factory("db"))
    registry.add_auth("ldap", _factory("auth"))

    assert registry.names("database") == ["ldap"]
    assert registry.names("auth") == ["ldap"]


def test_an_unknown_adapter_name_lists_the_installed_ones() -> None:
    registry = AdapterRegistry()
    registry.add_database("sqlalchemy", _factory("s"))
    registry.add_database("oracledb", _factory("o"))

    with pytest.raises(DbError) as raised:
        registry.get("database", "odbc")

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "'odbc'" in raised.value.message
    assert "oracledb, sqlalchemy" in raised.value.message


def test_an_unknown_name_in_an_empty_registry_says_nothing_is_installed() -> None:
    with pytest.raises(DbError, match="none"):
        AdapterRegistry().get("auth", "ldap")


def test_for_url_prefers_the_adapter_claiming_the_scheme_over_the_fallback() -> None:
    registry = AdapterRegistry()
    registry.add_database("anything", _factory("any"), schemes=(ANY_SCHEME,))
    registry.add_database("oracledb", _factory("ora"), schemes=("Oracle",))
    registry.add_database("pg-native", _factory("pg"), schemes=("postgresql",))

    def chosen(text: str) -> str:
        return registry.for_url(DatabaseUrl.parse(text)).name

    assert chosen("oracle://scott@h/orcl") == "oracledb"  # schemes match case-insensitively
    assert chosen("postgresql+psycopg://u@h/db") == "pg-native"  # the driver suffix is ignored
    assert chosen("sqlite:///x.db") == "anything"
    assert chosen("snowflake://u@acct/db") == "anything"


def test_for_url_without_any_candidate_lists_the_installed_adapters() -> None:
    registry = AdapterRegistry()
    registry.add_database("oracledb", _factory("ora"), schemes=("oracle",))

    with pytest.raises(DbError) as raised:
        registry.for_url(DatabaseUrl.parse("sqlite:///x.db"))

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "'sqlite'" in raised.value.message
    assert "oracledb" in raised.value.message


# --- plugin manager -------------------------------------------------------------------------


def test_autoload_finds_the_sqlalchemy_entry_point_with_its_distribution() -> None:
    manager = create_plugin_manager()
    registry = build_registry(manager)

    infos = {info.name: info for info in describe_plugins(manager, registry)}

    assert ENTRY_POINT_GROUP == "flext_db_oracle"
    info = infos["sqlalchemy"]
    assert info.distribution == "flext-db-oracle-sqlalchemy"
    assert info.version == version("flext-db-oracle-sqlalchemy")
    assert info.adapters == ["database:sqlalchemy"]
    assert "register_adapters" in info.hooks
    assert info.as_dict()["distribution"] == "flext-db-oracle-sqlalchemy"
    assert registry.get("database", "sqlalchemy").plugin == "sqlalchemy"


def test_the_environment_switch_keeps_only_this_projects_own_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")

    manager = create_plugin_manager()

    infos = describe_plugins(manager, build_registry(manager))
    assert {info.name for info in infos} >= {"builtin-commands", "sqlalchemy"}
    assert all((info.distribution or "").startswith("flext-db-oracle") for info in infos)
    assert "database:sqlalchemy" in {a for info in infos for a in info.adapters}


def test_with_autoload_disabled_the_facade_still_has_the_shipped_adapter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    db = FlextDbOracleApi.from_url("sqlite://")

    assert db.query("SELECT 1 AS one").unwrap().scalar() == 1
    db.disconnect()


class _HandPlugin:
    """A plugin no entry point names: registered by hand."""

    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        registry.add_database("by-hand", _factory("by-hand"), schemes=("byhand",))


def test_plugins_registered_by_hand_work_without_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    plugin = _HandPlugin()

    manager = create_plugin_manager(autoload=False, plugins=(plugin, sqlalchemy_plugin))
    registry = build_registry(manager)

    assert {"by-hand", "sqlalchemy"} <= set(registry.names("database"))
    infos = {info.name: info for info in describe_plugins(manager, registry)}
    hand = infos[str(manager.get_name(plugin))]
    assert hand.adapters == ["database:by-hand"]
    assert hand.distribution is None  # registered by hand: no distribution to name
    assert infos["sqlalchemy"].distribution == "flext-db-oracle-sqlalchemy"  # not twice


def test_an_explicit_autoload_argument_beats_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")

    assert "sqlalchemy" in build_registry(create_plugin_manager(autoload=True)).names("database")


class _RivalPlugin:
    """A third party claiming the built-in adapter's name."""

    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        registry.add_database("sqlalchemy", _factory("rival"), schemes=("sqlite",))


def test_two_plugins_claiming_one_adapter_name_are_both_named() -> None:
    rival = _RivalPlugin()
    manager = create_plugin_manager(autoload=True, plugins=(rival,))

    with pytest.raises(DbError) as raised:
        build_registry(manager)

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "sqlalchemy" in raised.value.message
    assert str(manager.get_name(rival)) in raised.value.message


class _SettingsPlugin:
    class Settings(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="FLEXT_DB_ORACLE_DEMO_")
        greeting: str = "hello"

    @hookimpl
    def register_settings(self) -> type[BaseSettings]:
        return self.Settings


def test_plugin_settings_are_collected_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_GREETING", "bonjour")
    plugin = _SettingsPlugin()
    manager = create_plugin_manager(autoload=False, plugins=(plugin,))

    models = collect_plugin_settings(manager)

    model = models[str(manager.get_name(plugin))]
    loaded = load_adapter_settings(model, load_settings())
    assert loaded.greeting == "bonjour"  # type: ignore[attr-defined]
