"""The `flext-db-oracle` command line: a host whose commands all arrive through
the `register_commands` hook, the built-in ones included.

For plugin authors: `pass_cli` and `CliContext` give a command the configured
facade; `LazyCommand(name, "package.module:command", short_help)` registers a
command whose module is imported only when it runs.
"""

from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.group import FlextGroup, LazyCommand

__all__ = ["CliContext", "FlextGroup", "LazyCommand", "pass_cli"]
