"""The root group: gives every command the common options and remembers who added it.

Commands may be registered lazily (`LazyCommand`): the root lists them with their
short help, and imports the module that defines one only when it runs or shows
its own help, so `flext-db-oracle --help` imports no driver and no heavy library.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import click

from flext_db_oracle.cli.context import current
from flext_db_oracle.logs import ROOT_LOGGER

FORMAT_CHOICES = ("table", "json", "csv", "jsonl")


def _store(attribute: str) -> Any:
    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is None or value == 0 or value is False:  # not given here: keep the root's
            return
        state = current()
        if attribute == "verbose":
            value = max(state.verbose, value)
        setattr(state, attribute, value)

    return callback


def common_options() -> list[click.Option]:
    """The options accepted on the root and on every command."""
    return [
        click.Option(
            ["--url"],
            metavar="URL",
            help="Database URL, e.g. postgresql://user@host/db (default: env FLEXT_DB_ORACLE_URL,"
            " else sqlite:///flext_db_oracle.db). Keep passwords out of it: use "
            "FLEXT_DB_ORACLE_PASSWORD or a profile.",
            expose_value=False,
            callback=_store("url"),
        ),
        click.Option(
            ["--profile"],
            metavar="NAME",
            help="Named profile from flext-db-oracle.toml (or $FLEXT_DB_ORACLE_PROFILES).",
            expose_value=False,
            callback=_store("profile"),
        ),
        click.Option(
            ["--format", "output_format"],
            type=click.Choice(FORMAT_CHOICES),
            help="Output: table (default), json, csv or jsonl.",
            expose_value=False,
            callback=_store("format"),
        ),
        click.Option(
            ["--ask-password"],
            is_flag=True,
            help="Prompt for the database password (kept out of the process list and the"
            " shell history; FLEXT_DB_ORACLE_PASSWORD_FILE reads it from a file).",
            expose_value=False,
            callback=_store("ask_password"),
        ),
        click.Option(
            ["--user"],
            metavar="NAME",
            help="Who acts, when an auth adapter is configured (env FLEXT_DB_ORACLE_AUTH_USER);"
            " the password is prompted for, or read with --password-stdin.",
            expose_value=False,
            callback=_store("user"),
        ),
        click.Option(
            ["--password-stdin"],
            is_flag=True,
            help="Read the --user password from standard input (never give it as an argument).",
            expose_value=False,
            callback=_store("password_stdin"),
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            help="More detail: -v shows error details and tracebacks, -vv debug logs.",
            expose_value=False,
            callback=_store("verbose"),
        ),
    ]


def add_common_options(command: click.Command) -> None:
    present = {name for param in command.params for name in param.opts}
    command.params.extend(opt for opt in common_options() if not set(opt.opts) & present)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_common_options(sub)


class LazyCommand(click.Command):
    """A command whose definition (`"package.module:attribute"`) is imported when it
    runs or shows its own help; until then only its name and short help exist."""

    def __init__(self, name: str, target: str, short_help: str) -> None:
        super().__init__(name, short_help=short_help, add_help_option=False)
        self._target = target
        self._command: click.Command | None = None

    def load(self) -> click.Command:
        if self._command is None:
            module, _, attribute = self._target.partition(":")
            command = getattr(import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._target} is not a click command")
            add_common_options(command)
            self._command = command
        return self._command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self.load().make_context(info_name, args, parent=parent, **extra)

    def get_short_help_str(self, limit: int = 45) -> str:
        text = self.short_help or ""
        return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@contextmanager
def _logging_restored() -> Iterator[None]:
    """The CLI configures the framework's loggers for its own run; a host that runs it
    in-process (tests, click's CliRunner) gets them back as they were afterwards."""
    saved = [
        (logger, logger.level, list(logger.handlers), logger.propagate)
        for logger in (logging.getLogger(), logging.getLogger(ROOT_LOGGER))
    ]
    try:
        yield
    finally:
        for logger, level, handlers, propagate in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers
            logger.propagate = propagate


class FlextGroup(click.Group):
    """A group whose commands all take the common options; tracks the plugin of each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands_by_plugin: dict[str, list[str]] = {}
        self.params.extend(common_options())

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; afterwards close what it opened and put the host's logging
        set-up back, also when a host runs the CLI in-process (click's CliRunner)."""
        state = ctx.find_root().obj
        with _logging_restored():
            try:
                return super().invoke(ctx)
            finally:
                close = getattr(state, "close", None)
                if callable(close):
                    close()

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, LazyCommand):
            add_common_options(cmd)
        super().add_command(cmd, name)
