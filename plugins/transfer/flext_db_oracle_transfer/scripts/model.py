"""What a script splits into: statements for the server and directives for the runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flext_db_oracle.errors import DbError, ErrorKind


@dataclass(frozen=True)
class Location:
    """Where an item starts: the file (an included one, for `@file`) and its line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, kind: ErrorKind, message: str, code: str | None = None) -> DbError:
        """`message` prefixed with this location, as the one line the CLI prints."""
        return DbError(
            kind,
            f"{self}: {message}",
            code=code,
            detail={"file": str(self.path), "line": self.line},
        )

    def locate(self, error: DbError) -> DbError:
        """`error` with this location in front of its message; kind, code and flags kept."""
        return DbError(
            error.kind,
            f"{self}: {error.message}",
            code=error.code,
            retryable=error.retryable,
            adapter=error.adapter,
            detail={**error.detail, "file": str(self.path), "line": self.line},
        )


@dataclass(frozen=True)
class Statement:
    """One statement, sent as one call. `rerun` marks SQL*Plus's `/` after a statement
    that already ran: SQL*Plus runs its buffer again."""

    text: str
    location: Location
    rerun: bool = False


@dataclass(frozen=True)
class Reconnect:
    """psql's `\\c DBNAME`, SQL*Plus's `CONNECT user/password@service`: the same
    server, another database or user. `None` keeps the current value."""

    location: Location
    database: str | None = None
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never show the password
        return f"Reconnect(database={self.database!r}, user={self.user!r}, at {self.location})"


@dataclass(frozen=True)
class OnError:
    """`WHENEVER SQLERROR EXIT|CONTINUE`: stop at the next failure, or go on."""

    location: Location
    stop: bool


@dataclass(frozen=True)
class Exit:
    """`EXIT`/`QUIT`/`\\q`: the script ends here with this status."""

    location: Location
    status: int = 0


@dataclass(frozen=True)
class Echo:
    """`PROMPT text` / `\\echo text`: printed for the reader."""

    location: Location
    text: str


@dataclass(frozen=True)
class Note:
    """A client command that changes only the client's display (`SET PAGESIZE`), ignored,
    or a buffer the client would not run: said once so that nothing passes unnoticed."""

    location: Location
    text: str


Directive = Reconnect | OnError | Exit | Echo | Note
Item = Statement | Directive
