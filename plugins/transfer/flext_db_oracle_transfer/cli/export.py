"""`export (TABLE | --sql SQL) --out FILE`: rows to CSV, JSON lines or Parquet."""

from __future__ import annotations

import click
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import write_document

from flext_db_oracle_transfer.files import FILE_FORMATS, FileFormat


@click.command("export")
@click.argument("table", required=False)
@click.option("--sql", help="Export the rows of this query instead of a table.")
@click.option(
    "--source",
    metavar="ADAPTER:SOURCE",
    help="Export a record source's rows (e.g. wms:item) instead of a table.",
)
@click.option(
    "--out",
    "-o",
    required=True,
    help="File to write; '-' writes CSV or JSON lines to standard output.",
)
@click.option(
    "--file-format",
    type=click.Choice(FILE_FORMATS),
    help="csv, jsonl or parquet; taken from the extension of --out when not given.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rows fetched and written per batch.",
)
@pass_cli
def export(
    cli: CliContext,
    *,
    table: str | None,
    sql: str | None,
    source: str | None,
    out: str,
    file_format: FileFormat | None,
    batch_size: int,
) -> None:
    """Export a table's, a query's or a record source's rows to a file, in constant memory.

    \b
    CSV has a header row, NULL as an empty field and an empty string as "";
    bytes are base64, dates ISO 8601. Parquet keeps the types (decimals, time
    zones, bytes). The file appears only once the export has finished.

    \b
    Examples:
      flext-db-oracle export employees --out employees.parquet
      flext-db-oracle export --sql "select * from orders where year = 2024" --out - > o.csv
      flext-db-oracle export --source wms:item --out items.jsonl
    """
    from flext_db_oracle_transfer.export import export as run_export
    from flext_db_oracle_transfer.progress import terminal_progress

    if sum(given is not None for given in (table, sql, source)) != 1:
        raise click.UsageError("give one of TABLE, --sql or --source")
    if out == "-" and file_format == "parquet":
        raise click.UsageError("Parquet cannot be written to standard output")
    with terminal_progress("export") as progress:  # on standard error, when a terminal
        summary = cli.unwrap(
            run_export(
                cli.api(),
                out,
                table=table,
                sql=sql,
                source=source,
                file_format=file_format,
                batch_size=batch_size,
                progress=progress,
            )
        )
    if cli.format == "table":
        click.echo(summary.line(), err=True)
    elif out != "-":
        write_document(
            cli.format,
            {
                "rows": summary.rows,
                "seconds": round(summary.seconds, 3),
                "rows_per_second": round(summary.rows_per_second),
                "file": summary.target,
                "file_format": summary.file_format,
            },
        )
