"""Authentication (basic, OAuth2 with an expiring token) and failures: 429 with
Retry-After, 5xx that recovers and one that does not, malformed JSON, a slow answer;
retries bounded in count and time."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import ReadRequest
from returns.result import Failure, Result

from tests.adapters.oic.conftest import AdapterFactory
from tests.adapters.oic.contract_server import TOKEN_PATH, Fault, OicContractServer


def failure_of(result: Result[Any, DbError]) -> DbError:
    assert isinstance(result, Failure), result
    error = result.failure()
    assert isinstance(error, DbError)
    return error


def read_ids(adapter: Any, page_size: int = 50) -> list[str]:
    request = ReadRequest(fields=("id",), page_size=page_size)
    with adapter.read("integrations", request).unwrap() as stream:
        return [row[0] for batch in stream for row in batch]


def test_basic_auth(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    assert len(read_ids(make_adapter())) == 120
    assert {call.auth for call in server.requests} == {"basic"}
    assert server.calls("POST", TOKEN_PATH) == []


def test_oauth2_token_is_fetched_once_and_cached(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter("oauth")
    assert len(read_ids(adapter)) == 120
    assert len(read_ids(adapter)) == 120
    token_calls = server.calls("POST", TOKEN_PATH)
    assert len(token_calls) == 1
    assert token_calls[0].auth == "basic"  # client id and secret as HTTP basic
    assert token_calls[0].body["grant_type"] == "client_credentials"
    assert {c.auth for c in server.requests if c.path != TOKEN_PATH} == {"bearer"}


def test_a_token_that_expires_mid_read_is_refreshed_and_every_item_read_once(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter("oauth")
    request = ReadRequest(fields=("id",), page_size=50)
    with adapter.read("integrations", request).unwrap() as stream:
        pages = iter(stream)
        ids = [row[0] for row in next(pages)]
        server.expire_tokens()
        ids += [row[0] for batch in pages for row in batch]
    assert sorted(ids) == sorted(server.integrations)
    assert len(server.calls("POST", TOKEN_PATH)) == 2
    offsets = [c.query["offset"] for c in server.calls("GET", "integrations")]
    assert offsets == ["0", "50", "50", "100"]  # the refused page, sent once more


def test_wrong_client_secret_is_an_authentication_error(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter("oauth", client_secret="not-the-secret")
    error = failure_of(adapter.read("integrations", ReadRequest()))
    assert error.kind is ErrorKind.AUTHENTICATION
    assert not error.retryable
    assert len(server.calls("POST", TOKEN_PATH)) == 1


def test_wrong_password_is_an_authentication_error_not_retried(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    error = failure_of(make_adapter(password="wrong-password").get_integration("X|1"))
    assert (error.kind, error.code, error.retryable) == (ErrorKind.AUTHENTICATION, "401", False)
    assert len(server.requests) == 1


def test_429_honours_retry_after(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    server.inject("GET", "integrations", Fault(429, headers={"Retry-After": "1"}))
    started = time.monotonic()
    assert len(read_ids(make_adapter())) == 120
    assert time.monotonic() - started >= 1.0
    assert [c.query["offset"] for c in server.calls("GET", "integrations")] == [
        "0",
        "0",
        "50",
        "100",
    ]


def test_a_retry_after_beyond_the_time_budget_is_not_waited_for(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.inject("GET", "integrations", Fault(429, headers={"Retry-After": "60"}))
    started = time.monotonic()
    error = failure_of(make_adapter().read("integrations", ReadRequest()))
    assert (error.code, error.retryable, error.detail["retry_after"]) == ("429", True, 60.0)
    assert time.monotonic() - started < 2.0  # FAST_RETRY.budget_s is 5
    assert len(server.calls("GET", "integrations")) == 1


def test_5xx_that_recovers(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    server.inject("GET", "integrations", Fault(503), Fault(500))
    assert len(read_ids(make_adapter())) == 120
    assert len(server.calls("GET", "integrations")) == 3 + 2


def test_5xx_that_does_not_recover_is_bounded(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.inject("GET", "integrations", *[Fault(500)] * 10)
    started = time.monotonic()
    error = failure_of(make_adapter().read("integrations", ReadRequest()))
    assert (error.kind, error.code, error.retryable) == (ErrorKind.CONNECTION, "500", True)
    assert len(server.calls("GET", "integrations")) == 3  # FAST_RETRY.attempts
    assert time.monotonic() - started < 5.0  # FAST_RETRY.budget_s


def test_a_failure_on_a_later_page_raises_from_the_stream(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter(retry={"attempts": 1})
    with adapter.read("integrations", ReadRequest(page_size=50)).unwrap() as stream:
        pages = iter(stream)
        assert len(next(pages)) == 50
        server.inject("GET", "integrations", Fault(502))
        with pytest.raises(DbError) as raised:
            next(pages)
    assert raised.value.code == "502"


def test_malformed_json_is_a_typed_error_not_retried(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.inject("GET", "integrations", Fault(200, body=b'{"items": [{"id": '))
    error = failure_of(make_adapter().read("integrations", ReadRequest()))
    assert error.kind is ErrorKind.CONNECTION
    assert error.detail["reason"] == "malformed_json"
    assert not error.retryable
    assert len(server.calls("GET", "integrations")) == 1


def test_json_of_the_wrong_shape_is_a_query_error(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.inject("GET", "integrations", Fault(200, body=b'["not", "a", "page"]'))
    error = failure_of(make_adapter().read("integrations", ReadRequest()))
    assert error.kind is ErrorKind.QUERY
    assert "unexpected document" in error.message


def test_an_answer_slower_than_the_timeout(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    server.inject("GET", "integrations", Fault(delay_s=1.5, then_normal=True))
    started = time.monotonic()
    error = failure_of(make_adapter(timeout_s=0.3).read("integrations", ReadRequest()))
    assert error.kind is ErrorKind.TIMEOUT
    assert not error.retryable  # the server may still be working on it
    assert time.monotonic() - started < 1.4
    assert len(server.calls("GET", "integrations")) == 1


def test_nothing_listening_is_a_connection_error(make_adapter: AdapterFactory) -> None:
    adapter = make_adapter(base_url="http://127.0.0.1:9/ic/api/integration/v1/")
    error = failure_of(adapter.read("connections", ReadRequest()))
    assert error.kind is ErrorKind.CONNECTION
