"""HTTP answers and transport failures as `DbError`s (`code` is the status as a string).

| status            | kind             | retryable |
|-------------------|------------------|-----------|
| 401               | authentication   | no        |
| 403               | authorization    | no        |
| 404               | not_found        | no        |
| 408, 504          | timeout          | yes       |
| 409               | integrity        | no        |
| 429               | connection       | yes (`detail["retry_after"]` from `Retry-After`) |
| 501               | unsupported      | no        |
| other 4xx         | query            | no        |
| 503, other 5xx    | connection       | yes       |

A connect failure or connect timeout is retryable; a read timeout is not (the server
may still be working on the request). A body that is not the JSON promised is a
`connection` error that is not retryable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from flext_db_oracle.errors import DbError, ErrorKind

_BY_STATUS: dict[int, tuple[ErrorKind, bool]] = {
    401: (ErrorKind.AUTHENTICATION, False),
    403: (ErrorKind.AUTHORIZATION, False),
    404: (ErrorKind.NOT_FOUND, False),
    408: (ErrorKind.TIMEOUT, True),
    409: (ErrorKind.INTEGRITY, False),
    429: (ErrorKind.CONNECTION, True),
    501: (ErrorKind.UNSUPPORTED, False),
    503: (ErrorKind.CONNECTION, True),
    504: (ErrorKind.TIMEOUT, True),
}
_BODY_EXCERPT = 200


def status_kind(status: int) -> tuple[ErrorKind, bool]:
    """The kind and retryable flag of an HTTP error status (>= 400)."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ErrorKind.CONNECTION, True
    return ErrorKind.QUERY, False


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` in seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def status_error(
    status: int,
    *,
    method: str,
    path: str,
    adapter: str,
    body: str = "",
    retry_after: str | None = None,
) -> DbError:
    """The `DbError` of an HTTP error answer; `body` (an excerpt) says what the server said."""
    kind, retryable = status_kind(status)
    excerpt = " ".join(body.split())[:_BODY_EXCERPT]
    detail: dict[str, object] = {"method": method, "path": path, "status": status}
    wait = parse_retry_after(retry_after)
    if wait is not None:
        detail["retry_after"] = wait
    said = f": {excerpt}" if excerpt else ""
    return DbError(
        kind,
        f"{method} {path} answered HTTP {status}{said}",
        code=str(status),
        retryable=retryable,
        adapter=adapter,
        detail=detail,
    )


def malformed_json_error(status: int, *, method: str, path: str, adapter: str) -> DbError:
    return DbError(
        ErrorKind.CONNECTION,
        f"{method} {path} answered HTTP {status} with a body that is not valid JSON",
        code=str(status),
        retryable=False,
        adapter=adapter,
        detail={"method": method, "path": path, "status": status, "reason": "malformed_json"},
    )
