"""The built-in commands, as a plugin of the entry-point group like any other."""

from __future__ import annotations

import click

from flext_db_oracle.cli.commands import admin, data, sample, schema
from flext_db_oracle.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    for command in (
        admin.health,
        data.query,
        data.execute,
        schema.schemas,
        schema.tables,
        schema.describe,
        sample.sample,
        admin.plugins,
        admin.config,
    ):
        cli.add_command(command)
