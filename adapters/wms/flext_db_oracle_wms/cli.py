"""`flext-db-oracle wms ...`: list entities, describe one, read one (incrementally too)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import RowWriter, write_document, write_rows
from flext_db_oracle.errors import DbError, ErrorKind

if TYPE_CHECKING:
    from flext_db_oracle.models import Permission

    from flext_db_oracle_wms.source import WmsRecordSource

ADAPTER = "wms"


def wms_source(cli: CliContext, permission: Permission) -> WmsRecordSource:
    """The facade's `wms` record source, for what the facade does not offer (state files,
    writes), once the signed-in principal holds `permission`. The facade closes it."""
    from flext_db_oracle_wms.source import WmsRecordSource

    api = cli.api()
    cli.unwrap(api.authorize(permission))
    source = api.container.record_sources().get(ADAPTER)
    if not isinstance(source, WmsRecordSource):  # another plugin took the name
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"record source {ADAPTER!r} is {type(source).__name__}, not the WMS adapter",
        )
    return source


def _pairs(_ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    pairs = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param=param)
        pairs.append((key.strip(), value))
    return tuple(pairs)


def _names(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> Any:
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def _since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not ISO 8601 (e.g. 2026-01-31T08:00:00+01:00)", param_hint="--since"
        ) from None
    return moment


@click.group()
def wms() -> None:
    """Oracle WMS Cloud entities (settings: FLEXT_DB_ORACLE_WMS_* or [profiles.NAME.wms])."""


@wms.command()
@pass_cli
def entities(cli: CliContext) -> None:
    """List the entities: the server's listing, or the shipped catalogue."""
    refs = cli.unwrap(cli.api().list_sources(ADAPTER))
    write_rows(cli.format, ("entity", "note"), [(ref.name, ref.description) for ref in refs])


@wms.command()
@click.argument("entity")
@pass_cli
def describe(cli: CliContext, entity: str) -> None:
    """Show the fields of ENTITY."""
    metadata = cli.unwrap(cli.api().describe_source(ADAPTER, entity))
    write_rows(
        cli.format,
        ("field", "type", "family", "nullable", "max_length", "default"),
        [
            (c.name, c.type_name, c.family.value, c.nullable, c.length, c.default)
            for c in metadata.columns
        ],
        title=entity,
    )


@wms.command()
@click.argument("entity")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    callback=_pairs,
    metavar="FIELD__LOOKUP=VALUE",
    help="Django-style filter, e.g. mod_ts__gte=2026-01-01T00:00:00; repeatable.",
)
@click.option("--fields", multiple=True, callback=_names, help="Fields to read (comma-separated).")
@click.option("--ordering", multiple=True, callback=_names, help="Order, e.g. -mod_ts,id.")
@click.option(
    "--since",
    callback=_since,
    metavar="ISO8601",
    help="Incremental: records changed since then (a time without offset means UTC).",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Incremental: keep the high-water mark in FILE between runs.",
)
@click.option("--overlap", type=click.FloatRange(min=0), help="Seconds re-read before the mark.")
@click.option("--page-size", type=click.IntRange(min=1), help="Records per page.")
@click.option("--limit", type=click.IntRange(min=0), help="Print at most N records.")
@pass_cli
def read(
    cli: CliContext,
    entity: str,
    *,  # click passes options by name
    filters: tuple[tuple[str, str], ...],
    fields: tuple[str, ...],
    ordering: tuple[str, ...],
    since: datetime | None,
    state_file: Path | None,
    overlap: float | None,
    page_size: int | None,
    limit: int | None,
) -> None:
    """Read ENTITY page by page (csv and jsonl output in constant memory).

    \b
    Examples:
      flext-db-oracle wms read item --fields id,code,mod_ts --format jsonl
      flext-db-oracle wms read order_hdr --filter status_id__lt=90 --page-size 500
      flext-db-oracle wms read inventory --since 2026-01-01 --state inventory.json --format csv
    """
    from flext_db_oracle.models import Permission, ReadRequest

    source = wms_source(cli, Permission.READ)
    request = ReadRequest(
        fields=fields,
        filters=filters,
        ordering=ordering,
        page_size=page_size,
        since=since,
        overlap=timedelta(seconds=source.settings.overlap_s if overlap is None else overlap),
        limit=limit,
    )
    opened = (
        source.read_incremental(entity, request, state_file)
        if state_file is not None
        else cli.api().read_source(ADAPTER, entity, request)  # observed by the facade
    )
    with cli.unwrap(opened) as stream, _progress(entity, stream) as advance:
        writer = RowWriter(cli.format, stream.columns)
        for batch in stream:
            writer.write(batch)
            advance(len(batch))
        writer.close()


@contextmanager
def _progress(entity: str, stream: Any) -> Iterator[Any]:
    """A progress bar on a terminal (stderr); nothing when stderr is piped."""
    if not sys.stderr.isatty():
        yield lambda _count: None
        return
    from rich.console import Console
    from rich.progress import Progress

    # Rows go to stdout untouched: rich would otherwise redirect them above the bar.
    with Progress(
        console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False
    ) as progress:
        task = progress.add_task(f"reading {entity}", total=getattr(stream, "result_count", None))
        yield lambda count: progress.advance(task, count)


@wms.command()
@click.argument("operation")
@click.option(
    "--value",
    "values",
    multiple=True,
    callback=_pairs,
    metavar="FIELD=VALUE",
    help="A form field of the operation; repeatable.",
)
@pass_cli
def run(cli: CliContext, operation: str, values: tuple[tuple[str, str], ...]) -> None:
    """Run an Integration API OPERATION (a write: needs the `write` permission).

    \b
    Example:
      flext-db-oracle wms run update_oblpn_tracing_nbr --value oblpn_nbr=LPN1 \\
          --value tracking_nbr=1Z999
    """
    from flext_db_oracle.models import Permission

    outcome = cli.unwrap(wms_source(cli, Permission.WRITE).run_operation(operation, dict(values)))
    write_document(cli.format, outcome.model_dump(exclude={"body"}), title=operation)
