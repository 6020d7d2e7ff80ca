"""The adapter's settings: variables, profile table, validation naming the field, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Permission
from flext_db_oracle.redaction import redact
from flext_db_oracle.settings import load_adapter_settings, load_settings
from flext_db_oracle_ldap.settings import LdapSettings
from pydantic import ValidationError


def test_from_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_URL", "ldaps://ldap.example.com:636")
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_PRESET", "ad")
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_ROLE_MAP", '{"readers": "read", "dbas": "admin"}')
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_TIMEOUT_S", "2.5")
    settings = LdapSettings()
    assert settings.url == "ldaps://ldap.example.com:636"
    assert settings.preset == "ad"
    assert settings.role_map == {"readers": "read", "dbas": "admin"}
    assert settings.timeout_s == 2.5
    assert settings.referrals is False


def test_from_a_profile_table(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        """
[profiles.corp]
url = "sqlite:///x.db"
auth_adapter = "ldap"

[profiles.corp.ldap]
url = "ldap://127.0.0.1:3389"
user_base_dn = "ou=people,dc=example,dc=com"
role_map = { readers = "read" }
""",
        encoding="utf-8",
    )
    settings = load_settings(profile="corp", profiles_file=profiles)
    ldap = load_adapter_settings(LdapSettings, settings)
    assert ldap.url == "ldap://127.0.0.1:3389"
    assert ldap.role_map == {"readers": "read"}


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"url": "http://ldap.example.com"}, "FLEXT_DB_ORACLE_LDAP_URL"),
        ({"user_dn_template": "uid=x,dc=example"}, "FLEXT_DB_ORACLE_LDAP_USER_DN_TEMPLATE"),
        ({"bind_dn": "cn=svc,dc=example,dc=com"}, "FLEXT_DB_ORACLE_LDAP_BIND_PASSWORD"),
        ({"role_map": {"g": "superuser"}}, "FLEXT_DB_ORACLE_LDAP_ROLE_MAP"),
        ({"url": "ldaps://h:636", "start_tls": True}, "FLEXT_DB_ORACLE_LDAP_START_TLS"),
        ({"ca_file": "/nonexistent/ca.pem"}, "FLEXT_DB_ORACLE_LDAP_CA_FILE"),
        ({"timeout_s": 0}, "timeout_s"),
        ({"preset": "novell"}, "preset"),
    ],
)
def test_validation_names_the_field(values: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError) as raised:
        LdapSettings(**values)  # type: ignore[arg-type]
    assert named in str(raised.value)


def test_load_errors_are_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_URL", "ftp://nope")
    with pytest.raises(DbError) as raised:
        load_adapter_settings(LdapSettings, load_settings())
    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "FLEXT_DB_ORACLE_LDAP_URL" in raised.value.message


def test_bind_password_is_hidden() -> None:
    settings = LdapSettings(bind_dn="cn=svc,dc=example,dc=com", bind_password="Svc-Hidden-77")
    assert "Svc-Hidden-77" not in repr(settings)
    assert "Svc-Hidden-77" not in str(settings.model_dump())
    assert redact("bind failed with Svc-Hidden-77") == "bind failed with ***"


def test_default_permissions_nest() -> None:
    settings = LdapSettings()
    assert settings.permissions_of(frozenset({"read"})) == {Permission.READ}
    assert settings.permissions_of(frozenset({"write"})) == {Permission.READ, Permission.WRITE}
    assert settings.permissions_of(frozenset({"ddl"})) == {
        Permission.READ,
        Permission.WRITE,
        Permission.DDL,
    }
    assert settings.permissions_of(frozenset({"admin"})) == set(Permission)
    assert settings.permissions_of(frozenset({"unmapped"})) == set()
