"""Bad rows in the middle of a load: good rows land, bad rows are reported by number."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi
from flext_db_oracle_transfer.load import LoadOptions, load

from tests.conftest import Dialect
from tests.support.cli import CliRunner

# Row 3: not a number; row 5: the same key as row 1; row 7: one field too many.
CSV_TEXT = """id,qty,note
1,10,a
2,20,b
3,many,c
4,40,d
1,50,e
6,60,f
7,70,g,extra
8,80,h
"""
GOOD_IDS = [1, 2, 4, 6, 8]


@pytest.fixture
def load_table(api: FlextDbOracleApi, dialect: Dialect, unique_name: Callable[[str], str]) -> str:
    table = unique_name("ld")
    q = dialect.q
    api.execute(
        f"CREATE TABLE {q(table)} ({q('id')} INTEGER PRIMARY KEY, {q('qty')} INTEGER,"
        f" {q('note')} VARCHAR(10))"
    ).unwrap()
    return table


def ids(api: FlextDbOracleApi, dialect: Dialect, table: str) -> list[int]:
    rows = api.query(f"SELECT {dialect.q('id')} FROM {dialect.q(table)} ORDER BY 1").unwrap()
    return [row[0] for row in rows]


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("\ufeff" + CSV_TEXT)  # with the byte-order mark spreadsheets write
    return path


@pytest.mark.parametrize("transaction", ["batch", "all"])
def test_skip_loads_the_good_rows(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, bad_csv: Path, transaction: str
) -> None:
    options = LoadOptions(on_error="skip", batch_size=3, transaction=transaction)  # type: ignore[arg-type]
    done = load(api, bad_csv, load_table, options).unwrap()
    assert (done.read, done.loaded, done.rejected) == (8, 5, 3)
    assert ids(api, dialect, load_table) == GOOD_IDS
    assert not (bad_csv.parent / "orders.rejects.csv").exists()


def test_report_writes_each_bad_row_with_number_code_and_message(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, bad_csv: Path
) -> None:
    done = load(api, bad_csv, load_table, LoadOptions(on_error="report")).unwrap()
    assert done.rejected == 3
    assert done.rejects_file == bad_csv.parent / "orders.rejects.csv"
    with done.rejects_file.open(newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert [int(r["row"]) for r in sorted(rejects, key=lambda r: int(r["row"]))] == [3, 5, 7]
    by_row = {int(r["row"]): r for r in rejects}
    assert by_row[3]["code"] == "conversion"
    assert by_row[3]["qty"] == "many"
    assert by_row[5]["id"] == "1"
    assert by_row[5]["message"]
    assert "fields" in by_row[7]["message"]
    assert ids(api, dialect, load_table) == GOOD_IDS


def test_stop_loads_nothing_of_the_failed_batch(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, tmp_path: Path
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,qty,note\n1,1,a\n2,2,b\n3,3,c\n4,4,d\n3,5,e\n6,6,f\n")
    failed = load(api, path, load_table, LoadOptions(batch_size=3))
    error = failed.failure()
    assert error.kind is ErrorKind.INTEGRITY
    assert error.message.startswith("row 5:")
    assert ids(api, dialect, load_table) == [1, 2, 3]  # the first batch; nothing of the second


def test_stop_on_a_value_that_does_not_convert(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, bad_csv: Path
) -> None:
    error = load(api, bad_csv, load_table, LoadOptions(batch_size=2)).failure()
    assert error.message.startswith("row 3:")
    assert ids(api, dialect, load_table) == [1, 2]


def test_transaction_all_keeps_nothing_on_failure(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, tmp_path: Path
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,qty,note\n1,1,a\n2,2,b\n3,3,c\n4,4,d\n3,5,e\n")
    assert isinstance(
        load(api, path, load_table, LoadOptions(batch_size=2, transaction="all")).failure(), DbError
    )
    assert ids(api, dialect, load_table) == []


def test_upsert_updates_existing_keys(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("id,qty,note\n1,1,a\n2,2,b\n")
    load(api, first, load_table).unwrap()
    second = tmp_path / "second.csv"
    second.write_text("id,qty,note\n2,20,B\n3,30,c\n")
    load(api, second, load_table, LoadOptions(mode="upsert")).unwrap()  # key: the primary key
    rows = api.query(f"SELECT * FROM {dialect.q(load_table)} ORDER BY 1").unwrap()
    assert list(rows) == [(1, 1, "a"), (2, 20, "B"), (3, 30, "c")]


def test_truncate_replaces_the_rows(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,qty,note\n1,1,a\n")
    load(api, path, load_table).unwrap()
    path.write_text("id,qty,note\n7,7,g\n")
    load(api, path, load_table, LoadOptions(mode="truncate")).unwrap()
    assert ids(api, dialect, load_table) == [7]


def test_truncate_is_undone_with_the_failed_load_where_the_backend_can(
    api: FlextDbOracleApi, dialect: Dialect, load_table: str, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,qty,note\n1,1,a\n")
    load(api, path, load_table).unwrap()
    path.write_text("id,qty,note\n7,7,g\n7,8,h\n")
    options = LoadOptions(mode="truncate", transaction="all")
    error = load(api, path, load_table, options).failure()
    assert error.kind is ErrorKind.INTEGRITY
    # MariaDB's TRUNCATE commits at once (the load warns); the others roll it back.
    assert ids(api, dialect, load_table) == ([] if dialect.name == "mariadb" else [1])


def test_unknown_file_column_is_refused(
    api: FlextDbOracleApi, load_table: str, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,colour\n1,red\n")
    error = load(api, path, load_table).failure()
    assert error.kind is ErrorKind.QUERY
    assert "colour" in error.message


@pytest.mark.services
def test_mariadb_refuses_an_aware_timestamp(
    mariadb_url: str, tmp_path: Path, unique_name: Callable[[str], str]
) -> None:
    table = unique_name("tz")
    path = tmp_path / "zoned.jsonl"
    moment = datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    path.write_text(f'{{"id": 1, "at": "{moment.isoformat()}"}}\n')
    with FlextDbOracleApi.from_url(mariadb_url) as api:
        api.execute(f"CREATE TABLE `{table}` (id INT PRIMARY KEY, at DATETIME(6))").unwrap()
        error = load(api, path, table).failure()
        assert error.kind is ErrorKind.QUERY
        assert "row 1:" in error.message
        assert "time zone" in error.message
        assert api.query(f"SELECT COUNT(*) FROM `{table}`").unwrap().scalar() == 0


def test_cli_load_summary_and_exit_codes(
    sqlite_url: str, cli: CliRunner, bad_csv: Path, unique_name: Callable[[str], str]
) -> None:
    table = unique_name("cli")
    with FlextDbOracleApi.from_url(sqlite_url) as api:
        api.execute(f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, qty INTEGER, note TEXT)')
    stopped = cli("--url", sqlite_url, "load", str(bad_csv), "--table", table)
    assert stopped.code == 1
    assert "row 3:" in stopped.err
    rejects = bad_csv.parent / "bad.csv"
    done = cli(
        "--url", sqlite_url, "load", str(bad_csv), "--table", table,
        "--mode", "truncate", "--on-error", "report", "--rejects", str(rejects),
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "read 8 rows, loaded 5, rejected 3" in done.err
    usage = cli("--url", sqlite_url, "load", str(bad_csv), "--table", table, "--rejects", "x.csv")
    assert usage.code == 2
    assert rejects.read_text().startswith("row,code,message,id,qty,note\n")
