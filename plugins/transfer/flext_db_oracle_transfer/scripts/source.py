"""The file being split: its dialect, its lexical rules, and how it includes others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from flext_db_oracle.errors import ErrorKind

from flext_db_oracle_transfer.scripts.lexer import Lexicon
from flext_db_oracle_transfer.scripts.model import Item, Location

ScriptDialect = Literal["oracle", "postgresql", "mysql", "sqlite"]
DIALECTS: tuple[ScriptDialect, ...] = ("oracle", "postgresql", "mysql", "sqlite")

LEXICONS: dict[ScriptDialect, Lexicon] = {
    "oracle": Lexicon(q_quotes=True),
    "postgresql": Lexicon(escape_prefix=True, dollar_quotes=True, nested_comments=True),
    "mysql": Lexicon(
        backslash_escapes=True,
        hash_comments=True,
        dash_comment_needs_space=True,
        double_quote_is_string=True,
        backtick_identifiers=True,
    ),
    "sqlite": Lexicon(backtick_identifiers=True, bracket_identifiers=True),
}

# A client stops nesting includes long before this; a deeper chain is a loop.
MAX_INCLUDE_DEPTH = 20


@dataclass
class Source:
    """The file being split and the chain of files that included it."""

    path: Path
    dialect: ScriptDialect
    chain: tuple[Path, ...] = field(default_factory=tuple)

    def include(self, name: str, location: Location, *, relative: bool) -> Iterator[Item]:
        """The items of an included file: `relative` to this file's directory (SQL*Plus
        `@@`, psql `\\ir`), else to the working directory (`@`, `\\i`, `.read`)."""
        target = Path(name).expanduser()
        if self.dialect == "oracle" and not target.suffix:
            target = target.with_suffix(".sql")  # SQL*Plus's default extension
        if relative and not target.is_absolute():
            target = self.path.parent / target
        resolved = target.resolve()
        chain = (*self.chain, self.path.resolve())
        if resolved in chain or len(chain) >= MAX_INCLUDE_DEPTH:
            raise location.error(ErrorKind.QUERY, f"{name} includes itself (through {target})")
        # Imported here: the splitters include through this method.
        from flext_db_oracle_transfer.scripts.split import split_script

        return split_script(target, self.dialect, _chain=chain, _included_at=location)
