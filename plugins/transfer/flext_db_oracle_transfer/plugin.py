"""The transfer plugin's hooks: its commands join the `flext-db-oracle` CLI.

Registered lazily, as the built-in commands are: a command's module (and pyarrow,
rich's progress) is imported only when it runs or shows its own help.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.cli.group import LazyCommand
from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    import click

_COMMANDS = "flext_db_oracle_transfer.cli"
TRANSFER_COMMANDS = (
    ("run", "run:run", "Run a SQL script as its own client would (SQL*Plus, psql...)."),
    ("export", "export:export", "Export a table, query or source to CSV/JSONL/Parquet."),
    ("load", "load:load", "Load a CSV, JSON lines or Parquet file into a table."),
)


@hookimpl
def register_commands(cli: click.Group) -> None:
    for name, target, short_help in TRANSFER_COMMANDS:
        cli.add_command(LazyCommand(name, f"{_COMMANDS}.{target}", short_help))
