"""SQL scripts split and run as their own clients (SQL*Plus, psql, mysql, sqlite3) would."""

from flext_db_oracle_transfer.scripts.model import (
    Directive,
    Echo,
    Exit,
    Item,
    Location,
    Note,
    OnError,
    Reconnect,
    Statement,
)
from flext_db_oracle_transfer.scripts.source import DIALECTS, ScriptDialect
from flext_db_oracle_transfer.scripts.split import split_script, split_text

__all__ = [
    "DIALECTS",
    "Directive",
    "Echo",
    "Exit",
    "Item",
    "Location",
    "Note",
    "OnError",
    "Reconnect",
    "ScriptDialect",
    "Statement",
    "split_script",
    "split_text",
]
