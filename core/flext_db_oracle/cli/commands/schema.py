"""`schemas`, `tables` and `describe`: browse the catalogue."""

from __future__ import annotations

import click

from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import print_heading, to_jsonable, write_document, write_rows
from flext_db_oracle.models import TableMetadata

schema_option = click.option(
    "--schema", "-s", metavar="NAME", help="Schema (default: the connection's)."
)


@click.command()
@pass_cli
def schemas(cli: CliContext) -> None:
    """List the schemas (databases, on MySQL) visible to the connection."""
    names = cli.unwrap(cli.api().get_schemas())
    write_rows(cli.format, ["schema"], [(name,) for name in names])


@click.command()
@schema_option
@pass_cli
def tables(cli: CliContext, schema: str | None) -> None:
    """List tables and views."""
    refs = cli.unwrap(cli.api().get_tables(schema))
    write_rows(cli.format, ["name", "kind"], [(ref.name, ref.kind.value) for ref in refs])


@click.command()
@click.argument("table")
@schema_option
@pass_cli
def describe(cli: CliContext, table: str, schema: str | None) -> None:
    """Show a table's columns, primary key, foreign keys and indexes.

    The name matches exactly, else case-insensitively when unambiguous.
    """
    metadata = cli.unwrap(cli.api().get_table_metadata(table, schema))
    show_table_metadata(cli, metadata)


def show_table_metadata(cli: CliContext, metadata: TableMetadata) -> None:
    if cli.format == "json":
        write_document("json", to_jsonable(metadata.model_dump(by_alias=True)))
        return
    if cli.format != "table":  # csv/jsonl: the columns, one row each
        write_rows(
            cli.format,
            ["column", "type", "nullable", "default", "primary_key_position"],
            [
                (c.name, c.type_name, c.nullable, c.default, c.primary_key_position)
                for c in metadata.columns
            ],
        )
        return
    print_heading(f"{metadata.kind.value} {metadata.name}")
    write_rows(
        "table",
        ["column", "type", "nullable", "default", "pk"],
        [
            (c.name, c.type_name, "yes" if c.nullable else "no", c.default, c.primary_key_position)
            for c in metadata.columns
        ],
    )
    if metadata.primary_key:
        name = f" ({metadata.primary_key.name})" if metadata.primary_key.name else ""
        click.echo(f"primary key{name}: {', '.join(metadata.primary_key.columns)}")
    if metadata.foreign_keys:
        write_rows(
            "table",
            ["foreign key", "columns", "references"],
            [
                (fk.name, fk.columns, f"{fk.referred_table}({', '.join(fk.referred_columns)})")
                for fk in metadata.foreign_keys
            ],
        )
    if metadata.indexes:
        write_rows(
            "table",
            ["index", "columns", "unique"],
            [(ix.name, ix.columns, "yes" if ix.unique else "no") for ix in metadata.indexes],
        )
