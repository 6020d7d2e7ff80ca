"""Entry point of the `flext_db_oracle` group: the `thin` and `thick` adapters and
the `doctor` command. Light on purpose: the adapter modules (and python-oracledb)
are imported when an adapter is built or the command runs, never at discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.hookspecs import hookimpl

from flext_db_oracle_oracledb.settings import OracleDbSettings

if TYPE_CHECKING:
    import click
    from flext_db_oracle.registry import AdapterRegistry
    from flext_db_oracle.settings import DatabaseSettings

    from flext_db_oracle_oracledb.adapter import OracleAdapter

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
    from flext_db_oracle_oracledb.doctor import doctor

    cli.add_command(doctor)


@hookimpl
def register_settings() -> type[OracleDbSettings]:
    return OracleDbSettings
