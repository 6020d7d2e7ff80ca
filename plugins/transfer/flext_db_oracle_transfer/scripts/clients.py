"""psql, mysql and sqlite3: statements end at the delimiter outside what is not code.

Client commands are recognised where the client recognises them, at the start of a
line before any statement text: psql's backslash commands, mysql's `DELIMITER`,
sqlite3's dot commands. What a client would do with its input at the end of the
file is kept too: psql and mysql run an unterminated last statement, sqlite3
refuses it.
"""

from __future__ import annotations

import bisect
import re
import shlex
from collections.abc import Iterator

from flext_db_oracle.errors import ErrorKind

from flext_db_oracle_transfer.scripts.lexer import UnterminatedError, code_only, skip_non_code
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

_SQLITE_TRIGGER = re.compile(r"\s*create\s+(?:temp\s+|temporary\s+)?trigger\b", re.IGNORECASE)
_LAST_WORD = re.compile(r"(\w+)\s*$")
# psql keeps a SQL-standard function body (BEGIN ATOMIC ... END) together: it counts
# BEGIN and CASE against END inside CREATE FUNCTION/PROCEDURE.
_PG_ROUTINE = re.compile(r"\s*create\s+(?:or\s+replace\s+)?(?:function|procedure)\b", re.IGNORECASE)
_BLOCK_WORD = re.compile(r"\b(begin|case|end)\b", re.IGNORECASE)
_COPY_FROM_STDIN = re.compile(r"\s*copy\b.*\bfrom\s+stdin\b", re.IGNORECASE | re.DOTALL)
_TRUE = {"on", "1", "true", "yes"}

# psql and sqlite3 commands that change only how output looks: ignored with a note.
_PSQL_DISPLAY = {"set", "pset", "timing", "encoding", "unset", "x", "a", "t", "H", "f", "o"}
_SQLITE_DISPLAY = {"mode", "headers", "header", "echo", "timer", "width", "nullvalue", "separator"}


