"""What the sync and async clients share: URL resolution, transport-error mapping,
status checking, JSON decoding and the per-request log line (no header, no body)."""

from __future__ import annotations

import time
from typing import Any

import httpx
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.logs import get_logger
from flext_db_oracle.settings import ENV_PREFIX, section_of
from returns.result import Failure, Result, Success

from flext_db_oracle_http.errors import malformed_json_error, status_error
from flext_db_oracle_http.settings import HttpSettings

LOGGER = "flext_db_oracle.http"  # under the framework's logger tree
# Requests that may be repeated without a second effect: only these are retried.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def base_of(settings: HttpSettings, adapter: str) -> httpx.URL:
    """The configured base URL; without one, a `configuration` error naming the variable."""
    if not settings.base_url:
        variable = f"{ENV_PREFIX}{section_of(type(settings)).upper()}_BASE_URL"
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"{adapter}: set {variable} (the whole API base URL) or base_url in the profile",
            adapter=adapter,
        )
    return httpx.URL(settings.base_url)


def timeout_of(settings: HttpSettings) -> httpx.Timeout:
    return httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s)


def verify_of(settings: HttpSettings) -> bool | str:
    return settings.ca_file or True


def resolve(base: httpx.URL, url: str, adapter: str) -> Result[httpx.URL, DbError]:
    """`url` relative to the base (a leading `/` stays under the base path), or an absolute
    URL on the base's own origin: credentials are never sent to another host."""
    target = httpx.URL(url)
    if target.is_relative_url:
        return Success(base.join(url.lstrip("/")))
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        return Failure(
            DbError(
                ErrorKind.CONNECTION,
                f"refusing to send credentials to {target.scheme}://{target.host}:"
                f"{target.port or ''} (not the origin of BASE_URL)",
                retryable=False,
                adapter=adapter,
            )
        )
    return Success(target)


def transport_error(exc: httpx.HTTPError, method: str, path: str, adapter: str) -> DbError:
    """A failure before any answer: connect errors are retryable, a read timeout is not."""
    detail = {"method": method, "path": path, "error": type(exc).__name__}
    where = f"{method} {path}"
    if isinstance(exc, httpx.ConnectTimeout):
        return DbError(
            ErrorKind.TIMEOUT, f"{where}: connect timed out", adapter=adapter, detail=detail
        )
    if isinstance(exc, httpx.ConnectError):
        return DbError(
            ErrorKind.CONNECTION, f"{where}: cannot connect ({exc})", adapter=adapter, detail=detail
        )
    if isinstance(exc, httpx.TimeoutException):
        return DbError(
            ErrorKind.TIMEOUT,
            f"{where}: no answer within the read timeout; not retried, the server may "
            "still be working on it",
            retryable=False,
            adapter=adapter,
            detail=detail,
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return DbError(ErrorKind.CONFIGURATION, f"{where}: {exc}", adapter=adapter, detail=detail)
    return DbError(
        ErrorKind.CONNECTION,
        f"{where}: {type(exc).__name__} ({exc})",
        retryable=isinstance(exc, httpx.TransportError),
        adapter=adapter,
        detail=detail,
    )


def checked(response: httpx.Response, adapter: str) -> Result[httpx.Response, DbError]:
    """The response when its status is below 400, else its `DbError`."""
    if response.status_code < 400:
        return Success(response)
    request = response.request
    return Failure(
        status_error(
            response.status_code,
            method=request.method,
            path=request.url.path,
            adapter=adapter,
            body=response.text,
            retry_after=response.headers.get("Retry-After"),
        )
    )


def json_of(response: httpx.Response, adapter: str) -> Result[Any, DbError]:
    try:
        return Success(response.json())
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        request = response.request
        return Failure(
            malformed_json_error(
                response.status_code,
                method=request.method,
                path=request.url.path,
                adapter=adapter,
            )
        )


def log_exchange(
    adapter: str, method: str, url: httpx.URL, started: float, outcome: str | int
) -> None:
    """One debug line per request: method, path, status (or error class), duration."""
    get_logger(LOGGER).debug(
        "http.request",
        adapter=adapter,
        method=method,
        path=url.path,
        status=outcome,
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
    )
