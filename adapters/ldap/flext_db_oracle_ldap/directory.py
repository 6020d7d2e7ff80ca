"""Connections to the directory: TLS, timeouts, binds, searches, and a small pool.

Every ldap3 call runs with `raise_exceptions=False`; a non-success result becomes the
matching `LDAPOperationResult` subclass, so one mapper (`errors.map_ldap_error`)
classifies every failure. ldap3's `Connection` repr shows its password: connections
never leave this module's objects, and no repr here includes one.
"""

from __future__ import annotations

import math
import queue
import ssl
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from flext_db_oracle.errors import DbError, ErrorKind
from ldap3 import AUTO_BIND_NONE, BASE, NONE, SUBTREE, SYNC, Connection, Server, Tls
from ldap3.core.exceptions import (
    LDAPCommunicationError,
    LDAPException,
    LDAPOperationResult,
    LDAPStartTLSError,
)

from flext_db_oracle_ldap.errors import ADAPTER, BindRefusedError
from flext_db_oracle_ldap.settings import ENV, LdapSettings

_T = TypeVar("_T")

RESULT_SUCCESS = 0
RESULT_SIZE_LIMIT_EXCEEDED = 4
RESULT_NO_SUCH_OBJECT = 32


@dataclass(frozen=True)
class Entry:
    dn: str
    attributes: dict[str, list[Any]]

    def first(self, name: str) -> str | None:
        values = self.attributes.get(name) or []
        return str(values[0]) if values else None

    def all(self, name: str) -> list[str]:
        return [str(value) for value in self.attributes.get(name) or []]


class Directory:
    """One directory server (from `url`, default the settings' URL), opened per settings."""

    def __init__(self, settings: LdapSettings, url: str | None = None) -> None:
        self._settings = settings
        self._url = url or settings.url or ""
        self._server: Server | None = None

    def __repr__(self) -> str:
        return f"Directory(url={self._url!r})"

    @property
    def timeout_s(self) -> float:
        return self._settings.timeout_s

    def _server_for(self) -> Server:
        if self._server is None:
            secure = self._url.lower().startswith("ldaps://")
            tls = None
            if secure or self._settings.start_tls:
                tls = Tls(
                    validate=ssl.CERT_REQUIRED,
                    ca_certs_file=str(self._settings.ca_file) if self._settings.ca_file else None,
                    version=ssl.PROTOCOL_TLS_CLIENT,
                )
            self._server = Server(
                self._url,
                use_ssl=secure,
                tls=tls,
                get_info=NONE,
                connect_timeout=self._settings.timeout_s,
            )
        return self._server

    def bind(
        self,
        user: str | None,
        password: str | None,
        controls: list[tuple[str, bool, Any]] | None = None,
    ) -> Connection:
        """An open connection bound as `user` (anonymous when None); a refused bind
        raises `BindRefusedError` (result code, diagnostic, response controls)."""
        connection = Connection(
            self._server_for(),
            user=user,
            password=password,
            auto_bind=AUTO_BIND_NONE,
            client_strategy=SYNC,
            auto_referrals=self._settings.referrals,
            raise_exceptions=False,
            read_only=True,
            check_names=False,
            # ldap3 packs the receive timeout into a C struct of whole seconds.
            receive_timeout=math.ceil(self._settings.timeout_s),
        )
        try:
            self._open_and_bind(connection, controls)
        except BaseException:
            close_quietly(connection)
            raise
        return connection

    def _open_and_bind(
        self, connection: Connection, controls: list[tuple[str, bool, Any]] | None
    ) -> None:
        connection.open(read_server_info=False)
        tls_upgrade = self._settings.start_tls and not self._url.lower().startswith("ldaps://")
        if tls_upgrade and not connection.start_tls(read_server_info=False):
            raise LDAPStartTLSError(f"StartTLS refused: {connection.last_error}")
        if not connection.bind(read_server_info=False, controls=controls):
            result = connection.result or {}
            raise BindRefusedError(
                result.get("result", -1), result.get("message"), result.get("controls")
            )


def raise_result(connection: Connection) -> None:
    """Raise the last operation's result as its `LDAPOperationResult` subclass."""
    result = connection.result or {}
    raise LDAPOperationResult(
        result=result.get("result"),
        description=result.get("description"),
        message=result.get("message"),
        response_type=result.get("type"),
    )


def search(
    connection: Connection,
    base: str,
    search_filter: str,
    attributes: list[str],
    *,
    scope: Literal["BASE", "LEVEL", "SUBTREE"] = SUBTREE,
    size_limit: int = 0,
) -> list[Entry]:
    """Entries under `base` matching `search_filter`; a missing base is no entries, and
    `size_limit` cuts the answer short without failing."""
    if not connection.search(
        base,
        search_filter,
        search_scope=scope,
        attributes=attributes,
        size_limit=size_limit,
        time_limit=math.ceil(connection.receive_timeout or 0),
    ):
        result = (connection.result or {}).get("result")
        if result == RESULT_NO_SUCH_OBJECT:
            return []
        if result not in (RESULT_SUCCESS, RESULT_SIZE_LIMIT_EXCEEDED):
            raise_result(connection)
    return [
        Entry(dn=item["dn"], attributes=dict(item.get("attributes") or {}))
        for item in connection.response or []
        if item.get("type") == "searchResEntry"
    ]


def read_entry(connection: Connection, dn: str, attributes: list[str]) -> Entry | None:
    found = search(connection, dn, "(objectClass=*)", attributes, scope=BASE)
    return found[0] if found else None


def close_quietly(connection: Connection) -> None:
    with suppress(LDAPException, OSError):
        connection.unbind()


class ConnectionPool:
    """Up to `size` bound service-account connections, reused one caller at a time.

    A connection that failed is dropped, not returned. A reused connection the server
    has meanwhile closed (idle timeouts are common) is replaced once, transparently.
    """

    def __init__(self, directory: Directory, user: str | None, password: str | None, size: int):
        self._directory = directory
        self._user = user
        self._password = password
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue(maxsize=size)
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    def __repr__(self) -> str:
        return f"ConnectionPool(directory={self._directory!r}, user={self._user!r})"

    def run(self, operation: Callable[[Connection], _T]) -> _T:
        """`operation(connection)` on a pooled connection."""
        if not self._slots.acquire(timeout=self._directory.timeout_s):
            raise TimeoutError("timed out waiting for a pooled directory connection")
        try:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                return self._run_on(self._open(), operation)
            try:
                return self._run_on(connection, operation)
            except LDAPCommunicationError:
                return self._run_on(self._open(), operation)
        finally:
            self._slots.release()

    def _run_on(self, connection: Connection, operation: Callable[[Connection], _T]) -> _T:
        try:
            result = operation(connection)
        except BaseException:
            close_quietly(connection)
            raise
        if self._closed:
            close_quietly(connection)
        else:
            self._idle.put_nowait(connection)
        return result

    def _open(self) -> Connection:
        try:
            return self._directory.bind(self._user, self._password)
        except BindRefusedError as refused:
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"the directory refused the service account {self._user!r} "
                f"(check {ENV}BIND_DN and {ENV}BIND_PASSWORD)",
                code=str(refused.result),
                adapter=ADAPTER,
            ) from None

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                close_quietly(self._idle.get_nowait())
            except queue.Empty:
                return
