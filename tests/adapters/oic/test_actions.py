"""Activate, deactivate and test a connection: sent once, never retried (only resent
once after a 401 refreshed the token), with OIC's method override."""

from __future__ import annotations

from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from returns.result import Failure, Result

from tests.adapters.oic.conftest import AdapterFactory
from tests.adapters.oic.contract_server import TOKEN_PATH, Fault, OicContractServer

CONFIGURED = "INT_0001|01.00.0000"
ACTIVATED = "INT_0004|01.00.0000"


def failure_of(result: Result[Any, DbError]) -> DbError:
    assert isinstance(result, Failure), result
    error = result.failure()
    assert isinstance(error, DbError)
    return error


def test_activate_then_deactivate(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    adapter = make_adapter()
    assert adapter.activate(CONFIGURED).unwrap()["status"] == "ACTIVATED"
    assert server.integrations[CONFIGURED]["status"] == "ACTIVATED"
    assert adapter.deactivate(CONFIGURED).unwrap()["status"] == "CONFIGURED"
    posts = server.calls("POST", f"integrations/{CONFIGURED}")
    assert [p.body for p in posts] == [{"status": "ACTIVATED"}, {"status": "CONFIGURED"}]
    assert posts[0].raw_path.endswith("INT_0001%7C01.00.0000")


def test_activating_an_active_integration_is_412(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    error = failure_of(make_adapter().activate(ACTIVATED))
    assert (error.kind, error.code, error.retryable) == (ErrorKind.QUERY, "412", False)
    assert len(server.calls("POST", f"integrations/{ACTIVATED}")) == 1


def test_actions_are_never_retried(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    adapter = make_adapter()
    server.inject("POST", f"integrations/{CONFIGURED}", Fault(503), Fault(503))
    error = failure_of(adapter.activate(CONFIGURED))
    assert error.code == "503"
    assert len(server.calls("POST", f"integrations/{CONFIGURED}")) == 1
    server.inject("POST", "connections/ERP_CLOUD/test", Fault(429, headers={"Retry-After": "0"}))
    assert failure_of(adapter.test_connection("ERP_CLOUD")).code == "429"
    assert len(server.calls("POST", "connections/ERP_CLOUD/test")) == 1


def test_a_slow_action_times_out_once(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.inject("POST", f"integrations/{CONFIGURED}", Fault(delay_s=1.0, then_normal=True))
    error = failure_of(make_adapter(timeout_s=0.3).activate(CONFIGURED))
    assert error.kind is ErrorKind.TIMEOUT
    assert len(server.calls("POST", f"integrations/{CONFIGURED}")) == 1


def test_an_action_refused_for_an_expired_token_is_sent_once_more(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter("oauth")
    assert adapter.activate(CONFIGURED).unwrap()["status"] == "ACTIVATED"
    server.expire_tokens()
    assert adapter.deactivate(CONFIGURED).unwrap()["status"] == "CONFIGURED"
    posts = server.calls("POST", f"integrations/{CONFIGURED}")
    # activate; deactivate refused with 401, then sent once more with a new token
    assert [p.body["status"] for p in posts] == ["ACTIVATED", "CONFIGURED", "CONFIGURED"]
    assert len(server.calls("POST", TOKEN_PATH)) == 2


def test_connection_test(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    adapter = make_adapter()
    assert adapter.test_connection("REST_SAMPLE").unwrap()["testStatus"] == "SUCCESS"
    incomplete = failure_of(adapter.test_connection("HALF_DONE"))
    assert (incomplete.kind, incomplete.code) == (ErrorKind.INTEGRITY, "409")
    missing = failure_of(adapter.test_connection("NOPE"))
    assert missing.kind is ErrorKind.NOT_FOUND


def test_waiting_for_a_background_activation(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.activation_polls = 2
    adapter = make_adapter()
    assert adapter.activate(CONFIGURED).unwrap()["status"] == "INPROGRESS"
    assert adapter.wait_until_activated(CONFIGURED, timeout_s=5, interval_s=0.01).unwrap() == (
        "ACTIVATED"
    )
    assert len(server.calls("GET", f"integrations/{CONFIGURED}/activationStatus")) == 3


def test_a_failed_activation_names_oic_s_reason(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.failing_activation.add(CONFIGURED)
    adapter = make_adapter()
    adapter.activate(CONFIGURED).unwrap()
    error = failure_of(adapter.wait_until_activated(CONFIGURED, timeout_s=5, interval_s=0.01))
    assert (error.kind, error.code) == (ErrorKind.QUERY, "FAILEDACTIVATION")
    assert error.message.endswith("cannot be activated. bad mapping")


def test_an_activation_still_running_times_out(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.activation_polls = 1000
    adapter = make_adapter()
    adapter.activate(CONFIGURED).unwrap()
    error = failure_of(adapter.wait_until_activated(CONFIGURED, timeout_s=0.2, interval_s=0.05))
    assert error.kind is ErrorKind.TIMEOUT
    assert error.detail["status"] == "ACTIVATION_INPROGRESS"


def test_an_empty_identifier_is_a_typed_error_without_traffic(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter()
    for result in (
        adapter.get_integration(""),
        adapter.activate(""),
        adapter.test_connection(""),
        adapter.get_instance(""),
        adapter.activity_stream(""),
    ):
        assert failure_of(result).kind is ErrorKind.QUERY
    assert server.requests == []
