"""Where `\\c` and `CONNECT` lead: the same server, another database or user."""

from __future__ import annotations

from pathlib import Path

from flext_db_oracle import load_settings
from flext_db_oracle_transfer.scripts.model import Location, Reconnect
from flext_db_oracle_transfer.scripts.runner import reconnected_settings

HERE = Location(Path("x.sql"), 1)


def test_psql_connect_changes_the_database_only() -> None:
    settings = load_settings(url="postgresql://app:s3cret@db.local:5433/postgres")
    moved = reconnected_settings(settings, Reconnect(HERE, database="chinook")).database_url()
    assert (moved.username, moved.host, moved.port, moved.database) == (
        "app",
        "db.local",
        5433,
        "chinook",
    )
    assert moved.password is not None and moved.password.get_secret_value() == "s3cret"


def test_sqlplus_connect_with_user_password_and_service() -> None:
    settings = load_settings(url="oracle://system:manager@db.local:1521/FREE")
    target = Reconnect(HERE, database="FREEPDB1", user="chinook", password="chinook")
    moved = reconnected_settings(settings, target).database_url()
    assert (moved.username, moved.host, moved.port, moved.database) == (
        "chinook",
        "db.local",
        1521,
        "FREEPDB1",
    )
    assert moved.password is not None and moved.password.get_secret_value() == "chinook"


def test_sqlplus_connect_with_an_easy_connect_string() -> None:
    settings = load_settings(url="oracle://system@db.local:1521/FREE")
    target = Reconnect(HERE, database="other.host:1522/PDB2", user="hr", password=None)
    moved = reconnected_settings(settings, target).database_url()
    assert (moved.username, moved.host, moved.port, moved.database, moved.password) == (
        "hr",
        "other.host",
        1522,
        "PDB2",
        None,
    )
