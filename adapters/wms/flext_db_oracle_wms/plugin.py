"""Entry point of the `flext_db_oracle` group: the `wms` record source and its commands."""

from __future__ import annotations

import click
from flext_db_oracle import hookimpl
from flext_db_oracle.registry import AdapterRegistry

from flext_db_oracle_wms.factory import create_wms
from flext_db_oracle_wms.settings import WmsSettings


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    registry.add_record_source(
        "wms",
        create_wms,
        settings=WmsSettings,
        description="Oracle WMS Cloud entities (lgfapi v10), read page by page or incrementally",
    )


@hookimpl
def register_commands(cli: click.Group) -> None:
    from flext_db_oracle_wms.cli import wms

    cli.add_command(wms)
