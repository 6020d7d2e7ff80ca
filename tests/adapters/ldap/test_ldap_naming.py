"""LDAP naming of Oracle services against the real slapd: alias to connect descriptor."""

from __future__ import annotations

import pytest
from flext_db_oracle.errors import ErrorKind
from flext_db_oracle_ldap import plugin
from flext_db_oracle_ldap.naming import locate, resolve_service
from flext_db_oracle_ldap.settings import LdapSettings
from returns.result import Failure, Success

from tests.adapters.ldap.conftest import ORACLE_CONTEXT, SUFFIX, SettingsFactory
from tests.adapters.ldap.slapd_server import SlapdServer

SALES = (
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=db.example.com)(PORT=1521))"
    "(CONNECT_DATA=(SERVICE_NAME=sales.example.com)))"
)


def anonymous(slapd: SlapdServer, **overrides: object) -> LdapSettings:
    return LdapSettings(url=slapd.url, oracle_context=ORACLE_CONTEXT, **overrides)


def test_bare_alias_under_the_configured_context(slapd: SlapdServer) -> None:
    assert resolve_service("SALES", anonymous(slapd)) == Success(SALES)


@pytest.mark.parametrize(
    "path",
    [
        f"cn=SALES,{ORACLE_CONTEXT}",  # the DN
        f"SALES,{ORACLE_CONTEXT}",  # the JDBC spelling
        "SALES",  # under the configured context
        f"cn%3DSALES%2C{ORACLE_CONTEXT}",  # percent-encoded, as RFC 4516 allows
    ],
)
def test_ldap_urls(slapd: SlapdServer, path: str) -> None:
    settings = LdapSettings(oracle_context=ORACLE_CONTEXT)  # no URL: the alias names the server
    assert resolve_service(f"{slapd.url}/{path}", settings) == Success(SALES)


def test_as_the_service_account_over_start_tls(
    ldap_settings: SettingsFactory, slapd: SlapdServer
) -> None:
    settings = ldap_settings(
        url=slapd.start_tls_url,
        oracle_context=ORACLE_CONTEXT,
        start_tls=True,
        ca_file=slapd.certificates.ca,
    )
    assert resolve_service("SALES", settings) == Success(SALES)


def test_unknown_alias_is_not_found(slapd: SlapdServer) -> None:
    match resolve_service("NOSUCH", anonymous(slapd)):
        case Failure(error):
            assert error.kind is ErrorKind.NOT_FOUND
            assert "NOSUCH" in error.message
        case other:
            pytest.fail(f"expected not_found, got {other}")


def test_alias_needs_a_context() -> None:
    match locate("SALES", LdapSettings(url="ldap://127.0.0.1:389")):
        case Failure(error):
            assert error.kind is ErrorKind.CONFIGURATION
            assert "FLEXT_DB_ORACLE_LDAP_ORACLE_CONTEXT" in error.message
        case other:
            pytest.fail(f"expected a configuration error, got {other}")


def test_alias_is_escaped_into_one_rdn() -> None:
    settings = LdapSettings(url="ldap://127.0.0.1:389", oracle_context=ORACLE_CONTEXT)
    match locate("SALES,dc=evil", settings):
        case Success(name):
            assert name.dn == f"cn=SALES\\,dc\\=evil,{ORACLE_CONTEXT}"
        case other:
            pytest.fail(f"expected a location, got {other}")


def test_resolve_dsn_hook(slapd: SlapdServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert plugin.resolve_dsn(alias="SALES") is None  # LDAP naming not configured
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_URL", slapd.url)
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_ORACLE_CONTEXT", ORACLE_CONTEXT)
    assert plugin.resolve_dsn(alias="SALES") == SALES
    assert plugin.resolve_dsn(alias="NOSUCH") is None  # another plugin may know it
    assert plugin.resolve_dsn(alias=f"{slapd.url}/cn=SALES,{ORACLE_CONTEXT}") == SALES


def test_resolve_dsn_hook_raises_when_the_directory_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flext_db_oracle.errors import DbError

    from tests.adapters.ldap.slapd_server import free_port

    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_URL", f"ldap://127.0.0.1:{free_port()}")
    monkeypatch.setenv("FLEXT_DB_ORACLE_LDAP_ORACLE_CONTEXT", f"cn=OracleContext,{SUFFIX}")
    with pytest.raises(DbError) as raised:
        plugin.resolve_dsn(alias="SALES")
    assert raised.value.kind is ErrorKind.CONNECTION


def test_python_oracledb_resolves_ldap_connect_strings(slapd: SlapdServer) -> None:
    oracledb = pytest.importorskip(
        "oracledb", reason="python-oracledb is not installed (the Oracle adapter brings it)"
    )
    from flext_db_oracle_ldap.naming import register_oracledb_protocol

    register_oracledb_protocol(anonymous(slapd))
    params = oracledb.ConnectParams()
    params.parse_connect_string(f"{slapd.url}/cn=SALES,{ORACLE_CONTEXT}")
    assert params.host == "db.example.com"
    assert params.port == 1521
    assert params.service_name == "sales.example.com"
