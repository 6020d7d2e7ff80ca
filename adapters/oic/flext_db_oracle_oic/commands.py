"""`flext-db-oracle oic ...`: integrations, actions, connections and monitoring.

Settings come from `FLEXT_DB_ORACLE_OIC_*` or the profile's `[profiles.NAME.oic]`
table; output follows the common `--format`; a long read shows a row counter on
stderr when stderr is a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import RowWriter, write_document, write_rows
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Permission, ReadRequest

from flext_db_oracle_oic.filters import INSTANCE_STATUSES, INTEGRATION_STATUSES, TIME_WINDOWS
from flext_db_oracle_oic.resources import ADAPTER_NAME

if TYPE_CHECKING:
    from flext_db_oracle.ports import RowStream

    from flext_db_oracle_oic.adapter import OicAdapter

# Fields an action's answer is shown with (the whole integration is long).
_INTEGRATION_SUMMARY = ("id", "code", "version", "name", "status", "lastUpdated")


# --- reaching the adapter through the facade --------------------------------------------


def read_oic(cli: CliContext, source: str, request: ReadRequest) -> RowStream:
    """Rows of `source` through the facade: the signed-in principal's `read` permission
    checked, the read observed."""
    return cli.unwrap(cli.api().read_source(ADAPTER_NAME, source, request))


def oic_adapter(cli: CliContext, permission: Permission) -> OicAdapter:
    """The facade's `oic` adapter for the direct methods, once the signed-in principal
    holds `permission` (activate and deactivate change OIC: `write`). The facade closes
    it when the command ends."""
    from flext_db_oracle_oic.adapter import OicAdapter

    api = cli.api()
    cli.unwrap(api.authorize(permission))
    adapter = api.container.record_sources().get(ADAPTER_NAME)
    if not isinstance(adapter, OicAdapter):  # another plugin took the name
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"record source {ADAPTER_NAME!r} is {type(adapter).__name__}, not the OIC adapter",
        )
    return adapter


# --- option parsing --------------------------------------------------------------------


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """ISO 8601; a time without offset means UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not ISO 8601 (2026-03-01T12:00:00Z)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _pairs(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
    pairs = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not key=value", param_hint="--filter")
        pairs.append((key.strip(), value))
    return pairs


filter_option = click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_pairs,
    help="A q filter term, e.g. name=ORDER_SYNC; repeatable.",
)
limit_option = click.option(
    "--limit", type=click.IntRange(min=0), help="Print at most N rows (stops paging early)."
)


