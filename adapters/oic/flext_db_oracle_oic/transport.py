"""The adapter's HTTP: the kit's `HttpClient`, plus a POST that decodes JSON and can
carry OIC's `X-HTTP-Method-Override: PATCH`.

The kit sets headers per client, not per request, so a PATCH-by-POST goes through a
second kit client whose default headers hold the override, built on first use (an
activate or deactivate). Per-request headers and a `post_json` belong in the kit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle_http.client import HttpClient
from flext_db_oracle_http.errors import malformed_json_error
from returns.result import Failure, Result, Success

from flext_db_oracle_oic.resources import ADAPTER_NAME

if TYPE_CHECKING:
    import httpx

    from flext_db_oracle_oic.settings import OicSettings

# The header OIC reads to treat a POST on an integration as a PATCH (activate/deactivate).
METHOD_OVERRIDE = {"X-HTTP-Method-Override": "PATCH"}


class OicHttp:
    """JSON in, JSON out, every failure a typed `DbError`."""

    def __init__(self, settings: OicSettings) -> None:
        self._settings = settings
        self._client = HttpClient(settings, adapter=ADAPTER_NAME)
        self._patch_client: HttpClient | None = None
        self._closed = False

    def get_json(
        self, path: str, params: Mapping[str, str | int] | None = None
    ) -> Result[Any, DbError]:
        """GET, retried by the kit's policy (connect errors, 429, 5xx)."""
        if self._closed:
            return Failure(_closed())
        return self._client.get_json(path, params)

    def post_json(
        self,
        path: str,
        body: Any = None,
        *,
        params: Mapping[str, str | int] | None = None,
        as_patch: bool = False,
    ) -> Result[Any, DbError]:
        """POST once (never retried); an empty answer is None."""
        if self._closed:
            return Failure(_closed())
        client = self._patcher() if as_patch else self._client
        sent = client.request("POST", path, params=params, json=body)
        return sent.bind(_json_or_none)

    def close(self) -> None:
        self._closed = True
        self._client.close()
        if self._patch_client is not None:
            self._patch_client.close()

    def _patcher(self) -> HttpClient:
        if self._patch_client is None:
            self._patch_client = HttpClient(
                self._settings, adapter=ADAPTER_NAME, headers=METHOD_OVERRIDE
            )
        return self._patch_client


def _closed() -> DbError:
    return DbError(
        ErrorKind.CONFIGURATION,
        "the oic adapter was closed; build a new one",
        retryable=False,
        adapter=ADAPTER_NAME,
    )


def _json_or_none(response: httpx.Response) -> Result[Any, DbError]:
    if not response.content.strip():
        return Success(None)
    try:
        return Success(response.json())
    except (ValueError, UnicodeDecodeError):
        request = response.request
        return Failure(
            malformed_json_error(
                response.status_code,
                method=request.method,
                path=request.url.path,
                adapter=ADAPTER_NAME,
            )
        )
