"""The transfer plugin's hooks: its commands join the `flext-db-oracle` CLI.

Light on purpose: pyarrow and rich's progress load only inside the commands.
"""

from __future__ import annotations

import click
from flext_db_oracle.hookspecs import hookimpl

from flext_db_oracle_transfer.cli.export import export
from flext_db_oracle_transfer.cli.load import load
from flext_db_oracle_transfer.cli.run import run


@hookimpl
def register_commands(cli: click.Group) -> None:
    for command in (run, export, load):
        cli.add_command(command)
