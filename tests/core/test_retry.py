"""The core retry policy: only retryable failures, bounded in attempts and time, logged."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.retry import RetryPolicy
from returns.result import Failure, Result, Success

FAST = RetryPolicy(attempts=4, budget_s=5, initial_backoff_s=0.01, max_backoff_s=0.02, jitter_s=0)
BUSY = DbError(ErrorKind.CONNECTION, "busy", code="503", retryable=True)
DENIED = DbError(ErrorKind.AUTHENTICATION, "bad password", code="401", retryable=False)


Call = Callable[[], Result[int, DbError]]


def scripted(*outcomes: Result[int, DbError]) -> tuple[Call, list[int]]:
    """A call that answers `outcomes` in turn (the last one forever) and counts its calls."""
    calls: list[int] = []

    def call() -> Result[int, DbError]:
        calls.append(1)
        return outcomes[min(len(calls), len(outcomes)) - 1]

    return call, calls


def test_success_is_returned_at_once() -> None:
    call, calls = scripted(Success(7))
    assert FAST.run(call) == Success(7)
    assert len(calls) == 1


def test_a_retryable_failure_is_tried_again_until_success() -> None:
    call, calls = scripted(Failure(BUSY), Failure(BUSY), Success(3))
    assert FAST.run(call) == Success(3)
    assert len(calls) == 3


def test_a_failure_that_is_not_retryable_is_returned_at_once() -> None:
    call, calls = scripted(Failure(DENIED), Success(1))
    assert FAST.run(call) == Failure(DENIED)
    assert len(calls) == 1


def test_attempts_are_bounded_and_the_last_failure_is_returned() -> None:
    call, calls = scripted(Failure(BUSY))
    assert FAST.run(call) == Failure(BUSY)
    assert len(calls) == FAST.attempts


def test_total_time_is_bounded_by_the_budget() -> None:
    policy = RetryPolicy(
        attempts=1000, budget_s=0.3, initial_backoff_s=0.05, max_backoff_s=0.05, jitter_s=0
    )
    call, calls = scripted(Failure(BUSY))
    started = time.monotonic()
    assert policy.run(call) == Failure(BUSY)
    elapsed = time.monotonic() - started
    assert elapsed < 0.3 + 0.1
    assert 2 <= len(calls) <= 7  # 0.3 s of 0.05 s waits: six at most, after the first call


def test_retry_after_is_the_shortest_wait() -> None:
    throttled = BUSY.with_detail(retry_after=0.25)
    call, calls = scripted(Failure(throttled), Success(1))
    started = time.monotonic()
    assert FAST.run(call) == Success(1)
    assert time.monotonic() - started >= 0.25
    assert len(calls) == 2


def test_no_retry_starts_when_retry_after_exceeds_the_budget() -> None:
    policy = FAST.model_copy(update={"budget_s": 1.0})
    call, calls = scripted(Failure(BUSY.with_detail(retry_after=30)), Success(1))
    started = time.monotonic()
    assert policy.run(call) == Failure(BUSY.with_detail(retry_after=30))
    assert time.monotonic() - started < 0.5
    assert len(calls) == 1


def test_a_raised_db_error_is_a_failure() -> None:
    def call() -> Result[int, DbError]:
        raise DENIED

    assert FAST.run(call) == Failure(DENIED)


def test_one_attempt_turns_retrying_off() -> None:
    call, calls = scripted(Failure(BUSY), Success(1))
    assert RetryPolicy(attempts=1).run(call) == Failure(BUSY)
    assert len(calls) == 1


@pytest.mark.usefixtures("stdlib_logging")
def test_each_retry_is_logged_with_the_error(caplog: pytest.LogCaptureFixture) -> None:
    call, _ = scripted(Failure(BUSY), Failure(BUSY), Success(1))
    FAST.run(call)
    retries = [r.event_fields for r in caplog.records if r.event_fields["event"] == "retry"]  # type: ignore[attr-defined]
    assert [entry["attempt"] for entry in retries] == [1, 2]
    assert {(entry["kind"], entry["code"]) for entry in retries} == {("connection", "503")}


def test_async_runs_the_same_policy() -> None:
    outcomes = [Failure(BUSY), Success(5)]
    calls: list[int] = []

    async def call() -> Result[int, DbError]:
        calls.append(1)
        return outcomes[len(calls) - 1]

    assert asyncio.run(FAST.run_async(call)) == Success(5)
    assert len(calls) == 2


def test_async_attempts_are_bounded() -> None:
    calls: list[int] = []

    async def call() -> Result[int, DbError]:
        calls.append(1)
        return Failure(BUSY)

    assert asyncio.run(FAST.run_async(call)) == Failure(BUSY)
    assert len(calls) == FAST.attempts


@pytest.mark.parametrize(
    "bad", [{"attempts": 0}, {"budget_s": 0}, {"initial_backoff_s": -1}, {"unknown": 1}]
)
def test_invalid_policies_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        RetryPolicy(**bad)  # type: ignore[arg-type]


def test_importing_the_core_does_not_load_the_retry_library() -> None:
    code = "import sys, flext_db_oracle; print('tenacity' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
