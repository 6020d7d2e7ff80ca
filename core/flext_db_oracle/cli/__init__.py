"""The `flext-db-oracle` command line: a host whose commands all arrive through
the `register_commands` hook, the built-in ones included."""

from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.group import FlextGroup

__all__ = ["CliContext", "FlextGroup", "pass_cli"]
