"""`HttpClient` and `AsyncHttpClient`: one configured HTTP service, every answer a `Result`.

Each request carries the configured authentication (HTTP basic, or an OAuth2 bearer
token from `tokens`); on a 401 with OAuth2 the token is fetched again and the request
sent once more, whatever its method (the server refused it, so it had no effect).
Idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) go through the settings' retry
policy, so connect errors, 429 and 5xx are retried; POST and PATCH never are.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from flext_db_oracle.errors import DbError
from returns.result import Failure, Result, Success

from flext_db_oracle_http.exchange import (
    IDEMPOTENT_METHODS,
    base_of,
    checked,
    json_of,
    log_exchange,
    resolve,
    timeout_of,
    transport_error,
    verify_of,
)
from flext_db_oracle_http.settings import HttpSettings
from flext_db_oracle_http.tokens import AsyncTokenCache, TokenCache

Params = Mapping[str, str | int | float] | Sequence[tuple[str, str | int | float]]
_UNAUTHORIZED = 401


def _basic_auth(settings: HttpSettings) -> httpx.BasicAuth | None:
    if settings.auth_scheme != "basic" or settings.username is None or settings.password is None:
        return None
    return httpx.BasicAuth(settings.username, settings.password.get_secret_value())


def _client_options(settings: HttpSettings, headers: Mapping[str, str] | None) -> dict[str, Any]:
    return {
        "timeout": timeout_of(settings),
        "verify": verify_of(settings),
        "auth": _basic_auth(settings),
        "headers": {"Accept": "application/json", **(headers or {})},
        "follow_redirects": False,  # a redirect must not carry credentials elsewhere
    }


def _bearer(token: str | None) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {token}"} if token else None


@dataclass(frozen=True)
class _Outgoing:
    method: str
    url: httpx.URL
    params: Any
    data: Any
    json: Any


class HttpClient:
    """A sync client for `settings.base_url`; paths are relative to it (`entity/item`),
    absolute URLs must stay on its origin. Thread-safe; close it (or use `with`).
    Without a base URL it raises a `configuration` `DbError` (factories run it)."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        adapter: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.adapter = adapter
        self._base = base_of(settings, adapter)
        self._http = httpx.Client(**_client_options(settings, headers))
        self._tokens = TokenCache(settings, adapter) if settings.auth_scheme == "oauth2" else None

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Result[httpx.Response, DbError]:
        """Send one request; a status of 400 or more is a `Failure` (see `errors`)."""
        method = method.upper()
        resolved = resolve(self._base, url, self.adapter)
        if isinstance(resolved, Failure):
            return Failure(resolved.failure())
        outgoing = _Outgoing(method, resolved.unwrap(), params, data, json)

        def once() -> Result[httpx.Response, DbError]:
            return self._authenticated(outgoing)

        if method in IDEMPOTENT_METHODS:
            return self.settings.retry.run(once)
        if self._tokens is not None:  # the token request may be retried, the request not
            tokens, http = self._tokens, self._http
            token = self.settings.retry.run(lambda: tokens.get(http))
            if isinstance(token, Failure):
                return Failure(token.failure())
        return once()

    def get_json(self, url: str, params: Params | None = None) -> Result[Any, DbError]:
        """GET and decode JSON; a body that is not JSON is a typed `DbError`."""
        return self.request("GET", url, params=params).bind(lambda r: json_of(r, self.adapter))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _authenticated(self, outgoing: _Outgoing) -> Result[httpx.Response, DbError]:
        token: str | None = None
        if self._tokens is not None:
            got = self._tokens.get(self._http)
            if isinstance(got, Failure):
                return Failure(got.failure())
            token = got.unwrap()
        sent = self._send(outgoing, token)
        if self._tokens is not None and token is not None and _refused(sent):
            self._tokens.invalidate(token)
            got = self._tokens.get(self._http)
            if isinstance(got, Failure):
                return Failure(got.failure())
            sent = self._send(outgoing, got.unwrap())
        return sent.bind(lambda response: checked(response, self.adapter))

    def _send(self, outgoing: _Outgoing, token: str | None) -> Result[httpx.Response, DbError]:
        started = time.perf_counter()
        try:
            response = self._http.request(
                outgoing.method,
                outgoing.url,
                params=outgoing.params,
                data=outgoing.data,
                json=outgoing.json,
                headers=_bearer(token),
            )
        except httpx.HTTPError as exc:
            log_exchange(self.adapter, outgoing.method, outgoing.url, started, type(exc).__name__)
            return Failure(transport_error(exc, outgoing.method, outgoing.url.path, self.adapter))
        log_exchange(self.adapter, outgoing.method, outgoing.url, started, response.status_code)
        return Success(response)


class AsyncHttpClient:
    """The async twin of `HttpClient` (same settings, same rules)."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        adapter: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.adapter = adapter
        self._base = base_of(settings, adapter)
        self._http = httpx.AsyncClient(**_client_options(settings, headers))
        self._tokens = (
            AsyncTokenCache(settings, adapter) if settings.auth_scheme == "oauth2" else None
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Result[httpx.Response, DbError]:
        method = method.upper()
        resolved = resolve(self._base, url, self.adapter)
        if isinstance(resolved, Failure):
            return Failure(resolved.failure())
        outgoing = _Outgoing(method, resolved.unwrap(), params, data, json)

        async def once() -> Result[httpx.Response, DbError]:
            return await self._authenticated(outgoing)

        if method in IDEMPOTENT_METHODS:
            return await self.settings.retry.run_async(once)
        if self._tokens is not None:  # the token request may be retried, the request not
            tokens, http = self._tokens, self._http
            token = await self.settings.retry.run_async(lambda: tokens.get(http))
            if isinstance(token, Failure):
                return Failure(token.failure())
        return await once()

    async def get_json(self, url: str, params: Params | None = None) -> Result[Any, DbError]:
        response = await self.request("GET", url, params=params)
        return response.bind(lambda r: json_of(r, self.adapter))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncHttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _authenticated(self, outgoing: _Outgoing) -> Result[httpx.Response, DbError]:
        token: str | None = None
        if self._tokens is not None:
            got = await self._tokens.get(self._http)
            if isinstance(got, Failure):
                return Failure(got.failure())
            token = got.unwrap()
        sent = await self._send(outgoing, token)
        if self._tokens is not None and token is not None and _refused(sent):
            await self._tokens.invalidate(token)
            got = await self._tokens.get(self._http)
            if isinstance(got, Failure):
                return Failure(got.failure())
            sent = await self._send(outgoing, got.unwrap())
        return sent.bind(lambda response: checked(response, self.adapter))

    async def _send(
        self, outgoing: _Outgoing, token: str | None
    ) -> Result[httpx.Response, DbError]:
        started = time.perf_counter()
        try:
            response = await self._http.request(
                outgoing.method,
                outgoing.url,
                params=outgoing.params,
                data=outgoing.data,
                json=outgoing.json,
                headers=_bearer(token),
            )
        except httpx.HTTPError as exc:
            log_exchange(self.adapter, outgoing.method, outgoing.url, started, type(exc).__name__)
            return Failure(transport_error(exc, outgoing.method, outgoing.url.path, self.adapter))
        log_exchange(self.adapter, outgoing.method, outgoing.url, started, response.status_code)
        return Success(response)


def _refused(sent: Result[httpx.Response, DbError]) -> bool:
    return isinstance(sent, Success) and sent.unwrap().status_code == _UNAUTHORIZED
