from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import Credentials, Principal

if TYPE_CHECKING:
    from flext_db_oracle.settings import DatabaseSettings


class AuthPort(Protocol):
    """Who is asking: directory adapters (LDAP, Active Directory) turn credentials into a
    `Principal` whose `permissions` the adapter derived from its groups and roles. The
    core decides what each operation needs and checks `Principal.allows`."""

    name: str

    def authenticate(self, credentials: Credentials) -> Result[Principal, DbError]:
        """Bad credentials are a `DbError` of kind `authentication`."""
        ...

    def close(self) -> Result[None, DbError]:
        """Release pooled directory connections. Idempotent."""
        ...


class AuthAdapterFactory(Protocol):
    """Builds an auth adapter from the core settings and the adapter's own settings
    model (None when it declares none). Must not touch the network."""

    def __call__(self, settings: DatabaseSettings, own: Any) -> AuthPort: ...
