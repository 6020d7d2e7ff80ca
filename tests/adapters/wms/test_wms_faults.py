"""Faults against the contract server: throttling, server errors, bad bodies, slow answers,
token expiry, and writes (never retried, resent once after a refused token)."""

from __future__ import annotations

import time

import pytest
from flext_db_oracle.errors import ErrorKind
from flext_db_oracle.models import ReadRequest
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle_wms.source import WmsRecordSource
from returns.result import Failure, Success

from tests.adapters.wms.conftest import FAST_RETRY, SettingsFactory
from tests.adapters.wms.contract_server import Fault, World

ITEM = "/entity/item/"
DESCRIBE = "/entity/item/describe/"
OPERATION = "/wms/api/update_oblpn_tracing_nbr/"
TRACKING = {"oblpn_nbr": "LPN1", "tracking_nbr": "T-1"}


def count_rows(source: WmsRecordSource) -> int:
    with source.read("item", ReadRequest(page_size=1000)).unwrap() as stream:
        return sum(len(batch) for batch in stream)


def test_429_waits_for_retry_after_then_succeeds(source: WmsRecordSource, world: World) -> None:
    world.faults.append(Fault(path=ITEM, status=429, headers={"Retry-After": "1"}))
    started = time.monotonic()
    assert count_rows(source) == 3000
    assert time.monotonic() - started >= 1.0
    assert world.requests("GET", ITEM) == 4  # the refused page, then three pages


def test_a_500_that_recovers_is_retried(source: WmsRecordSource, world: World) -> None:
    world.faults.append(Fault(path=DESCRIBE, status=500))
    assert isinstance(source.describe("item"), Success)
    assert world.requests("GET", DESCRIBE) == 2


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_lasting_5xx_is_retried_a_bounded_number_of_times(
    source: WmsRecordSource, world: World, status: int
) -> None:
    world.faults.append(Fault(path=DESCRIBE, status=status, times=100))
    started = time.monotonic()
    failure = source.describe("item")
    assert isinstance(failure, Failure)
    error = failure.failure()
    assert (error.kind, error.code, error.retryable) == (ErrorKind.CONNECTION, str(status), True)
    assert world.requests("GET", DESCRIBE) == FAST_RETRY.attempts
    assert time.monotonic() - started < FAST_RETRY.budget_s


def test_the_time_budget_bounds_retries_whatever_the_attempts(
    make_settings: SettingsFactory, world: World
) -> None:
    policy = RetryPolicy(attempts=1000, budget_s=0.5, initial_backoff_s=0.05, max_backoff_s=0.1)
    source = WmsRecordSource(make_settings(retry=policy))
    world.faults.append(Fault(path=DESCRIBE, status=503, times=1000))
    started = time.monotonic()
    assert isinstance(source.describe("item"), Failure)
    source.close()
    assert time.monotonic() - started < 0.5 + 0.3
    assert 2 <= world.requests("GET", DESCRIBE) <= 11


