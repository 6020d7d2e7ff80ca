"""`run FILE.sql`: a script, split and run as its own client would."""

from __future__ import annotations

from pathlib import Path

import click
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import write_document, write_rows
from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_transfer.scripts.runner import ScriptRunner
from flext_db_oracle_transfer.scripts.source import DIALECTS, ScriptDialect


@click.command("run")
@click.argument("script", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    help="Whose rules split the script (SQL*Plus for oracle, psql, mysql, sqlite3);"
    " taken from the connection when not given.",
)
@click.option(
    "--single-transaction",
    is_flag=True,
    help="All or nothing: one transaction, rolled back at the first failure.",
)
@click.option(
    "--continue-on-error",
    is_flag=True,
    help="Go on after a failing statement and count the failures at the end.",
)
@pass_cli
def run(
    cli: CliContext,
    script: Path,
    dialect: ScriptDialect | None,
    single_transaction: bool,
    continue_on_error: bool,
) -> None:
    """Run a SQL script on one connection, statement by statement.

    \b
    The script is split as its own client splits it: SQL*Plus (`/`, PL/SQL
    blocks, @file, WHENEVER SQLERROR, CONNECT, EXIT, PROMPT, SET), psql
    (dollar quotes, \\c DBNAME, \\i), mysql (DELIMITER, USE) or sqlite3 (trigger
    bodies, .read). By default the run stops at the first failing statement
    (exit 1); what ran before it stays committed. Rows a statement returns are
    printed as tables (with --format table, the default).

    \b
    Examples:
      flext-db-oracle --url postgresql://me@localhost/postgres run Chinook_PostgreSql.sql
      flext-db-oracle --url oracle://me@db/FREEPDB1 run setup.sql --single-transaction
    """
    if single_transaction and continue_on_error:
        raise click.UsageError("--single-transaction and --continue-on-error exclude each other")
    runner = ScriptRunner(
        cli.settings(),
        plugin_manager=cli.plugin_manager,
        principal=cli.api().principal,  # signs in first when auth is configured
        dialect=dialect,
        single_transaction=single_transaction,
        continue_on_error=continue_on_error,
        echo=click.echo,
        note=lambda text: click.echo(f"note: {text}", err=True),
        show=(lambda result: write_rows("table", result.columns, result.rows))
        if cli.format == "table"
        else lambda _result: None,
    )
    report = cli.unwrap(runner.run(script))
    if cli.format == "table":
        click.echo(report.summary(), err=True)
    else:
        write_document(
            cli.format,
            {
                "statements": report.statements,
                "failures": [error.as_dict() for error in report.failures],
                "seconds": round(report.seconds, 3),
                "status": report.status,
            },
        )
    if report.status:  # the CLI's codes are 0, 1 and 2: any failing EXIT status is 1
        raise DbError(ErrorKind.QUERY, f"{script}: the script ended with EXIT {report.status}")
