"""Transfer: export and load of 1,000,000 rows, the facade against the raw driver.

Run with `uv run pytest benchmarks/test_transfer.py --benchmark-only`. One round each
(a million rows is long enough to time once); rows/s and the peak RSS are in each
benchmark's `extra_info` and printed at the end.

- export: `flext_db_oracle_transfer.export.export` to CSV against the raw driver
  (server-side cursor, `fetchmany`, the `csv` module). Each export runs in a child
  process so its peak RSS is its own; it must stay flat from 100,000 to 1,000,000 rows.
- load: 1,000,000 rows of 4 columns (int, varchar, numeric, timestamp) via the facade's
  `execute_many` (named binds) and `bulk_insert` (tuples: COPY on PostgreSQL,
  `executemany` on SQLite), in batches of 10,000, against the raw driver's
  `executemany` and, on PostgreSQL, raw `COPY`; and the `load` function itself from
  a CSV file (reading, converting to the columns' types, `bulk_insert`).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROWS = 1_000_000
SMALL = 100_000
BATCH = 10_000
TABLE = "transfer_1m"
COLUMNS = ("id", "name", "amount", "created_at")
_EPOCH = datetime(2020, 1, 1, 8, 30)
RESULTS: list[str] = []


def _contenders() -> ModuleType:
    """`contenders.py`, as conftest loaded it (this directory is not a package)."""
    name = "flext_db_oracle_benchmarks_contenders"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "contenders.py")
        if spec is None or spec.loader is None:
            raise ImportError("contenders.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def make_rows(count: int) -> list[tuple[Any, ...]]:
    return [
        (i, f"name {i}", Decimal(i % 100_000) / 100, _EPOCH + timedelta(seconds=i))
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def rows() -> list[tuple[Any, ...]]:
    return make_rows(ROWS)


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[Any, ...]]) -> Path:
    """The rows as the export writes them, for the `load` command's own benchmark."""
    from flext_db_oracle_transfer.writers import CsvFileWriter

    path = tmp_path_factory.mktemp("csv") / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvFileWriter(handle, COLUMNS)
        for start in range(0, len(rows), BATCH):
            writer.write(rows[start : start + BATCH])
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, rows: Any
) -> Iterator[Any]:
    lib = _contenders()
    try:
        backend = lib.open_backend(request.param, tmp_path_factory.mktemp("transfer"))
    except lib.BackendUnavailableError as exc:
        pytest.skip(str(exc))
    style = (lambda sql: sql) if backend.name == "sqlite" else lib.pyformat
    with closing(backend.connect_raw()) as connection:
        cursor = connection.cursor()
        for table in (TABLE, f"{TABLE}_in"):
            cursor.execute(
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(64),"
                " amount NUMERIC(12, 2), created_at TIMESTAMP)"
            )
        cursor.executemany(
            style(f"INSERT INTO {TABLE} VALUES (:id, :name, :amount, :created_at)"),
            [dict(zip(COLUMNS, row, strict=True)) for row in rows],
        )
        connection.commit()
    try:
        yield backend
    finally:
        backend.drop()


def _empty(backend: Any) -> None:
    with closing(backend.connect_raw()) as connection:
        verb = "DELETE FROM" if backend.name == "sqlite" else "TRUNCATE"
        connection.cursor().execute(f"{verb} {TABLE}_in")
        connection.commit()


def _count(backend: Any) -> int:
    with closing(backend.connect_raw()) as connection:
        cursor = connection.cursor()
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}_in")
        return int(cursor.fetchone()[0])


# --- export, each in a child process for its own peak RSS --------------------------------

# Each script has its imports and connection first, then `# timed` and the work.
EXPORT_FACADE = """
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle_transfer import export as module
import pyarrow
api = FlextDbOracleApi.from_url({url!r})
api.connect().unwrap()
# timed
done = module.export(api, {out!r}, sql={sql!r}, batch_size=10_000).unwrap()
rows = done.rows
"""

EXPORT_RAW = """
import csv
{connect}
# timed
with open({out!r}, "w", newline="") as handle:
    writer = csv.writer(handle)
    cursor = {cursor}
    cursor.execute({sql!r})
    writer.writerow([c[0] for c in cursor.description])
    rows = 0
    while batch := cursor.fetchmany(10_000):
        writer.writerows(batch)
        rows += len(batch)
"""

MEASURE_BEFORE = "import json, time\nstarted = time.perf_counter()\n"
# VmHWM, not getrusage: Linux keeps ru_maxrss across exec, so a child would report the
# parent's peak (the million rows this module holds).
MEASURE_AFTER = """
seconds = time.perf_counter() - started
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"rows": rows, "seconds": seconds, "peak_rss_mb": int(status) / 1024}))
"""


def _raw_export(backend: Any, out: Path, sql: str) -> str:
    if backend.name == "sqlite":
        # The adapter's converters, as the other benchmarks give the raw driver: dates
        # and decimals come back typed, as the facade returns them.
        connect = (
            "import sqlite3\nfrom flext_db_oracle_sqlalchemy import sqlite_types\n"
            "sqlite_types.register()\n"
            f"connection = sqlite3.connect({backend.facade_url[10:]!r},"
            " detect_types=sqlite_types.DETECT_TYPES)"
        )
        cursor = "connection.cursor()"
    else:
        connect = f"import psycopg\nconnection = psycopg.connect({backend.facade_url!r})"
        cursor = 'connection.cursor(name="export")'  # server-side: constant memory
    return EXPORT_RAW.format(connect=connect, cursor=cursor, out=str(out), sql=sql)


