"""Bounding a blocking driver call by a deadline the driver itself does not keep.

Some drivers cannot bound a step: libpq rounds connect timeouts under 2 s up to
2 s, PyMySQL's connect timeout does not cover the handshake, python-oracledb's
`tcp_connect_timeout` does not cover a listener that accepts and never answers.
`within_deadline` runs the call in a daemon thread and gives up waiting after
`seconds`: the caller gets a `timeout` DbError on time; the abandoned call ends
with its socket (keep the driver's own timeout set too, so it does end).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flext_db_oracle.errors import DbError, ErrorKind

_T = TypeVar("_T")


class _Outcome:
    """What a worker thread hands back: a value or an exception."""

    def __init__(self) -> None:
        self.value: object = None
        self.error: BaseException | None = None
        self.done = threading.Event()


def within_deadline(call: Callable[[], _T], seconds: float, what: str, adapter: str) -> _T:
    """`call()` in a daemon thread, waited for at most `seconds`; past that a `timeout`
    DbError. The abandoned call ends with its socket; a daemon thread never blocks exit."""
    outcome = _Outcome()

    def run() -> None:
        try:
            outcome.value = call()
        except BaseException as exc:
            outcome.error = exc
        finally:
            outcome.done.set()

    threading.Thread(target=run, name="flext-db-oracle-connect", daemon=True).start()
    if not outcome.done.wait(seconds):
        raise DbError(
            ErrorKind.TIMEOUT,
            f"no answer from {what} within the connect timeout of {seconds:g} s "
            "(FLEXT_DB_ORACLE_CONNECT_TIMEOUT_S)",
            retryable=True,
            adapter=adapter,
        )
    if outcome.error is not None:
        raise _without_frames(outcome.error)
    return outcome.value  # type: ignore[return-value]  # set by `call`, a _T


def _without_frames(error: BaseException) -> BaseException:
    """`error` and its causes without their tracebacks: the worker thread's frames hold
    the driver's socket, which then closes now rather than when the error is dropped."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return error
