"""Entry point of the `flext_db_oracle` group: the `thin` and `thick` adapters, their
settings and the `doctor` command. Light to import: the settings model
(pydantic-settings), the adapter modules and python-oracledb load inside the hooks
and factories, and `doctor` loads when it runs, so `flext-db-oracle --help` imports
none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    import click
    from flext_db_oracle.registry import AdapterRegistry
    from flext_db_oracle.settings import DatabaseSettings
    from pydantic import BaseModel

    from flext_db_oracle_oracledb.adapter import OracleAdapter
    from flext_db_oracle_oracledb.settings import OracleDbSettings

THIN = "thin"
THICK = "thick"


def create_thin(settings: DatabaseSettings, own: OracleDbSettings | None) -> OracleAdapter:
    from flext_db_oracle_oracledb.adapter import create_thin as build

    return build(settings, own)


def create_thick(settings: DatabaseSettings, own: OracleDbSettings | None) -> OracleAdapter:
    from flext_db_oracle_oracledb.adapter import create_thick as build

    return build(settings, own)


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    from flext_db_oracle_oracledb.settings import OracleDbSettings

    registry.add_database(
        THIN,
        create_thin,
        schemes=("oracle",),
        priority=10,
        settings=OracleDbSettings,
        description="Oracle Database on python-oracledb thin mode (no Oracle Client needed)",
    )
    registry.add_database(
        THICK,
        create_thick,
        schemes=("oracle",),
        priority=0,
        settings=OracleDbSettings,
        description="Oracle Database on python-oracledb thick mode (Oracle Client libraries)",
    )


@hookimpl
def register_commands(cli: click.Group) -> None:
    from flext_db_oracle.cli.group import LazyCommand

    cli.add_command(
        LazyCommand(
            "doctor",
            "flext_db_oracle_oracledb.doctor:doctor",
            "Oracle driver check: thin/thick, versions, server, NLS settings.",
        )
    )


@hookimpl
def register_settings() -> type[BaseModel] | None:
    from flext_db_oracle_oracledb.settings import OracleDbSettings

    return OracleDbSettings
