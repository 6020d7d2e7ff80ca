"""Chinook (../shared/datasets/chinook) loaded into SQLite and PostgreSQL, then
browsed and queried through the CLI exactly as a user would."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import CliRunner
from tests.support.databases import postgresql_database

CHINOOK_TABLES = {
    "album", "artist", "customer", "employee", "genre", "invoice",
    "invoiceline", "mediatype", "playlist", "playlisttrack", "track",
}  # fmt: skip


def load_sqlite(chinook_dir: Path, target: Path) -> str:
    script = (chinook_dir / "Chinook_Sqlite.sql").read_text(encoding="utf-8-sig")
    with sqlite3.connect(target) as connection:
        connection.executescript(script)
    connection.close()
    return f"sqlite:///{target}"


def load_postgresql(chinook_dir: Path, url: str) -> str:
    """The PostgreSQL script creates and enters its own database; run the rest in ours."""
    import psycopg

    script = (chinook_dir / "Chinook_PostgreSql.sql").read_text(encoding="utf-8-sig")
    own_database = re.compile(r"^(DROP DATABASE|CREATE DATABASE|\\c)\b.*$", re.MULTILINE)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            own_database.sub("", script).encode()
        )  # simple protocol: many statements
    return url


@pytest.fixture(
    scope="module",
    params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.services)],
)
def chinook_url(
    request: pytest.FixtureRequest, chinook_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Chinook loaded once per backend, in a database of its own (11 tables, no others)."""
    if request.param == "sqlite":
        yield load_sqlite(chinook_dir, tmp_path_factory.mktemp("chinook") / "chinook.db")
        return
    with postgresql_database() as url:
        yield load_postgresql(chinook_dir, url)


def test_tables_lists_eleven(cli: CliRunner, chinook_url: str) -> None:
    done = cli("--url", chinook_url, "tables", "--format", "json")
    assert done.code == 0, done.err
    names = [t["name"] for t in done.json()]
    assert len(names) == 11
    assert {name.replace("_", "").casefold() for name in names} == CHINOOK_TABLES


def test_describe_track_shows_its_keys(cli: CliRunner, chinook_url: str) -> None:
    done = cli("--url", chinook_url, "describe", "Track", "--format", "json")
    assert done.code == 0, done.err
    track = done.json()
    assert [c.replace("_", "").casefold() for c in track["primary_key"]["columns"]] == ["trackid"]
    referred = {fk["referred_table"].replace("_", "").casefold() for fk in track["foreign_keys"]}
    assert referred == {"album", "genre", "mediatype"}
    assert len(track["foreign_keys"]) == 3
    table = cli("--url", chinook_url, "describe", "Track").out
    assert "primary key" in table and "foreign key" in table


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select count(*) from Track", 3503),
        ("select count(*) from Album", 347),
        ("select count(*) from Artist", 275),
        ("select count(*) from Customer", 59),
        ("select count(*) from Invoice", 412),
    ],
)
def test_counts(cli: CliRunner, chinook_url: str, sql: str, expected: int) -> None:
    done = cli("--url", chinook_url, "query", sql, "--format", "json")
    assert done.code == 0, done.err
    assert list(done.json()[0].values()) == [expected]
