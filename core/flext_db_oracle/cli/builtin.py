"""The built-in commands, as a plugin of the entry-point group like any other.

Registered lazily: each command's module is imported only when it runs or shows
its own help.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.cli.group import LazyCommand
from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    import click

_COMMANDS = "flext_db_oracle.cli.commands"
BUILTIN_COMMANDS = (
    ("health", "admin:health", "Reach the server: product, version, round trip, pool."),
    ("query", "data:query", "Run a query and print its rows."),
    ("execute", "data:execute", "Run one statement (DML or DDL) and commit it."),
    ("schemas", "schema:schemas", "List the schemas visible to the connection."),
    ("tables", "schema:tables", "List tables and views."),
    ("describe", "schema:describe", "Columns, keys and indexes of a table or view."),
    ("sample", "sample:sample", "Create the HR sample schema; --tour shows it off."),
    ("auth", "auth:auth", "Sign in with the configured auth adapter; check permissions."),
    ("plugins", "admin:plugins", "List discovered plugins and what each registered."),
    ("config", "admin:config", "Show the effective settings (secrets masked)."),
)


@hookimpl
def register_commands(cli: click.Group) -> None:
    for name, target, short_help in BUILTIN_COMMANDS:
        cli.add_command(LazyCommand(name, f"{_COMMANDS}.{target}", short_help))
