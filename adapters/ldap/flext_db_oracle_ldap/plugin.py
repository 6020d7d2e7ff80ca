"""Entry point of the `flext_db_oracle` group: the `ldap` auth adapter, its settings and
LDAP naming of Oracle services. Light to import: ldap3 loads only when used."""

from __future__ import annotations

from flext_db_oracle import hookimpl
from flext_db_oracle.registry import AdapterRegistry
from pydantic import BaseModel

from flext_db_oracle_ldap.factory import create_auth
from flext_db_oracle_ldap.settings import LdapSettings


@hookimpl
def register_adapters(registry: AdapterRegistry) -> None:
    registry.add_auth(
        "ldap",
        create_auth,
        settings=LdapSettings,
        description="LDAP sign-in (OpenLDAP, Active Directory): groups to roles to permissions",
    )


@hookimpl
def register_settings() -> type[BaseModel] | None:
    return LdapSettings


@hookimpl
def resolve_dsn(alias: str) -> str | None:
    """An Oracle service alias to its connect descriptor, from the directory."""
    from flext_db_oracle_ldap.naming import resolve_from_environment

    return resolve_from_environment(alias)
