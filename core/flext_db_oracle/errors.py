"""The one error type that leaves the framework: `DbError`, classified by `ErrorKind`.

Adapters catch driver exceptions at their edge and map them here, so callers
handle one taxonomy whatever the backend. `DbError` is an exception so that it
can be raised where a `Result` cannot travel (context managers, iterators,
`unwrap()`), but port operations return it inside `Failure`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from flext_db_oracle.redaction import redact


class ErrorKind(StrEnum):
    """What went wrong, in terms a caller can act on."""

    CONNECTION = "connection"
    AUTHENTICATION = "authentication"
    AUTHORIZATION = "authorization"
    TIMEOUT = "timeout"
    QUERY = "query"
    INTEGRITY = "integrity"
    CONFIGURATION = "configuration"
    NOT_FOUND = "not_found"
    UNSUPPORTED = "unsupported"
    INTERNAL = "internal"


# Kinds that may succeed when simply tried again (after a back-off).
_RETRYABLE_BY_DEFAULT = frozenset({ErrorKind.CONNECTION, ErrorKind.TIMEOUT})


class DbError(Exception):
    """A classified failure.

    Attributes:
        kind: the class of failure (see `ErrorKind`).
        code: the source's own code: `ORA-00942`, SQLSTATE `23505`, an HTTP status...
        message: one readable line, with every known secret redacted.
        retryable: whether repeating the same call may succeed.
        adapter: the adapter that raised it, when one did.
        detail: structured extras (row index of a failing batch row, table name...).
    """

    __slots__ = ("adapter", "code", "detail", "kind", "message", "retryable")

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        code: str | None = None,
        retryable: bool | None = None,
        adapter: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.message = redact(" ".join(message.split()))
        self.code = code
        self.retryable = kind in _RETRYABLE_BY_DEFAULT if retryable is None else retryable
        self.adapter = adapter
        self.detail: Mapping[str, Any] = MappingProxyType(dict(detail or {}))
        super().__init__(self.message)

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{self.kind.value} error{code}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"DbError(kind={self.kind.value!r}, code={self.code!r}, message={self.message!r}, "
            f"retryable={self.retryable!r}, adapter={self.adapter!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DbError):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.kind, self.code, self.message, self.adapter))

    @property
    def outcome_unknown(self) -> bool:
        """True when the connection was lost during a commit: the server may or may not
        have committed. Check before retrying a write."""
        return self.detail.get("outcome") == "unknown"

    def from_adapter(self, adapter: str) -> DbError:
        """This error attributed to `adapter`, unless it already names one."""
        if self.adapter is not None:
            return self
        return DbError(
            self.kind,
            self.message,
            code=self.code,
            retryable=self.retryable,
            adapter=adapter,
            detail=self.detail,
        )

    def with_detail(self, **extra: Any) -> DbError:
        """A copy with `extra` added to `detail`."""
        return DbError(
            self.kind,
            self.message,
            code=self.code,
            retryable=self.retryable,
            adapter=self.adapter,
            detail={**self.detail, **extra},
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view, for logs and `--format json` error output."""
        return {
            "kind": self.kind.value,
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
            "adapter": self.adapter,
            "detail": dict(self.detail),
        }
