"""LDAP naming of Oracle services: an alias to its connect descriptor.

Oracle Net keeps each service as an `orclNetService` entry, `cn=ALIAS` under a
`cn=OracleContext`, whose `orclNetDescString` is the connect descriptor. Accepted
aliases:

- `ldap://host:port/cn=ALIAS,cn=OracleContext,dc=example,dc=com` (or `ldaps://`);
- `ldap://host:port/ALIAS,cn=OracleContext,dc=example,dc=com` (the JDBC spelling);
- `ldap://host:port/ALIAS` and a bare `ALIAS`: under FLEXT_DB_ORACLE_LDAP_ORACLE_CONTEXT
  (a bare alias on FLEXT_DB_ORACLE_LDAP_URL).

The directory is read as the service account when one is configured, else anonymously
(as Oracle clients do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError, ErrorKind
from ldap3.core.exceptions import LDAPInvalidDnError
from ldap3.utils.dn import escape_rdn, parse_dn
from returns.result import Failure, Result, Success

from flext_db_oracle_ldap.directory import Directory, close_quietly, read_entry
from flext_db_oracle_ldap.errors import ADAPTER, map_ldap_error
from flext_db_oracle_ldap.settings import ENV, LdapSettings

DESCRIPTOR_ATTRIBUTE = "orclNetDescString"
LDAP_SCHEMES = ("ldap", "ldaps")


@dataclass(frozen=True)
class ServiceName:
    """Where an alias's entry is: the directory URL and the entry's DN."""

    server_url: str
    dn: str


def is_ldap_url(text: str) -> bool:
    return text.lower().startswith(tuple(f"{scheme}://" for scheme in LDAP_SCHEMES))


def locate(alias: str, settings: LdapSettings) -> Result[ServiceName, DbError]:
    """The entry an alias names, without touching the directory."""
    if is_ldap_url(alias):
        parts = urlsplit(alias)
        if not parts.netloc:
            return _bad(f"{alias!r} names no directory host (ldap://host:port/...)")
        server_url = f"{parts.scheme}://{parts.netloc}"
        path = unquote(parts.path.lstrip("/"))
        if not path:
            return _bad(
                f"{alias!r} names no service (ldap://host:port/cn=ALIAS,cn=OracleContext,...)"
            )
        name, _, rest = path.partition(",")
        if "=" not in name:  # the JDBC spelling: ALIAS,cn=OracleContext,...
            path = f"cn={escape_rdn(name)}" + (f",{rest}" if rest else "")
        if "," not in path:
            return _under_context(path, server_url, settings, alias)
        try:
            parse_dn(path)
        except LDAPInvalidDnError:
            return _bad(f"{alias!r} holds no valid DN after the host")
        return Success(ServiceName(server_url, path))
    if settings.url is None:
        return _bad(f"set {ENV}URL to resolve the alias {alias!r} from the directory")
    return _under_context(f"cn={escape_rdn(alias)}", settings.url, settings, alias)


def resolve_service(alias: str, settings: LdapSettings) -> Result[str, DbError]:
    """The connect descriptor of `alias`; `not_found` when the directory has none."""
    return locate(alias, settings).bind(lambda name: _read_descriptor(name, settings, alias))


def resolve_from_environment(alias: str) -> str | None:
    """The `resolve_dsn` answer: the descriptor, or None when LDAP naming is not
    configured for `alias` or the directory does not know it (another plugin may).
    A directory that fails raises its `DbError`."""
    settings = LdapSettings()
    if not is_ldap_url(alias) and (settings.url is None or settings.oracle_context is None):
        return None
    match resolve_service(alias, settings):
        case Success(descriptor):
            return str(descriptor)
        case Failure(error) if error.kind is ErrorKind.NOT_FOUND:
            return None
        case Failure(error):
            raise error
    return None


def oracledb_protocol_hook(settings: LdapSettings) -> Callable[[str, str, Any], None]:
    """A python-oracledb protocol hook: `ldap://...` connect strings become the
    directory's descriptor (oracledb passes what follows `ldap://` as `arg`)."""

    def hook(protocol: str, arg: str, params: Any) -> None:
        match resolve_service(f"{protocol}://{arg}", settings):
            case Success(descriptor):
                params.parse_connect_string(descriptor)
            case Failure(error):
                raise error

    return hook


def register_oracledb_protocol(settings: LdapSettings | None = None) -> None:
    """Teach python-oracledb (thin mode) `ldap://` and `ldaps://` connect strings.
    Raises `DbError` (configuration) when python-oracledb is not installed."""
    try:
        import oracledb  # type: ignore[import-not-found,unused-ignore]  # optional
    except ImportError:
        raise DbError(
            ErrorKind.CONFIGURATION,
            "python-oracledb is not installed (pip install oracledb) to register LDAP naming",
            adapter=ADAPTER,
        ) from None
    hook = oracledb_protocol_hook(settings or LdapSettings())
    for scheme in LDAP_SCHEMES:
        oracledb.register_protocol(scheme, hook)


def _under_context(
    rdn: str, server_url: str, settings: LdapSettings, alias: str
) -> Result[ServiceName, DbError]:
    if settings.oracle_context is None:
        return _bad(
            f"the alias {alias!r} names no Oracle context: set {ENV}ORACLE_CONTEXT "
            "(e.g. cn=OracleContext,dc=example,dc=com) or give the full DN"
        )
    return Success(ServiceName(server_url, f"{rdn},{settings.oracle_context}"))


def _read_descriptor(name: ServiceName, settings: LdapSettings, alias: str) -> Result[str, DbError]:
    def read() -> str | None:
        password = settings.bind_password.get_secret_value() if settings.bind_password else None
        connection = Directory(settings, name.server_url).bind(settings.bind_dn, password)
        try:
            entry = read_entry(connection, name.dn, [DESCRIPTOR_ATTRIBUTE])
        finally:
            close_quietly(connection)
        return entry.first(DESCRIPTOR_ATTRIBUTE) if entry else None

    found = guarded(map_ldap_error, read)
    match found:
        case Success(None):
            return Failure(
                DbError(
                    ErrorKind.NOT_FOUND,
                    f"no Oracle service {alias!r} in the directory ({name.dn})",
                    adapter=ADAPTER,
                )
            )
        case Success(descriptor):
            return Success(str(descriptor))
    return found.map(str)


def _bad(message: str) -> Result[ServiceName, DbError]:
    return Failure(DbError(ErrorKind.CONFIGURATION, message, adapter=ADAPTER))
