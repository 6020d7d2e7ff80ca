"""Entry point of the `flext_db_oracle` group: the `thin` and `thick` adapters and
the `doctor` command. Light on purpose: python-oracledb is imported by the
factories and the command body, never here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle import hookimpl

from flext_db_oracle_oracledb.adapter import THICK, THIN, create_thick, create_thin
from flext_db_oracle_oracledb.settings import OracleDbSettings

if TYPE_CHECKING:
    import click
    from flext_db_oracle.registry import AdapterRegistry


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
