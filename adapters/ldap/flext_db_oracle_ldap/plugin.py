"""Entry point of the `flext_db_oracle` group: the `ldap` auth adapter, its settings and
LDAP naming of Oracle services. Light to import: the settings model (pydantic-settings)
and ldap3 load inside the hooks, so `flext-db-oracle --help` imports neither."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flext_db_oracle.hookspecs import hookimpl

if TYPE_CHECKING:
    from flext_db_oracle.registry import AdapterRegistry
    from pydantic import BaseModel


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    from flext_db_oracle_ldap.factory import create_auth
    from flext_db_oracle_ldap.settings import LdapSettings

    registry.add_auth(
        "ldap",
        create_auth,
        settings=LdapSettings,
        description="LDAP sign-in (OpenLDAP, Active Directory): groups to roles to permissions",
    )


@hookimpl
def register_settings() -> type[BaseModel] | None:
    from flext_db_oracle_ldap.settings import LdapSettings

    return LdapSettings


@hookimpl
def resolve_dsn(alias: str) -> str | None:
    """An Oracle service alias to its connect descriptor, from the directory."""
    from flext_db_oracle_ldap.naming import resolve_from_environment

    return resolve_from_environment(alias)