# --- output ----------------------------------------------------------------------------


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None]]:
    """A row counter on stderr while a read runs, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda _rows: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed} rows"))
    # Rows go to stdout as they come: rich must not capture it into the progress display.
    progress = Progress(
        *columns,
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with progress:
        task = progress.add_task(label, total=None)
        yield lambda rows: progress.advance(task, rows)


def _write_stream(cli: CliContext, stream: RowStream, title: str) -> None:
    """Rows batch by batch (a `--limit` is the read's own: the stream stops there)."""
    with stream, _progress(title) as advance:
        writer = RowWriter(cli.format, stream.columns, title=title)
        for batch in stream:
            writer.write(batch)
            advance(len(batch))
        writer.close()


def _summary(document: dict[str, Any]) -> dict[str, Any]:
    return {key: document[key] for key in _INTEGRATION_SUMMARY if key in document}


# --- commands --------------------------------------------------------------------------


@click.group(name="oic")
def oic() -> None:
    """Oracle Integration (OIC): integrations, connections, monitoring instances.

    \b
    Configure with FLEXT_DB_ORACLE_OIC_BASE_URL (https://HOST/ic/api/integration/v1/)
    and either _USERNAME/_PASSWORD or _CLIENT_ID/_CLIENT_SECRET/_TOKEN_URL/_SCOPE.
    """


@oic.command()
@click.option("--name", help="Only the integration with this exact name.")
@click.option("--status", type=click.Choice(INTEGRATION_STATUSES), help="Only this status.")
@filter_option
@click.option("--order-by", type=click.Choice(("name", "time")), help="Server-side order.")
@limit_option
@pass_cli
def integrations(
    cli: CliContext,
    *,
    name: str | None,
    status: str | None,
    filters: list[tuple[str, str]],
    order_by: str | None,
    limit: int | None,
) -> None:
    """List integrations, page by page.

    \b
    Examples:
      flext-db-oracle oic integrations --status ACTIVATED
      flext-db-oracle oic integrations --name "Order Sync" --format json
    """
    terms = [("name", name)] if name else []
    terms += [("status", status)] if status else []
    request = ReadRequest(
        filters=(*terms, *filters), ordering=(order_by,) if order_by else (), limit=limit
    )
    _write_stream(cli, read_oic(cli, "integrations", request), "integrations")


@oic.command()
@click.argument("integration_id", metavar="ID")
@pass_cli
def integration(cli: CliContext, integration_id: str) -> None:
    """Show one integration (ID is CODE|VERSION, e.g. 'HELLO_WORLD|01.02.0000')."""
    adapter = oic_adapter(cli, Permission.READ)
    write_document(cli.format, cli.unwrap(adapter.get_integration(integration_id)))


def _set_status(
    cli: CliContext, integration_id: str, *, activate: bool, wait_s: float | None = None
) -> None:
    adapter = oic_adapter(cli, Permission.WRITE)
    change = adapter.activate if activate else adapter.deactivate
    answer = cli.unwrap(change(integration_id))
    if wait_s is not None:
        final = cli.unwrap(adapter.wait_until_activated(integration_id, timeout_s=wait_s))
        answer = {**answer, "status": final}
    elif "status" not in answer:  # an empty answer: ask what the state is now
        answer = {
            "id": integration_id,
            "status": cli.unwrap(adapter.activation_status(integration_id)),
        }
    write_document(cli.format, _summary(answer), title="integration")


@oic.command()
@click.argument("integration_id", metavar="ID")
@click.option(
    "--wait",
    "wait_s",
    type=click.FloatRange(min=1),
    metavar="SECONDS",
    help="Wait up to SECONDS for OIC's background activation to end (polls each second);"
    " exit 1 when it fails or is still running.",
)
@pass_cli
def activate(cli: CliContext, integration_id: str, wait_s: float | None) -> None:
    """Activate an integration (sent once: an action is never retried)."""
    _set_status(cli, integration_id, activate=True, wait_s=wait_s)


@oic.command()
@click.argument("integration_id", metavar="ID")
@pass_cli
def deactivate(cli: CliContext, integration_id: str) -> None:
    """Deactivate an integration (sent once: an action is never retried)."""
    _set_status(cli, integration_id, activate=False)


@oic.command()
@filter_option
@limit_option
@pass_cli
def connections(cli: CliContext, filters: list[tuple[str, str]], limit: int | None) -> None:
    """List connections."""
    request = ReadRequest(filters=tuple(filters), limit=limit)
    _write_stream(cli, read_oic(cli, "connections", request), "connections")


@oic.command(name="test-connection")
@click.argument("connection_id", metavar="ID")
@pass_cli
def test_connection(cli: CliContext, connection_id: str) -> None:
    """Test a connection (a ping through OIC; sent once)."""
    answer = cli.unwrap(oic_adapter(cli, Permission.READ).test_connection(connection_id))
    shown = {key: answer.get(key) for key in ("id", "name", "status", "testStatus")}
    write_document(cli.format, {**shown, "id": shown["id"] or connection_id})


@oic.command()
@click.option("--status", type=click.Choice(INSTANCE_STATUSES), help="Only this status.")
@click.option(
    "--since", callback=_moment, metavar="TIME", help="From this time (ISO 8601; naive is UTC)."
)
@click.option("--until", callback=_moment, metavar="TIME", help="Up to this time (ISO 8601).")
@click.option(
    "--window",
    type=click.Choice(TIME_WINDOWS),
    help="OIC's named time window instead of --since/--until (the server's default is 1h).",
)
@click.option("--integration", "code", metavar="CODE", help="Only runs of this integration.")
@click.option("--version", metavar="VERSION", help="Only runs of this integration version.")
@limit_option
@pass_cli
def instances(
    cli: CliContext,
    *,
    status: str | None,
    since: datetime | None,
    until: datetime | None,
    window: Any,
    code: str | None,
    version: str | None,
    limit: int | None,
) -> None:
    """List integration instances (runs), newest first.

    \b
    Examples:
      flext-db-oracle oic instances --status FAILED --window 1d
      flext-db-oracle oic instances --since 2026-03-01T00:00:00Z --format jsonl
    """
    if window is not None and (since is not None or until is not None):
        raise click.UsageError("give --window or --since/--until, not both")
    from flext_db_oracle_oic.adapter import instances_request

    request = instances_request(
        status=status,
        since=since,
        until=until,
        window=window,
        code=code,
        version=version,
        limit=limit,
    )
    _write_stream(cli, read_oic(cli, "instances", request), "instances")


@oic.command()
@click.argument("instance_id", metavar="ID")
@pass_cli
def instance(cli: CliContext, instance_id: str) -> None:
    """Show one instance with its activity stream."""
    detail = cli.unwrap(oic_adapter(cli, Permission.READ).get_instance(instance_id))
    steps = detail.get("activityStream")
    if cli.format != "table" or not isinstance(steps, list):
        write_document(cli.format, detail, title="instance")
        return
    # People read the stream as a table of its own under the instance's fields.
    write_document("table", {k: v for k, v in detail.items() if k != "activityStream"})
    records = [step for step in steps if isinstance(step, dict)]
    columns = list(dict.fromkeys(key for step in records for key in step))
    write_rows(
        "table", columns, [[step.get(c) for c in columns] for step in records], "activity stream"
    )
