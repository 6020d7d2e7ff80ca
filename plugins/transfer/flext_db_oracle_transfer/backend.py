"""Which backend the facade talks to, in the spelling the transfer code switches on."""

from __future__ import annotations

from typing import Literal

from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from returns.result import Failure, Result, Success

Backend = Literal["oracle", "postgresql", "mysql", "sqlite"]

_BY_DIALECT: dict[str, Backend] = {
    "oracle": "oracle",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def backend_of(api: FlextDbOracleApi) -> Result[Backend, DbError]:
    """The backend behind `api`, from the server it reaches (`ServerInfo.dialect`)."""
    info = api.connect()
    if isinstance(info, Failure):
        return info
    name = info.unwrap().dialect.split("+", 1)[0].lower()
    backend = _BY_DIALECT.get(name)
    if backend is None:
        return Failure(
            DbError(
                ErrorKind.UNSUPPORTED,
                f"no transfer support for the {name!r} dialect"
                " (supported: oracle, postgresql, mysql/mariadb, sqlite)",
            )
        )
    return Success(backend)
