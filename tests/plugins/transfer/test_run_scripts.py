"""`flext-db-oracle run`: real scripts on the machine's servers, as their clients run them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flext_db_oracle import FlextDbOracleApi

from tests.support.cli import CliRunner
from tests.support.databases import _mariadb_admin, mariadb_database, postgresql_database

CHINOOK_COUNTS = {"track": 3503, "invoice": 412, "invoiceline": 2240, "playlisttrack": 8715}


def _counts(url: str, names: dict[str, str]) -> dict[str, int]:
    with FlextDbOracleApi.from_url(url) as db:
        return {
            key: db.query(f"select count(*) from {table}").unwrap().scalar()
            for key, table in names.items()
        }


def _renamed(script: Path, target: Path, pattern: str, name: str) -> Path:
    """The script with only its own database name replaced (in DROP/CREATE DATABASE,
    `\\c` and `USE`), so that parallel runs do not share one database."""
    text = re.sub(pattern, lambda m: m.group(1) + name + m.group(2), script.read_text())
    target.write_text(text)
    return target


def test_chinook_sqlite(chinook_dir: Path, tmp_path: Path, cli: CliRunner) -> None:
    url = f"sqlite:///{tmp_path / 'chinook.db'}"
    done = cli("--url", url, "run", str(chinook_dir / "Chinook_Sqlite.sql"))
    assert done.code == 0, done.err
    assert "57 statement(s) run" in done.err
    names = {"track": "Track", "invoice": "Invoice", "invoiceline": "InvoiceLine",
             "playlisttrack": "PlaylistTrack"}  # fmt: skip
    assert _counts(url, names) == CHINOOK_COUNTS


@pytest.fixture
def chinook_postgresql_name() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"chinook_{uuid.uuid4().hex[:10]}"
    yield name
    from tests.support.databases import POSTGRESQL_ADMIN_URL

    with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.services
def test_chinook_postgresql(
    chinook_dir: Path, tmp_path: Path, cli: CliRunner, chinook_postgresql_name: str
) -> None:
    script = _renamed(
        chinook_dir / "Chinook_PostgreSql.sql",
        tmp_path / "chinook.sql",
        r"(?m)^((?:DROP DATABASE IF EXISTS|CREATE DATABASE|\\c) )chinook(;)",
        chinook_postgresql_name,
    )
    with postgresql_database() as url:  # a fresh database to start from, as psql would
        done = cli("--url", url, "run", str(script))
        assert done.code == 0, done.err
        chinook_url = url.rsplit("/", 1)[0] + f"/{chinook_postgresql_name}"
    names = {"track": "track", "invoice": "invoice", "invoiceline": "invoice_line",
             "playlisttrack": "playlist_track"}  # fmt: skip
    assert _counts(chinook_url, names) == CHINOOK_COUNTS


@pytest.fixture
def chinook_mariadb_name() -> Iterator[str]:
    pytest.importorskip("pymysql")
    name = f"chinook_{uuid.uuid4().hex[:10]}"
    yield name
    with _mariadb_admin() as admin, admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.mark.services
def test_chinook_mariadb(
    chinook_dir: Path, tmp_path: Path, cli: CliRunner, chinook_mariadb_name: str
) -> None:
    script = _renamed(
        chinook_dir / "Chinook_MySql.sql",
        tmp_path / "chinook.sql",
        r"(?m)^((?:DROP DATABASE IF EXISTS|CREATE DATABASE|USE) `)Chinook(`;)",
        chinook_mariadb_name,
    )
    with mariadb_database() as url:
        done = cli("--url", url, "run", str(script))
        assert done.code == 0, done.err
        chinook_url = url.rsplit("/", 1)[0] + f"/{chinook_mariadb_name}"
    names = {"track": "Track", "invoice": "Invoice", "invoiceline": "InvoiceLine",
             "playlisttrack": "PlaylistTrack"}  # fmt: skip
    assert _counts(chinook_url, names) == CHINOOK_COUNTS


SCRIPT = """create table {t} (n int primary key);
insert into {t} values (1);
insert into {t} values (1);
insert into {t} values (2);
"""


def _count(url: str, table: str) -> int:
    with FlextDbOracleApi.from_url(url) as db:
        return int(db.query(f"select count(*) from {table}").unwrap().scalar())


def test_stops_at_the_first_failure_naming_file_and_line(
    backend_url: str, tmp_path: Path, cli: CliRunner, unique_name: str
) -> None:
    table = unique_name("runs")
    script = tmp_path / "load.sql"
    script.write_text(SCRIPT.format(t=table))
    done = cli("--url", backend_url, "run", str(script))
    assert done.code == 1
    lines = done.err.strip().splitlines()
    assert len(lines) == 1
    assert f"{script}:3:" in lines[0]
    assert "integrity" in lines[0]
    assert _count(backend_url, table) == 1  # what ran before the failure stays


def test_continue_on_error_counts_failures(
    backend_url: str, tmp_path: Path, cli: CliRunner, unique_name: str
) -> None:
    table = unique_name("runs")
    script = tmp_path / "load.sql"
    script.write_text(SCRIPT.format(t=table))
    done = cli("--url", backend_url, "run", str(script), "--continue-on-error")
    assert done.code == 0, done.err
    assert "4 statement(s) run" in done.err
    assert "1 failed" in done.err
    assert _count(backend_url, table) == 2


def test_single_transaction_is_all_or_nothing(
    backend_url: str, tmp_path: Path, cli: CliRunner, unique_name: str
) -> None:
    table = unique_name("runs")
    with FlextDbOracleApi.from_url(backend_url) as db:
        db.execute(f"create table {table} (n int primary key)").unwrap()
    script = tmp_path / "load.sql"
    script.write_text("\n".join(SCRIPT.format(t=table).splitlines()[1:]) + "\n")
    done = cli("--url", backend_url, "run", str(script), "--single-transaction")
    assert done.code == 1
    assert f"{script}:2:" in done.err
    assert _count(backend_url, table) == 0


def test_single_transaction_excludes_continue_on_error(tmp_path: Path, cli: CliRunner) -> None:
    script = tmp_path / "x.sql"
    script.write_text("select 1;\n")
    done = cli("run", str(script), "--single-transaction", "--continue-on-error")
    assert done.code == 2


def test_exit_status_and_prompt(tmp_path: Path, cli: CliRunner) -> None:
    script = tmp_path / "x.sql"
    script.write_text("prompt hello\nselect 41 + 1 as answer;\nexit 3\nselect 2;\n")
    done = cli("--url", f"sqlite:///{tmp_path / 'x.db'}", "run", str(script), "--dialect", "oracle")
    assert done.code == 1
    assert "EXIT 3" in done.err
    assert done.out.startswith("hello\n")
    assert "answer" in done.out
    assert "42" in done.out
    assert "1 statement(s) run" in done.err