def _child(body: str) -> dict[str, Any]:
    setup, _, work = textwrap.dedent(body).partition("# timed\n")
    script = setup + MEASURE_BEFORE + work + MEASURE_AFTER
    done = subprocess.run(  # noqa: S603 - our own script, run by this interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("contender", ["raw", "facade"])
@pytest.mark.parametrize("count", [SMALL, ROWS])
def test_export(  # noqa: PLR0917 - pytest passes fixtures by position
    benchmark: Any, database: Any, tmp_path: Path, contender: str, count: int, check: Any
) -> None:
    sql = f"SELECT id, name, amount, created_at FROM {TABLE} WHERE id < {count}"
    out = tmp_path / "out.csv"
    body = (
        _raw_export(database, out, sql)
        if contender == "raw"
        else EXPORT_FACADE.format(url=database.facade_url, out=str(out), sql=sql)
    )
    measured: dict[str, Any] = {}

    def run() -> None:
        measured.update(_child(body))

    benchmark.group = f"{database.name} | export {count:,}"
    benchmark.pedantic(run, rounds=1, iterations=1)
    check("rows exported", measured["rows"], count)
    _record(benchmark, database.name, f"export {count:,}", contender, measured)


# --- load ------------------------------------------------------------------------------


def _raw_executemany(backend: Any, rows: list[tuple[Any, ...]]) -> None:
    marker = "?" if backend.name == "sqlite" else "%s"
    with closing(backend.connect_raw()) as connection:
        cursor = connection.cursor()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {TABLE}_in VALUES ({', '.join([marker] * 4)})",
                rows[start : start + BATCH],
            )
            connection.commit()


def _raw_copy(backend: Any, rows: list[tuple[Any, ...]]) -> None:
    with closing(backend.connect_raw()) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY {TABLE}_in ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()


def _facade(backend: Any, use: Callable[[Any], None]) -> Callable[[], None]:
    def run() -> None:
        from flext_db_oracle import FlextDbOracleApi

        with FlextDbOracleApi.from_url(backend.facade_url) as api:
            use(api)

    return run


def _facade_execute_many(params: list[dict[str, Any]]) -> Callable[[Any], None]:
    sql = f"INSERT INTO {TABLE}_in VALUES (:id, :name, :amount, :created_at)"

    def use(api: Any) -> None:
        for start in range(0, len(params), BATCH):
            api.execute_many(sql, params[start : start + BATCH]).unwrap()

    return use


def _facade_bulk_insert(rows: list[tuple[Any, ...]]) -> Callable[[Any], None]:
    def use(api: Any) -> None:
        for start in range(0, len(rows), BATCH):
            api.bulk_insert(f"{TABLE}_in", COLUMNS, rows[start : start + BATCH]).unwrap()

    return use


def _load_command(path: Path) -> Callable[[Any], None]:
    def use(api: Any) -> None:
        from flext_db_oracle_transfer.load import LoadOptions, load

        load(api, path, f"{TABLE}_in", LoadOptions(batch_size=BATCH)).unwrap()

    return use


@pytest.mark.parametrize(
    "contender",
    ["raw executemany", "facade execute_many", "raw COPY", "facade bulk_insert", "load CSV"],
)
def test_load(  # noqa: PLR0917 - pytest passes fixtures by position
    benchmark: Any,
    database: Any,
    rows: list[tuple[Any, ...]],
    csv_file: Path,
    contender: str,
    check: Any,
) -> None:
    if contender == "raw COPY" and database.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    # The facade takes named binds: the dicts are built before the clock starts.
    params = (
        [dict(zip(COLUMNS, row, strict=True)) for row in rows] if "execute" in contender else []
    )
    run = {
        "raw executemany": lambda: _raw_executemany(database, rows),
        "facade execute_many": _facade(database, _facade_execute_many(params)),
        "raw COPY": lambda: _raw_copy(database, rows),
        "facade bulk_insert": _facade(database, _facade_bulk_insert(rows)),
        "load CSV": _facade(database, _load_command(csv_file)),
    }[contender]
    benchmark.group = f"{database.name} | load {ROWS:,}"
    benchmark.pedantic(run, setup=lambda: _empty(database), rounds=1, iterations=1)
    check("rows loaded", _count(database), ROWS)
    seconds = benchmark.stats.stats.median
    _record(
        benchmark, database.name, f"load {ROWS:,}", contender, {"rows": ROWS, "seconds": seconds}
    )


def _record(
    benchmark: Any, backend: str, workload: str, contender: str, measured: dict[str, Any]
) -> None:
    rate = measured["rows"] / measured["seconds"]
    benchmark.extra_info.update(rows_per_second=round(rate), **measured)
    rss = f", peak RSS {measured['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in measured else ""
    RESULTS.append(
        f"{backend:<10} {workload:<17} {contender:<20} {measured['seconds']:8.2f} s"
        f" {rate:>12,.0f} rows/s{rss}"
    )


@pytest.fixture(scope="module", autouse=True)
def print_results(request: pytest.FixtureRequest) -> Iterator[None]:
    """The figures in one table once the module's benchmarks have run."""
    yield
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not RESULTS:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_sep("=", "transfer: rows/s and peak RSS")
        for line in RESULTS:
            reporter.write_line(line)
