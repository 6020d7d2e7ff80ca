"""Entry point of the `flext_db_oracle` group: the `wms` record source and its commands.
Light to import: the settings model (pydantic), the HTTP kit and httpx load inside the
hooks, factories and command bodies, so `flext-db-oracle --help` imports none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    import click
    from flext_db_oracle.registry import AdapterRegistry


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    from flext_db_oracle_wms.factory import create_wms
    from flext_db_oracle_wms.settings import WmsSettings

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
