"""The root group: gives every command the common options and remembers who added it."""

from __future__ import annotations

from typing import Any

import click

from flext_db_oracle.cli.context import current
from flext_db_oracle.cli.output import FORMATS


def _store(attribute: str) -> Any:
    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is None or value == 0:  # not given here: keep what the root set
            return
        state = current()
        if attribute == "verbose":
            value = max(state.verbose, value)
        setattr(state, attribute, value)

    return callback


def common_options() -> list[click.Option]:
    """`--url`, `--profile`, `--format`, `-v`: accepted on the root and on every command."""
    return [
        click.Option(
            ["--url"],
            metavar="URL",
            help="Database URL, e.g. postgresql://user@host/db (default: env FLEXT_DB_ORACLE_URL,"
            " else sqlite:///flext_db_oracle.db).",
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
            type=click.Choice(FORMATS),
            help="Output: table (default), json, csv or jsonl.",
            expose_value=False,
            callback=_store("format"),
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            help="More detail: -v shows error details and tracebacks, -vv debug logs.",
            expose_value=False,
            callback=_store("verbose"),
        ),
    ]


def _add_common_options(command: click.Command) -> None:
    present = {name for param in command.params for name in param.opts}
    command.params.extend(opt for opt in common_options() if not set(opt.opts) & present)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _add_common_options(sub)


class FlextGroup(click.Group):
    """A group whose commands all take the common options; tracks the plugin of each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands_by_plugin: dict[str, list[str]] = {}
        self.params.extend(common_options())

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _add_common_options(cmd)
        super().add_command(cmd, name)
