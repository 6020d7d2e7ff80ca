"""Helpers of the reliability suite: bounded calls, typed-failure checks, backend kills."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flext_db_oracle import DbError
from returns.result import Failure, Result, Success

from tests.support.databases import POSTGRESQL_ADMIN_URL, _mariadb_admin


@dataclass
class Bounded:
    """How a call run under a join timeout ended."""

    finished: bool
    elapsed_s: float
    value: Any = None
    raised: BaseException | None = None

    def describe(self) -> str:
        if not self.finished:
            return f"still running after {self.elapsed_s:.2f} s (a hang)"
        if self.raised is not None:
            return (
                f"raised {type(self.raised).__name__}: {self.raised} after {self.elapsed_s:.2f} s"
            )
        return f"returned {self.value!r} after {self.elapsed_s:.2f} s"


def bounded(call: Callable[[], Any], join_timeout_s: float) -> Bounded:
    """Run `call` in a daemon thread and wait at most `join_timeout_s`: a hang in the code
    under test fails the test instead of the run."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:
            box["raised"] = exc
        box["end"] = time.perf_counter()

    started = time.perf_counter()
    thread = threading.Thread(target=target, daemon=True, name="bounded-call")
    thread.start()
    thread.join(join_timeout_s)
    if thread.is_alive():
        return Bounded(False, time.perf_counter() - started)
    return Bounded(True, box["end"] - started, box.get("value"), box.get("raised"))


def typed_failure(result: object) -> DbError:
    """The `DbError` inside `result`; fails the test when it is anything else."""
    assert isinstance(result, Failure), f"expected Failure(DbError), got {result!r}"
    error = result.failure()
    assert isinstance(error, DbError), f"untyped failure: {type(error).__name__}: {error!r}"
    return error


def is_result(value: object) -> bool:
    return isinstance(value, Success | Failure)


def check_result(value: object) -> Result[Any, DbError]:
    """`value` must be a Result whose failure, if any, is a DbError."""
    assert isinstance(value, Success | Failure), f"not a Result: {value!r}"
    if isinstance(value, Failure):
        assert isinstance(value.failure(), DbError), f"untyped failure: {value.failure()!r}"
    return value


def exception_chain(error: BaseException) -> Iterator[BaseException]:
    """`error`, then every `__cause__` and `__context__` reachable from it (once each)."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def everything_said_by(error: BaseException) -> str:
    """str, repr, args and the formatted traceback of `error` and its whole chain."""
    parts: list[str] = []
    for item in exception_chain(error):
        parts += [str(item), repr(item), repr(item.args)]
        if isinstance(item, DbError):
            parts.append(repr(item.as_dict()))
    parts.append("".join(traceback.format_exception(error)))
    return "\n".join(parts)


# --- killing backends -----------------------------------------------------------------


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def kill_postgresql_backends(url: str) -> int:
    import psycopg

    with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database_of(url),),
        ).fetchall()
    return len(rows)


def kill_mariadb_backends(url: str) -> int:
    with _mariadb_admin() as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> connection_id()",
            (database_of(url),),
        )
        ids = [row[0] for row in cursor.fetchall()]
        killed = 0
        for connection_id in ids:
            try:
                cursor.execute(f"KILL {int(connection_id)}")
                killed += 1
            except Exception:  # noqa: S112 - it ended by itself meanwhile
                continue
    return killed


KILLERS: dict[str, Callable[[str], int]] = {
    "postgresql": kill_postgresql_backends,
    "mariadb": kill_mariadb_backends,
}
