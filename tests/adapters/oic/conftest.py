"""Fixtures: a fresh OIC contract server per test, and adapters configured against it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle.settings import DatabaseSettings
from flext_db_oracle_oic.adapter import OicAdapter
from flext_db_oracle_oic.plugin import create_oic
from flext_db_oracle_oic.settings import OicSettings

from tests.adapters.oic import contract_server as oic
from tests.adapters.oic.contract_server import OicContractServer

# Fast but real backoff: retries are counted and timed, not waited for at length.
FAST_RETRY = RetryPolicy(
    attempts=3, budget_s=5.0, initial_backoff_s=0.01, max_backoff_s=0.05, jitter_s=0.01
)

AdapterFactory = Callable[..., OicAdapter]


@pytest.fixture(autouse=True)
def _no_oic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's FLEXT_DB_ORACLE_OIC_*."""
    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_OIC_"):
            monkeypatch.delenv(name)


@pytest.fixture
def server() -> Iterator[OicContractServer]:
    with OicContractServer() as running:
        yield running


def basic_settings(server: OicContractServer, **extra: Any) -> OicSettings:
    options: dict[str, Any] = {
        "base_url": server.base_url,
        "username": oic.USERNAME,
        "password": oic.PASSWORD,
        "retry": FAST_RETRY,
        **extra,
    }
    return OicSettings(**options)


def oauth_settings(server: OicContractServer, **extra: Any) -> OicSettings:
    options: dict[str, Any] = {
        "base_url": server.base_url,
        "client_id": oic.CLIENT_ID,
        "client_secret": oic.CLIENT_SECRET,
        "token_url": server.token_url,
        "scope": oic.SCOPE,
        "retry": FAST_RETRY,
        **extra,
    }
    return OicSettings(**options)


@pytest.fixture
def make_adapter(server: OicContractServer) -> Iterator[AdapterFactory]:
    """`make_adapter(auth="basic"|"oauth", **settings)`: an adapter built by the
    registry's factory; every one is closed at the end."""
    built: list[OicAdapter] = []

    def make(auth: str = "basic", **extra: Any) -> OicAdapter:
        own = (basic_settings if auth == "basic" else oauth_settings)(server, **extra)
        adapter = create_oic(DatabaseSettings(), own)
        built.append(adapter)
        return adapter

    yield make
    for adapter in built:
        adapter.close()
