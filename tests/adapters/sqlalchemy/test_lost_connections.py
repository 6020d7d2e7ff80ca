"""Killing every backend of the pool in the middle of a workload, with pre-ping off:
each lost connection fails one call with a retryable `connection` error, is never
reused, and the next call succeeds without anyone doing anything."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi
from returns.result import Failure

from tests.support.databases import POSTGRESQL_ADMIN_URL, _mariadb_admin

pytestmark = pytest.mark.services

THREADS = 4
CALLS = 150


def _kill_postgresql_backends(url: str) -> int:
    import psycopg

    database = urlsplit(url).path.lstrip("/")
    with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


def _kill_mariadb_backends(url: str) -> int:
    database = urlsplit(url).path.lstrip("/")
    with _mariadb_admin() as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> connection_id()",
            (database,),
        )
        ids = [row[0] for row in cursor.fetchall()]
        for connection_id in ids:
            cursor.execute(f"KILL {int(connection_id)}")
    return len(ids)


KILLERS: dict[str, Callable[[str], int]] = {
    "postgresql": _kill_postgresql_backends,
    "mariadb": _kill_mariadb_backends,
}


@pytest.mark.parametrize("backend", list(KILLERS))
def test_killing_every_backend_mid_workload_costs_one_call_per_lost_connection(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    db = FlextDbOracleApi.from_url(url, pool={"size": THREADS, "max_overflow": 0})
    assert db.runtime.settings.pool.pre_ping is False
    failures: list[DbError] = []
    next_call_after_a_failure_succeeded: list[bool] = []
    halfway = threading.Barrier(THREADS + 1)
    killed = threading.Event()

    def workload() -> None:
        failed_before = False
        for call in range(CALLS):
            if call == CALLS // 2:
                halfway.wait()
                killed.wait()
            result = db.query_one("SELECT 1 AS one")
            if failed_before:
                next_call_after_a_failure_succeeded.append(not isinstance(result, Failure))
            failed_before = isinstance(result, Failure)
            if isinstance(result, Failure):
                failures.append(result.failure())

    threads = [threading.Thread(target=workload) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    halfway.wait()
    killed_count = KILLERS[backend](url)
    killed.set()
    for thread in threads:
        thread.join(timeout=60)
    after = [db.query_one("SELECT 2 AS two") for _ in range(20)]
    db.disconnect()

    assert killed_count >= 1  # the pool's connections were there to kill
    assert len(failures) <= killed_count  # one failed call per lost connection at most
    assert all(f.kind is ErrorKind.CONNECTION and f.retryable for f in failures), failures
    assert all(next_call_after_a_failure_succeeded)  # no manual action needed
    assert all(not isinstance(r, Failure) for r in after)
