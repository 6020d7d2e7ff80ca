"""Statement text, checked and parsed once per distinct statement.

One call runs one statement: empty text and stacked statements (`select 1; drop
table t`) are refused before they reach a driver. Scripts are the script runner's
job. Bind names (`:name`) are found outside literals, quoted identifiers, comments
and PostgreSQL dollar-quoted bodies, and the text is rewritten once into the
driver's paramstyle.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from flext_db_oracle.errors import DbError, ErrorKind

Paramstyle = Literal["named", "pyformat", "qmark", "numeric", "format"]

# What is not code: a `:word` or a `;` inside them is text.
_NOT_CODE = re.compile(
    r"""'(?:[^']|'')*'"""  # string literal
    r'''|"(?:[^"]|"")*"'''  # quoted identifier
    r"|`[^`]*`"  # MySQL quoted identifier
    r"|--[^\n]*"  # line comment
    r"|/\*.*?\*/"  # block comment
    r"|(?P<dollar>\$[A-Za-z_]*\$).*?(?P=dollar)",  # PostgreSQL dollar quoting
    re.DOTALL,
)
_BIND = re.compile(r"(?<![:\w]):(?P<name>[A-Za-z_][A-Za-z0-9_$#]*)")
# A PL/SQL block, a trigger or procedure body holds `;` inside itself.
_COMPOUND = re.compile(
    r"^\s*(?:begin|declare|create\s+(?:or\s+replace\s+)?"
    r"(?:(?:editionable|noneditionable)\s+)?"
    r"(?:procedure|function|package|trigger|type))\b",
    re.IGNORECASE,
)
_READ_WORDS = frozenset(
    {"select", "with", "values", "table", "show", "explain", "describe", "desc"}
)
_WRITE_WORDS = frozenset({"insert", "update", "delete", "merge"})
# In a trigger body, `:new`, `:old` and `:parent` are the rows, not binds.
_TRIGGER = re.compile(
    r"^\s*create\s+(?:or\s+replace\s+)?(?:(?:editionable|noneditionable)\s+)?trigger\b",
    re.IGNORECASE,
)
_TRIGGER_ROWS = frozenset({"new", "old", "parent"})
_DDL_WORDS = frozenset(
    {"create", "alter", "drop", "truncate", "rename", "comment", "grant", "revoke"}
)


@dataclass(frozen=True)
class ParsedStatement:
    """A statement's text in the driver's paramstyle, its bind names in order of
    first use, and whether it is DDL (for the `ddl` permission)."""

    text: str
    binds: tuple[str, ...]
    order: tuple[str, ...]  # every placeholder's bind, for positional paramstyles
    is_ddl: bool
    is_read: bool  # reads nothing but data: needs only the `read` permission
    fingerprint: str  # a short, stable id of the text (whitespace- and case-insensitive)

    @property
    def bind_set(self) -> frozenset[str]:
        """The bind names as a set, to compare a mapping's keys with at once."""
        return _bind_set(self.binds)

    def bind_values(self, params: object) -> dict[str, object]:
        """`params` checked against the binds: every bind given, nothing unknown."""
        if params is None:
            values: dict[str, object] = {}
        elif isinstance(params, dict):
            values = params
        elif hasattr(params, "keys") and hasattr(params, "__getitem__"):
            values = dict(params)  # type: ignore[call-overload, unused-ignore]
        else:
            raise DbError(
                ErrorKind.QUERY,
                f"binds must be a mapping of name to value, not {type(params).__name__}",
            )
        if len(values) != len(self.binds) or not all(name in values for name in self.binds):
            missing = [f":{name}" for name in self.binds if name not in values]
            unknown = sorted(repr(name) for name in values if name not in self.binds)
            problems = []
            if missing:
                problems.append(f"no value for bind {', '.join(missing)}")
            if unknown:
                problems.append(f"bind {', '.join(unknown)} is not used by the statement")
            raise DbError(ErrorKind.QUERY, "; ".join(problems) + " (binds are :name)")
        return values


def parse_statement(
    sql: object, paramstyle: Paramstyle = "named", *, compound: bool = False
) -> ParsedStatement:
    """Check that `sql` is one non-empty statement and rewrite its binds for the
    driver. A refusal is a `DbError` of kind `query`. Cached per distinct text.

    `compound=True` accepts a block whose `;` are its own (a PL/SQL block, a trigger
    or procedure body): only for backends that take such a block as one statement and
    refuse stacked ones themselves (Oracle, SQLite, MySQL). On PostgreSQL
    `BEGIN; DELETE ...; END;` is three statements, and would run.
    """
    if not isinstance(sql, str):
        raise DbError(ErrorKind.QUERY, f"SQL must be text, not {type(sql).__name__}")
    return _parse(sql, paramstyle, compound)


@lru_cache(maxsize=4096)
def _parse(sql: str, paramstyle: Paramstyle, allow_compound: bool) -> ParsedStatement:
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError:
        raise DbError(
            ErrorKind.QUERY, "SQL contains characters that cannot be encoded (a lone surrogate)"
        ) from None
    code = _NOT_CODE.sub(lambda m: " " * len(m.group()), sql)
    if not code.strip():
        raise DbError(ErrorKind.QUERY, "empty statement: give one SQL statement")
    compound = allow_compound and _COMPOUND.match(code) is not None
    if not compound:
        body = code.rstrip().removesuffix(";")
        if ";" in body:
            raise DbError(
                ErrorKind.QUERY,
                "more than one statement in one call; run scripts with `flext-db-oracle run`",
            )
    names: list[str] = []
    order: list[str] = []
    pieces: list[str] = []
    escape = paramstyle in {"pyformat", "format"}  # these drivers read `%` as a placeholder
    position = 0
    in_trigger = _TRIGGER.match(code) is not None
    for match in _BIND.finditer(code):
        name = match["name"]
        if in_trigger and name.lower() in _TRIGGER_ROWS:
            continue
        if name not in names:
            names.append(name)
        order.append(name)
        before = sql[position : match.start()]
        pieces.append(before.replace("%", "%%") if escape else before)
        pieces.append(_placeholder(name, names.index(name), paramstyle))
        position = match.end()
    rest = sql[position:]
    pieces.append(rest.replace("%", "%%") if escape else rest)
    text = "".join(pieces)
    if not compound and code.rstrip().endswith(";"):  # a trailing `;` is no second statement
        text = text.rstrip().removesuffix(";")
    words = code.lower().split()
    first = words[0]
    writes = first == "with" and not _WRITE_WORDS.isdisjoint(words)  # PostgreSQL's WITH ... DELETE
    return ParsedStatement(
        text=text,
        binds=tuple(names),
        order=tuple(order),
        is_ddl=first in _DDL_WORDS,
        is_read=first in _READ_WORDS and not writes,
        fingerprint=fingerprint(sql),
    )


@lru_cache(maxsize=4096)
def _bind_set(binds: tuple[str, ...]) -> frozenset[str]:
    return frozenset(binds)


def fingerprint(sql: str) -> str:
    """A short, stable id for a statement's text (whitespace- and case-insensitive)."""
    normalized = " ".join(sql.split()).lower()
    return hashlib.sha256(normalized.encode("utf-8", "replace")).hexdigest()[:12]


def _placeholder(name: str, index: int, paramstyle: Paramstyle) -> str:
    if paramstyle == "named":
        return f":{name}"
    if paramstyle == "pyformat":
        return f"%({name})s"
    if paramstyle == "numeric":
        return f":{index + 1}"
    if paramstyle == "format":
        return "%s"
    return "?"
