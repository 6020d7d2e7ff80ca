"""Fixtures: a WMS contract server on loopback, settings for each auth scheme, the source."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle_wms.settings import WmsSettings
from flext_db_oracle_wms.source import WmsRecordSource

from tests.adapters.wms.contract_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    REST,
    TOKEN_PATH,
    USER,
    World,
    make_records,
    serve,
)

# Short waits keep retry tests fast; the budget still bounds them.
FAST_RETRY = RetryPolicy(
    attempts=3, budget_s=5.0, initial_backoff_s=0.01, max_backoff_s=0.05, jitter_s=0.01
)
SettingsFactory = Callable[..., WmsSettings]


@pytest.fixture(autouse=True)
def _no_wms_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_"):
            monkeypatch.delenv(name)


@pytest.fixture
def world() -> World:
    return World(entities={"item": make_records(3000), "location": make_records(5)})


@pytest.fixture
def origin(world: World) -> Iterator[str]:
    with serve(world) as url:
        yield url


@pytest.fixture(params=["basic", "oauth2"])
def auth(request: pytest.FixtureRequest) -> str:
    scheme: str = request.param
    return scheme


@pytest.fixture
def make_settings(origin: str, auth: str) -> SettingsFactory:
    """WmsSettings for the server in the current auth scheme; keywords override."""

    def make(**overrides: Any) -> WmsSettings:
        credentials: dict[str, Any] = (
            {"username": USER, "password": PASSWORD}
            if auth == "basic"
            else {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "token_url": origin + TOKEN_PATH,
                "scope": "urn:opc:resource:consumer:all",
            }
        )
        values = {"base_url": origin + REST, "retry": FAST_RETRY, **credentials, **overrides}
        return WmsSettings(**values)

    return make


@pytest.fixture
def source(make_settings: SettingsFactory) -> Iterator[WmsRecordSource]:
    wms = WmsRecordSource(make_settings())
    yield wms
    wms.close()