class _Splitter:
    def __init__(self, text: str, source: Source) -> None:
        self.text = text
        self.source = source
        self.lex = LEXICONS[source.dialect]
        self.delimiter = ";"
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        openers = re.escape(self.lex.openers)
        self.interesting = re.compile(f"[{openers};]")

    def location(self, index: int) -> Location:
        return Location(self.source.path, bisect.bisect_right(self.line_starts, index))

    def items(self) -> Iterator[Item]:
        text = self.text
        n = len(text)
        i = 0
        start: int | None = None  # first code character of the statement being read
        while i < n:
            if start is None:
                before = self._before_statement(i)
                if isinstance(before, tuple):
                    items, i = before
                    for item in items:
                        yield item
                        if isinstance(item, Exit):
                            return
                    continue
                start = i
            if text.startswith(self.delimiter, i) and self._complete(text[start:i]):
                yield self._statement(start, i)
                i += len(self.delimiter)
                start = None
                continue
            if text[i] in self.lex.openers:
                end = self._skip(i)
                if end is not None:
                    i = end
                    continue
            if self.delimiter == ";":
                match = self.interesting.search(text, i + 1)
                i = match.start() if match else n
            else:
                i += 1
        if start is not None and text[start:].strip():
            yield self._last(start)

    def _before_statement(self, i: int) -> tuple[list[Item], int] | None:
        """What comes before a statement's first code character at `i`: whitespace, a
        comment or a client command (items and where to go on), or None for code."""
        if self.text[i].isspace():
            return [], i + 1
        if self.text[i] in "-/#":
            end = self._skip(i)
            if end is not None:
                return [], end
        if self._at_line_start(i):
            return self._client_command(i)
        return None

    def _last(self, start: int) -> Statement:
        if self.source.dialect == "sqlite":  # sqlite3: "Parse error: incomplete input"
            raise self.location(start).error(
                ErrorKind.QUERY, "incomplete statement at the end of the script"
            )
        return self._statement(start, len(self.text))

    def _statement(self, start: int, end: int) -> Statement:
        text = self.text[start:end].strip()
        location = self.location(start)
        if self.source.dialect == "postgresql" and _COPY_FROM_STDIN.match(text):
            # Its rows follow inline, up to a line `\.`: they are data, not SQL.
            raise location.error(
                ErrorKind.UNSUPPORTED,
                "COPY ... FROM STDIN with inline rows is not supported;"
                " load the rows with `flext-db-oracle load`",
            )
        return Statement(text, location)

    def _skip(self, i: int) -> int | None:
        try:
            return skip_non_code(self.text, i, self.lex)
        except UnterminatedError as open_item:
            raise open_item.at(self.location(open_item.start)) from None

    def _at_line_start(self, i: int) -> bool:
        line_start = self.line_starts[bisect.bisect_right(self.line_starts, i) - 1]
        return not self.text[line_start:i].strip()

    def _complete(self, statement: str) -> bool:
        """sqlite3 (`sqlite3_complete`) ends a trigger only at `END;`; psql ends a
        routine with a `BEGIN ATOMIC` body only when its BEGINs and CASEs are closed."""
        dialect = self.source.dialect
        if dialect == "sqlite" and _SQLITE_TRIGGER.match(statement):
            last = _LAST_WORD.search(code_only(statement, self.lex))
            return last is not None and last.group(1).lower() == "end"
        if dialect == "postgresql" and _PG_ROUTINE.match(statement):
            depth = 0
            for word in _BLOCK_WORD.findall(code_only(statement, self.lex)):
                depth += -1 if word.lower() == "end" else 1
            return depth <= 0
        return True

    def _line(self, i: int) -> tuple[str, int]:
        end = self.text.find("\n", i)
        end = len(self.text) if end < 0 else end
        return self.text[i:end].strip(), end

    def _client_command(self, i: int) -> tuple[list[Item], int] | None:
        dialect = self.source.dialect
        if dialect == "postgresql" and self.text[i] == "\\":
            line, end = self._line(i)
            return self._psql(line, self.location(i)), end
        if dialect == "mysql" and self.text[i : i + 10].lower() == "delimiter ":
            line, end = self._line(i)
            delimiter = line.split(None, 1)[1].strip() if len(line.split()) > 1 else ""
            if not delimiter:
                raise self.location(i).error(ErrorKind.QUERY, "DELIMITER needs a delimiter")
            self.delimiter = delimiter
            return [], end
        if dialect == "sqlite" and self.text[i] == ".":
            line, end = self._line(i)
            return self._sqlite(line, self.location(i)), end
        return None

    def _psql(self, line: str, location: Location) -> list[Item]:
        command, _, rest = line[1:].partition(" ")
        args = _words(rest, location)
        if command in {"c", "connect"}:
            database = args[0] if args and args[0] != "-" else None
            user = args[1] if len(args) > 1 and args[1] != "-" else None
            return [Reconnect(location, database=database, user=user)]
        if command in {"echo", "qecho"}:
            return [Echo(location, " ".join(args))]
        if command in {"q", "quit"}:
            return [Exit(location)]
        if command in {"i", "include", "ir", "include_relative"} and args:
            return list(self.source.include(args[0], location, relative=command.startswith("ir")))
        if command == "set" and args and args[0] == "ON_ERROR_STOP":
            stop = len(args) < 2 or args[1].lower() in _TRUE
            return [OnError(location, stop=stop)]
        if command in _PSQL_DISPLAY:
            return [Note(location, f"psql \\{command} ignored (it changes psql's display only)")]
        raise location.error(ErrorKind.UNSUPPORTED, f"psql command \\{command} is not supported")

    def _sqlite(self, line: str, location: Location) -> list[Item]:
        command, _, rest = line[1:].partition(" ")
        args = _words(rest, location)
        if command == "read" and args:
            return list(self.source.include(args[0], location, relative=False))
        if command == "print":
            return [Echo(location, " ".join(args))]
        if command == "bail":
            return [OnError(location, stop=bool(args) and args[0].lower() in _TRUE)]
        if command in {"quit", "exit"}:
            return [Exit(location, int(args[0]) if args and args[0].isdigit() else 0)]
        if command in _SQLITE_DISPLAY:
            return [Note(location, f"sqlite3 .{command} ignored (it changes the display only)")]
        raise location.error(ErrorKind.UNSUPPORTED, f"sqlite3 command .{command} is not supported")


def _words(rest: str, location: Location) -> list[str]:
    try:
        return [word.removesuffix(";") for word in shlex.split(rest)]
    except ValueError as exc:
        raise location.error(
            ErrorKind.QUERY, f"cannot read the command's arguments: {exc}"
        ) from None


def split_client(text: str, source: Source) -> Iterator[Item]:
    """psql's, mysql's or sqlite3's items of `text`."""
    return _Splitter(text, source).items()
