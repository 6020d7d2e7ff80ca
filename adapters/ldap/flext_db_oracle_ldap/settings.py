"""The LDAP adapter's own settings: `FLEXT_DB_ORACLE_LDAP_*` or `[profiles.NAME.ldap]`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from flext_db_oracle.models import Permission
from flext_db_oracle.redaction import register_secret
from flext_db_oracle.settings import AdapterSettings, adapter_settings_config
from pydantic import Field, SecretStr, field_validator, model_validator

SECTION = "ldap"
ENV = "FLEXT_DB_ORACLE_LDAP_"

DEFAULT_ROLE_PERMISSIONS: dict[str, tuple[Permission, ...]] = {
    permission.value: (permission,) for permission in Permission
}


class LdapSettings(AdapterSettings):
    """Where the directory is, how to find and bind users, and what their groups grant."""

    model_config = adapter_settings_config(SECTION)

    url: str | None = Field(
        default=None, description="ldap://host:port or ldaps://host:port of the directory"
    )
    bind_dn: str | None = Field(
        default=None, description="service account DN for search-then-bind (and LDAP naming)"
    )
    bind_password: SecretStr | None = Field(default=None, description="service account password")
    user_base_dn: str | None = Field(default=None, description="where users are searched")
    group_base_dn: str | None = Field(
        default=None, description="where groups are searched (default: USER_BASE_DN)"
    )
    preset: Literal["openldap", "ad"] = Field(
        default="openldap", description="directory conventions: openldap or ad"
    )
    user_dn_template: str | None = Field(
        default=None,
        description="direct bind: the user's DN with {username}, e.g. uid={username},ou=people,...",
    )
    upn_suffix: str | None = Field(
        default=None,
        description="direct bind (ad): bind as {username}@UPN_SUFFIX, e.g. corp.example.com",
    )
    start_tls: bool = Field(default=False, description="upgrade ldap:// with StartTLS")
    ca_file: Path | None = Field(
        default=None, description="PEM CA bundle to verify the server (default: system CAs)"
    )
    timeout_s: float = Field(default=5.0, gt=0, le=300, description="connect and receive timeout")
    role_map: dict[str, str] = Field(
        default_factory=dict,
        description='JSON, group name (cn) or DN to role: {"readers": "read", "dbas": "admin"}',
    )
    role_permissions: dict[str, tuple[Permission, ...]] = Field(
        default_factory=lambda: dict(DEFAULT_ROLE_PERMISSIONS),
        description="JSON, role to permissions; default read, write, ddl, admin to themselves",
    )
    pool_size: int = Field(default=3, ge=1, le=64, description="service account connections kept")
    referrals: bool = Field(default=False, description="follow referrals (off: never chase)")
    nested_groups: bool = Field(default=True, description="resolve groups within groups")
    oracle_context: str | None = Field(
        default=None,
        description="LDAP naming: default Oracle context, e.g. cn=OracleContext,dc=example,dc=com",
    )

    @field_validator("url")
    @classmethod
    def _url_scheme(cls, url: str | None) -> str | None:
        if url is not None and not url.lower().startswith(("ldap://", "ldaps://")):
            raise ValueError(f"{ENV}URL must start with ldap:// or ldaps://")
        return url

    @field_validator("bind_password")
    @classmethod
    def _hide_password(cls, password: SecretStr | None) -> SecretStr | None:
        if password is not None:
            register_secret(password.get_secret_value())
        return password

    @field_validator("user_dn_template")
    @classmethod
    def _template_has_username(cls, template: str | None) -> str | None:
        if template is not None and "{username}" not in template:
            raise ValueError(f"{ENV}USER_DN_TEMPLATE must contain {{username}}")
        return template

    @field_validator("ca_file")
    @classmethod
    def _ca_file_exists(cls, path: Path | None) -> Path | None:
        if path is not None and not path.is_file():
            raise ValueError(f"{ENV}CA_FILE {str(path)!r} is not a readable file")
        return path

    @model_validator(mode="after")
    def _consistent(self) -> LdapSettings:
        if (self.bind_dn is None) != (self.bind_password is None):
            raise ValueError(f"{ENV}BIND_DN and {ENV}BIND_PASSWORD go together")
        if self.start_tls and self.url is not None and self.url.lower().startswith("ldaps://"):
            raise ValueError(f"{ENV}START_TLS is for ldap:// URLs; ldaps:// is TLS already")
        unknown = sorted(set(self.role_map.values()) - set(self.role_permissions))
        if unknown:
            raise ValueError(
                f"{ENV}ROLE_MAP names roles without permissions: {', '.join(unknown)} "
                f"(known roles: {', '.join(sorted(self.role_permissions))}; "
                f"add them to {ENV}ROLE_PERMISSIONS)"
            )
        return self

    def permissions_of(self, roles: frozenset[str]) -> frozenset[Permission]:
        """Every permission the roles grant, with the weaker ones each implies."""
        granted: set[Permission] = set()
        for role in roles:
            for permission in self.role_permissions.get(role, ()):
                granted |= permission.implied()
        return frozenset(granted)
