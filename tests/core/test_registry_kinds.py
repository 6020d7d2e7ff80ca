"""The open registry: new adapter kinds with their own settings, scheme priorities."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle import DatabaseUrl, DbError, ErrorKind, FlextDbOracleApi, hookimpl
from flext_db_oracle.container import build_adapter
from flext_db_oracle.plugins import build_registry, create_plugin_manager
from flext_db_oracle.registry import AdapterRegistry
from flext_db_oracle.settings import (
    AdapterSettings,
    DatabaseSettings,
    adapter_settings_config,
    load_settings,
)
from pydantic import SecretStr


class QueueSettings(AdapterSettings):
    """A brand-new plugin's own settings: FLEXT_DB_ORACLE_QUEUE_*, [profiles.X.queue]."""

    model_config = adapter_settings_config("queue")

    broker: str = "localhost"
    depth: int = 10
    token: SecretStr | None = None


@dataclass
class QueueAdapter:
    settings: DatabaseSettings
    own: QueueSettings


class QueuePlugin:
    """Registers an adapter of a kind the core has never heard of."""

    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        registry.add("message_queue", "demo-queue", QueueAdapter, settings=QueueSettings)


def _queue_adapter(settings: DatabaseSettings) -> QueueAdapter:
    registry = build_registry(create_plugin_manager(autoload=False, plugins=(QueuePlugin(),)))
    entry = registry.get("message_queue", "demo-queue")
    assert "message_queue" in registry.kinds()
    adapter: QueueAdapter = build_adapter(entry, settings)
    return adapter


def test_a_new_kind_gets_its_own_settings_from_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_QUEUE_BROKER", "mq.example")
    monkeypatch.setenv("FLEXT_DB_ORACLE_QUEUE_DEPTH", "42")

    adapter = _queue_adapter(load_settings())

    assert adapter.own == QueueSettings(broker="mq.example", depth=42)
    assert isinstance(adapter.settings, DatabaseSettings)


def test_a_new_kind_gets_its_own_settings_from_a_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        '[profiles.prod]\nurl = "sqlite:///prod.db"\n\n'
        '[profiles.prod.queue]\nbroker = "mq.prod"\ntoken = "queue-token-1"\n'
    )
    monkeypatch.setenv("FLEXT_DB_ORACLE_QUEUE_BROKER", "from-the-environment")
    monkeypatch.setenv("FLEXT_DB_ORACLE_QUEUE_DEPTH", "7")

    adapter = _queue_adapter(load_settings(profile="prod", profiles_file=profiles))

    assert adapter.own.broker == "mq.prod"  # the profile wins over the variable
    assert adapter.own.depth == 7  # the variable fills what the profile leaves out
    assert adapter.own.token is not None
    assert adapter.own.token.get_secret_value() == "queue-token-1"
    assert "queue-token-1" not in repr(adapter.own)


def test_a_bad_own_setting_is_a_configuration_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_QUEUE_DEPTH", "deep")

    with pytest.raises(DbError) as raised:
        _queue_adapter(load_settings())

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "FLEXT_DB_ORACLE_QUEUE_" in raised.value.message
    assert "depth" in raised.value.message


# --- scheme priorities ----------------------------------------------------------------------


@dataclass
class _Ports:
    name: str
    connection: Any = None
    query: Any = None
    schema: Any = None


def _factory(name: str) -> Any:
    return lambda settings, own: _Ports(name)


class TwoAdapters:
    """Two adapters claiming one scheme (`acme`: the shipped Oracle adapters own `oracle`)."""

    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        registry.add_database("fast", _factory("fast"), schemes=("acme",), priority=10)
        registry.add_database("classic", _factory("classic"), schemes=("acme",), priority=0)
        registry.add_database("dialect", _factory("dialect"), schemes=("acme+dialect-driver",))


def _chosen(url: str) -> str:
    registry = build_registry(create_plugin_manager(autoload=False, plugins=(TwoAdapters(),)))
    return registry.for_url(DatabaseUrl.parse(url)).name


def test_the_shipped_oracle_adapters_share_oracle_by_priority() -> None:
    registry = build_registry(create_plugin_manager(autoload=False))
    assert registry.for_url(DatabaseUrl.parse("oracle://scott@db:1521/FREEPDB1")).name == "thin"
    assert registry.for_url(DatabaseUrl.parse("oracle+thick://scott@db/x")).name == "thick"
    assert registry.for_url(DatabaseUrl.parse("oracle+oracledb://scott@db/x")).name == "sqlalchemy"


def test_the_higher_priority_wins_by_default() -> None:
    assert _chosen("acme://scott@db:1521/FREEPDB1") == "fast"


def test_the_other_adapter_is_chosen_by_name_in_the_scheme() -> None:
    assert _chosen("acme+classic://scott@db:1521/FREEPDB1") == "classic"
    assert _chosen("acme+fast://scott@db:1521/FREEPDB1") == "fast"


def test_a_scheme_with_a_driver_goes_to_the_adapter_that_claims_it() -> None:
    assert _chosen("acme+dialect-driver://scott@db/x") == "dialect"


def test_the_other_adapter_is_chosen_by_name_in_settings(tmp_path: Path) -> None:
    db = FlextDbOracleApi.from_url(
        f"sqlite:///{tmp_path / 'x.db'}", adapter="sqlalchemy", plugins=(TwoAdapters(),)
    )
    assert db.runtime.registry.get("database", "classic").priority == 0
    assert db.query("SELECT 1").unwrap().scalar() == 1
    db.disconnect()


def test_an_equal_priority_tie_is_a_configuration_error_naming_both() -> None:
    class Tie:
        @hookimpl
        def register_adapters(self, registry: AdapterRegistry) -> None:
            registry.add_database("left", _factory("left"), schemes=("acme",), priority=5)
            registry.add_database("right", _factory("right"), schemes=("acme",), priority=5)

    registry = build_registry(create_plugin_manager(autoload=False, plugins=(Tie(),)))

    with pytest.raises(DbError) as raised:
        registry.for_url(DatabaseUrl.parse("acme://db/x"))

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "'left'" in raised.value.message and "'right'" in raised.value.message
