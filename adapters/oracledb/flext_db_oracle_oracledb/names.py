"""Oracle's identifier rules for names that users give.

An unquoted name folds to upper case (`employees` is `EMPLOYEES`); a name in
double quotes is kept as written (`"MixedCase"`). Names are validated before
they are quoted into the few statements that cannot bind them (bulk inserts,
procedure calls); everywhere else they are binds.
"""

from __future__ import annotations

import re

from flext_db_oracle.errors import DbError, ErrorKind

_UNQUOTED = re.compile(r"^[A-Za-z][A-Za-z0-9_$#]*$")
_MAX_LENGTH = 128  # bytes, Oracle 12.2 and later


def _invalid(name: str, why: str) -> DbError:
    return DbError(ErrorKind.QUERY, f"invalid Oracle identifier {name!r}: {why}")


def normalize(name: str) -> str:
    """The dictionary spelling of `name`: quotes removed, an unquoted name in upper case."""
    if not isinstance(name, str) or not name:
        raise _invalid(str(name), "empty")
    if len(name) >= 2 and name[0] == name[-1] == '"':
        inner = name[1:-1]
        if not inner or '"' in inner or "\x00" in inner:
            raise _invalid(name, "a quoted name holds no double quote and no NUL")
        value = inner
    elif _UNQUOTED.match(name):
        value = name.upper()
    else:
        raise _invalid(
            name,
            "unquoted names are a letter then letters, digits, _, $ or #; "
            'put other names in double quotes ("My Table")',
        )
    if len(value.encode("utf-8")) > _MAX_LENGTH:
        raise _invalid(name, f"longer than {_MAX_LENGTH} bytes")
    return value


def candidates(name: str) -> tuple[str, str]:
    """(folded, exact): how a lookup finds `name`. The folded spelling follows Oracle's
    rule; the exact one lets a name read back from the dictionary (`MixedCase`, from a
    quoted `"MixedCase"`) be passed again without quotes."""
    folded = normalize(name)
    exact = name[1:-1] if len(name) >= 2 and name[0] == name[-1] == '"' else name
    return folded, exact


def quote(name: str) -> str:
    """`name` as a quoted identifier, after `normalize`."""
    return f'"{normalize(name)}"'


def qualified(name: str, schema: str | None = None) -> str:
    """`"SCHEMA"."NAME"` (or `"NAME"`), each part validated."""
    return f"{quote(schema)}.{quote(name)}" if schema else quote(name)


def procedure_name(name: str) -> str:
    """A stored procedure or function name (`proc`, `pkg.proc`, `schema.pkg.proc`),
    validated part by part and quoted, for the driver's generated call."""
    parts = _split_dotted(name)
    if not 1 <= len(parts) <= 3:
        raise _invalid(name, "expected name, package.name or schema.package.name")
    return ".".join(quote(part) for part in parts)


def _split_dotted(name: str) -> list[str]:
    parts: list[str] = []
    current = ""
    quoted = False
    for char in name:
        if char == '"':
            quoted = not quoted
        if char == "." and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts
