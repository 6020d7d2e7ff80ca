"""Skipping what is not code (literals, quoted identifiers, comments) per dialect.

A `;` inside any of them is text. Each client has its own rules: PostgreSQL's
dollar quotes, `E'...'` escapes and nested comments; MySQL's backslash escapes,
`#` comments and `--` needing a space; SQLite's `[bracketed]` identifiers;
Oracle's `q'[...]'` quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flext_db_oracle.errors import ErrorKind

from flext_db_oracle_transfer.scripts.model import Location

_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\x80-\uffff][A-Za-z_0-9\x80-\uffff]*)?\$")
_Q_CLOSERS = {"[": "]", "{": "}", "(": ")", "<": ">"}


@dataclass(frozen=True)
class Lexicon:
    """One dialect's lexical rules."""

    backslash_escapes: bool = False  # MySQL: '\'' inside strings
    escape_prefix: bool = False  # PostgreSQL: E'\'' only
    dollar_quotes: bool = False
    nested_comments: bool = False
    hash_comments: bool = False
    dash_comment_needs_space: bool = False  # MySQL: `--` then whitespace
    double_quote_is_string: bool = False  # MySQL: "text" is a string (backslash escapes)
    backtick_identifiers: bool = False
    bracket_identifiers: bool = False
    q_quotes: bool = False  # Oracle: q'[...]'

    @property
    def openers(self) -> str:
        """First characters of anything that is not code."""
        chars = "'\"-/"
        if self.dollar_quotes:
            chars += "$"
        if self.hash_comments:
            chars += "#"
        if self.backtick_identifiers:
            chars += "`"
        if self.bracket_identifiers:
            chars += "["
        return chars


class UnterminatedError(Exception):
    """A literal, identifier or comment still open at the end of the text."""

    def __init__(self, what: str, start: int) -> None:
        super().__init__(what)
        self.what = what
        self.start = start

    def at(self, location: Location) -> Exception:
        return location.error(ErrorKind.QUERY, f"{self.what} is never closed")


def skip_non_code(text: str, i: int, lex: Lexicon) -> int | None:
    """The index just after the literal, quoted identifier or comment starting at `i`,
    or None when code starts at `i`. Raises `UnterminatedError` at the end of the text."""
    c = text[i]
    if c in "-/#":
        return _skip_comment(text, i, lex)
    if c == "'":
        if lex.q_quotes and i > 0 and text[i - 1] in "qQ" and _starts_word(text, i - 1):
            return _skip_q_quote(text, i)
        escapes = lex.backslash_escapes or (
            lex.escape_prefix and i > 0 and text[i - 1] in "eE" and _starts_word(text, i - 1)
        )
        return _skip_quoted(text, i, "'", escapes, "string literal")
    if c == '"':
        if lex.double_quote_is_string:
            return _skip_quoted(text, i, '"', True, "string literal")
        return _skip_quoted(text, i, '"', False, "quoted identifier")
    if c == "`" and lex.backtick_identifiers:
        return _skip_quoted(text, i, "`", False, "quoted identifier")
    if c == "[" and lex.bracket_identifiers:
        end = text.find("]", i + 1)
        if end < 0:
            raise UnterminatedError("bracketed identifier", i)
        return end + 1
    if c == "$" and lex.dollar_quotes and not (i > 0 and _is_word_char(text[i - 1])):
        return _skip_dollar_quote(text, i)
    return None


def _skip_comment(text: str, i: int, lex: Lexicon) -> int | None:
    if text.startswith("--", i):
        if lex.dash_comment_needs_space and not (i + 2 == len(text) or text[i + 2].isspace()):
            return None
        return _line_end(text, i)
    if text[i] == "#" and lex.hash_comments:
        return _line_end(text, i)
    if text.startswith("/*", i):
        return _skip_block_comment(text, i, lex.nested_comments)
    return None


def _skip_dollar_quote(text: str, i: int) -> int | None:
    match = _DOLLAR_TAG.match(text, i)
    if match is None:
        return None
    end = text.find(match.group(), match.end())
    if end < 0:
        raise UnterminatedError(f"dollar-quoted body {match.group()}", i)
    return end + len(match.group())


def code_only(text: str, lex: Lexicon) -> str:
    """`text` with every literal, quoted identifier and comment blanked out."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        end = skip_non_code(text, i, lex) if text[i] in lex.openers else None
        if end is None:
            pieces.append(text[i])
            i += 1
        else:
            pieces.append(" " if text[i] in "-/#" else "_")
            i = end
    return "".join(pieces)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_$"


def _starts_word(text: str, i: int) -> bool:
    return i == 0 or not _is_word_char(text[i - 1])


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _skip_quoted(text: str, i: int, quote: str, escapes: bool, what: str) -> int:
    j = i + 1
    n = len(text)
    while j < n:
        c = text[j]
        if escapes and c == "\\":
            j += 2
            continue
        if c == quote:
            if j + 1 < n and text[j + 1] == quote:  # doubled: a quote inside
                j += 2
                continue
            return j + 1
        j += 1
    raise UnterminatedError(what, i)


def _skip_q_quote(text: str, i: int) -> int:
    if i + 1 >= len(text):
        raise UnterminatedError("q-quoted literal", i)
    opener = text[i + 1]
    closer = _Q_CLOSERS.get(opener, opener) + "'"
    end = text.find(closer, i + 2)
    if end < 0:
        raise UnterminatedError("q-quoted literal", i)
    return end + 2


def _skip_block_comment(text: str, i: int, nested: bool) -> int:
    if not nested:
        end = text.find("*/", i + 2)
        if end < 0:
            raise UnterminatedError("block comment", i)
        return end + 2
    depth = 0
    j = i
    while j < len(text):
        if text.startswith("/*", j):
            depth += 1
            j += 2
        elif text.startswith("*/", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    raise UnterminatedError("block comment", i)
