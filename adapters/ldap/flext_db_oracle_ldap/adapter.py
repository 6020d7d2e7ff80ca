"""The `ldap` auth adapter: credentials in, a `Principal` with groups, roles and
permissions out.

Two flows. Search-then-bind (BIND_DN set, no template): the service account finds
the user's entry, then the user's own bind proves the password. Direct bind
(USER_DN_TEMPLATE or UPN_SUFFIX): the user binds at once and reads its own entry and
groups. Either way the user's bind runs on a connection of its own, never a pooled one.
"""

from __future__ import annotations

import unicodedata

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.logs import get_logger
from flext_db_oracle.models import Credentials, Principal
from ldap3 import Connection
from ldap3.utils.dn import escape_rdn, parse_dn
from returns.result import Failure, Result

from flext_db_oracle_ldap.directory import (
    ConnectionPool,
    Directory,
    Entry,
    close_quietly,
    read_entry,
    search,
)
from flext_db_oracle_ldap.errors import (
    ADAPTER,
    INVALID_CREDENTIALS,
    BindRefusedError,
    ad_account_state,
    authentication_failed,
    map_ldap_error,
)
from flext_db_oracle_ldap.factory import configuration_problem
from flext_db_oracle_ldap.ppolicy import REQUEST_CONTROL, account_state
from flext_db_oracle_ldap.presets import PRESETS
from flext_db_oracle_ldap.settings import ENV, LdapSettings

LOGGER_NAME = "flext_db_oracle.ldap"

# Groups within groups are followed this deep; deeper nesting (or a cycle) stops here.
MAX_NESTING = 8


