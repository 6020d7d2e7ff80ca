"""Secret sweep: no bind password or user password in errors, logs, exception chains, reprs."""

from __future__ import annotations

import logging

import pytest
from flext_db_oracle.errors import DbError
from flext_db_oracle.models import Credentials
from flext_db_oracle_ldap.adapter import LdapAuthAdapter
from flext_db_oracle_ldap.naming import resolve_service
from pydantic import SecretStr
from returns.result import Failure, Result

from tests.adapters.ldap.conftest import (
    ORACLE_CONTEXT,
    PASSWORDS,
    SERVICE_PASSWORD,
    SettingsFactory,
)
from tests.adapters.ldap.slapd_server import SlapdServer, free_port

SECRETS = (SERVICE_PASSWORD, *PASSWORDS.values(), "Wrong-Guess-77", "not-the-svc-password")


def texts_of(result: Result[object, DbError]) -> list[str]:
    """Everything a caller could print of a result: str, repr, dict, exception chain."""
    texts = [str(result), repr(result)]
    if isinstance(result, Failure):
        error = result.failure()
        texts += [str(error), repr(error), str(error.as_dict())]
        cause: BaseException | None = error
        while cause is not None:
            texts.append(repr(cause))
            cause = cause.__cause__ or cause.__context__
    return texts


def test_no_secret_anywhere(
    ldap_settings: SettingsFactory, slapd: SlapdServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = ldap_settings(oracle_context=ORACLE_CONTEXT)
    adapters = [
        LdapAuthAdapter(settings),
        LdapAuthAdapter(ldap_settings(bind_password="not-the-svc-password")),
        LdapAuthAdapter(ldap_settings(url=f"ldap://127.0.0.1:{free_port()}")),
        LdapAuthAdapter(
            ldap_settings(
                url=slapd.start_tls_url, start_tls=True, ca_file=slapd.certificates.other_ca
            )
        ),
    ]
    attempts = [
        ("alice", PASSWORDS["alice"]),
        ("alice", "Wrong-Guess-77"),
        ("locked", PASSWORDS["locked"]),
        ("expired", PASSWORDS["expired"]),
        ("nobody", "Wrong-Guess-77"),
    ]
    seen: list[str] = [repr(settings), str(settings), *(repr(adapter) for adapter in adapters)]
    for adapter in adapters:
        for username, password in attempts:
            result = adapter.authenticate(
                Credentials(username=username, password=SecretStr(password))
            )
            seen += texts_of(result)
        adapter.close()
    seen += texts_of(resolve_service("NOSUCH", settings))
    seen.append(caplog.text)
    assert "ldap sign-in refused" in caplog.text  # the sweep did see the log lines
    assert "user='alice'" in caplog.text
    for text in seen:
        for secret in SECRETS:
            assert secret not in text
