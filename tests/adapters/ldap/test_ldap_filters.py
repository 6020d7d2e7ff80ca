"""Filters and error mapping, as text: RFC 4515 escaping, AD's in-chain rule, AD states."""

from __future__ import annotations

import pytest
from flext_db_oracle.errors import ErrorKind
from flext_db_oracle_ldap.errors import ad_account_state, map_ldap_error
from flext_db_oracle_ldap.ppolicy import account_state
from flext_db_oracle_ldap.presets import ACTIVE_DIRECTORY, AD_IN_CHAIN_OID, OPENLDAP
from ldap3.core.exceptions import (
    LDAPBusyResult,
    LDAPInsufficientAccessRightsResult,
    LDAPInvalidCredentialsResult,
    LDAPSocketOpenError,
)


@pytest.mark.parametrize(
    ("username", "escaped"),
    [
        ("*", "\\2a"),
        (")(uid=*", "\\29\\28uid=\\2a"),
        ("alice\x00", "alice\\00"),
        ("a\\b", "a\\5cb"),
    ],
)
def test_user_filter_escapes_rfc4515(username: str, escaped: str) -> None:
    assert OPENLDAP.user_filter(username) == f"(&(objectClass=person)(uid={escaped}))"


def test_ad_user_filter_matches_either_login() -> None:
    assert ACTIVE_DIRECTORY.user_filter("d*") == (
        "(&(objectCategory=person)(objectClass=user)"
        "(|(sAMAccountName=d\\2a)(userPrincipalName=d\\2a)))"
    )


def test_ad_group_filter_uses_the_in_chain_rule() -> None:
    assert ACTIVE_DIRECTORY.group_filter(["cn=Dave (ops),ou=ad,dc=example,dc=com"], "dsmith") == (
        f"(&(objectClass=group)(|(member:{AD_IN_CHAIN_OID}:="
        "cn=Dave \\28ops\\29,ou=ad,dc=example,dc=com)))"
    )


def test_openldap_group_filter_covers_every_membership_kind() -> None:
    text = OPENLDAP.group_filter(["uid=a*,dc=x"], "a*")
    assert "(&(objectClass=groupOfNames)(member=uid=a\\2a,dc=x))" in text
    assert "(&(objectClass=groupOfUniqueNames)(uniqueMember=uid=a\\2a,dc=x))" in text
    assert "(&(objectClass=posixGroup)(memberUid=a\\2a))" in text


AD_BIND_ERROR = "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error"


@pytest.mark.parametrize(
    ("diagnostic", "state"),
    [
        (f"{AD_BIND_ERROR}, data 775, v2580", "account locked"),
        (f"{AD_BIND_ERROR}, data 532, v2580", "password expired"),
        (f"{AD_BIND_ERROR}, data 533, v2580", "account disabled"),
        (f"{AD_BIND_ERROR}, data 52e, v2580", None),  # plain bad credentials
        (None, None),
    ],
)
def test_ad_account_states(diagnostic: str | None, state: str | None) -> None:
    assert ad_account_state(diagnostic) == state


def test_ppolicy_control_decoding() -> None:
    # BER of PasswordPolicyResponseValue { error accountLocked(1) }: 30 03 81 01 01
    locked = {"1.3.6.1.4.1.42.2.27.8.5.1": {"value": bytes.fromhex("3003810101")}}
    expired = {"1.3.6.1.4.1.42.2.27.8.5.1": {"value": bytes.fromhex("3003810100")}}
    warning_only = {"1.3.6.1.4.1.42.2.27.8.5.1": {"value": bytes.fromhex("3005a003800132")}}
    assert account_state(locked) == "account locked"
    assert account_state(expired) == "password expired"
    assert account_state(warning_only) is None
    assert account_state({"1.3.6.1.4.1.42.2.27.8.5.1": {"value": b"\x05garbage"}}) is None
    assert account_state(None) is None


def test_ldap3_exceptions_map_to_kinds() -> None:
    refused = LDAPSocketOpenError("socket connection error while opening: [Errno 111] refused")
    assert map_ldap_error(refused).kind is ErrorKind.CONNECTION
    assert map_ldap_error(refused).retryable is True
    assert map_ldap_error(LDAPInvalidCredentialsResult(result=49)).kind is ErrorKind.AUTHENTICATION
    busy = map_ldap_error(LDAPBusyResult(result=51, description="busy"))
    assert (busy.kind, busy.code, busy.retryable) == (ErrorKind.CONNECTION, "51", True)
    denied = map_ldap_error(LDAPInsufficientAccessRightsResult(result=50, description="x"))
    assert (denied.kind, denied.code) == (ErrorKind.AUTHORIZATION, "50")
    assert map_ldap_error(TimeoutError("timed out")).kind is ErrorKind.TIMEOUT
