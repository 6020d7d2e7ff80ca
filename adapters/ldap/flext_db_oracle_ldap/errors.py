"""ldap3 exceptions and bind results mapped onto the core taxonomy.

No message here quotes the server's text verbatim for a failed bind: it could tell
an unknown user from a wrong password. Other server texts go through the core's
redaction like every `DbError` message.
"""

from __future__ import annotations

import re
import ssl
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from ldap3.core.exceptions import (
    LDAPCommunicationError,
    LDAPExceptionError,
    LDAPInvalidCredentialsResult,
    LDAPOperationResult,
    LDAPResponseTimeoutError,
    LDAPSSLConfigurationError,
    LDAPStartTLSError,
)

ADAPTER = "ldap"

# One line for every refused sign-in, whatever the reason the server gave.
BAD_CREDENTIALS = "invalid username or password"

INVALID_CREDENTIALS = 49
_RETRYABLE_RESULTS = frozenset({51, 52})  # busy, unavailable
_TIMEOUT_RESULTS = frozenset({3})  # timeLimitExceeded

# Active Directory explains a refused bind in its diagnostic text: "..., data 775, ...".
_AD_SUBCODE = re.compile(r"\bdata ([0-9a-f]{3,4})\b", re.IGNORECASE)
AD_ACCOUNT_STATES = {
    "775": "account locked",
    "532": "password expired",
    "773": "password must be changed",
    "701": "account expired",
    "533": "account disabled",
    "530": "sign-in not permitted at this time",
    "531": "sign-in not permitted from this workstation",
}


class BindRefusedError(Exception):
    """A bind the directory answered with a non-success result. Carries the result code,
    the server's diagnostic text and the response controls, never the credentials."""

    def __init__(self, result: int, diagnostic: str | None, controls: dict[str, Any] | None):
        super().__init__(f"bind refused with LDAP result {result}")
        self.result = result
        self.diagnostic = diagnostic
        self.controls = controls or {}


def authentication_failed(reason: str | None = None, code: int | None = None) -> DbError:
    """A refused sign-in; `reason` only for account states the directory reported."""
    message = BAD_CREDENTIALS if reason is None else f"sign-in refused: {reason}"
    return DbError(
        ErrorKind.AUTHENTICATION,
        message,
        code=str(code or INVALID_CREDENTIALS),
        retryable=False,
        adapter=ADAPTER,
        detail={"reason": reason} if reason else None,
    )


def ad_account_state(diagnostic: str | None) -> str | None:
    """The account state an AD bind diagnostic names (`data 775` is a lockout), or None."""
    match = _AD_SUBCODE.search(diagnostic or "")
    return AD_ACCOUNT_STATES.get(match.group(1).lower()) if match else None


def map_ldap_error(exc: BaseException) -> DbError:
    """Any exception from ldap3 (or the socket/TLS layer beneath it) as a `DbError`."""
    if _is_timeout(exc):
        return DbError(
            ErrorKind.TIMEOUT,
            "the directory did not answer in time (FLEXT_DB_ORACLE_LDAP_TIMEOUT_S)",
            retryable=True,
            adapter=ADAPTER,
        )
    if isinstance(exc, LDAPStartTLSError | LDAPSSLConfigurationError) or _caused_by_tls(exc):
        return DbError(
            ErrorKind.CONNECTION,
            f"TLS with the directory failed (is FLEXT_DB_ORACLE_LDAP_CA_FILE the CA that signed "
            f"the server certificate?): {_first_line(exc)}",
            retryable=False,
            adapter=ADAPTER,
        )
    if isinstance(exc, LDAPCommunicationError):
        return DbError(
            ErrorKind.CONNECTION,
            f"cannot reach the directory: {_first_line(exc)}",
            retryable=True,
            adapter=ADAPTER,
        )
    if isinstance(exc, BindRefusedError):
        if exc.result == INVALID_CREDENTIALS:
            return authentication_failed()
        return result_error(exc.result, "bind refused", None)
    if isinstance(exc, LDAPInvalidCredentialsResult):
        return authentication_failed()
    if isinstance(exc, LDAPOperationResult):
        return result_error(exc.result, exc.description, exc.message)
    if isinstance(exc, LDAPExceptionError):
        return DbError(ErrorKind.INTERNAL, _first_line(exc), adapter=ADAPTER)
    return DbError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {_first_line(exc)}", adapter=ADAPTER)


def result_error(result: int | None, description: str | None, message: str | None) -> DbError:
    """A non-success LDAP result (not a bind's) as a `DbError` carrying the result code."""
    code = None if result is None else str(result)
    text = f"directory refused the operation: {description or 'error'}"
    if message:
        text += f" ({message})"
    if result in _TIMEOUT_RESULTS:
        return DbError(ErrorKind.TIMEOUT, text, code=code, adapter=ADAPTER)
    if result == 50:  # insufficientAccessRights
        return DbError(ErrorKind.AUTHORIZATION, text, code=code, adapter=ADAPTER)
    if result == 32:  # noSuchObject
        return DbError(ErrorKind.NOT_FOUND, text, code=code, adapter=ADAPTER)
    if result in _RETRYABLE_RESULTS:
        return DbError(ErrorKind.CONNECTION, text, code=code, retryable=True, adapter=ADAPTER)
    return DbError(ErrorKind.QUERY, text, code=code, retryable=False, adapter=ADAPTER)


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, TimeoutError | LDAPResponseTimeoutError):
        return True
    return "timed out" in str(exc).lower()


def _caused_by_tls(exc: BaseException) -> bool:
    return isinstance(exc, ssl.SSLError) or "certificate" in str(exc).lower()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