def test_a_retry_after_beyond_the_budget_is_not_waited_for(
    source: WmsRecordSource, world: World
) -> None:
    world.faults.append(Fault(path=DESCRIBE, status=429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    failure = source.describe("item")
    assert isinstance(failure, Failure)
    assert failure.failure().code == "429"
    assert failure.failure().detail["retry_after"] == 3600
    assert time.monotonic() - started < 1.0
    assert world.requests("GET", DESCRIBE) == 1


def test_malformed_json_is_a_typed_error_not_retried(source: WmsRecordSource, world: World) -> None:
    world.faults.append(Fault(path=DESCRIBE, status=200, body=b'{"fields": {"id": '))
    failure = source.describe("item")
    assert isinstance(failure, Failure)
    error = failure.failure()
    assert (error.kind, error.code, error.retryable) == (ErrorKind.CONNECTION, "200", False)
    assert error.detail["reason"] == "malformed_json"
    assert world.requests("GET", DESCRIBE) == 1


def test_an_answer_slower_than_the_read_timeout_is_a_timeout(
    make_settings: SettingsFactory, world: World
) -> None:
    source = WmsRecordSource(make_settings(timeout_s=0.3))
    world.faults.append(Fault(path=DESCRIBE, status=0, delay_s=1.0))
    started = time.monotonic()
    failure = source.describe("item")
    elapsed = time.monotonic() - started
    source.close()
    assert isinstance(failure, Failure)
    assert (failure.failure().kind, failure.failure().retryable) == (ErrorKind.TIMEOUT, False)
    assert elapsed < 0.9
    assert world.requests("GET", DESCRIBE) == 1


def test_a_dead_server_is_a_retryable_connection_error(make_settings: SettingsFactory) -> None:
    source = WmsRecordSource(
        make_settings(
            base_url="http://127.0.0.1:9/env/wms/lgfapi/v10/", username="u", password="p1"
        )
    )
    failure = source.describe("item")
    source.close()
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.CONNECTION
    assert failure.failure().retryable


@pytest.mark.parametrize("auth", ["basic"], indirect=True)
def test_a_wrong_password_is_authentication_and_not_retried(
    make_settings: SettingsFactory, world: World
) -> None:
    source = WmsRecordSource(make_settings(password="wrong-password"))
    failure = source.describe("item")
    source.close()
    assert isinstance(failure, Failure)
    assert (failure.failure().kind, failure.failure().code) == (ErrorKind.AUTHENTICATION, "401")
    assert world.requests("GET", DESCRIBE) == 1


@pytest.mark.parametrize("auth", ["oauth2"], indirect=True)
def test_a_wrong_client_secret_is_authentication(
    make_settings: SettingsFactory, world: World
) -> None:
    source = WmsRecordSource(make_settings(client_secret="not-the-secret"))
    failure = source.describe("item")
    source.close()
    assert isinstance(failure, Failure)
    assert (failure.failure().kind, failure.failure().code) == (ErrorKind.AUTHENTICATION, "401")
    assert world.requests("POST", "/oauth2/") == 1
    assert world.requests("GET") == 0


@pytest.mark.parametrize("auth", ["oauth2"], indirect=True)
def test_an_expiring_token_is_renewed_before_it_ends(source: WmsRecordSource, world: World) -> None:
    world.token_lifetime_s = 1.0
    assert isinstance(source.describe("item"), Success)
    assert isinstance(source.describe("location"), Success)
    time.sleep(1.0)
    assert isinstance(source.list_sources(), Success)
    assert world.requests("POST", "/oauth2/") == 2  # one token, then a fresh one
    assert world.requests("GET") == 3  # no request was refused and resent


@pytest.mark.parametrize("auth", ["oauth2"], indirect=True)
def test_a_401_after_token_expiry_refreshes_and_resends_once(
    source: WmsRecordSource, world: World
) -> None:
    assert isinstance(source.describe("item"), Success)
    world.revoke_tokens()
    assert isinstance(source.describe("location"), Success)
    assert world.requests("POST", "/oauth2/") == 2
    assert world.requests("GET", "/entity/location/describe/") == 2


@pytest.mark.parametrize("auth", ["oauth2"], indirect=True)
def test_a_post_refused_for_its_token_is_sent_again_once(
    source: WmsRecordSource, world: World
) -> None:
    values = TRACKING | {"company_code": "C1", "facility_code": "F1"}
    assert isinstance(source.run_operation("update_oblpn_tracing_nbr", values), Success)
    world.revoke_tokens()
    assert isinstance(source.run_operation("update_oblpn_tracing_nbr", values), Success)
    assert world.requests("POST", OPERATION) == 3  # the second one sent twice
    assert world.requests("POST", "/oauth2/") == 2
    assert len(world.posted) == 2  # the refused one had no effect


@pytest.mark.parametrize("auth", ["oauth2"], indirect=True)
def test_a_401_that_persists_after_refresh_is_not_resent_again(
    source: WmsRecordSource, world: World
) -> None:
    world.faults.append(Fault(path=DESCRIBE, status=401, times=10))
    failure = source.describe("item")
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.AUTHENTICATION
    assert world.requests("GET", DESCRIBE) == 2


@pytest.mark.parametrize("status", [500, 503, 429])
def test_writes_are_never_retried(source: WmsRecordSource, world: World, status: int) -> None:
    world.faults.append(Fault(path=OPERATION, status=status, times=10))
    values = TRACKING | {"company_code": "C1", "facility_code": "F1"}
    failure = source.run_operation("update_oblpn_tracing_nbr", values)
    assert isinstance(failure, Failure)
    assert failure.failure().code == str(status)
    assert world.requests("POST", OPERATION) == 1


def test_a_write_fills_company_and_facility_from_the_settings(
    make_settings: SettingsFactory, world: World
) -> None:
    source = WmsRecordSource(make_settings(company_code="C1", facility_code="F1"))
    outcome = source.run_operation("update_oblpn_tracing_nbr", TRACKING).unwrap()
    source.close()
    assert (outcome.success, outcome.message) == (True, "update_oblpn_tracing_nbr done")
    assert world.posted == [
        ("update_oblpn_tracing_nbr", TRACKING | {"company_code": "C1", "facility_code": "F1"})
    ]


@pytest.mark.parametrize(
    ("operation", "values", "message"),
    [
        ("drop_everything", {}, "unknown WMS operation"),
        ("update_oblpn_tracing_nbr", {"oblpn_nbr": "L"}, "needs"),
        ("update_oblpn_tracing_nbr", TRACKING | {"bogus": "1"}, "takes no field bogus"),
    ],
)
def test_invalid_writes_are_refused_before_sending(
    source: WmsRecordSource, world: World, operation: str, values: dict[str, str], message: str
) -> None:
    failure = source.run_operation(operation, values)
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.QUERY
    assert message in failure.failure().message
    assert world.requests("POST") == 0


def test_a_write_the_server_refuses_is_a_query_error(source: WmsRecordSource) -> None:
    values = TRACKING | {"company_code": "C1", "facility_code": "NOPE"}
    failure = source.run_operation("update_oblpn_tracing_nbr", values)
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.QUERY
    assert "Invalid facility" in failure.failure().message


def test_a_next_page_on_another_origin_is_refused(source: WmsRecordSource, world: World) -> None:
    body = b'{"results": [{"id": 1}], "next_page": "http://127.0.0.2:1/steal"}'
    world.faults.append(Fault(path="entity/location/", status=200, body=body))
    stream = source.read("location", ReadRequest()).unwrap()
    with stream, pytest.raises(Exception, match="refusing to send credentials"):
        list(stream)
