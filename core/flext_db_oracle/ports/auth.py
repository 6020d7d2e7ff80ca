from __future__ import annotations

from typing import Protocol

from returns.result import Result

from flext_db_oracle.errors import DbError
from flext_db_oracle.models import Credentials, Principal


class AuthPort(Protocol):
    """Who is asking, and may they? Implemented by directory adapters (LDAP, AD)."""

    def authenticate(self, credentials: Credentials) -> Result[Principal, DbError]:
        """Bad credentials are a `DbError` of kind `authentication`."""
        ...

    def authorize(self, principal: Principal, action: str) -> Result[None, DbError]:
        """A refusal is a `DbError` of kind `authorization`."""
        ...
