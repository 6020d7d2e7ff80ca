"""The HTTP kit on its own: settings, the status table, and both clients against the WMS
contract server (any HTTP service would do; that one scripts faults)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle.settings import adapter_settings_config, load_adapter_settings, load_settings
from flext_db_oracle_http import HttpSettings, parse_retry_after, status_error, status_kind
from flext_db_oracle_http.client import AsyncHttpClient, HttpClient
from returns.result import Failure, Success

from tests.adapters.wms.contract_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    REST,
    TOKEN_PATH,
    USER,
    Fault,
    World,
    make_records,
    serve,
)

FAST = RetryPolicy(attempts=3, budget_s=5, initial_backoff_s=0.01, max_backoff_s=0.02, jitter_s=0)


class DemoSettings(HttpSettings):
    model_config = adapter_settings_config("demo")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_"):
            monkeypatch.delenv(name)


@pytest.fixture
def world() -> World:
    return World(entities={"item": make_records(30)})


@pytest.fixture
def origin(world: World) -> Iterator[str]:
    with serve(world) as url:
        yield url


def oauth2(origin: str, **extra: object) -> DemoSettings:
    return DemoSettings(
        base_url=origin + REST,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_url=origin + TOKEN_PATH,
        retry=FAST,
        **extra,
    )


# --- settings -----------------------------------------------------------------------


def test_settings_come_from_the_section_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_BASE_URL", "http://127.0.0.1:8080/env/wms/lgfapi/v10")
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_USERNAME", "u")
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_PASSWORD", "pw-from-env")
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_TIMEOUT_S", "2.5")
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_RETRY__ATTEMPTS", "7")
    settings = load_adapter_settings(DemoSettings, load_settings())
    assert settings.base_url == "http://127.0.0.1:8080/env/wms/lgfapi/v10/"
    assert (settings.auth_scheme, settings.timeout_s, settings.retry.attempts) == ("basic", 2.5, 7)
    assert "pw-from-env" not in repr(settings)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"base_url": "ftp://h/"}, "http:// or https://"),
        ({"base_url": "https://u:secret@h/"}, "must not carry credentials"),
        ({"base_url": "https://h/", "client_id": "c"}, "CLIENT_ID, CLIENT_SECRET and TOKEN_URL"),
        ({"base_url": "https://h/", "username": "u"}, "USERNAME and PASSWORD"),
        ({"base_url": "https://h/", "timeout_s": 0}, "greater than 0"),
    ],
)
def test_incomplete_or_wrong_settings_are_refused(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DemoSettings(**values)  # type: ignore[arg-type]


def test_a_bad_variable_is_a_configuration_error_without_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_DEMO_BASE_URL", "https://user:Sup3r-secret@h/")
    with pytest.raises(DbError) as raised:
        load_adapter_settings(DemoSettings, load_settings())
    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "Sup3r-secret" not in str(raised.value)


# --- the status table -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "retryable"),
    [
        (400, ErrorKind.QUERY, False),
        (401, ErrorKind.AUTHENTICATION, False),
        (403, ErrorKind.AUTHORIZATION, False),
        (404, ErrorKind.NOT_FOUND, False),
        (408, ErrorKind.TIMEOUT, True),
        (409, ErrorKind.INTEGRITY, False),
        (422, ErrorKind.QUERY, False),
        (429, ErrorKind.CONNECTION, True),
        (500, ErrorKind.CONNECTION, True),
        (501, ErrorKind.UNSUPPORTED, False),
        (502, ErrorKind.CONNECTION, True),
        (503, ErrorKind.CONNECTION, True),
        (504, ErrorKind.TIMEOUT, True),
    ],
)
def test_each_status_has_its_kind(status: int, kind: ErrorKind, retryable: bool) -> None:
    assert status_kind(status) == (kind, retryable)
    error = status_error(status, method="GET", path="/x", adapter="demo")
    assert (error.kind, error.code, error.retryable) == (kind, str(status), retryable)


def test_retry_after_as_seconds_or_http_date() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# --- the sync client ------------------------------------------------------------------------


def test_basic_auth_against_http_loopback(origin: str, world: World) -> None:
    settings = DemoSettings(base_url=origin + REST, username=USER, password=PASSWORD, retry=FAST)
    with HttpClient(settings, adapter="demo") as client:
        page = client.get_json("/entity/item/", params={"page_size": 5}).unwrap()
    assert len(page["results"]) == 5
    assert world.authorizations[-1].startswith("Basic ")


def test_the_token_is_fetched_once_and_cached(origin: str, world: World) -> None:
    with HttpClient(oauth2(origin, scope="urn:opc:resource:consumer:all"), adapter="d") as client:
        for _ in range(5):
            assert isinstance(client.get_json("entity/item/describe/"), Success)
    assert world.requests("POST", TOKEN_PATH) == 1


def test_a_token_endpoint_down_is_retried_then_reported(origin: str, world: World) -> None:
    world.faults.append(Fault(path=TOKEN_PATH, status=503, times=100))
    with HttpClient(oauth2(origin), adapter="d") as client:
        failure = client.get_json("entity/item/describe/")
    assert isinstance(failure, Failure)
    assert (failure.failure().code, failure.failure().retryable) == ("503", True)
    assert world.requests("POST", TOKEN_PATH) == FAST.attempts
    assert world.requests("GET") == 0


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_requests_are_never_retried(origin: str, world: World, method: str) -> None:
    world.faults.append(Fault(path="/wms/api/", status=503, times=10))
    with HttpClient(oauth2(origin), adapter="d") as client:
        failure = client.request(method, origin + f"/{'demo_env'}/wms/api/create_lpn/", data={})
    assert isinstance(failure, Failure)
    assert world.requests(method, "/wms/api/") == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_requests_are_retried(origin: str, world: World, method: str) -> None:
    world.faults.append(Fault(path="entity/item/", status=502, times=10, method=method))
    with HttpClient(oauth2(origin), adapter="d") as client:
        failure = client.request(method, "entity/item/")
    assert isinstance(failure, Failure)
    assert world.requests(method, "entity/item/") == FAST.attempts


def test_a_url_on_another_origin_gets_no_credentials(origin: str, world: World) -> None:
    with HttpClient(oauth2(origin), adapter="d") as client:
        failure = client.get_json("http://127.0.0.2:9/steal")
    assert isinstance(failure, Failure)
    assert "refusing to send credentials" in failure.failure().message
    assert world.log == []


def test_a_redirect_is_not_followed(origin: str, world: World) -> None:
    world.faults.append(Fault(path="entity/item/", status=302, headers={"Location": "http://x/"}))
    with HttpClient(oauth2(origin), adapter="d") as client:
        response = client.request("GET", "entity/item/").unwrap()
    assert response.status_code == 302
    assert world.requests("GET") == 1


# --- the async client -------------------------------------------------------------------------


def test_the_async_client_reads_refreshes_and_retries(origin: str, world: World) -> None:
    async def scenario() -> None:
        async with AsyncHttpClient(oauth2(origin), adapter="d") as client:
            first = await client.get_json("entity/item/", params={"page_size": 10})
            assert len(first.unwrap()["results"]) == 10
            world.revoke_tokens()
            world.faults.append(Fault(path="describe", status=500))
            again = await client.get_json("entity/item/describe/")
            assert isinstance(again, Success)
            world.faults.append(Fault(path="/wms/api/", status=500, times=5))
            posted = await client.request("POST", origin + "/demo_env/wms/api/x/", data={})
            assert isinstance(posted, Failure)

    asyncio.run(scenario())
    assert world.requests("POST", TOKEN_PATH) == 2  # the revoked token was replaced once
    assert world.requests("GET", "describe") == 3  # 401, resent: 500, retried: 200
    assert world.requests("POST", "/wms/api/") == 1


def test_the_async_client_maps_timeouts(origin: str, world: World) -> None:
    world.faults.append(Fault(path="describe", status=0, delay_s=1.0))

    async def scenario() -> DbError:
        async with AsyncHttpClient(oauth2(origin, timeout_s=0.2), adapter="d") as client:
            result = await client.get_json("entity/item/describe/")
        assert isinstance(result, Failure)
        return result.failure()

    error = asyncio.run(scenario())
    assert (error.kind, error.retryable) == (ErrorKind.TIMEOUT, False)


def test_a_post_waits_for_a_token_endpoint_that_recovers(origin: str, world: World) -> None:
    world.faults.append(Fault(path=TOKEN_PATH, status=503, times=2))
    with HttpClient(oauth2(origin), adapter="d") as client:
        sent = client.request("POST", origin + "/demo_env/wms/api/x/", data={})
    assert isinstance(sent, Success)
    assert world.requests("POST", TOKEN_PATH) == 3
    assert world.requests("POST", "/wms/api/") == 1


def test_settings_without_a_base_url_load_but_no_client_starts() -> None:
    settings = DemoSettings()
    assert settings.base_url == ""
    with pytest.raises(DbError) as raised:
        HttpClient(settings, adapter="demo")
    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "FLEXT_DB_ORACLE_DEMO_BASE_URL" in raised.value.message
    with pytest.raises(DbError, match="FLEXT_DB_ORACLE_DEMO_BASE_URL"):
        AsyncHttpClient(settings, adapter="demo")
