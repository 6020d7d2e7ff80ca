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
from flext_db_oracle.cli.output import RowWriter, write_rows
from flext_db_oracle.logs import configure_logging
from flext_db_oracle.models import ReadRequest
from flext_db_oracle.plugins import build_registry
from flext_db_oracle.registry import RECORD_SOURCE
from flext_db_oracle.settings import load_adapter_settings

if TYPE_CHECKING:
    from flext_db_oracle_wms.source import WmsRecordSource


@contextmanager
def open_wms(cli: CliContext) -> Iterator[WmsRecordSource]:
    """The `wms` record source from the CLI's settings and profile, closed afterwards.

    Kept in one place so that it can become `cli.api().read_source(...)` once the core
    offers record sources through the facade.
    """
    from flext_db_oracle_wms.source import WmsRecordSource

    settings = cli.settings()
    configure_logging(
        level="DEBUG" if cli.verbose >= 2 else settings.log_level, fmt=settings.log_format
    )
    entry = build_registry(cli.plugin_manager).get(RECORD_SOURCE, "wms")
    own = load_adapter_settings(entry.settings_model, settings) if entry.settings_model else None
    source = entry.factory(settings, own)
    if not isinstance(source, WmsRecordSource):
        raise click.ClickException("the registered wms adapter is not this package's")
    try:
        yield source
    finally:
        source.close()


def _pairs(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> Any:
    pairs = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not field__lookup=value", param_hint="--filter")
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
    with open_wms(cli) as source:
        refs = cli.unwrap(source.list_sources())
    write_rows(cli.format, ("entity", "note"), [(ref.name, ref.description) for ref in refs])


@wms.command()
@click.argument("entity")
@pass_cli
def describe(cli: CliContext, entity: str) -> None:
    """Show the fields of ENTITY."""
    with open_wms(cli) as source:
        metadata = cli.unwrap(source.describe(entity))
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
    with open_wms(cli) as source:
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
            else source.read(entity, request)
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

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"reading {entity}", total=getattr(stream, "result_count", None))
        yield lambda count: progress.advance(task, count)
