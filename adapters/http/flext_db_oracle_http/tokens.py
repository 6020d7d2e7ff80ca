"""OAuth2 client credentials: the token, fetched once and cached until shortly before expiry.

The client id and secret go to the token URL as HTTP basic credentials, with
`grant_type=client_credentials` and the configured scope. Each token is registered as a
secret, so no later log line or error can show it. The cache makes one attempt per call:
the client retries it (it changes nothing on the server) inside an idempotent request's
retries, or on its own before a request that is sent only once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

import httpx
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.redaction import register_secret
from returns.result import Failure, Result, Success

from flext_db_oracle_http.errors import status_error
from flext_db_oracle_http.exchange import log_exchange, transport_error
from flext_db_oracle_http.settings import HttpSettings

DEFAULT_LIFETIME_S = 3600.0
# Refresh this share of a token's lifetime before it ends (at most a minute early).
_EARLY_SHARE = 0.1
_EARLY_MAX_S = 60.0


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    refresh_at: float  # time.monotonic() after which a new token is fetched

    def fresh(self) -> bool:
        return time.monotonic() < self.refresh_at


def _token_request(settings: HttpSettings) -> tuple[str, dict[str, str], httpx.BasicAuth]:
    if settings.token_url is None or settings.client_id is None or settings.client_secret is None:
        raise ValueError("token source without OAuth2 settings")  # the settings model forbids it
    form = {"grant_type": "client_credentials"}
    if settings.scope:
        form["scope"] = settings.scope
    auth = httpx.BasicAuth(settings.client_id, settings.client_secret.get_secret_value())
    return settings.token_url, form, auth


def _token_of(response: httpx.Response, adapter: str) -> Result[Token, DbError]:
    path = response.request.url.path
    if response.status_code in {400, 401}:
        # The body is not shown: a token endpoint's answer is no place to echo from.
        return Failure(
            DbError(
                ErrorKind.AUTHENTICATION,
                f"token request to {path} refused (HTTP {response.status_code}): "
                "check CLIENT_ID, CLIENT_SECRET and SCOPE",
                code=str(response.status_code),
                retryable=False,
                adapter=adapter,
            )
        )
    if response.status_code >= 400:
        return Failure(
            status_error(
                response.status_code,
                method="POST",
                path=path,
                adapter=adapter,
                retry_after=response.headers.get("Retry-After"),
            )
        )
    try:
        document = response.json()
        value = str(document["access_token"])
        lifetime = float(document.get("expires_in") or DEFAULT_LIFETIME_S)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return Failure(
            DbError(
                ErrorKind.AUTHENTICATION,
                f"token endpoint {path} answered without a readable access_token",
                code=str(response.status_code),
                retryable=False,
                adapter=adapter,
            )
        )
    register_secret(value)
    early = min(lifetime * _EARLY_SHARE, _EARLY_MAX_S)
    return Success(Token(value, time.monotonic() + lifetime - early))


class TokenCache:
    """Thread-safe token cache for the sync client."""

    def __init__(self, settings: HttpSettings, adapter: str) -> None:
        self._settings = settings
        self._adapter = adapter
        self._token: Token | None = None
        self._lock = threading.Lock()

    def get(self, http: httpx.Client) -> Result[str, DbError]:
        with self._lock:
            if self._token is None or not self._token.fresh():
                fetched = self._fetch(http)
                if isinstance(fetched, Failure):
                    return Failure(fetched.failure())
                self._token = fetched.unwrap()
            return Success(self._token.value)

    def invalidate(self, stale: str) -> None:
        """Forget `stale` (the server refused it); another thread may have replaced it."""
        with self._lock:
            if self._token is not None and self._token.value == stale:
                self._token = None

    def _fetch(self, http: httpx.Client) -> Result[Token, DbError]:
        url, form, auth = _token_request(self._settings)
        started = time.perf_counter()
        try:
            response = http.post(url, data=form, auth=auth)
        except httpx.HTTPError as exc:
            log_exchange(self._adapter, "POST", httpx.URL(url), started, type(exc).__name__)
            return Failure(transport_error(exc, "POST", httpx.URL(url).path, self._adapter))
        log_exchange(self._adapter, "POST", httpx.URL(url), started, response.status_code)
        return _token_of(response, self._adapter)


class AsyncTokenCache:
    """The same for the async client (one fetch at a time per event loop)."""

    def __init__(self, settings: HttpSettings, adapter: str) -> None:
        self._settings = settings
        self._adapter = adapter
        self._token: Token | None = None
        self._lock = asyncio.Lock()

    async def get(self, http: httpx.AsyncClient) -> Result[str, DbError]:
        async with self._lock:
            if self._token is None or not self._token.fresh():
                fetched = await self._fetch(http)
                if isinstance(fetched, Failure):
                    return Failure(fetched.failure())
                self._token = fetched.unwrap()
            return Success(self._token.value)

    async def invalidate(self, stale: str) -> None:
        async with self._lock:
            if self._token is not None and self._token.value == stale:
                self._token = None

    async def _fetch(self, http: httpx.AsyncClient) -> Result[Token, DbError]:
        url, form, auth = _token_request(self._settings)
        started = time.perf_counter()
        try:
            response = await http.post(url, data=form, auth=auth)
        except httpx.HTTPError as exc:
            log_exchange(self._adapter, "POST", httpx.URL(url), started, type(exc).__name__)
            return Failure(transport_error(exc, "POST", httpx.URL(url).path, self._adapter))
        log_exchange(self._adapter, "POST", httpx.URL(url), started, response.status_code)
        return _token_of(response, self._adapter)
