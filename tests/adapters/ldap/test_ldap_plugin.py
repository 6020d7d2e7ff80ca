"""The plugin as the core finds it: entry point, registry entry, settings model, light import."""

from __future__ import annotations

import subprocess
import sys

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.plugins import build_registry, collect_plugin_settings, create_plugin_manager
from flext_db_oracle.settings import load_settings
from flext_db_oracle_ldap.adapter import LdapAuthAdapter
from flext_db_oracle_ldap.settings import LdapSettings


def test_entry_point_registers_the_auth_adapter() -> None:
    manager = create_plugin_manager(autoload=False)  # first-party entry points only
    entry = build_registry(manager).get("auth", "ldap")
    assert entry.settings_model is LdapSettings
    assert entry.plugin == "ldap"
    assert collect_plugin_settings(manager)["ldap"] is LdapSettings


def test_factory_builds_the_adapter_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = build_registry(create_plugin_manager(autoload=False)).get("auth", "ldap")
    # A port nobody listens on: building must not connect.
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_URL", "ldap://127.0.0.1:9")
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_USER_DN_TEMPLATE", "uid={username},dc=example")
    adapter = entry.factory(load_settings(), None)
    assert isinstance(adapter, LdapAuthAdapter)
    assert adapter.name == "ldap"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({}, "FLEXT_DB_ORACLE_LDAP_URL"),
        ({"url": "ldap://127.0.0.1:9"}, "FLEXT_DB_ORACLE_LDAP_BIND_DN"),
        (
            {"url": "ldap://127.0.0.1:9", "bind_dn": "cn=svc", "bind_password": "Svc-Pass-9"},
            "FLEXT_DB_ORACLE_LDAP_USER_BASE_DN",
        ),
    ],
)
def test_factory_names_what_is_missing(values: dict[str, str], named: str) -> None:
    entry = build_registry(create_plugin_manager(autoload=False)).get("auth", "ldap")
    with pytest.raises(DbError) as raised:
        entry.factory(load_settings(), LdapSettings(**values))  # type: ignore[arg-type]
    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert named in raised.value.message


def test_plugin_import_loads_no_ldap_client() -> None:
    probe = (
        "import sys, flext_db_oracle_ldap.plugin; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'ldap3', 'pyasn1', 'oracledb'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"
