"""Entry point: build the root, let plugins add commands, run, turn errors into exit codes.

Exit codes: 0 success, 1 the operation failed (one line on stderr), 2 usage error,
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import click
import pluggy

from flext_db_oracle.cli.context import CliContext
from flext_db_oracle.cli.group import FlextGroup
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.plugins import create_plugin_manager, plugin_caller
from flext_db_oracle.redaction import redact

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

HELP = """Administer databases through flext-db-oracle adapters.

\b
With no --url, --profile or FLEXT_DB_ORACLE_* settings, commands run on the
embedded default: a SQLite file flext_db_oracle.db in the current directory.

\b
Examples:
  flext-db-oracle sample --tour
  flext-db-oracle --url postgresql://me@localhost/app tables --format json
  flext-db-oracle query "select * from employees where salary > :min" --param min=9000
"""


def build_cli(manager: pluggy.PluginManager) -> FlextGroup:
    """The root group with every plugin's commands (the built-in ones arrive the same way),
    each plugin's `register_commands` called through pluggy."""

    @click.group(
        cls=FlextGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"]}
    )
    @click.version_option(
        None, "--version", package_name="flext-db-oracle-core", prog_name="flext-db-oracle"
    )
    def cli() -> None:
        pass

    if not isinstance(cli, FlextGroup):  # pragma: no cover - click honours cls=
        raise TypeError("the root group must be a FlextGroup")
    for impl in manager.hook.register_commands.get_hookimpls():
        before = set(cli.commands)
        plugin_caller(manager, "register_commands", impl.plugin)(cli=cli)
        cli.commands_by_plugin[impl.plugin_name] = sorted(set(cli.commands) - before)
    return cli


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with its code."""
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    verbose = _verbosity(args)
    try:
        manager = create_plugin_manager()
        cli = build_cli(manager)
    except DbError as error:
        return _report(error, verbose, fmt=None)
    _warn_password_in_url(args)
    state = CliContext(plugin_manager=manager)
    try:
        # Not standalone: click returns a command's `ctx.exit(code)` instead of exiting.
        code = cli.main(args=args, prog_name="flext-db-oracle", obj=state, standalone_mode=False)
        if isinstance(code, int) and code:
            return code
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except click.UsageError as usage:
        usage.show()
        return EXIT_USAGE
    except click.ClickException as failure:
        failure.show()
        return EXIT_FAILED
    except DbError as error:
        return _report(error, max(verbose, state.verbose), fmt=state.format)
    except Exception as unexpected:  # a bug: still one line unless -v
        internal = DbError(ErrorKind.INTERNAL, f"{type(unexpected).__name__}: {unexpected}")
        internal.__cause__ = unexpected
        return _report(internal, max(verbose, state.verbose), fmt=state.format)
    finally:
        state.close()
    return 0


def _warn_password_in_url(args: list[str]) -> None:
    """A password written in --url is visible to every user in the process list."""
    for index, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--url=") else None
        if arg == "--url" and index + 1 < len(args):
            value = args[index + 1]
        if (
            value
            and "://" in value
            and ":" in value.split("://", 1)[1].split("@", 1)[0]
            and ("@" in value)
        ):
            click.echo(
                "warning: a password given in --url is visible in the process list; use "
                "FLEXT_DB_ORACLE_PASSWORD, FLEXT_DB_ORACLE_PASSWORD_FILE or a profile instead",
                err=True,
            )
            return


def _verbosity(argv: list[str]) -> int:
    """-v counted before click parses, so start-up failures honour it too."""
    count = 0
    for arg in argv:
        if arg == "--verbose":
            count += 1
        elif arg.startswith("-") and not arg.startswith("--") and set(arg[1:]) == {"v"}:
            count += len(arg) - 1
    return count


def _report(error: DbError, verbose: int, fmt: str | None) -> int:
    if fmt == "json":
        click.echo(json.dumps({"error": error.as_dict()}, default=str), err=True)
    else:
        click.echo(f"error: {error}", err=True)
    if verbose:
        if error.detail:
            click.echo(f"detail: {json.dumps(dict(error.detail), default=str)}", err=True)
        cause: Any = error.__cause__ or error
        trace = "".join(traceback.format_exception(cause))
        click.echo(redact(trace), err=True)
    return EXIT_FAILED
