"""`load FILE --table T`: rows from CSV, JSON lines or Parquet into a table."""

from __future__ import annotations

from pathlib import Path

import click
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import write_document

from flext_db_oracle_transfer.files import FILE_FORMATS, FileFormat


def _keys(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    return tuple(k.strip() for k in value.split(",") if k.strip()) if value else ()


@click.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--table", "-t", required=True, help="Target table (SCHEMA.TABLE or TABLE).")
@click.option(
    "--file-format",
    type=click.Choice(FILE_FORMATS),
    help="csv, jsonl or parquet; taken from the file's extension when not given.",
)
@click.option("--batch-size", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option(
    "--mode",
    type=click.Choice(["append", "truncate", "upsert"]),
    default="append",
    show_default=True,
    help="truncate empties the table first; upsert updates rows whose --key exists.",
)
@click.option(
    "--key", "keys", callback=_keys, help="COL,... for upsert (default: the primary key)."
)
@click.option("--create", is_flag=True, help="Create the table from the file's schema if missing.")
@click.option(
    "--transaction",
    type=click.Choice(["batch", "all"]),
    default="batch",
    show_default=True,
    help="Commit each batch, or the whole load at once (all or nothing).",
)
@click.option(
    "--on-error",
    type=click.Choice(["stop", "skip", "report"]),
    default="stop",
    show_default=True,
    help="stop: the failing batch loads nothing (exit 1); skip: load the good rows;"
    " report: as skip, and write the bad rows to --rejects.",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --on-error report writes bad rows (default: NAME.rejects.csv beside FILE).",
)
@pass_cli
def load(  # noqa: PLR0917 - click passes the options by keyword
    cli: CliContext,
    file: Path,
    table: str,
    file_format: FileFormat | None,
    batch_size: int,
    mode: str,
    keys: tuple[str, ...],
    create: bool,
    transaction: str,
    on_error: str,
    rejects: Path | None,
) -> None:
    """Load a file's rows into a table, in batches, on the backend's fastest path.

    \b
    Ends with a summary: rows read, loaded, rejected, seconds, rows/s.

    \b
    Examples:
      flext-db-oracle load orders.parquet --table orders --create
      flext-db-oracle load fix.csv --table orders --mode upsert --key order_id
      flext-db-oracle load big.csv --table t --on-error report --rejects bad.csv
    """
    from flext_db_oracle_transfer.load import LoadOptions
    from flext_db_oracle_transfer.load import load as run_load
    from flext_db_oracle_transfer.progress import terminal_progress

    if rejects is not None and on_error != "report":
        raise click.UsageError("--rejects needs --on-error report")
    options = LoadOptions(
        file_format=file_format,
        batch_size=batch_size,
        mode=mode,  # type: ignore[arg-type]  # click.Choice checked it
        keys=keys,
        create=create,
        transaction=transaction,  # type: ignore[arg-type]
        on_error=on_error,  # type: ignore[arg-type]
        rejects=rejects,
    )
    with terminal_progress(f"load {file.name}") as progress:
        summary = cli.unwrap(
            run_load(
                cli.api(),
                file,
                table,
                options,
                progress,
                warn=lambda text: click.echo(f"warning: {text}", err=True),
            )
        )
    if cli.format == "table":
        click.echo(summary.line(), err=True)
    else:
        write_document(
            cli.format,
            {
                "read": summary.read,
                "loaded": summary.loaded,
                "rejected": summary.rejected,
                "seconds": round(summary.seconds, 3),
                "rows_per_second": round(summary.rows_per_second),
                "rejects_file": str(summary.rejects_file) if summary.rejected else None,
            },
        )
