"""SQL*Plus's rules, line by line, as SQL*Plus reads a script.

- A SQL statement ends with `;` as the last thing on a line (outside literals and
  comments), or with `/` alone on a line; the `;` is not sent.
- A PL/SQL block (`DECLARE`, `BEGIN`, `CREATE [OR REPLACE] PROCEDURE|FUNCTION|PACKAGE|
  TRIGGER|TYPE ...`) ends only with `/` alone on a line; its `;`s are sent.
- `/` with nothing new in the buffer runs the buffer again.
- A blank line ends a SQL statement without running it (`SET SQLBLANKLINES OFF`, the
  default), as does `.` alone on a line; a `/` right after runs it.
- Commands are read only before any statement text: `@file`, `@@file`, `START`,
  `WHENEVER SQLERROR`, `CONNECT`, `EXIT`/`QUIT`, `PROMPT`, `REMARK`, `SET`
  (`SQLBLANKLINES` and `DEFINE` are honoured, other settings are ignored with a
  note), `EXECUTE` (sent as an anonymous block) and display commands (noted).
- With `SET DEFINE ON` (the default) SQL*Plus would prompt for `&name`; a statement
  that has one is refused rather than sent with the `&` unreplaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from flext_db_oracle.errors import ErrorKind
from flext_db_oracle.redaction import register_secret

from flext_db_oracle_transfer.scripts.lexer import UnterminatedError, skip_non_code
from flext_db_oracle_transfer.scripts.model import (
    Echo,
    Exit,
    Item,
    Location,
    Note,
    OnError,
    Reconnect,
    Statement,
)
from flext_db_oracle_transfer.scripts.source import LEXICONS, Source

_LEX = LEXICONS["oracle"]
_PLSQL = re.compile(
    r"\s*(?:declare|begin"
    r"|create\s+(?:or\s+replace\s+)?(?:(?:non)?editionable\s+)?"
    r"(?:procedure|function|package|trigger|type|library|java)"
    r"|create\s+(?:or\s+replace\s+)?and\s+(?:compile|resolve)\s+java)\b",
    re.IGNORECASE,
)
# Enough words to tell a PL/SQL block from SQL: CREATE OR REPLACE NONEDITIONABLE PACKAGE.
_WORDS_TO_DECIDE = 5
_SUBSTITUTION = re.compile(r"&&?([A-Za-z_][\w$#]*|\d+)")
_CONNECT = re.compile(
    r"(?P<user>[^/@\s]+)(?:/(?P<password>[^@\s]*))?(?:@(?P<target>\S+))?(?:\s+as\s+\w+)?$",
    re.IGNORECASE,
)
# Statements whose first word is also a SQL*Plus command name.
_SQL_SET = re.compile(r"set\s+(?:transaction|role|constraints?)\b", re.IGNORECASE)

# SQL*Plus command names with their shortest abbreviation.
_COMMANDS = {
    "connect": 4,
    "exit": 4,
    "quit": 4,
    "prompt": 3,
    "remark": 3,
    "set": 3,
    "whenever": 5,
    "start": 3,
    "execute": 4,
    # What changes only SQL*Plus's display or its own files: ignored with a note.
    "spool": 3,
    "show": 3,
    "column": 3,
    "ttitle": 3,
    "btitle": 3,
    "break": 3,
    "compute": 4,
    "clear": 2,
    "timing": 4,
    "pause": 3,
    "describe": 4,
    "print": 3,
    "repheader": 4,
    "repfooter": 4,
    # What changes what runs: refused, since ignoring it would change the result.
    "define": 3,
    "undefine": 5,
    "variable": 3,
    "accept": 3,
    "host": 3,
}
_NOTED = {
    "spool", "show", "column", "ttitle", "btitle", "break", "compute", "clear", "timing",
    "pause", "describe", "print", "repheader", "repfooter",
}  # fmt: skip
_EXIT_STATUS = {"success": 0, "failure": 1, "warning": 2}


@dataclass
class _Buffer:
    lines: list[str] = field(default_factory=list)
    first_line: int = 0
    plsql: bool | None = None  # None: not decided yet

    @property
    def has_code(self) -> bool:
        return bool(self.lines)


@dataclass
class _State:
    blank_lines_end_sql: bool = True  # SET SQLBLANKLINES OFF
    define: str | None = "&"  # SET DEFINE ON
    last: Statement | None = None  # what `/` runs again
    unrun: Statement | None = None  # ended by a blank line or `.`, not run yet
    in_non_code: bool = False  # a literal or comment continues on the next line
    in_leading_comment: bool = False  # a block comment before any statement text
    pending: str = ""  # the open literal or comment's text so far


class _SqlPlus:
    def __init__(self, text: str, source: Source) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.state = _State()
        self.buffer = _Buffer()

    def location(self, line: int) -> Location:
        return Location(self.source.path, line)

    def items(self) -> Iterator[Item]:
        for number, line in enumerate(self.lines, start=1):
            for item in self._line(number, line):
                yield item
                if isinstance(item, Exit):
                    return
        if self.state.in_non_code or self.state.in_leading_comment:
            raise self.location(self.buffer.first_line or len(self.lines)).error(
                ErrorKind.QUERY, "a literal or comment is never closed"
            )
        yield from self._forget_unrun()
        if self.buffer.has_code:
            yield Note(
                self.location(self.buffer.first_line),
                "statement without a terminator (; or /) at the end of the script was not run,"
                " as SQL*Plus leaves it in its buffer",
            )

    def _line(self, number: int, line: str) -> Iterator[Item]:
        state = self.state
        stripped = line.strip()
        if state.in_leading_comment:
            end = line.find("*/")
            if end < 0:
                return
            state.in_leading_comment = False
            line = line[end + 2 :]
            stripped = line.strip()
        if state.in_non_code:  # inside a literal or comment: text, whatever it looks like
            yield from self._add(line)
            return
        if not self.buffer.has_code:
            if stripped == "/":
                yield from self._run_again(number)
                return
            if not stripped or stripped == ".":
                return
            if _only_comment(line):
                return
            if stripped.startswith("/*") and "*/" not in stripped:
                state.in_leading_comment = True
                return
            command = self._command(stripped, number)
            if command is not None:
                yield from self._forget_unrun()
                yield from command
                return
            yield from self._forget_unrun()
            self.buffer.first_line = number
        elif stripped == "/":
            yield from self._finish()
            return
        elif stripped == "." or (not stripped and not self._in_block()):
            if not stripped and not state.blank_lines_end_sql:
                self.buffer.lines.append(line)
                return
            state.unrun = self._statement(self.buffer, strip_semicolon=False)
            state.last = state.unrun
            self.buffer = _Buffer()
            return
        yield from self._add(line)

    def _add(self, line: str) -> Iterator[Item]:
        self.buffer.lines.append(line)
        ends_with_semicolon = self._scan(line)
        if self.buffer.plsql is None:
            self.buffer.plsql = _decide_plsql(self.buffer.lines)
        if ends_with_semicolon and not self._in_block():
            yield from self._finish(strip_semicolon=True)

    def _in_block(self) -> bool:
        return bool(self.buffer.plsql)

    def _finish(self, *, strip_semicolon: bool = False) -> Iterator[Item]:
        statement = self._statement(self.buffer, strip_semicolon=strip_semicolon)
        self.buffer = _Buffer()
        self.state.last = statement
        self._check_substitution(statement)
        yield statement

    def _statement(self, buffer: _Buffer, *, strip_semicolon: bool) -> Statement:
        text = "\n".join(buffer.lines).strip()
        if strip_semicolon:
            text = _without_final_semicolon(text)
        return Statement(text, self.location(buffer.first_line))

    def _run_again(self, number: int) -> Iterator[Item]:
        state = self.state
        if state.unrun is not None:
            statement, state.unrun = state.unrun, None
            self._check_substitution(statement)
            yield statement
        elif state.last is not None:
            yield Statement(state.last.text, self.location(number), rerun=True)
        else:
            yield Note(self.location(number), "/ with an empty buffer: nothing to run")

    def _forget_unrun(self) -> Iterator[Item]:
        if self.state.unrun is not None:
            location = self.state.unrun.location
            self.state.unrun = None
            yield Note(
                location,
                "statement ended by a blank line or '.' was not run (SQL*Plus runs it only "
                "on a following '/'; SET SQLBLANKLINES ON allows blank lines)",
            )

    def _check_substitution(self, statement: Statement) -> None:
        define = self.state.define
        if define is None:
            return
        pattern = (
            _SUBSTITUTION
            if define == "&"
            else re.compile(re.escape(define) + r"{1,2}([A-Za-z_][\w$#]*|\d+)")
        )
        match = pattern.search(statement.text)
        if match is not None:
            raise statement.location.error(
                ErrorKind.UNSUPPORTED,
                f"substitution variable {match.group()}: SQL*Plus would prompt for its value;"
                " put SET DEFINE OFF before it if the text is meant literally",
            )

    def _scan(self, line: str) -> bool:
        """Follow literals and comments across lines; True when the line's code ends with `;`."""
        state = self.state
        text = state.pending + line if state.in_non_code else line
        last_code = ""
        i = 0
        try:
            while i < len(text):
                c = text[i]
                end = skip_non_code(text, i, _LEX) if c in _LEX.openers else None
                if end is None:
                    if not c.isspace():
                        last_code = c
                    i += 1
                else:
                    i = end
        except UnterminatedError:
            state.in_non_code = True
            state.pending = text + "\n"
            return False
        state.in_non_code = False
        state.pending = ""
        return last_code == ";"

    # --- commands -------------------------------------------------------------------

    def _command(self, stripped: str, number: int) -> list[Item] | None:
        location = self.location(number)
        if stripped.startswith("@"):
            relative = stripped.startswith("@@")
            return self._include(stripped.lstrip("@"), location, relative=relative)
        word, _, rest = stripped.partition(" ")
        name = _command_name(word.removesuffix(";"))
        if name is None or (name == "set" and _SQL_SET.match(stripped)):
            return None
        rest = rest.strip()
        argument = rest.removesuffix(";").strip()
        if name in {"remark"}:
            return []
        if name == "prompt":
            return [Echo(location, rest)]
        if name in {"exit", "quit"}:
            word = argument.split()[0].lower() if argument else "success"
            status = _EXIT_STATUS.get(word, int(word) if word.isdigit() else 1)
            return [Exit(location, status)]
        if name == "connect":
            return [self._connect(argument, location)]
        if name == "whenever":
            return [self._whenever(argument, location)]
        if name == "start":
            return self._include(argument, location, relative=False)
        if name == "set":
            return self._set(argument, location)
        if name == "execute":
            statement = Statement(f"BEGIN {argument}; END;", location)
            self._check_substitution(statement)
            self.state.last = statement
            return [statement]
        if name in _NOTED:
            return [Note(location, f"SQL*Plus {name.upper()} ignored (display only)")]
        raise location.error(
            ErrorKind.UNSUPPORTED,
            f"SQL*Plus {name.upper()} is not supported (ignoring it would change what runs)",
        )

    def _include(self, rest: str, location: Location, *, relative: bool) -> list[Item]:
        parts = rest.split()
        if not parts:
            raise location.error(ErrorKind.QUERY, "@ needs a file name")
        if len(parts) > 1:
            raise location.error(
                ErrorKind.UNSUPPORTED, "script arguments (&1, &2...) are not supported"
            )
        return list(self.source.include(parts[0].removesuffix(";"), location, relative=relative))

    def _connect(self, argument: str, location: Location) -> Reconnect:
        match = _CONNECT.match(argument)
        if match is None:
            raise location.error(ErrorKind.QUERY, "CONNECT needs user[/password][@service]")
        password = match["password"]
        register_secret(password)
        return Reconnect(location, database=match["target"], user=match["user"], password=password)

    def _whenever(self, argument: str, location: Location) -> Item:
        words = argument.lower().split()
        if words[:1] == ["oserror"]:
            return Note(location, "WHENEVER OSERROR ignored (no operating-system commands run)")
        if words[:1] != ["sqlerror"] or len(words) < 2 or words[1] not in {"exit", "continue"}:
            raise location.error(ErrorKind.QUERY, "expected WHENEVER SQLERROR EXIT|CONTINUE")
        return OnError(location, stop=words[1] == "exit")

    def _set(self, argument: str, location: Location) -> list[Item]:
        words = argument.split()
        option = words[0].lower() if words else ""
        value = words[1] if len(words) > 1 else ""
        if "sqlblanklines".startswith(option) and len(option) >= 5:
            self.state.blank_lines_end_sql = value.lower() != "on"
            return []
        if "define".startswith(option) and len(option) >= 3:
            lowered = value.lower()
            self.state.define = None if lowered == "off" else "&" if lowered == "on" else value
            return []
        return [Note(location, f"SET {argument} ignored (a SQL*Plus display or client setting)")]


def _command_name(word: str) -> str | None:
    lowered = word.lower()
    for name, shortest in _COMMANDS.items():
        if len(lowered) >= shortest and name.startswith(lowered):
            return name
    return None


def _decide_plsql(lines: list[str]) -> bool | None:
    head = " ".join(" ".join(lines).split())
    if _PLSQL.match(head):
        return True
    return False if len(head.split()) >= _WORDS_TO_DECIDE or head.endswith(";") else None


def _only_comment(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith("--"):
        return True
    if stripped.startswith("/*"):
        try:
            end = skip_non_code(stripped, 0, _LEX)
        except UnterminatedError:
            return False
        return end is not None and not stripped[end:].strip()
    return False


def _without_final_semicolon(text: str) -> str:
    """The text up to its final `;` (a comment after the `;` goes with it)."""
    last = -1
    i = 0
    while i < len(text):
        end = skip_non_code(text, i, _LEX) if text[i] in _LEX.openers else None
        if end is None:
            if text[i] == ";":
                last = i
            i += 1
        else:
            i = end
    return text[:last].rstrip() if last >= 0 else text


def split_sqlplus(text: str, source: Source) -> Iterator[Item]:
    """SQL*Plus's items of `text`."""
    return _SqlPlus(text, source).items()
