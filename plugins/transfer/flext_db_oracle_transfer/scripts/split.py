"""Splitting a script into statements and directives, per client.

`split_script(path, "oracle")` yields what SQL*Plus would run, `"postgresql"` what
psql would, `"mysql"` what the mysql client would, `"sqlite"` what sqlite3 would.
Included files (`@file`, `\\i`, `.read`) are read when reached, so an `EXIT` before
an include stops there as the client would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_transfer.scripts.clients import split_client
from flext_db_oracle_transfer.scripts.model import Item, Location
from flext_db_oracle_transfer.scripts.source import ScriptDialect, Source
from flext_db_oracle_transfer.scripts.sqlplus import split_sqlplus


def split_text(text: str, dialect: ScriptDialect, path: Path = Path("<script>")) -> Iterator[Item]:
    """The items of `text`, as the dialect's client splits it."""
    source = Source(path, dialect)
    return split_sqlplus(text, source) if dialect == "oracle" else split_client(text, source)


def split_script(
    path: Path,
    dialect: ScriptDialect,
    *,
    _chain: tuple[Path, ...] = (),
    _included_at: Location | None = None,
) -> Iterator[Item]:
    """The items of the script at `path` (UTF-8, a byte-order mark allowed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"cannot read script {path}: {exc}"
        if _included_at is not None:
            raise _included_at.error(ErrorKind.NOT_FOUND, message) from None
        raise DbError(ErrorKind.NOT_FOUND, message, detail={"file": str(path)}) from None
    source = Source(path, dialect, _chain)
    return split_sqlplus(text, source) if dialect == "oracle" else split_client(text, source)
