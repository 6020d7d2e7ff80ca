"""One real OpenLDAP `slapd` per session (see slapd_server.py), and LDAP settings for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle_ldap.settings import LdapSettings

from tests.adapters.ldap.slapd_server import SUFFIX, SlapdServer, slapd_binary, start_slapd
from tests.support.services import require_service

ROOT_PASSWORD = "Root-Slapd-Secret-0"
SERVICE_DN = f"cn=svc-flext,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "svc-Bind-Secret-42"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
AD_BASE = f"ou=ad,{SUFFIX}"
ORACLE_CONTEXT = f"cn=OracleContext,{SUFFIX}"
PASSWORDS = {
    "alice": "Alice-Pass-1",
    "bob": "Bob-Pass-2",
    "carol": "Carol-Pass-3",
    "locked": "Locked-Pass-4",
    "expired": "Expired-Pass-5",
    "dsmith": "Dave-Pass-6",
    "twin": "Twin-Pass-7",
}
ROLE_MAP = {"readers": "read", "dbas": "admin", "schema-owners": "ddl", "SQL Writers": "write"}

SettingsFactory = Callable[..., LdapSettings]


@pytest.fixture(autouse=True)
def no_ldap_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from each test, never from the caller's FLEXT_DB_ORACLE_LDAP_*."""
    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_LDAP_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlapdServer]:
    if slapd_binary() is None:
        require_service("OpenLDAP slapd is not installed (apt-get install slapd ldap-utils)")
    server = start_slapd(Path(tmp_path_factory.mktemp("slapd")), ROOT_PASSWORD)
    yield server
    server.stop()


@pytest.fixture
def ldap_settings(slapd: SlapdServer) -> SettingsFactory:
    """Search-then-bind settings for the test directory; keyword arguments override."""

    def make(**overrides: Any) -> LdapSettings:
        values: dict[str, Any] = {
            "url": slapd.url,
            "bind_dn": SERVICE_DN,
            "bind_password": SERVICE_PASSWORD,
            "user_base_dn": PEOPLE,
            "group_base_dn": GROUPS,
            "role_map": ROLE_MAP,
            "timeout_s": 3,
            **overrides,
        }
        return LdapSettings(**values)

    return make
