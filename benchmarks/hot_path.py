"""The hot path and start-up, measured against the raw driver and SQLAlchemy Core.

One command produces every figure of docs/performance.md:

    python3 -m uv run --group bench python benchmarks/hot_path.py --write docs/performance.md

Figures (each the median of interleaved rounds, with its spread, IQR / median):

- `query_one` by primary key on a 1,000-row table: raw driver, SQLAlchemy on a held
  connection, SQLAlchemy with a checkout per call (no pre-ping), the facade; with the
  round trips per call counted from the driver's own trace;
- 16 threads x 500 lookups on PostgreSQL through one facade vs SQLAlchemy Core on
  the same pool size, no pre-ping;
- fetching 200,000 rows x 3 columns as tuples and as dicts;
- `flext-db-oracle --help` and `flext-db-oracle query "select 1"` wall time, beside
  `python -c pass` and `sqlite-utils --help`.

Servers: PostgreSQL and MariaDB on loopback (each gets a fresh database, dropped at
the end); a backend whose server is not there is left out and said so.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flext_db_oracle import FlextDbOracleApi

PG_ADMIN = os.environ.get(
    "FLEXT_DB_ORACLE_BENCH_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1/test"
)
MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}
NOTES_MARKER = "<!-- notes: kept by hot_path.py --write -->"
LOOKUP_ROWS = 1_000
WIDE_ROWS = 200_000
ROUNDS = 11
CALLS = 1_000


@dataclass
class Figure:
    """One measured quantity per contender, as medians with their spread."""

    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, contender: str, value: float) -> None:
        self.samples.setdefault(contender, []).append(value)

    def median(self, contender: str) -> float:
        return statistics.median(self.samples[contender])

    def spread(self, contender: str) -> float:
        values = sorted(self.samples[contender])
        if len(values) < 4:
            return 0.0
        q1, _, q3 = statistics.quantiles(values, n=4)
        return (q3 - q1) / statistics.median(values)


def interleaved(contenders: dict[str, Callable[[], float]], rounds: int = ROUNDS) -> Figure:
    """Each round runs every contender once, in a rotated order, so drift on a noisy
    machine spreads over all of them alike."""
    figure = Figure()
    names = list(contenders)
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            figure.add(name, contenders[name]())
    return figure


def per_call_us(call: Callable[[int], Any], calls: int = CALLS) -> Callable[[], float]:
    def run() -> float:
        started = time.perf_counter()
        for i in range(calls):
            call(i % LOOKUP_ROWS + 1)
        return (time.perf_counter() - started) / calls * 1e6

    return run


# --- backends ---------------------------------------------------------------------------


@dataclass
class Backend:
    name: str
    url: str  # for the facade
    sa_url: str  # for SQLAlchemy Core
    connect_raw: Callable[[], Any]
    raw_lookup: Callable[[Any], Callable[[int], Any]]
    raw_fetch: Callable[[Any, str], tuple[list[str], list[Any]]]
    count_trips: Callable[[Any, Callable[[], Any]], int] | None


def _rows_sql(table: str) -> str:
    return f"SELECT id, name, score FROM {table}"


@contextmanager
def sqlite_backend() -> Iterator[Backend]:
    from flext_db_oracle_sqlalchemy import sqlite_types

    sqlite_types.register()
    path = Path(tempfile.mkdtemp()) / "bench.db"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, detect_types=sqlite_types.DETECT_TYPES, isolation_level=None)

    setup = connect()
    _fill(setup.execute, setup.executemany, "?", "DOUBLE PRECISION")
    setup.close()
    yield Backend(
        name="SQLite",
        url=f"sqlite:///{path}",
        sa_url=f"sqlite:///{path}",
        connect_raw=connect,
        raw_lookup=lambda c: lambda i: c.execute(LOOKUP_QMARK, (i,)).fetchone(),
        raw_fetch=lambda c, sql: _fetch(c.execute(sql)),
        count_trips=None,  # in-process: no round trips
    )
    shutil.rmtree(path.parent, ignore_errors=True)


@contextmanager
def postgresql_backend() -> Iterator[Backend]:
    import psycopg

    name = f"flext_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    url = f"{base}/{name}"

    def connect() -> Any:
        return psycopg.connect(url, autocommit=True)

    setup = connect()
    with setup.cursor() as cursor:
        _fill(cursor.execute, cursor.executemany, "%s", "DOUBLE PRECISION")
    setup.close()
    try:
        yield Backend(
            name="PostgreSQL",
            url=url,
            sa_url=url.replace("postgresql://", "postgresql+psycopg://"),
            connect_raw=connect,
            raw_lookup=lambda c: lambda i: c.execute(LOOKUP_FORMAT, (i,)).fetchone(),
            raw_fetch=lambda c, sql: _fetch(c.execute(sql)),
            count_trips=_pg_trips,
        )
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def mariadb_backend() -> Iterator[Backend]:
    import pymysql

    name = f"flext_bench_{uuid.uuid4().hex[:10]}"
    admin = pymysql.connect(**MARIADB, autocommit=True, connect_timeout=3)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    admin.close()

    def connect() -> Any:
        return pymysql.connect(**MARIADB, database=name, autocommit=True, charset="utf8mb4")

    setup = connect()
    with setup.cursor() as cursor:
        _fill(cursor.execute, cursor.executemany, "%s", "DOUBLE")
    setup.close()

    def lookup(connection: Any) -> Callable[[int], Any]:
        cursor = connection.cursor()

        def call(i: int) -> Any:
            cursor.execute(LOOKUP_FORMAT, (i,))
            return cursor.fetchone()

        return call

    def fetch(connection: Any, sql: str) -> tuple[list[str], list[Any]]:
        cursor = connection.cursor()
        cursor.execute(sql)
        return _fetch(cursor)

    try:
        yield Backend(
            name="MariaDB",
            url=f"mysql://root@127.0.0.1:3306/{name}",
            sa_url=f"mysql+pymysql://root@127.0.0.1:3306/{name}?charset=utf8mb4",
            connect_raw=connect,
            raw_lookup=lookup,
            raw_fetch=fetch,
            count_trips=_mysql_trips,
        )
    finally:
        admin = pymysql.connect(**MARIADB, autocommit=True)
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


LOOKUP_QMARK = "SELECT id, name, score FROM lookup WHERE id = ?"
LOOKUP_FORMAT = "SELECT id, name, score FROM lookup WHERE id = %s"
LOOKUP_NAMED = "SELECT id, name, score FROM lookup WHERE id = :id"


def _fill(
    execute: Callable[[str], Any], executemany: Callable[..., Any], mark: str, float_type: str
) -> None:
    """The two tables, in one transaction each."""
    for table, count in (("lookup", LOOKUP_ROWS), ("wide", WIDE_ROWS)):
        execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(40), score {float_type})"
        )
        rows = [(i, f"name-{i:07d}", i * 0.5) for i in range(1, count + 1)]
        execute("BEGIN")
        executemany(f"INSERT INTO {table} VALUES ({mark}, {mark}, {mark})", rows)
        execute("COMMIT")


def _fetch(cursor: Any) -> tuple[list[str], list[Any]]:
    return [d[0] for d in cursor.description], cursor.fetchall()


# --- round trips, from the drivers' own traces --------------------------------------------


def _pg_trips(connection: Any, call: Callable[[], Any]) -> int:
    with tempfile.TemporaryFile("w+") as trace:
        connection.pgconn.trace(trace.fileno())
        try:
            call()
        finally:
            connection.pgconn.untrace()
        trace.seek(0)
        fields = [line.split("\t") for line in trace.read().splitlines()]
    return sum(1 for f in fields if f[1] == "F" and f[3] in {"Sync", "Query"})


def _mysql_trips(connection: Any, call: Callable[[], Any]) -> int:
    sent: list[int] = []
    original = connection._execute_command
    connection._execute_command = lambda command, sql: (
        sent.append(command),
        original(command, sql),
    )[1]
    try:
        call()
    finally:
        connection._execute_command = original
    return len(sent)


# --- the figures ----------------------------------------------------------------------------


@dataclass
class Row:
    figure: str
    backend: str
    values: dict[str, tuple[float, float]]  # contender -> (median, spread)
    unit: str
    ratio: str
    target: str
    met: bool | None
    trips: dict[str, int] = field(default_factory=dict)


def query_one_figures(backend: Backend) -> Row:
    raw = backend.connect_raw()
    engine = sa.create_engine(backend.sa_url)  # SQLAlchemy's defaults: no pre-ping
    held = engine.connect()
    statement = sa.text(LOOKUP_NAMED)
    api = FlextDbOracleApi.from_url(backend.url)
    api.query_one(LOOKUP_NAMED, {"id": 1}).unwrap()

    def checkout(i: int) -> Any:
        with engine.connect() as connection:
            return connection.execute(statement, {"id": i}).first()

    contenders = {
        "raw": per_call_us(backend.raw_lookup(raw)),
        "sqlalchemy held": per_call_us(lambda i: held.execute(statement, {"id": i}).first()),
        "sqlalchemy checkout": per_call_us(checkout),
        "facade": per_call_us(lambda i: api.query_one(LOOKUP_NAMED, {"id": i})),
    }
    figure = interleaved(contenders)
    trips: dict[str, int] = {}
    if backend.count_trips is not None:
        trips = _trips(backend, raw, held, statement)
    held.close()
    engine.dispose()
    api.disconnect()
    raw.close()
    values = {name: (figure.median(name), figure.spread(name)) for name in contenders}
    if backend.name == "SQLite":
        ratio = values["facade"][0] / values["sqlalchemy held"][0]
        return Row(
            "query_one by primary key",
            backend.name,
            values,
            "µs/call",
            f"{ratio:.2f}x SQLAlchemy held",
            "≤ 0.50x SQLAlchemy held",
            ratio <= 0.5,
        )
    ratio = values["facade"][0] / values["raw"][0]
    met = ratio <= 1.10 and trips.get("facade") == 1
    return Row(
        "query_one by primary key",
        backend.name,
        values,
        "µs/call",
        f"{ratio:.2f}x raw",
        "≤ 1.10x raw, 1 round trip",
        met,
        trips,
    )


def _trips(backend: Backend, raw: Any, held: Any, statement: Any) -> dict[str, int]:
    """Round trips of one lookup per contender, each on a pool of one connection."""
    count = backend.count_trips
    if count is None:
        return {}
    trips = {"raw": count(raw, lambda: backend.raw_lookup(raw)(7))}
    held_dbapi = held.connection.dbapi_connection
    trips["sqlalchemy held"] = count(held_dbapi, lambda: held.execute(statement, {"id": 7}).first())
    single = sa.create_engine(backend.sa_url, pool_size=1, max_overflow=0)
    with single.connect() as warm:
        warm.execute(statement, {"id": 1}).first()
    fairy = single.raw_connection()
    connection = fairy.dbapi_connection
    fairy.close()

    def checkout() -> None:
        with single.connect() as c:
            c.execute(statement, {"id": 7}).first()

    trips["sqlalchemy checkout"] = count(connection, checkout)
    single.dispose()
    facade = FlextDbOracleApi.from_url(backend.url, pool={"size": 1, "max_overflow": 0})
    facade.query_one(LOOKUP_NAMED, {"id": 1}).unwrap()
    warm_connections = facade.container.database().query._warm
    fairy = warm_connections.acquire()
    connection = fairy.dbapi_connection
    warm_connections.release(fairy)
    trips["facade"] = count(connection, lambda: facade.query_one(LOOKUP_NAMED, {"id": 7}))
    facade.disconnect()
    return trips


def thread_figure(backend: Backend) -> Row:
    threads, lookups = 16, 500
    engine = sa.create_engine(backend.sa_url, pool_size=threads, max_overflow=0)
    statement = sa.text(LOOKUP_NAMED)
    api = FlextDbOracleApi.from_url(backend.url, pool={"size": threads, "max_overflow": 0})

    def sqlalchemy_worker() -> None:
        for i in range(lookups):
            with engine.connect() as connection:
                connection.execute(statement, {"id": i % LOOKUP_ROWS + 1}).first()

    def facade_worker() -> None:
        for i in range(lookups):
            api.query_one(LOOKUP_NAMED, {"id": i % LOOKUP_ROWS + 1}).unwrap()

    def throughput(worker: Callable[[], None]) -> Callable[[], float]:
        def run() -> float:
            pool = [threading.Thread(target=worker) for _ in range(threads)]
            started = time.perf_counter()
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            return threads * lookups / (time.perf_counter() - started)

        return run

    figure = interleaved(
        {"sqlalchemy checkout": throughput(sqlalchemy_worker), "facade": throughput(facade_worker)},
        rounds=5,
    )
    engine.dispose()
    api.disconnect()
    values = {n: (figure.median(n), figure.spread(n)) for n in figure.samples}
    ratio = values["facade"][0] / values["sqlalchemy checkout"][0]
    return Row(
        "16 threads x 500 lookups",
        backend.name,
        values,
        "lookups/s",
        f"{ratio:.2f}x SQLAlchemy",
        "≥ 1.00x SQLAlchemy, same pool",
        ratio >= 1.0,
    )


def fetch_figures(backend: Backend) -> list[Row]:
    raw = backend.connect_raw()
    api = FlextDbOracleApi.from_url(backend.url)
    sql = _rows_sql("wide")

    def rows_per_s(fetch: Callable[[], Any]) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            rows = fetch()
            if len(rows) != WIDE_ROWS:
                raise RuntimeError(f"fetched {len(rows)} rows, expected {WIDE_ROWS}")
            return WIDE_ROWS / (time.perf_counter() - started)

        return run

    def raw_dicts() -> list[dict[str, Any]]:
        columns, rows = backend.raw_fetch(raw, sql)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    tuples = interleaved(
        {
            "raw": rows_per_s(lambda: backend.raw_fetch(raw, sql)[1]),
            "facade": rows_per_s(lambda: api.query(sql).unwrap().rows),
        },
        rounds=5,
    )
    dicts = interleaved(
        {
            "raw": rows_per_s(raw_dicts),
            "facade": rows_per_s(lambda: api.query(sql, shape="dict").unwrap().rows),
        },
        rounds=5,
    )
    api.disconnect()
    raw.close()
    out = []
    for label, figure, target in (("tuples", tuples, 0.95), ("dicts", dicts, 0.85)):
        values = {n: (figure.median(n), figure.spread(n)) for n in figure.samples}
        ratio = values["facade"][0] / values["raw"][0]
        out.append(
            Row(
                f"fetch 200,000 rows x 3 columns as {label}",
                backend.name,
                values,
                "rows/s",
                f"{ratio:.2f}x raw",
                f"≥ {target:.2f}x raw",
                ratio >= target,
            )
        )
    return out


def startup_figures() -> list[Row]:
    venv_bin = Path(sys.executable).parent
    cli = str(venv_bin / "flext-db-oracle")
    sqlite_utils = shutil.which("sqlite-utils", path=str(venv_bin)) or shutil.which("sqlite-utils")
    workdir = tempfile.mkdtemp()

    def wall(*command: str) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            subprocess.run(command, cwd=workdir, capture_output=True, check=True)  # noqa: S603
            return time.perf_counter() - started

        return run

    warm = [cli, "query", "select 1"]  # creates the SQLite file the timed runs use
    subprocess.run(warm, cwd=workdir, capture_output=True, check=True)  # noqa: S603
    contenders = {
        "python -c pass": wall(sys.executable, "-c", "pass"),
        "flext-db-oracle --help": wall(cli, "--help"),
        'flext-db-oracle query "select 1"': wall(cli, "query", "select 1"),
    }
    if sqlite_utils:
        contenders["sqlite-utils --help"] = wall(sqlite_utils, "--help")
    figure = interleaved(contenders, rounds=15)
    shutil.rmtree(workdir, ignore_errors=True)
    values = {n: (figure.median(n), figure.spread(n)) for n in figure.samples}
    help_s = values["flext-db-oracle --help"][0]
    query_s = values['flext-db-oracle query "select 1"'][0]
    return [
        Row("start-up", "--help", values, "s", f"{help_s:.3f} s", "≤ 0.150 s", help_s <= 0.15),
        Row(
            "start-up",
            'query "select 1" (SQLite)',
            {},
            "s",
            f"{query_s:.3f} s",
            "≤ 0.350 s",
            query_s <= 0.35,
        ),
    ]


# --- report ---------------------------------------------------------------------------------


def render(rows: list[Row], skipped: list[str], seconds: float) -> str:
    lines = [
        "# Performance",
        "",
        "The framework's own cost, measured against the raw driver and SQLAlchemy Core in",
        "one run of one command (medians of interleaved rounds; the spread is the",
        "interquartile range over the median). Round trips are counted from the drivers'",
        "own traces (psycopg's `pgconn.trace()`, PyMySQL's commands) and are exact.",
        "",
        "```bash",
        "python3 -m uv run --group bench python benchmarks/hot_path.py --write docs/performance.md",
        "```",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {_cpu_model()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s. "
        "Other work shared the machine, so single figures move between runs; the ratios "
        "and round trips are the verdict.",
        "",
        "| figure | backend | contenders (median, spread) | result | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        shown = "; ".join(
            f"{name} {_number(median, row.unit)} ({spread:.0%})"
            for name, (median, spread) in row.values.items()
        )
        trips = (
            " Round trips per call: " + ", ".join(f"{n} {t}" for n, t in row.trips.items()) + "."
            if row.trips
            else ""
        )
        met = "yes" if row.met else "**no**"
        cells = (row.figure, row.backend, f"{shown}.{trips}", row.ratio, row.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    if skipped:
        lines += ["", "Not measured: " + "; ".join(skipped) + "."]
    return "\n".join(lines) + "\n"


def _number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "µs/call":
        return f"{value:.1f} µs"
    return f"{value:,.0f} {unit}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    started = time.perf_counter()
    rows: list[Row] = []
    skipped: list[str] = []
    for make in (sqlite_backend, postgresql_backend, mariadb_backend):
        try:
            context = make()
            backend = context.__enter__()
        except Exception as exc:  # a server that is not there: say so, measure the rest
            skipped.append(
                f"{make.__name__.removesuffix('_backend')} ({type(exc).__name__}: {exc})"
            )
            continue
        try:
            print(f"measuring {backend.name}...", file=sys.stderr)
            rows.append(query_one_figures(backend))
            if backend.name == "PostgreSQL":
                rows.append(thread_figure(backend))
            rows.extend(fetch_figures(backend))
        finally:
            context.__exit__(None, None, None)
    print("measuring start-up...", file=sys.stderr)
    rows.extend(startup_figures())
    report = render(rows, skipped, time.perf_counter() - started)
    print(report)
    if args.write:
        # Hand-written notes below the marker survive a new run.
        kept = ""
        if args.write.exists():
            _, marker, notes = args.write.read_text().partition(NOTES_MARKER)
            kept = f"\n{marker}{notes}" if marker else ""
        args.write.write_text(report + kept)


if __name__ == "__main__":
    main()
