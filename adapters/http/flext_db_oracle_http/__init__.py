"""The HTTP kit of the flext-db-oracle cloud connectors (WMS, OIC). A kit, not an adapter:
it registers nothing. Importing this package loads no HTTP library; the clients import
httpx, so import them inside factories and command bodies only.

API:

- `HttpSettings` (`flext_db_oracle_http.settings`): subclass it with your section,
  `model_config = adapter_settings_config("oic")` → `FLEXT_DB_ORACLE_OIC_BASE_URL`,
  `_USERNAME`/`_PASSWORD` (basic) or `_CLIENT_ID`/`_CLIENT_SECRET`/`_TOKEN_URL`/`_SCOPE`
  (OAuth2 client credentials), `_TIMEOUT_S` (read), `_CONNECT_TIMEOUT_S`, `_PAGE_SIZE`,
  `_CA_FILE`, `_RETRY__ATTEMPTS`/`_RETRY__BUDGET_S`/`_RETRY__INITIAL_BACKOFF_S`/
  `_RETRY__MAX_BACKOFF_S`/`_RETRY__JITTER_S`. `settings.auth_scheme` is `oauth2`,
  `basic` or `none`. Secrets are `SecretStr`, registered for redaction. An empty
  BASE_URL (the default) means "not configured": the model loads (`config` shows it),
  the clients raise a `configuration` `DbError` naming the variable.
- `HttpClient(settings, adapter="oic")` (`flext_db_oracle_http.client`, sync, thread-safe)
  and `AsyncHttpClient` (same API, awaited; `aclose()`):
  `request(method, path_or_url, params=, data=, json=) -> Result[httpx.Response, DbError]`,
  `get_json(path, params=) -> Result[Any, DbError]`, `close()` / context manager.
  Paths are relative to `BASE_URL` (a leading `/` stays under it); absolute URLs (a
  server's next-page link) must be on BASE_URL's origin. OAuth2 tokens are cached until
  shortly before expiry; a 401 refreshes the token and resends once (even a POST).
  GET/HEAD/PUT/DELETE/OPTIONS are retried through `settings.retry`
  (`flext_db_oracle.retry.RetryPolicy`) on connect errors, 429 (`Retry-After`) and 5xx;
  POST/PATCH never.
- Errors (`flext_db_oracle_http.errors`): `status_error`, `status_kind` — `code` is the
  HTTP status as a string; 401 authentication, 403 authorization, 404 not_found, 408/504
  timeout, 409 integrity, 429/503/5xx connection (retryable), 501 unsupported, other 4xx
  query; a body that is not JSON is a non-retryable `connection` error with
  `detail["reason"] == "malformed_json"`; a read timeout is `timeout`, not retryable.
- Logging: one debug event `http.request` per request (adapter, method, path, status,
  duration_ms) on logger `flext_db_oracle_http`; never headers, bodies or query strings.
"""

from flext_db_oracle_http.errors import parse_retry_after, status_error, status_kind
from flext_db_oracle_http.settings import AuthScheme, HttpSettings

__all__ = ["AuthScheme", "HttpSettings", "parse_retry_after", "status_error", "status_kind"]