class LdapAuthAdapter:
    """`AuthPort` over an LDAP directory (OpenLDAP or Active Directory conventions)."""

    name = ADAPTER

    def __init__(self, settings: LdapSettings) -> None:
        problem = configuration_problem(settings)
        if problem is not None:
            raise DbError(ErrorKind.CONFIGURATION, problem, adapter=ADAPTER)
        self._settings = settings
        self._preset = PRESETS[settings.preset]
        self._directory = Directory(settings)
        self._direct = settings.user_dn_template is not None or settings.upn_suffix is not None
        password = settings.bind_password.get_secret_value() if settings.bind_password else None
        self._pool = (
            ConnectionPool(self._directory, settings.bind_dn, password, settings.pool_size)
            if settings.bind_dn is not None and not self._direct
            else None
        )
        self._log = get_logger(LOGGER_NAME)

    def __repr__(self) -> str:
        flow = "direct-bind" if self._direct else "search-then-bind"
        return f"LdapAuthAdapter(url={self._settings.url!r}, preset={self._preset.name!r}, {flow})"

    def authenticate(self, credentials: Credentials) -> Result[Principal, DbError]:
        username = credentials.username
        password = credentials.password.get_secret_value()
        if not password:
            # An empty password makes a simple bind anonymous, which many servers accept.
            error = DbError(
                ErrorKind.AUTHENTICATION,
                "an empty password is refused",
                retryable=False,
                adapter=ADAPTER,
            )
            return self._refused(username, error)
        if not username or any(unicodedata.category(char) == "Cc" for char in username):
            return self._refused(username, authentication_failed())
        outcome = guarded(map_ldap_error, lambda: self._sign_in(username, password))
        match outcome:
            case Failure(error):
                return self._refused(username, error)
        self._log.info("ldap sign-in", user=username, adapter=ADAPTER)
        return outcome

    def close(self) -> Result[None, DbError]:
        pool = self._pool
        return guarded(map_ldap_error, lambda: pool.close() if pool else None)

    def _refused(self, username: str, error: DbError) -> Result[Principal, DbError]:
        # Info: the caller gets the typed error; this line is the audit trail.
        self._log.info(
            "ldap sign-in refused",
            user=username,
            kind=error.kind.value,
            code=error.code,
            reason=error.message,
        )
        return Failure(error)

    # --- the flows ------------------------------------------------------------------

    def _sign_in(self, username: str, password: str) -> Principal:
        if self._direct:
            return self._direct_bind(username, password)
        return self._search_then_bind(username, password)

    def _search_then_bind(self, username: str, password: str) -> Principal:
        pool = self._require_pool()
        user_filter = self._preset.user_filter(username)
        found = pool.run(
            lambda service: search(
                service,
                self._require_user_base(),
                user_filter,
                self._preset.user_attributes,
                size_limit=2,
            )
        )
        if len(found) != 1:  # unknown, or ambiguous: refused exactly like a wrong password
            raise authentication_failed()
        user = found[0]
        close_quietly(self._bind_user(user.dn, password))
        groups = pool.run(lambda service: self._groups(service, user, username))
        return self._principal(username, user, groups)

    def _direct_bind(self, username: str, password: str) -> Principal:
        template = self._settings.user_dn_template
        if template is not None:
            bind_name = template.replace("{username}", escape_rdn(username))
        else:
            bind_name = username if "@" in username else f"{username}@{self._settings.upn_suffix}"
        connection = self._bind_user(bind_name, password)
        try:
            if template is not None:
                user = read_entry(connection, bind_name, self._preset.user_attributes)
            else:
                found = search(
                    connection,
                    self._require_user_base(),
                    self._preset.user_filter(username),
                    self._preset.user_attributes,
                    size_limit=2,
                )
                user = found[0] if len(found) == 1 else None
            if user is None:
                raise DbError(
                    ErrorKind.NOT_FOUND,
                    f"signed in, but the directory shows no entry for {username!r} "
                    f"(check {ENV}USER_DN_TEMPLATE or {ENV}USER_BASE_DN)",
                    adapter=ADAPTER,
                )
            groups = self._groups(connection, user, username)
        finally:
            close_quietly(connection)
        return self._principal(username, user, groups)

    def _bind_user(self, bind_name: str, password: str) -> Connection:
        try:
            return self._directory.bind(bind_name, password, controls=[REQUEST_CONTROL])
        except BindRefusedError as refused:
            if refused.result != INVALID_CREDENTIALS:
                raise
            reason = account_state(refused.controls)
            if reason is None and self._preset.name == "ad":
                reason = ad_account_state(refused.diagnostic)
            raise authentication_failed(reason) from None

    # --- groups, roles, principal -------------------------------------------------------

    def _groups(self, connection: Connection, user: Entry, login: str) -> dict[str, str]:
        """The user's groups, direct and nested, as {DN in lower case: group name}."""
        groups: dict[str, str] = {}
        for dn in user.all(self._preset.member_of_attribute):
            groups.setdefault(dn.lower(), _rdn_value(dn))
        base = self._settings.group_base_dn or self._settings.user_base_dn
        if base is None:
            return groups
        frontier = [user.dn, *(dn for dn in user.all(self._preset.member_of_attribute))]
        posix_login: str | None = login
        for _ in range(MAX_NESTING):
            search_filter = self._preset.group_filter(frontier, posix_login)
            found = search(connection, base, search_filter, ["cn"])
            frontier = [entry.dn for entry in found if entry.dn.lower() not in groups]
            for entry in found:
                groups.setdefault(entry.dn.lower(), entry.first("cn") or _rdn_value(entry.dn))
            posix_login = None  # posix groups hold logins, never other groups
            if not frontier or self._preset.transitive_group_search:
                break
            if not self._settings.nested_groups:
                break
        return groups

    def _principal(self, username: str, user: Entry, groups: dict[str, str]) -> Principal:
        roles = self._roles(groups)
        login = next(
            (
                value
                for attribute in self._preset.login_attributes
                if (value := user.first(attribute))
            ),
            username,
        )
        return Principal(
            name=login,
            dn=user.dn,
            display_name=user.first(self._preset.display_name_attribute) or user.first("cn"),
            email=user.first(self._preset.email_attribute),
            groups=frozenset(groups.values()),
            roles=roles,
            permissions=self._settings.permissions_of(roles),
            adapter=ADAPTER,
        )

    def _roles(self, groups: dict[str, str]) -> frozenset[str]:
        """Roles of the groups, matched by group name or DN, case-insensitively."""
        by_key = {key.lower(): role for key, role in self._settings.role_map.items()}
        roles = set()
        for dn, name in groups.items():
            for key in (dn, name.lower()):
                if key in by_key:
                    roles.add(by_key[key])
        return frozenset(roles)

    # configuration_problem() guaranteed both at construction; these narrow the types.
    def _require_pool(self) -> ConnectionPool:
        if self._pool is None:
            raise DbError(ErrorKind.INTERNAL, "no service account pool", adapter=ADAPTER)
        return self._pool

    def _require_user_base(self) -> str:
        if self._settings.user_base_dn is None:
            raise DbError(ErrorKind.INTERNAL, "no user base DN", adapter=ADAPTER)
        return self._settings.user_base_dn


def _rdn_value(dn: str) -> str:
    """The value of a DN's first RDN: `readers` for `cn=readers,ou=groups,...`."""
    try:
        return str(parse_dn(dn)[0][1])
    except (ValueError, IndexError):
        return dn
