"""No password, client secret or token in logs, errors or reprs, whatever happens."""

from __future__ import annotations

import logging

import pytest
from flext_db_oracle.models import ReadRequest

from tests.adapters.oic import contract_server as oic
from tests.adapters.oic.conftest import AdapterFactory, basic_settings, oauth_settings
from tests.adapters.oic.contract_server import Fault, OicContractServer


def _secrets(server: OicContractServer) -> list[str]:
    return [oic.PASSWORD, oic.CLIENT_SECRET, *server.tokens]


@pytest.mark.usefixtures("stdlib_logging")
def test_no_secret_in_logs_or_errors(
    server: OicContractServer, make_adapter: AdapterFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []
    for auth in ("basic", "oauth"):
        adapter = make_adapter(auth)
        server.inject("GET", "integrations", Fault(500), Fault(429, headers={"Retry-After": "0"}))
        with adapter.read("integrations", ReadRequest()).unwrap() as stream:
            assert sum(len(batch) for batch in stream) == 120
        server.expire_tokens()
        server.inject("POST", "connections/ERP_CLOUD/test", Fault(500))
        for result in (
            adapter.test_connection("ERP_CLOUD"),
            adapter.activate("INT_0004|01.00.0000"),
            adapter.get_integration("NOPE|1"),
        ):
            error = result.failure()
            shown += [str(error), repr(error), repr(error.as_dict())]
    refused = make_adapter("oauth", client_secret="cs-wrong-" + oic.CLIENT_SECRET)
    shown.append(str(refused.read("connections", ReadRequest()).failure()))

    assert server.tokens, "OAuth2 tokens were issued"
    assert "http.request" in caplog.text  # the request log was on
    assert "retry" in caplog.text
    for secret in _secrets(server):
        assert secret not in caplog.text
        for text in shown:
            assert secret not in text


def test_settings_repr_hides_secrets(server: OicContractServer) -> None:
    for settings in (basic_settings(server), oauth_settings(server)):
        text = repr(settings) + str(settings.model_dump())
        assert oic.PASSWORD not in text
        assert oic.CLIENT_SECRET not in text
