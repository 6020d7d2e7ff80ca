"""Sign-in against the real slapd: flows, presets, groups to roles, account states, injection."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Credentials, Permission, Principal
from flext_db_oracle_ldap.adapter import LdapAuthAdapter
from flext_db_oracle_ldap.errors import BAD_CREDENTIALS
from pydantic import SecretStr
from returns.result import Failure, Success

from tests.adapters.ldap.conftest import AD_BASE, PASSWORDS, PEOPLE, SettingsFactory
from tests.adapters.ldap.slapd_server import SlapdServer, free_port


def sign_in(adapter: LdapAuthAdapter, username: str, password: str) -> Principal:
    result = adapter.authenticate(Credentials(username=username, password=SecretStr(password)))
    match result:
        case Success(principal):
            return principal
    pytest.fail(f"sign-in of {username!r} failed: {result}")


def refusal(adapter: LdapAuthAdapter, username: str, password: str) -> DbError:
    result = adapter.authenticate(Credentials(username=username, password=SecretStr(password)))
    match result:
        case Failure(error):
            return error
    pytest.fail(f"sign-in of {username!r} was accepted: {result}")


@pytest.fixture
def adapter(ldap_settings: SettingsFactory) -> Iterator[LdapAuthAdapter]:
    adapter = LdapAuthAdapter(ldap_settings())
    yield adapter
    adapter.close()


def test_good_login_gives_the_principal(adapter: LdapAuthAdapter) -> None:
    principal = sign_in(adapter, "alice", PASSWORDS["alice"])
    assert principal.name == "alice"
    assert principal.dn == f"uid=alice,{PEOPLE}"
    assert principal.display_name == "Alice Liddell"
    assert principal.email == "alice@example.com"
    assert principal.groups == {"readers"}
    assert principal.roles == {"read"}
    assert principal.permissions == {Permission.READ}
    assert principal.adapter == "ldap"
    assert not principal.allows(Permission.WRITE)


def test_wrong_password_and_unknown_user_are_refused_alike(adapter: LdapAuthAdapter) -> None:
    wrong = refusal(adapter, "alice", "not-her-password")
    unknown = refusal(adapter, "nobody", "whatever-Pass-1")
    for error in (wrong, unknown):
        assert error.kind is ErrorKind.AUTHENTICATION
        assert error.message == BAD_CREDENTIALS
        assert error.code == "49"
        assert error.retryable is False
    assert wrong == unknown


def test_an_ambiguous_login_is_refused(adapter: LdapAuthAdapter) -> None:
    # Two entries carry uid=twin (same password): which one signs in must not be a guess.
    assert refusal(adapter, "twin", PASSWORDS["twin"]).message == BAD_CREDENTIALS


def test_pool_replaces_a_connection_the_server_closed(adapter: LdapAuthAdapter) -> None:
    assert sign_in(adapter, "alice", PASSWORDS["alice"]).name == "alice"
    time.sleep(2.2)  # slapd's idletimeout (1 s, checked every second) drops the pooled ones
    assert sign_in(adapter, "alice", PASSWORDS["alice"]).name == "alice"


def test_empty_password_is_refused_before_any_bind(ldap_settings: SettingsFactory) -> None:
    # Nothing listens on this port: reaching the network would be a connection error.
    adapter = LdapAuthAdapter(ldap_settings(url=f"ldap://127.0.0.1:{free_port()}"))
    error = refusal(adapter, "alice", "")
    assert error.kind is ErrorKind.AUTHENTICATION
    assert "empty password" in error.message


@pytest.mark.parametrize(
    "username",
    ["*", "ali*", "alice)(uid=*", "*)(uid=alice", "alice\x00", "alice\\00", "alice\\2a"],
)
def test_filter_injection_matches_nobody(adapter: LdapAuthAdapter, username: str) -> None:
    # With alice's password: an unescaped filter would find her (or someone) and sign in.
    error = refusal(adapter, username, PASSWORDS["alice"])
    assert error.kind is ErrorKind.AUTHENTICATION
    assert error.message == BAD_CREDENTIALS


def test_nested_group_maps_to_its_role(adapter: LdapAuthAdapter) -> None:
    # bob is in `oncall` (groupOfUniqueNames), which is a member of `dbas` (groupOfNames).
    principal = sign_in(adapter, "bob", PASSWORDS["bob"])
    assert principal.groups == {"oncall", "dbas"}
    assert principal.roles == {"admin"}
    assert principal.permissions == set(Permission)


def test_nested_groups_can_be_turned_off(ldap_settings: SettingsFactory) -> None:
    adapter = LdapAuthAdapter(ldap_settings(nested_groups=False))
    principal = sign_in(adapter, "bob", PASSWORDS["bob"])
    assert principal.groups == {"oncall"}
    assert principal.roles == set()
    assert principal.permissions == set()


def test_posix_group_membership_by_login(adapter: LdapAuthAdapter) -> None:
    principal = sign_in(adapter, "carol", PASSWORDS["carol"])
    assert principal.groups == {"schema-owners"}
    assert principal.roles == {"ddl"}
    assert principal.permissions == {Permission.READ, Permission.WRITE, Permission.DDL}
    assert principal.display_name == "Carol Danvers"  # no displayName: the cn


def test_role_map_by_group_dn_and_custom_permissions(ldap_settings: SettingsFactory) -> None:
    adapter = LdapAuthAdapter(
        ldap_settings(
            role_map={"CN=Readers,OU=Groups,DC=example,DC=com": "auditor"},
            role_permissions={"auditor": ["read"]},
        )
    )
    principal = sign_in(adapter, "alice", PASSWORDS["alice"])
    assert principal.roles == {"auditor"}
    assert principal.permissions == {Permission.READ}


def test_locked_account_is_named(adapter: LdapAuthAdapter) -> None:
    error = refusal(adapter, "locked", PASSWORDS["locked"])
    assert error.kind is ErrorKind.AUTHENTICATION
    assert error.message == "sign-in refused: account locked"
    assert error.detail["reason"] == "account locked"
    assert error.code == "49"


def test_expired_password_is_named(adapter: LdapAuthAdapter) -> None:
    error = refusal(adapter, "expired", PASSWORDS["expired"])
    assert error.kind is ErrorKind.AUTHENTICATION
    assert error.detail["reason"] == "password expired"


def test_direct_bind_with_a_dn_template(ldap_settings: SettingsFactory) -> None:
    settings = ldap_settings(
        bind_dn=None, bind_password=None, user_dn_template=f"uid={{username}},{PEOPLE}"
    )
    adapter = LdapAuthAdapter(settings)
    principal = sign_in(adapter, "bob", PASSWORDS["bob"])
    assert principal.dn == f"uid=bob,{PEOPLE}"
    assert principal.roles == {"admin"}
    assert refusal(adapter, "bob", "wrong-Pass-0").message == BAD_CREDENTIALS
    # RFC 4514: a comma in the name cannot add an RDN to the template's DN.
    assert refusal(adapter, "bob,ou=people", PASSWORDS["bob"]).kind is ErrorKind.AUTHENTICATION


@pytest.mark.parametrize("login", ["dsmith", "dsmith@corp.example.com"])
def test_active_directory_preset(ldap_settings: SettingsFactory, login: str) -> None:
    adapter = LdapAuthAdapter(
        ldap_settings(preset="ad", user_base_dn=AD_BASE, group_base_dn=AD_BASE)
    )
    principal = sign_in(adapter, login, PASSWORDS["dsmith"])
    assert principal.name == "dsmith"  # the sAMAccountName, whichever login was typed
    assert principal.email == "dsmith@corp.example.com"
    assert principal.groups == {"SQL Writers"}  # from memberOf (slapd has no in-chain rule)
    assert principal.roles == {"write"}
    assert principal.permissions == {Permission.READ, Permission.WRITE}


def test_start_tls_with_the_test_ca(ldap_settings: SettingsFactory, slapd: SlapdServer) -> None:
    adapter = LdapAuthAdapter(
        ldap_settings(url=slapd.start_tls_url, start_tls=True, ca_file=slapd.certificates.ca)
    )
    assert sign_in(adapter, "alice", PASSWORDS["alice"]).name == "alice"


def test_ldaps_with_the_test_ca(ldap_settings: SettingsFactory, slapd: SlapdServer) -> None:
    adapter = LdapAuthAdapter(ldap_settings(url=slapd.ldaps_url, ca_file=slapd.certificates.ca))
    assert sign_in(adapter, "alice", PASSWORDS["alice"]).name == "alice"


@pytest.mark.parametrize("secure", ["start_tls", "ldaps"])
def test_an_untrusted_certificate_is_refused(
    ldap_settings: SettingsFactory, slapd: SlapdServer, secure: str
) -> None:
    options = (
        {"url": slapd.start_tls_url, "start_tls": True}
        if secure == "start_tls"
        else {"url": slapd.ldaps_url}
    )
    adapter = LdapAuthAdapter(ldap_settings(ca_file=slapd.certificates.other_ca, **options))
    error = refusal(adapter, "alice", PASSWORDS["alice"])
    assert error.kind is ErrorKind.CONNECTION
    assert "TLS" in error.message
    assert error.retryable is False


def test_server_down_is_a_retryable_connection_error(ldap_settings: SettingsFactory) -> None:
    adapter = LdapAuthAdapter(ldap_settings(url=f"ldap://127.0.0.1:{free_port()}"))
    started = time.monotonic()
    error = refusal(adapter, "alice", PASSWORDS["alice"])
    assert error.kind is ErrorKind.CONNECTION
    assert error.retryable is True
    assert time.monotonic() - started < 3


def test_silent_server_times_out_within_the_timeout(ldap_settings: SettingsFactory) -> None:
    # A socket that accepts TCP connections (the kernel's backlog) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        adapter = LdapAuthAdapter(ldap_settings(url=f"ldap://127.0.0.1:{port}", timeout_s=1))
        started = time.monotonic()
        error = refusal(adapter, "alice", PASSWORDS["alice"])
        elapsed = time.monotonic() - started
    assert error.kind is ErrorKind.TIMEOUT
    assert error.retryable is True
    assert elapsed < 3


def test_a_refused_service_account_is_a_configuration_error(
    ldap_settings: SettingsFactory,
) -> None:
    adapter = LdapAuthAdapter(ldap_settings(bind_password="not-the-svc-password"))
    error = refusal(adapter, "alice", PASSWORDS["alice"])
    assert error.kind is ErrorKind.CONFIGURATION
    assert error.code == "49"
    assert "BIND_PASSWORD" in error.message


def test_pool_serves_concurrent_sign_ins(ldap_settings: SettingsFactory) -> None:
    adapter = LdapAuthAdapter(ldap_settings(pool_size=2))
    names: list[str] = []
    lock = threading.Lock()

    def sign_in_as(user: str) -> None:
        principal = sign_in(adapter, user, PASSWORDS[user])
        with lock:
            names.append(principal.name)

    threads = [
        threading.Thread(target=sign_in_as, args=(user,)) for user in ("alice", "bob", "carol") * 3
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(names) == sorted(["alice", "bob", "carol"] * 3)
    assert adapter.close() == Success(None)
    assert adapter.close() == Success(None)  # idempotent
