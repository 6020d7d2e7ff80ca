"""`query` and `execute`: run SQL with named binds."""

from __future__ import annotations

import json
from typing import Any

import click

from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import RowWriter, write_document

PARAM_HELP = (
    "Bind value as name=value for :name in SQL; repeatable. The value is read as JSON when it "
    'parses (5, 2.5, null, true, "007"), as text otherwise.'
)


def parse_param(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Any]:
    binds: dict[str, Any] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not name=value", param_hint="--param")
        try:
            binds[name.strip()] = json.loads(raw)
        except ValueError:
            binds[name.strip()] = raw
    return binds


param_option = click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    callback=parse_param,
    help=PARAM_HELP,
)


@click.command()
@click.argument("sql")
@param_option
@click.option(
    "--limit", type=click.IntRange(min=0), help="Print at most N rows (stops the fetch early)."
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Rows fetched per round trip (default: FLEXT_DB_ORACLE_STREAM_BATCH_SIZE, 1000).",
)
@pass_cli
def query(
    cli: CliContext, sql: str, params: dict[str, Any], limit: int | None, batch_size: int | None
) -> None:
    """Run a query and print its rows.

    \b
    Rows stream from the server in batches, so csv and jsonl output runs in
    constant memory whatever the result size.

    \b
    Examples:
      flext-db-oracle query "select * from employees where department_id = :d" -p d=60
      flext-db-oracle query "select * from big_table" --format csv > big.csv
    """
    api = cli.api()
    size = batch_size or api.runtime.settings.stream_batch_size
    if limit:
        size = min(size, limit)
    with cli.unwrap(api.stream(sql, params, batch_size=size)) as stream:
        writer = RowWriter(cli.format, stream.columns)
        for batch in stream:
            remaining = None if limit is None else limit - writer.count
            writer.write(batch if remaining is None else batch[:remaining])
            if limit is not None and writer.count >= limit:
                break
        writer.close()


@click.command()
@click.argument("sql")
@param_option
@pass_cli
def execute(cli: CliContext, sql: str, params: dict[str, Any]) -> None:
    """Run one statement (DML or DDL) and commit it.

    \b
    Example:
      flext-db-oracle execute "update jobs set max_salary = :m where job_id = :j" \\
          -p m=9000 -p j=IT_PROG
    """
    outcome = cli.unwrap(cli.api().execute(sql, params))
    if cli.format == "table":
        shown = "unknown number of" if outcome.rowcount < 0 else str(outcome.rowcount)
        click.echo(f"{shown} row(s) affected")
    else:
        write_document(cli.format, {"rowcount": outcome.rowcount})
