"""The auth adapter factory, light to import: ldap3 loads when an adapter is built."""

from __future__ import annotations

from typing import Any

from flext_db_oracle.ports import AuthPort
from flext_db_oracle.settings import DatabaseSettings, load_adapter_settings

from flext_db_oracle_ldap.settings import ENV, LdapSettings


def create_auth(settings: DatabaseSettings, own: Any) -> AuthPort:
    """The `ldap` auth adapter for `own` (loaded from `settings` when None); a missing
    setting is a `configuration` error. Touches no network."""
    ldap = own if isinstance(own, LdapSettings) else load_adapter_settings(LdapSettings, settings)
    from flext_db_oracle_ldap.adapter import LdapAuthAdapter

    return LdapAuthAdapter(ldap)


def configuration_problem(ldap: LdapSettings) -> str | None:
    """What keeps `ldap` from signing anyone in, in one line; None when nothing does."""
    if ldap.url is None:
        return f"set {ENV}URL (ldap://host:389 or ldaps://host:636) to use LDAP sign-in"
    direct = ldap.user_dn_template is not None or ldap.upn_suffix is not None
    if not direct and ldap.bind_dn is None:
        return (
            f"set {ENV}BIND_DN and {ENV}BIND_PASSWORD (search-then-bind), or "
            f"{ENV}USER_DN_TEMPLATE or {ENV}UPN_SUFFIX (direct bind)"
        )
    if ldap.user_dn_template is None and ldap.user_base_dn is None:
        return f"set {ENV}USER_BASE_DN (where users are searched)"
    return None
