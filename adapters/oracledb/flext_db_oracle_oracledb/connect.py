"""From the core settings and the adapter's own settings to python-oracledb's
connect arguments, without touching the network.

The DSN, in order: a native connect string the URL carries (`FLEXT_DB_ORACLE_URL`
given as Easy Connect or as a descriptor, or `?dsn=`); else host, port and
service name (the URL path, `?service_name=` or the `database` setting) as Easy
Connect; else, with a SID (`?sid=` or `FLEXT_DB_ORACLE_ORACLEDB_SID`), a connect
descriptor; else a host alone is a TNS alias (resolved in `config_dir` or TNS_ADMIN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.redaction import register_secret
from flext_db_oracle.settings import DatabaseSettings
from flext_db_oracle.urls import ORACLE_DSN_KEY
from pydantic import SecretStr

from flext_db_oracle_oracledb.settings import OracleDbSettings

DEFAULT_PORT = 1521
_URL_KEYS = frozenset({ORACLE_DSN_KEY, "service_name", "sid"})
# What a host or service name may hold when it is written into a DSN.
_DSN_WORD = re.compile(r"^[A-Za-z0-9][\w.\-$#]*$")
_IPV6 = re.compile(r"^[0-9A-Fa-f:.]+$")


@dataclass(frozen=True)
class ConnectSpec:
    """What `create_pool` needs: the DSN, who connects, and the Oracle options."""

    dsn: str
    user: str | None
    password: SecretStr | None = field(repr=False)
    options: dict[str, Any] = field(default_factory=dict)  # no secret in here
    wallet_password: SecretStr | None = field(default=None, repr=False)

    def described(self) -> str:
        """The target for messages: DSN and user, never a password."""
        return f"{self.user or '(external auth)'}@{self.dsn}"


def _config_error(message: str) -> DbError:
    return DbError(ErrorKind.CONFIGURATION, message)


def _checked_word(value: str, what: str) -> str:
    if _DSN_WORD.match(value) is None and not (what == "host" and _IPV6.match(value)):
        raise _config_error(
            f"{what} {value!r} is not valid in an Oracle DSN (letters, digits, '.', '-', '_')"
        )
    return value


def build_dsn(settings: DatabaseSettings, own: OracleDbSettings) -> str:
    """The DSN for `settings`; a contradiction is a `configuration` error naming the fields."""
    url = settings.database_url()
    query = dict(url.query)
    unknown = sorted(set(query) - _URL_KEYS)
    if unknown:
        raise _config_error(
            f"unknown Oracle URL parameter(s) {', '.join(unknown)}: the URL takes "
            f"{', '.join(sorted(_URL_KEYS))}; Oracle options are FLEXT_DB_ORACLE_ORACLEDB_* "
            "settings"
        )
    sid = query.get("sid") or own.sid
    service = query.get("service_name") or url.database
    if query.get("service_name") and url.database:
        raise _config_error(
            f"service name given twice: URL path {url.database!r} and ?service_name="
            f"{query['service_name']!r}; give one"
        )
    if native := query.get(ORACLE_DSN_KEY):
        if sid or service or url.host:
            raise _config_error(
                "a native Oracle DSN (Easy Connect, descriptor or ?dsn=) already names the "
                "database: do not also give a host, service name or SID "
                "(FLEXT_DB_ORACLE_HOST, FLEXT_DB_ORACLE_DATABASE, FLEXT_DB_ORACLE_ORACLEDB_SID)"
            )
        return native
    if sid and service:
        raise _config_error(
            f"both a service name ({service!r}: FLEXT_DB_ORACLE_DATABASE or the URL path) and a "
            f"SID ({sid!r}: FLEXT_DB_ORACLE_ORACLEDB_SID or ?sid=) are set; give one "
            "(the service name, unless the database only knows SIDs)"
        )
    if url.host is None:
        if service:  # `database` alone: a TNS alias or an Easy Connect string
            return service
        raise _config_error(
            "no Oracle database given: set FLEXT_DB_ORACLE_URL (oracle://user@host:1521/service, "
            "Easy Connect host:1521/service or a descriptor) or FLEXT_DB_ORACLE_HOST and "
            "FLEXT_DB_ORACLE_DATABASE (the service name)"
        )
    host = _checked_word(url.host, "host")
    if url.port is None and not service and not sid:
        return host  # oracle://user@alias: a TNS alias, as in SQLAlchemy's dialect
    port = url.port or DEFAULT_PORT
    if sid:
        sid = _checked_word(sid, "SID")
        return (
            f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={host})(PORT={port}))"
            f"(CONNECT_DATA=(SID={sid})))"
        )
    shown_host = f"[{host}]" if ":" in host else host
    return (
        f"{shown_host}:{port}/{_checked_word(service, 'service name')}"
        if service
        else (f"{shown_host}:{port}")
    )


def build_spec(settings: DatabaseSettings, own: OracleDbSettings, *, thick: bool) -> ConnectSpec:
    """Everything `create_pool` takes, from both settings models."""
    url = settings.database_url()
    password = url.password or settings.password
    if password is not None:
        register_secret(password.get_secret_value())
    user = url.username or settings.user
    options: dict[str, Any] = {
        "stmtcachesize": own.stmtcachesize,
        "tcp_connect_timeout": settings.connect_timeout_s,
    }
    if own.config_dir is not None:
        options["config_dir"] = str(own.config_dir)
    if own.wallet_location is not None:
        options["wallet_location"] = str(own.wallet_location)
    if own.cclass is not None:
        options["cclass"] = own.cclass
    if own.pool_boundary is not None:
        options["pool_boundary"] = own.pool_boundary
    if own.externalauth:
        if not thick:
            raise _config_error(
                "external authentication (FLEXT_DB_ORACLE_ORACLEDB_EXTERNALAUTH) needs thick "
                "mode: use the thick adapter (oracle+thick://)"
            )
        if password is not None:
            raise _config_error(
                "external authentication (FLEXT_DB_ORACLE_ORACLEDB_EXTERNALAUTH) takes no "
                "password: unset FLEXT_DB_ORACLE_PASSWORD or the URL's password"
            )
        options["externalauth"] = True
    return ConnectSpec(
        dsn=build_dsn(settings, own),
        user=user,
        password=password,
        options=options,
        wallet_password=own.wallet_password,
    )
