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
    except OSError as exc:
        raise _unreadable(path, ErrorKind.NOT_FOUND, str(exc), _included_at) from None
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 (byte {exc.start}); convert it first, e.g. iconv -t UTF-8"
        raise _unreadable(path, ErrorKind.QUERY, reason, _included_at) from None
    source = Source(path, dialect, _chain)
    return split_sqlplus(text, source) if dialect == "oracle" else split_client(text, source)


def _unreadable(path: Path, kind: ErrorKind, reason: str, included_at: Location | None) -> DbError:
    message = f"cannot read script {path}: {reason}"
    if included_at is not None:
        return included_at.error(kind, message)
    return DbError(kind, message, detail={"file": str(path)})
