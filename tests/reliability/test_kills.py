"""Killing every backend in the middle of a write workload, inside and outside transactions.

Four threads run `WRITES` operations (FLEXT_DB_ORACLE_RELIABILITY_WRITES, 10,000 by
default) against one facade: even operations insert one row in autocommit mode, odd
ones insert two rows in one transaction. A killer thread terminates every backend of
the database (pg_terminate_backend / KILL) at 20 %, 40 %, 60 % and 80 % of the run.

Then: every acknowledged write is present exactly once (the table has no key, so a
duplicate would show), no transaction is partial (2 rows or none), a transaction
reported failed without "outcome unknown" left nothing behind, and the next operation
succeeds. A transaction whose commit lost its connection must say `outcome_unknown`;
how many did is counted (asserted only when some occur).
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from flext_db_oracle import DbError, FlextDbOracleApi
from returns.result import Failure, Success

from tests.reliability.support import KILLERS, bounded

pytestmark = pytest.mark.services

WRITES = int(os.environ.get("FLEXT_DB_ORACLE_RELIABILITY_WRITES", "10000"))
THREADS = 4
KILL_AT = (0.2, 0.4, 0.6, 0.8)


@dataclass
class Ledger:
    """What the workload was told, per operation."""

    acknowledged_rows: set[int] = field(default_factory=set)
    acknowledged_txns: set[int] = field(default_factory=set)
    failed_txns: dict[int, DbError] = field(default_factory=dict)
    failed_single_rows: dict[int, DbError] = field(default_factory=dict)
    raw_exceptions: list[BaseException] = field(default_factory=list)
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _single(db: FlextDbOracleApi, table: str, op: int, ledger: Ledger) -> None:
    row_id = op * 2
    result = db.execute(f"INSERT INTO {table} (id, txn) VALUES (:id, NULL)", {"id": row_id})
    with ledger.lock:
        if isinstance(result, Success):
            ledger.acknowledged_rows.add(row_id)
        elif isinstance(result, Failure) and isinstance(result.failure(), DbError):
            ledger.failed_single_rows[row_id] = result.failure()
        else:
            ledger.raw_exceptions.append(TypeError(f"not a Result: {result!r}"))


def _transaction(db: FlextDbOracleApi, table: str, op: int, ledger: Ledger) -> None:
    first, second = op * 2, op * 2 + 1
    sql = f"INSERT INTO {table} (id, txn) VALUES (:id, :txn)"
    try:
        with db.transaction():
            db.execute(sql, {"id": first, "txn": op})
            db.execute(sql, {"id": second, "txn": op})
    except DbError as error:
        with ledger.lock:
            ledger.failed_txns[op] = error
        return
    with ledger.lock:
        ledger.acknowledged_txns.add(op)
        ledger.acknowledged_rows.update({first, second})


def _run_workload(db: FlextDbOracleApi, table: str, url: str, killer_name: str) -> dict[str, int]:
    ledger = Ledger()
    kills = {"rounds": 0, "backends": 0}
    per_thread = WRITES // THREADS
    progress = threading.Condition()
    stop = threading.Event()

    def worker(index: int) -> None:
        for step in range(per_thread):
            op = index * per_thread + step
            try:
                (_single if op % 2 == 0 else _transaction)(db, table, op, ledger)
            except BaseException as exc:  # anything but DbError out of the facade
                with ledger.lock:
                    ledger.raw_exceptions.append(exc)
            with progress:
                ledger.done += 1
                progress.notify_all()

    def killer() -> None:
        for fraction in KILL_AT:
            with progress:
                if not progress.wait_for(
                    lambda f=fraction: ledger.done >= f * per_thread * THREADS or stop.is_set(),
                    timeout=120,
                ):
                    return
            if stop.is_set():
                return
            kills["backends"] += KILLERS[killer_name](url)
            kills["rounds"] += 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    kill_thread = threading.Thread(target=killer, daemon=True)
    kill_thread.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    stop.set()
    with progress:
        progress.notify_all()
    kill_thread.join(10)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    assert not ledger.raw_exceptions, f"raw exceptions escaped: {ledger.raw_exceptions[:3]!r}"

    rows = db.query(f"SELECT id, txn FROM {table}")
    assert isinstance(rows, Success), f"reading back failed: {rows!r}"
    present = Counter(row[0] for row in rows.unwrap().rows)
    per_txn = Counter(row[1] for row in rows.unwrap().rows if row[1] is not None)

    duplicates = {row_id: n for row_id, n in present.items() if n > 1}
    lost = sorted(ledger.acknowledged_rows - set(present))
    partial = {txn: n for txn, n in per_txn.items() if n != 2}
    unknown = {op: e for op, e in ledger.failed_txns.items() if e.outcome_unknown}
    failed_but_committed = sorted(
        op for op in ledger.failed_txns if op in per_txn and op not in unknown
    )
    single_failed_but_present = sorted(
        row_id for row_id in ledger.failed_single_rows if row_id in present
    )
    assert not duplicates, f"rows present more than once: {list(duplicates.items())[:5]}"
    assert not lost, f"{len(lost)} acknowledged writes lost, e.g. {lost[:5]}"
    assert not partial, f"partial transactions (rows per txn): {list(partial.items())[:5]}"
    assert not failed_but_committed, (
        f"{len(failed_but_committed)} transactions reported failed (without outcome unknown) "
        f"yet committed, e.g. {failed_but_committed[:5]}"
    )
    for op, error in unknown.items():
        assert error.detail.get("outcome") == "unknown", (op, error)
    after = bounded(lambda: db.query_one("SELECT 1"), 15)
    assert isinstance(after.value, Success), f"the next operation: {after.describe()}"
    assert kills["rounds"] == len(KILL_AT), f"only {kills['rounds']} kill rounds ran"
    figures = {
        "operations": per_thread * THREADS,
        "kill_rounds": kills["rounds"],
        "backends_killed": kills["backends"],
        "acknowledged_rows": len(ledger.acknowledged_rows),
        "lost": len(lost),
        "duplicates": len(duplicates),
        "partial_txns": len(partial),
        "failed_single": len(ledger.failed_single_rows),
        "failed_single_but_present": len(single_failed_but_present),
        "failed_txns": len(ledger.failed_txns),
        "outcome_unknown": len(unknown),
        "untyped": len(ledger.raw_exceptions),
    }
    print(f"\nkill workload {killer_name}: {figures}")
    return figures


@pytest.mark.parametrize("backend", list(KILLERS))
def test_killing_every_backend_mid_write_workload_loses_nothing(
    backend: str, request: pytest.FixtureRequest, unique_name: object
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    table = unique_name("kills")  # type: ignore[operator]
    db = FlextDbOracleApi.from_url(url, pool={"size": THREADS, "max_overflow": 0})
    try:
        created = db.execute(f"CREATE TABLE {table} (id BIGINT NOT NULL, txn BIGINT)")
        assert isinstance(created, Success), created
        figures = _run_workload(db, table, url, backend)
        assert figures["backends_killed"] >= 1, "no backend was killed: the test proved nothing"
    finally:
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.disconnect()
