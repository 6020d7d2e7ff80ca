"""Entry point of the `flext_db_oracle` group: the `oic` record source and the `oic`
commands. Light to import: the settings model (pydantic), the HTTP kit and httpx load
inside the hooks, the factory and the command bodies, so `flext-db-oracle --help`
imports none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    import click
    from flext_db_oracle.registry import AdapterRegistry
    from flext_db_oracle.settings import DatabaseSettings

    from flext_db_oracle_oic.adapter import OicAdapter
    from flext_db_oracle_oic.settings import OicSettings

ADAPTER_NAME = "oic"


def create_oic(settings: DatabaseSettings, own: OicSettings | None) -> OicAdapter:
    """The registry's factory: builds the client, touches no network. An OIC without
    BASE_URL is a configuration error naming the variable."""
    from flext_db_oracle.errors import DbError, ErrorKind
    from flext_db_oracle.settings import load_adapter_settings

    from flext_db_oracle_oic.adapter import OicAdapter
    from flext_db_oracle_oic.settings import OicSettings
    from flext_db_oracle_oic.transport import OicHttp

    oic = own if own is not None else load_adapter_settings(OicSettings, settings)
    if oic.base_url is None:
        raise DbError(
            ErrorKind.CONFIGURATION,
            "OIC is not configured: set FLEXT_DB_ORACLE_OIC_BASE_URL "
            "(https://HOST/ic/api/integration/v1/) and its credentials, "
            "or base_url in the profile's [profiles.NAME.oic] table",
            adapter=ADAPTER_NAME,
        )
    return OicAdapter(oic, OicHttp(oic))


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    from flext_db_oracle_oic.settings import OicSettings

    registry.add_record_source(
        ADAPTER_NAME,
        create_oic,
        settings=OicSettings,
        description="Oracle Integration (OIC): integrations, connections, monitoring instances",
    )


@hookimpl
def register_commands(cli: click.Group) -> None:
    from flext_db_oracle.cli.group import LazyCommand

    cli.add_command(
        LazyCommand(
            "oic",
            "flext_db_oracle_oic.commands:oic",
            "Oracle Integration: integrations, activation, connections, instances.",
        )
    )
