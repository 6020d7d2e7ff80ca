"""The core's one retry policy, on tenacity: retry only what may succeed when repeated.

A `RetryPolicy` runs a `Result`-returning callable and repeats it while it returns a
`Failure` whose `DbError.retryable` is true, with exponential backoff and jitter,
bounded both in attempts and in total time. A `retry_after` value (seconds) in the
error's `detail` (an HTTP `Retry-After`) is the shortest wait before the next try.
A retry that would end after the time budget is not started: the last failure is
returned instead. Each retry is logged (event `retry`).

Only hand it operations that are safe to repeat: reads, idempotent requests, or a
whole transaction replayed by the callable. It never decides that for the caller.

    policy = RetryPolicy(attempts=4, budget_s=20)
    result = policy.run(lambda: port.fetch_all("select 1"))
    result = await policy.run_async(lambda: client.get("entity/item"))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from returns.result import Failure, Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.logs import get_logger

if TYPE_CHECKING:
    import tenacity

_T = TypeVar("_T")
_LOGGER = "flext_db_oracle.retry"


class RetryPolicy(BaseModel):
    """How often and how long to retry. `attempts=1` turns retrying off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: int = Field(default=3, ge=1, description="tries in all, the first included")
    budget_s: float = Field(
        default=30.0, gt=0, description="no retry starts that would end after this many seconds"
    )
    initial_backoff_s: float = Field(default=0.5, ge=0, description="wait before the 2nd try")
    max_backoff_s: float = Field(default=10.0, ge=0, description="longest backoff between tries")
    jitter_s: float = Field(default=0.5, ge=0, description="random extra wait, up to this")

    def run(self, call: Callable[[], Result[_T, DbError]]) -> Result[_T, DbError]:
        """`call()` until it succeeds, fails for good, or the attempts or time run out."""
        import tenacity

        retrying = tenacity.Retrying(**self._tenacity_arguments())
        outcome: Result[_T, DbError] = retrying(_raised_as_failure, call)
        return outcome

    async def run_async(
        self, call: Callable[[], Awaitable[Result[_T, DbError]]]
    ) -> Result[_T, DbError]:
        """The same as `run`, awaiting `call()` and sleeping with asyncio."""
        import tenacity

        retrying = tenacity.AsyncRetrying(**self._tenacity_arguments())
        outcome: Result[_T, DbError] = await retrying(_raised_as_failure_async, call)
        return outcome

    def _tenacity_arguments(self) -> dict[str, Any]:
        import tenacity

        backoff = tenacity.wait_exponential_jitter(
            multiplier=self.initial_backoff_s, max=self.max_backoff_s, jitter=self.jitter_s
        )

        def wait(state: tenacity.RetryCallState) -> float:
            return max(backoff(state), _retry_after(state))

        return {
            "retry": tenacity.retry_if_result(_is_retryable),
            "wait": wait,
            "stop": tenacity.stop_after_attempt(self.attempts)
            | tenacity.stop_before_delay(self.budget_s),
            "before_sleep": _log_retry,
            # When attempts or time run out, the last Failure is the answer, not an exception.
            "retry_error_callback": lambda state: state.outcome.result() if state.outcome else None,
        }


def _raised_as_failure(call: Callable[[], Result[_T, DbError]]) -> Result[_T, DbError]:
    try:
        return call()
    except DbError as error:
        return Failure(error)


async def _raised_as_failure_async(
    call: Callable[[], Awaitable[Result[_T, DbError]]],
) -> Result[_T, DbError]:
    try:
        return await call()
    except DbError as error:
        return Failure(error)


def _failure_of(outcome: object) -> DbError | None:
    if isinstance(outcome, Failure):
        error = outcome.failure()
        if isinstance(error, DbError):
            return error
    return None


def _is_retryable(outcome: object) -> bool:
    error = _failure_of(outcome)
    return error is not None and error.retryable


def _retry_after(state: tenacity.RetryCallState) -> float:
    error = _failure_of(state.outcome.result()) if state.outcome else None
    if error is None:
        return 0.0
    try:
        return max(0.0, float(error.detail.get("retry_after") or 0.0))
    except (TypeError, ValueError):
        return 0.0


def _log_retry(state: tenacity.RetryCallState) -> None:
    error = _failure_of(state.outcome.result()) if state.outcome else None
    get_logger(_LOGGER).warning(
        "retry",
        attempt=state.attempt_number,
        wait_s=round(state.upcoming_sleep, 3),
        elapsed_s=round(state.seconds_since_start or 0.0, 3),
        kind=error.kind.value if error else None,
        code=error.code if error else None,
        adapter=error.adapter if error else None,
        error=error.message if error else None,
    )
